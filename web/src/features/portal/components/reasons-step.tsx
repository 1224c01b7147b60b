import { NativeSelect, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { chosenLines, MAX_PHOTOS } from './draft.ts';
import { PhotoPicker } from './photo-picker.tsx';
import { reasonLabel } from './portal-text.ts';
import { StepButtons } from './step-buttons.tsx';
import type { StepProps } from './steps.ts';

/** Step 3: a reason per item, an optional note, photos (asked for when the reason needs them). */
export function ReasonsStep({ view, draft, update, back, next }: StepProps) {
  const { t, locale } = useI18n();
  const lines = chosenLines(view, draft);
  const [tried, setTried] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const proceed = () => {
    setTried(true);
    if (lines.some((l) => !draft.reasons[l.id])) {
      setError(t('portal.fixErrors'));
      const first = lines.find((l) => !draft.reasons[l.id]);
      if (first) document.getElementById(`reason-${first.id}`)?.focus();
      return;
    }
    if (lines.some((l) => (draft.photos[l.id] ?? []).some((p) => p.status !== 'done'))) {
      setError(t('portal.reasons.waitUploads'));
      return;
    }
    setError(null);
    next();
  };

  return (
    <Stack gap="md">
      <Text>{t('portal.reasons.intro')}</Text>
      {lines.map((line) => {
        const code = draft.reasons[line.id] ?? '';
        const reason = view.reasons.find((r) => r.code === code);
        const hintId = `photos-hint-${line.id}`;
        return (
          <Paper
            key={line.id}
            component="section"
            withBorder
            radius="md"
            p="sm"
            aria-labelledby={`reason-title-${line.id}`}
            data-testid="reason-line"
            data-line-id={line.id}
          >
            <Stack gap="sm">
              <Title order={3} size="h5" id={`reason-title-${line.id}`}>
                {line.title}{' '}
                <Text span size="sm" c="dimmed" fw={400}>
                  × {draft.selected[line.id]}
                </Text>
              </Title>
              <NativeSelect
                id={`reason-${line.id}`}
                label={t('portal.reasons.reason')}
                value={code}
                required
                error={tried && !code ? t('portal.reasons.required') : undefined}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  setError(null);
                  update((d) => ({ ...d, reasons: { ...d.reasons, [line.id]: value } }));
                }}
                data={[
                  { value: '', label: t('portal.reasons.choose'), disabled: true },
                  ...view.reasons.map((r) => ({ value: r.code, label: reasonLabel(t, r, locale).text })),
                ]}
                data-testid="reason-select"
              />
              <Textarea
                label={t('portal.reasons.note')}
                value={draft.notes[line.id] ?? ''}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  update((d) => ({ ...d, notes: { ...d.notes, [line.id]: value } }));
                }}
                autosize
                minRows={2}
                maxLength={2000}
              />
              <Stack gap={4}>
                <Text fw={600} size="sm">
                  {t('portal.reasons.photos')}
                </Text>
                <Text size="sm" id={hintId}>
                  {reason?.evidenceRequired
                    ? t('portal.reasons.photosNeeded')
                    : t('portal.reasons.photosOptional')}{' '}
                  {t('portal.reasons.photoHint', { max: MAX_PHOTOS })}
                </Text>
                <PhotoPicker
                  lineId={line.id}
                  title={line.title}
                  photos={draft.photos[line.id] ?? []}
                  update={update}
                  labelId={hintId}
                />
              </Stack>
            </Stack>
          </Paper>
        );
      })}
      <StepButtons onBack={back} onNext={proceed} error={error} />
    </Stack>
  );
}
