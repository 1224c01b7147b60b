import { Anchor, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { ErrorPanel } from '../../../components/error-boundary.tsx';
import { MessagePanel } from '../../../components/message-panel.tsx';
import { api } from '../../../lib/api.ts';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { useShowShop } from '../../../lib/shop-brand.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import {
  type LineProblem,
  type PortalView,
  setSessionFlag,
  usePortalOrder,
  useShop,
} from '../api/portal-api.ts';
import { type Draft, emptyDraft } from './draft.ts';
import { ItemsStep } from './items-step.tsx';
import { LookupStep } from './lookup-step.tsx';
import { ReasonsStep } from './reasons-step.tsx';
import { ResolutionStep } from './resolution-step.tsx';
import { ReviewStep } from './review-step.tsx';
import { StepProgress } from './step-progress.tsx';
import { STEPS, type Step, type StepProps } from './steps.ts';

/** `/s/:shop/returns`: find the order, choose items, say why, choose a resolution, review, confirm. */
export function PortalPage({ shop: handle }: { shop: string }) {
  const { t } = useI18n();
  const shop = useShop(handle);
  const order = usePortalOrder();
  const qc = useQueryClient();
  const [step, setStep] = useState<Step>('lookup');
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [problems, setProblems] = useState<LineProblem[]>([]);
  useDocumentTitle(t('portal.title'), shop.data?.name ?? t('app.shopName'));
  useShowShop(shop.data?.name, shop.data?.handle);

  // An open customer session (a reload mid-way) goes straight to the items; a session opened at
  // another shop's portal does not carry over to this one.
  const view = order.data?.shop.handle === handle ? order.data : null;
  const current: Step = view ? (step === 'lookup' ? 'items' : step) : 'lookup';

  // The thumbnails' object URLs live as long as the page.
  const draftRef = useRef(draft);
  draftRef.current = draft;
  useEffect(
    () => () => {
      for (const photos of Object.values(draftRef.current.photos)) {
        for (const p of photos) URL.revokeObjectURL(p.url);
      }
    },
    [],
  );

  const go = (to: Step) => setStep(to);
  const index = STEPS.indexOf(current);

  // A new step replaces the panel: put the focus on its heading so nobody is lost (not on load).
  const shown = useRef(current);
  useEffect(() => {
    if (shown.current === current) return;
    shown.current = current;
    document.getElementById('step-heading')?.focus();
  }, [current]);

  const switchOrder = async () => {
    setSessionFlag(false);
    await api.post('/api/v1/portal/logout', {}).catch(() => {});
    for (const photos of Object.values(draft.photos)) for (const p of photos) URL.revokeObjectURL(p.url);
    setDraft(emptyDraft());
    setProblems([]);
    qc.removeQueries({ queryKey: ['portal'] });
    setStep('lookup');
  };

  if (shop.data === null) {
    return (
      <MessagePanel
        title={t('portal.noShop.title')}
        body={t('portal.noShop.body')}
        action={{ label: t('portal.noShop.action'), to: '/returns' }}
      />
    );
  }

  let body: ReactNode;
  if (order.isPending || shop.isPending) {
    body = (
      <Group gap="sm" py="xl" role="status">
        <Loader size="sm" aria-hidden="true" />
        <Text>{t('portal.loading')}</Text>
      </Group>
    );
  } else if (!view) {
    body = order.isError ? (
      <ErrorPanel error={order.error} onRetry={() => void order.refetch()} />
    ) : shop.isError ? (
      <ErrorPanel error={shop.error} onRetry={() => void shop.refetch()} />
    ) : (
      <StepFrame step="lookup">
        <LookupStep shop={handle} onFound={() => go('items')} />
      </StepFrame>
    );
  } else {
    const props: StepProps = {
      view,
      draft,
      update: setDraft,
      back: () => go(STEPS[Math.max(1, index - 1)] ?? 'items'),
      next: () => go(STEPS[Math.min(STEPS.length - 1, index + 1)] ?? 'review'),
      goTo: go,
      problems,
      setProblems,
    };
    body = (
      <StepFrame step={current} view={view} onSwitch={() => void switchOrder()}>
        {current === 'items' && <ItemsStep {...props} />}
        {current === 'reasons' && <ReasonsStep {...props} />}
        {current === 'resolution' && <ResolutionStep {...props} />}
        {current === 'review' && <ReviewStep {...props} />}
      </StepFrame>
    );
  }

  return (
    <Stack gap="lg" maw={860} mx="auto" data-testid="portal" data-step={current}>
      <Title order={1}>{t('portal.title')}</Title>
      <StepProgress steps={STEPS} current={current} />
      {body}
    </Stack>
  );
}

/** One step's panel: its heading gets the focus when the step changes, so nobody is lost. */
function StepFrame({
  step,
  view,
  onSwitch,
  children,
}: {
  step: Step;
  view?: PortalView;
  onSwitch?: () => void;
  children: ReactNode;
}) {
  const { t, date } = useI18n();
  const index = STEPS.indexOf(step);
  return (
    <Paper
      component="section"
      withBorder
      radius="md"
      p={{ base: 'md', sm: 'lg' }}
      aria-labelledby="step-heading"
    >
      <Stack gap="md">
        <Stack gap={2}>
          <Text size="sm" c="dimmed">
            {t('portal.stepOf', { current: index + 1, total: STEPS.length })}
          </Text>
          <Title order={2} size="h3" id="step-heading" tabIndex={-1} className="step-heading">
            {t(`portal.step.${step}`)}
          </Title>
          {view && (
            <Group gap="xs" wrap="wrap">
              <Text size="sm" data-testid="order-summary">
                {t('portal.order.summary', {
                  number: view.order.orderNumber,
                  date: date(view.order.placedAt),
                })}
              </Text>
              {onSwitch && (
                <Anchor component="button" type="button" size="sm" onClick={onSwitch}>
                  {t('portal.order.switch')}
                </Anchor>
              )}
            </Group>
          )}
        </Stack>
        {children}
      </Stack>
    </Paper>
  );
}
