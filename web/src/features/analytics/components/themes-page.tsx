import { BarChart } from '@mantine/charts';
import { Button, Group, NativeSelect, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { type RateRow, useMetric, useThemes } from '../api/analytics-api.ts';
import { addDays, formatCount, formatPercent, today } from './format.ts';
import { ChartBox, NoHistory, Panel, QueryView } from './parts.tsx';

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
  const q = useThemes(target, limit);
  return (
    <QueryView query={q} label="the phrases">
      {(d) =>
        d.data.length === 0 ? (
          <Text size="sm" data-testid={`${testId}-empty`}>
            {d.notes === 0
              ? `No return notes for ${target.sku ?? target.category} since ${d.from}.`
              : `Nothing stands out in ${formatCount(d.notes)} notes since ${d.from}: they read like the rest of the shop's.`}
          </Text>
        ) : (
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              From {formatCount(d.notes)} return notes since {d.from}, against {formatCount(d.referenceNotes)}{' '}
              of the rest of the shop.
            </Text>
            {withChart && (
              <ChartBox label="Bar chart of how many notes carry each phrase; the numbers are in the table below.">
                <BarChart
                  h={Math.max(160, d.data.length * 28)}
                  data={d.data.map((t) => ({ phrase: t.phrase, count: t.count }))}
                  dataKey="phrase"
                  orientation="vertical"
                  yAxisProps={{ width: 150 }}
                  series={[{ name: 'count', label: 'Notes', color: 'grape.8' }]}
                  accessibilityLayer={false}
                />
              </ChartBox>
            )}
            <div className="admin-table-scroll">
              <Table striped withTableBorder data-testid={testId}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Phrase</Table.Th>
                    <Table.Th scope="col" ta="right">
                      Notes
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      Share
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      Elsewhere
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      Lift
                    </Table.Th>
                    <Table.Th scope="col">Also written as</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {d.data.map((t) => (
                    <Table.Tr key={t.phrase} data-testid="theme-row" data-phrase={t.phrase}>
                      <Table.Th scope="row" fw={400}>
                        {t.phrase}
                      </Table.Th>
                      <Table.Td ta="right" data-testid="theme-count">
                        {formatCount(t.count)}
                      </Table.Td>
                      <Table.Td ta="right">{formatPercent(t.share)}</Table.Td>
                      <Table.Td ta="right">{formatCount(t.baselineCount)}</Table.Td>
                      <Table.Td ta="right" data-testid="theme-lift">
                        ×{t.lift.toFixed(1)}
                      </Table.Td>
                      <Table.Td>
                        {t.variants
                          .filter((v) => v.phrase !== t.phrase)
                          .slice(0, 3)
                          .map((v) => v.phrase)
                          .join(', ') || '—'}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </div>
          </Stack>
        )
      }
    </QueryView>
  );
}

/** `/admin/analytics/themes`: pick a SKU or a category, see what its customers complain about. */
export function ThemesPage() {
  useDocumentTitle('Complaint themes · Analytics', 'Returnflow');
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
      <h1 className="admin-h1">Complaint themes</h1>
      <Text size="sm">
        The phrases that come up in a SKU's or a category's return notes far more often than in the rest of
        the shop's — in English and Chinese, near-duplicates grouped.
      </Text>
      <Paper withBorder p="md" radius="md">
        <Group align="flex-end" gap="lg" wrap="wrap">
          <form onSubmit={submit} aria-label="Themes of a SKU">
            <Group align="flex-end" gap="sm">
              <TextInput
                label="SKU"
                value={draftSku}
                onChange={(e) => setDraftSku(e.currentTarget.value)}
                maxLength={200}
              />
              <Button type="submit" variant="default" disabled={!draftSku.trim()}>
                Show phrases
              </Button>
            </Group>
          </form>
          <NativeSelect
            label="or a category"
            value={category}
            data={[{ value: '', label: 'Choose a category' }, ...options]}
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
          title={sku ? `Phrases of SKU ${sku}` : `Phrases of ${category}`}
          testId="themes-result"
        >
          <ThemeTable target={sku ? { sku } : { category }} testId="themes-table" withChart />
        </Panel>
      ) : categories.data && options.length === 0 ? (
        <NoHistory what="return notes" />
      ) : (
        <Text size="sm">Type a SKU or choose a category.</Text>
      )}
    </Stack>
  );
}
