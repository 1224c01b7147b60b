import { Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useId } from 'react';
import { type Translate, tOr, useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import type { PolicyPreview } from '../api/admin-api.ts';

/** A policy outcome in words; one the server adds later shows as its code. */
export function outcome(t: Translate, o: string): string {
  return tOr(t, `admin.policy.outcome.${o}`, o);
}

/** What a proposed policy would change over the last 90 days: decisions, refunds, samples. */
export function PreviewResult({ result }: { result: PolicyPreview }) {
  const { t, money } = useI18n();
  // Two previews can be on screen (the editor's and a rollback's): each needs its own id.
  const titleId = useId();
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={titleId}>
      <Stack gap="sm" data-testid="preview">
        <Title order={2} size="h4" id={titleId}>
          {t('admin.policy.previewTitle')}
        </Title>
        <Text size="sm" data-testid="preview-summary">
          {t('admin.policy.previewSummary', { evaluated: result.evaluated, changed: result.changed })}
          {result.truncated ? t('admin.policy.truncated') : ''}
        </Text>
        {result.amountOnly > 0 && (
          <Text size="sm" data-testid="preview-amount-only">
            {t('admin.policy.amountOnly', { count: result.amountOnly })}
          </Text>
        )}
        <Table striped withTableBorder data-testid="transitions">
          <Table.Caption>{t('admin.policy.transitions')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('admin.policy.from')}</Table.Th>
              <Table.Th scope="col">{t('admin.policy.to')}</Table.Th>
              <Table.Th scope="col">{t('admin.policy.returns')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {result.transitions.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={3}>{t('admin.policy.noTransitions')}</Table.Td>
              </Table.Tr>
            ) : (
              result.transitions.map((x) => (
                <Table.Tr
                  key={`${x.from}-${x.to}`}
                  data-testid="transition"
                  data-from={x.from}
                  data-to={x.to}
                >
                  <Table.Td>{outcome(t, x.from)}</Table.Td>
                  <Table.Td>{outcome(t, x.to)}</Table.Td>
                  <Table.Td>{x.count}</Table.Td>
                </Table.Tr>
              ))
            )}
          </Table.Tbody>
        </Table>
        <Table striped withTableBorder data-testid="refunds">
          <Table.Caption>{t('admin.policy.refunds')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('admin.policy.currency')}</Table.Th>
              <Table.Th scope="col">{t('admin.policy.before')}</Table.Th>
              <Table.Th scope="col">{t('admin.policy.after')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {result.refunds.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={3}>{t('admin.policy.noRefunds')}</Table.Td>
              </Table.Tr>
            ) : (
              result.refunds.map((r) => (
                <Table.Tr key={r.currency}>
                  <Table.Td>{r.currency}</Table.Td>
                  <Table.Td>{money(r.before, r.currency)}</Table.Td>
                  <Table.Td>{money(r.after, r.currency)}</Table.Td>
                </Table.Tr>
              ))
            )}
          </Table.Tbody>
        </Table>
        {result.samples.length > 0 && (
          <Table striped withTableBorder data-testid="samples">
            <Table.Caption>{t('admin.policy.samples')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('admin.policy.return')}</Table.Th>
                <Table.Th scope="col">{t('admin.policy.before')}</Table.Th>
                <Table.Th scope="col">{t('admin.policy.after')}</Table.Th>
                <Table.Th scope="col">{t('admin.policy.whatChanges')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {result.samples.map((s) => (
                <Table.Tr key={s.returnId}>
                  <Table.Td>{s.rmaNumber}</Table.Td>
                  <Table.Td>
                    {outcome(t, s.before)} · {money(s.beforeTotal, s.currency)}
                  </Table.Td>
                  <Table.Td>
                    {outcome(t, s.after)} · {money(s.afterTotal, s.currency)}
                  </Table.Td>
                  <Table.Td data-testid="sample-change">
                    {s.changes
                      .map((c) =>
                        c === 'decision'
                          ? t('admin.policy.change.decision', {
                              from: outcome(t, s.before),
                              to: outcome(t, s.after),
                            })
                          : t('admin.policy.change.amount', {
                              from: money(s.beforeTotal, s.currency),
                              to: money(s.afterTotal, s.currency),
                            }),
                      )
                      .join(' ')}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}
