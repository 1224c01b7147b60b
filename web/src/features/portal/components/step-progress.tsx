import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';

/** The road through the form: an ordered list, the current step marked for screen readers. */
export function StepProgress({ steps, current }: { steps: readonly string[]; current: string }) {
  const { t } = useI18n();
  const index = steps.indexOf(current);
  return (
    // A list, not a <nav>: the steps are not links (moving happens with Back and Continue).
    <ol className="portal-steps" aria-label={t('portal.progress')}>
      {steps.map((s, i) => {
        const state = i < index ? 'done' : i === index ? 'current' : 'upcoming';
        return (
          <li key={s} data-state={state} aria-current={state === 'current' ? 'step' : undefined}>
            <span className="portal-step-number" aria-hidden="true">
              {i + 1}
            </span>
            <span className="portal-step-label">{t(`portal.step.${s}` as 'portal.step.items')}</span>
          </li>
        );
      })}
    </ol>
  );
}
