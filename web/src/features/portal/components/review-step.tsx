import { Alert, Button, Group, Loader, Paper, Radio, Stack, Text, Title } from '@mantine/core';
import { useEffect, useMemo } from 'react';
import { useNavigate } from 'react-router';
import { BreakdownTable } from '../../../components/breakdown-table.tsx';
import { ErrorPanel } from '../../../components/error-boundary.tsx';
import { ItemisedRefund } from '../../../components/itemised-refund.tsx';
import type { MessageKey } from '../../../lib/i18n/en.ts';
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import type { RefundTo } from '../../../lib/sourcing.ts';
import { type Decision, lineProblems, type RefundQuote, useFileReturn, useQuote } from '../api/portal-api.ts';
import { chosenLines, requestBody } from './draft.ts';
import { LineProblemText } from './line-problem.tsx';
import { isResolution, reasonLabel, resolutionKey } from './portal-text.ts';
import { StepButtons } from './step-buttons.tsx';
import type { StepProps } from './steps.ts';

/** Step 5: the server's quote in plain words and to the cent, then Confirm files the return. */
export function ReviewStep(props: StepProps) {
  const { view, draft, update, back, goTo, problems, setProblems } = props;
  const { t, money, locale } = useI18n();
  const navigate = useNavigate();
  const body = useMemo(() => requestBody(view, draft), [view, draft]);
  const quote = useQuote(body);
  const file = useFileReturn();
  const lines = chosenLines(view, draft);
  const currency = view.order.currency;

  // A refused line is remembered so the items step can show it too, next to the item.
  const refused = lineProblems(quote.error ?? file.error);
  const refusedKey = JSON.stringify(refused);
  const quoted = quote.isSuccess;
  useEffect(() => {
    const list = JSON.parse(refusedKey) as typeof refused;
    if (list.length > 0) setProblems(list);
    else if (quoted) setProblems([]);
  }, [refusedKey, quoted, setProblems]);

  const confirm = () =>
    file.mutate(body, {
      onSuccess: (filed) => {
        setProblems([]);
        navigate(`/t/${filed.trackingToken}`);
      },
    });

  const shown = refused.length > 0 ? refused : problems;
  const data = quote.data;
  const resolution = draft.resolution && isResolution(draft.resolution) ? draft.resolution : null;
  const sourcing = data?.refundQuote?.sourcing;
  // Known from the shop before the first quote arrives, so the choice does not vanish while
  // a changed choice is being quoted again.
  const agent = view.shop.kind === 'purchasing_agent' || sourcing !== undefined;
  const refundTo: RefundTo =
    draft.refundTo ?? (sourcing?.refundTo === 'original_payment' ? 'original_payment' : 'wallet');

  return (
    <Stack gap="md" data-testid="review">
      <Stack gap="xs">
        <Title order={3} size="h4">
          {t('portal.review.items')}
        </Title>
        <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {lines.map((l) => {
            const reason = view.reasons.find((r) => r.code === draft.reasons[l.id]);
            const photos = (draft.photos[l.id] ?? []).filter((p) => p.evidenceId).length;
            const problem = shown.find((p) => p.orderLineId === l.id);
            return (
              <Paper component="li" key={l.id} withBorder p="sm" radius="md" data-testid="review-line">
                <Group justify="space-between" gap="xs" wrap="wrap">
                  <Text fw={600}>
                    {l.title} × {draft.selected[l.id]}
                  </Text>
                  <Text className="money" size="sm">
                    {money(l.unitPrice * (draft.selected[l.id] ?? 1), currency)}
                  </Text>
                </Group>
                {reason && (
                  <Text size="sm">
                    {t('portal.review.reason', { reason: reasonLabel(t, reason, locale).text })}
                  </Text>
                )}
                {photos > 0 && <Text size="sm">{t('portal.review.photos', { count: photos })}</Text>}
                {problem && <LineProblemText problem={problem} />}
              </Paper>
            );
          })}
        </Stack>
        {resolution && (
          <Text>{t('portal.review.resolution', { resolution: t(resolutionKey(resolution)) })}</Text>
        )}
      </Stack>

      {agent && draft.resolution !== 'exchange' && (
        <Radio.Group
          value={refundTo}
          onChange={(value) =>
            update((d) => ({ ...d, refundTo: value === 'original_payment' ? 'original_payment' : 'wallet' }))
          }
          label={t('portal.refundTo.legend')}
          data-testid="refund-to"
        >
          <Stack gap="sm" mt="sm">
            {(['wallet', 'original_payment'] as const).map((r) => (
              <Radio
                key={r}
                value={r}
                data-testid={`refund-to-${r}`}
                label={t(`portal.refundTo.${r}`)}
                description={t(`portal.refundTo.${r}.body`)}
              />
            ))}
          </Stack>
        </Radio.Group>
      )}

      {quote.isPending && (
        <Group gap="sm" role="status">
          <Loader size="sm" aria-hidden="true" />
          <Text>{t('portal.review.loading')}</Text>
        </Group>
      )}
      {refused.length > 0 && (
        <Alert color="red" variant="light" role="alert" data-testid="quote-problems">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{t('portal.review.problems')}</Text>
            <Button size="xs" variant="default" onClick={() => goTo('items')}>
              {t('portal.review.changeItems')}
            </Button>
          </Stack>
        </Alert>
      )}
      {quote.isError && refused.length === 0 && (
        <ErrorPanel error={quote.error} onRetry={() => void quote.refetch()} compact />
      )}
      {data?.decision && <DecisionPanel decision={data.decision} />}
      {data?.refundQuote?.sourcing ? (
        <Paper withBorder radius="md" p="sm" component="section" aria-labelledby="breakdown-title">
          <Title order={3} size="h4" id="breakdown-title" mb="xs">
            {t('itemised.title')}
          </Title>
          <ItemisedRefund
            itemised={data.refundQuote.sourcing.itemised}
            currency={data.refundQuote.currency}
            refundTo={data.refundQuote.sourcing.refundTo}
            display={data.refundQuote.sourcing.display}
          />
        </Paper>
      ) : (
        data?.refundQuote && <QuoteTable quote={data.refundQuote} />
      )}
      {file.isError && refused.length === 0 && <ErrorPanel error={file.error} compact />}

      <StepButtons
        onBack={back}
        onNext={data?.eligible && data.refundQuote ? confirm : undefined}
        nextLabel={t('portal.review.confirm')}
        nextLoading={file.isPending}
      />
    </Stack>
  );
}

