import { Text } from '@mantine/core';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import type { LineProblem } from '../api/portal-api.ts';
import { ineligibleText } from './portal-text.ts';

/** Why the server refused one line (a 422), next to that line, translated when the code is known. */
export function LineProblemText({ problem, alert = false }: { problem: LineProblem; alert?: boolean }) {
  const { t, date } = useI18n();
  const why = ineligibleText(t, date, problem);
  return (
    <Text
      size="sm"
      c="red.9"
      role={alert ? 'alert' : undefined}
      lang={why.translated ? undefined : 'en'}
      data-testid="line-problem"
    >
      {why.text}
    </Text>
  );
}
