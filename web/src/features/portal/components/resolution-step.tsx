import { Badge, Group, Radio, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { chosenLines } from './draft.ts';
import { isResolution, resolutionBodyKey, resolutionKey } from './portal-text.ts';
import { StepButtons } from './step-buttons.tsx';
import type { StepProps } from './steps.ts';

/** Step 4: what the customer wants, among what the shop offers; an exchange asks for the variant. */
export function ResolutionStep({ view, draft, update, back, next }: StepProps) {
  const { t } = useI18n();
  const offered = view.resolutions.filter(isResolution);
  const lines = chosenLines(view, draft);
  const [tried, setTried] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const choice = draft.resolution && offered.includes(draft.resolution as never) ? draft.resolution : null;

  const proceed = () => {
    setTried(true);
    if (!choice) {
      setError(t('portal.resolution.required'));
      return;
    }
    if (choice === 'exchange') {
      const missing = lines.find((l) => !draft.variants[l.id]?.trim());
      if (missing) {
        setError(t('portal.fixErrors'));
        document.getElementById(`variant-${missing.id}`)?.focus();
        return;
      }
    }
    setError(null);
    next();
  };

  return (
    <Stack gap="md">
      <Radio.Group
        value={choice}
        onChange={(value) => {
          setError(null);
          update((d) => ({ ...d, resolution: value }));
        }}
        label={t('portal.resolution.intro')}
        error={tried && !choice ? t('portal.resolution.required') : undefined}
        data-testid="resolutions"
      >
        <Stack gap="sm" mt="sm">
          {offered.map((r) => (
            <Radio
              key={r}
              value={r}
              data-testid={`resolution-${r}`}
              label={
                <Group gap="xs" component="span">
                  <span>{t(resolutionKey(r))}</span>
                  {r === 'store_credit' && view.storeCreditBonusPercent > 0 && (
                    <Badge color="brand" variant="filled" component="span" tt="none">
                      {t('portal.resolution.bonus', { percent: view.storeCreditBonusPercent })}
                    </Badge>
                  )}
                </Group>
              }
              description={t(
                // A purchasing agent pays into the wallet unless the customer asks otherwise (next step).
                r === 'refund' && view.shop.kind === 'purchasing_agent'
                  ? 'portal.resolution.refund.agentBody'
                  : resolutionBodyKey(r),
              )}
            />
          ))}
        </Stack>
      </Radio.Group>

      {choice === 'exchange' && (
        <Stack gap="sm" data-testid="exchange-variants">
          {lines.map((l) => {
            const value = draft.variants[l.id] ?? '';
            return (
              <TextInput
                key={l.id}
                id={`variant-${l.id}`}
                label={t('portal.exchange.variant', { title: l.title })}
                description={t('portal.exchange.variantHint')}
                value={value}
                required
                maxLength={200}
                error={tried && !value.trim() ? t('portal.exchange.required') : undefined}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  setError(null);
                  update((d) => ({ ...d, variants: { ...d.variants, [l.id]: v } }));
                }}
              />
            );
          })}
        </Stack>
      )}
      <StepButtons onBack={back} onNext={proceed} error={error} />
    </Stack>
  );
}