const OUTCOME_COLOR = { approved: 'green', needs_review: 'yellow', rejected: 'red' } as const;

function DecisionPanel({ decision }: { decision: Decision }) {
  const { t } = useI18n();
  const o = decision.outcome;
  return (
    <Alert
      color={OUTCOME_COLOR[o] ?? 'gray'}
      variant="light"
      title={t(`portal.review.${o}.title` as MessageKey)}
      data-testid="decision"
      styles={{ title: { color: 'var(--mantine-color-text)' } }}
      data-outcome={o}
    >
      <Stack gap="xs">
        <Text size="sm">{t(`portal.review.${o}.body` as MessageKey)}</Text>
        {decision.explanation.length > 0 && (
          // Written by the server in the page's language (?lang=).
          <Stack gap={4} component="ul" pl="md" my={0}>
            {decision.explanation.map((s) => (
              <Text component="li" size="sm" key={s}>
                {s}
              </Text>
            ))}
          </Stack>
        )}
      </Stack>
    </Alert>
  );
}

/** What comes back and where, as the server's breakdown has it (the rows add up to the total). */
function QuoteTable({ quote }: { quote: RefundQuote }) {
  const { t } = useI18n();
  const method = quote.payout?.method ?? 'original_payment';
  const methodKey: MessageKey =
    method === 'store_credit'
      ? 'refund.method.store_credit'
      : method === 'none'
        ? 'refund.method.none'
        : 'refund.method.original_payment';
  const breakdown = quote.breakdown ?? { rows: [], total: 0, due: 0 };

  return (
    <Paper withBorder radius="md" p="sm" component="section" aria-labelledby="breakdown-title">
      <Title order={3} size="h4" id="breakdown-title" mb="xs">
        {t('portal.review.breakdown')}
      </Title>
      <BreakdownTable
        rows={breakdown.rows}
        total={breakdown.total}
        currency={quote.currency}
        totalLabel={t('portal.review.youGet')}
        testId="quote-breakdown"
        totalTestId="quote-total"
      />
      <Text size="sm" mt="xs">
        {t(methodKey)}
      </Text>
    </Paper>
  );
}
