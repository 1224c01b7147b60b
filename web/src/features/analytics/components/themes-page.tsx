import { BarChart } from '@mantine/charts';
import { Button, Group, NativeSelect, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { type RateRow, useMetric, useThemes } from '../api/analytics-api.ts';
import { addDays, today } from './format.ts';
import { ChartBox, MetricTable, NoHistory, Panel, QueryView } from './parts.tsx';
import { useAnalyticsFormat } from './use-analytics-format.ts';

/** Over-represented phrases of a SKU's or category's return notes, as a table (and a chart when asked). */
export function ThemeTable({
  target,
  limit = 15,
  testId,
  withChart = false,
}: {
  target: { sku?: string; category?: string };
  limit?: number;
  testId: string;
  withChart?: boolean;
}) {
  const f = useAnalyticsFormat();
  const { t } = f;
  const q = useThemes(target, limit);
  return (
    <QueryView query={q} label={t('analytics.what.phrases')}>
      {(d) =>
        d.data.length === 0 ? (
          <Text size="sm" data-testid={`${testId}-empty`}>
            {d.notes === 0
              ? t('analytics.themes.noNotes', { target: target.sku ?? target.category ?? '', date: d.from })
              : t('analytics.themes.nothingStandsOut', { n: f.count(d.notes), date: d.from })}
          </Text>
        ) : (
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              {t('analytics.themes.from', {
                n: f.count(d.notes),
                date: d.from,
                m: f.count(d.referenceNotes),
              })}
            </Text>
            {withChart && (
              <ChartBox label={t('analytics.themes.chart')}>
                <BarChart
                  h={Math.max(160, d.data.length * 28)}
                  data={d.data.map((p) => ({ phrase: p.phrase, count: p.count }))}
                  dataKey="phrase"
                  orientation="vertical"
                  yAxisProps={{ width: 150 }}
                  series={[{ name: 'count', label: t('analytics.themes.col.notes'), color: 'grape.8' }]}
                  accessibilityLayer={false}
                />
              </ChartBox>
            )}
            <MetricTable
              testId={testId}
              columns={[
                { label: t('analytics.alert.phrase') },
                { label: t('analytics.themes.col.notes'), num: true },
                { label: t('analytics.col.share'), num: true },
                { label: t('analytics.themes.col.elsewhere'), num: true },
                { label: t('analytics.themes.col.lift'), num: true },
                { label: t('analytics.themes.col.variants') },
              ]}
            >
              {d.data.map((p) => (
                <Table.Tr key={p.phrase} data-testid="theme-row" data-phrase={p.phrase}>
                  <Table.Th scope="row" fw={400}>
                    {p.phrase}
                  </Table.Th>
                  <Table.Td ta="right" data-testid="theme-count">
                    {f.count(p.count)}
                  </Table.Td>
                  <Table.Td ta="right">{f.percent(p.share)}</Table.Td>
                  <Table.Td ta="right">{f.count(p.baselineCount)}</Table.Td>
                  <Table.Td ta="right" data-testid="theme-lift">
                    ×{f.oneDecimal(p.lift)}
                  </Table.Td>
                  <Table.Td>
                    {p.variants
                      .filter((v) => v.phrase !== p.phrase)
                      .slice(0, 3)
                      .map((v) => v.phrase)
                      .join(', ') || '—'}
                  </Table.Td>
                </Table.Tr>
              ))}
            </MetricTable>
          </Stack>
        )
      }
    </QueryView>
  );
}

/** `/admin/analytics/themes`: pick a SKU or a category, see what its customers complain about. */
export function ThemesPage() {
  const { t } = useAnalyticsFormat();
  useDocumentTitle(t('analytics.themes.docTitle'), 'Returnflow');
  const [params, setParams] = useSearchParams();
  const sku = params.get('sku') ?? '';
  const category = params.get('category') ?? '';
  const [draftSku, setDraftSku] = useState(sku);
  const year = { from: addDays(today(), -364), to: today() };
  const categories = useMetric<RateRow>('return-rate', year, { groupBy: 'category' });
  const options = (categories.data?.data ?? []).map((r) => r.key).filter(Boolean);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draftSku.trim()) setParams({ sku: draftSku.trim() });
  };

  return (
    <Stack gap="md" data-testid="themes-page">
      <h1 className="admin-h1">{t('analytics.nav.themes')}</h1>
      <Text size="sm">{t('analytics.themes.lead')}</Text>
      <Paper withBorder p="md" radius="md">
        <Group align="flex-end" gap="lg" wrap="wrap">
          <form onSubmit={submit} aria-label={t('analytics.themes.skuForm')}>
            <Group align="flex-end" gap="sm">
              <TextInput
                label={t('analytics.col.sku')}
                value={draftSku}
                onChange={(e) => setDraftSku(e.currentTarget.value)}
                maxLength={200}
              />
              <Button type="submit" variant="default" disabled={!draftSku.trim()}>
                {t('analytics.themes.showPhrases')}
              </Button>
            </Group>
          </form>
          <NativeSelect
            label={t('analytics.themes.orCategory')}
            value={category}
            data={[{ value: '', label: t('analytics.themes.chooseCategory') }, ...options]}
            onChange={(e) => {
              const v = e.currentTarget.value;
              setDraftSku('');
              setParams(v ? { category: v } : {});
            }}
          />
        </Group>
      </Paper>
      {sku || category ? (
        <Panel
          id="themes-result"
          title={sku ? t('analytics.themes.ofSku', { sku }) : t('analytics.themes.ofCategory', { category })}
          testId="themes-result"
        >
          <ThemeTable target={sku ? { sku } : { category }} testId="themes-table" withChart />
        </Panel>
      ) : categories.data && options.length === 0 ? (
        <NoHistory what="notes" />
      ) : (
        <Text size="sm">{t('analytics.themes.prompt')}</Text>
      )}
    </Stack>
  );
}
