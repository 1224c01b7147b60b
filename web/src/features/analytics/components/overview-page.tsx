import { BarChart, LineChart } from '@mantine/charts';
import {
  Anchor,
  Button,
  Group,
  NativeSelect,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { formatMoney } from '../../../lib/money.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import {
  type AutomationRow,
  type CostRow,
  type CycleRow,
  csvHref,
  type Filters,
  type RateRow,
  type ReasonRow,
  type SlaRow,
  useMetric,
} from '../api/analytics-api.ts';
import { DrillDown } from './drill-down.tsx';
import { addDays, formatCount, formatHours, formatPercent, humanize, periodDays, today } from './format.ts';
import { ChartBox, DrillNumber, NoHistory, Panel, QueryView, RateTable } from './parts.tsx';
import { type Drill, drillParam, PRESETS, useFilters } from './use-filters.ts';

const RESOLUTIONS = ['refund', 'store_credit', 'exchange', 'replacement', 'repair', 'keep_item'];
/** Top SKUs leave out the ones sold too rarely for their rate to mean anything (1 of 1 = 100%). */
export const TOP_SKU_MIN_SOLD = 10;
export const TOP_SKUS = 15;
const pctAxis = (v: number) => `${v.toFixed(1)}%`;
const STAGES: Record<string, string> = {
  request_to_decision: 'Request → decision',
  request_to_received: 'Request → parcel received',
  request_to_refunded: 'Request → refunded',
};

/** `/admin/analytics`: return rates, reasons, cost and speed over a period, each down to its returns. */
export function OverviewPage() {
  useDocumentTitle('Analytics · Administration', 'Returnflow');
  const { filters, trend, drill, update } = useFilters();
  const openDrill = (d: Drill) => update({ drill: drillParam(d) });
  const byCategory = useMetric<RateRow>('return-rate', filters, { groupBy: 'category' });
  const total = byCategory.data?.data.reduce(
    (a, r) => ({ sold: a.sold + r.unitsSold, returned: a.returned + r.unitsReturned }),
    { sold: 0, returned: 0 },
  );
  const empty = total !== undefined && total.sold === 0 && total.returned === 0;

  return (
    <Stack gap="md" data-testid="analytics-overview">
      <h1 className="admin-h1">Analytics</h1>
      <FilterBar filters={filters} update={update} />
      {empty && <NoHistory />}
      <Summary filters={filters} total={total} onDrill={() => openDrill({ by: 'all' })} />
      {drill && <DrillDown filters={filters} drill={drill} onClose={() => update({ drill: null })} />}
      <TrendPanel filters={filters} trend={trend} update={update} onDrill={openDrill} />
      <div className="analytics-two">
        <RatePanel
          id="by-category"
          title="Return rate by category"
          group="category"
          filters={filters}
          onDrill={(value) => openDrill({ by: 'category', value })}
        />
        <ReasonsPanel filters={filters} onDrill={(value) => openDrill({ by: 'reason', value })} />
      </div>
      <RatePanel
        id="top-skus"
        title="Top SKUs by return rate"
        group="sku"
        filters={filters}
        onDrill={(value) => openDrill({ by: 'sku', value })}
        description={`The ${TOP_SKUS} highest return rates among SKUs with at least ${TOP_SKU_MIN_SOLD} units sold in the period; the CSV has every SKU.`}
      />
      <div className="analytics-two">
        <CostPanel filters={filters} onDrill={() => openDrill({ by: 'all' })} />
        <CyclePanel filters={filters} onDrill={() => openDrill({ by: 'all' })} />
      </div>
      <SlaPanel filters={filters} onDrill={() => openDrill({ by: 'all' })} />
    </Stack>
  );
}

function FilterBar({
  filters,
  update,
}: {
  filters: Filters;
  update: (c: Record<string, string | null>) => void;
}) {
  // The choices come from the data of the period, without the filter they choose for.
  const categories = useMetric<RateRow>(
    'return-rate',
    { ...filters, category: undefined },
    { groupBy: 'category' },
  );
  const reasons = useMetric<ReasonRow>('reasons', { ...filters, reason: undefined });
  const categoryOptions = [...new Set(categories.data?.data.map((r) => r.key).filter(Boolean) ?? [])].sort();
  const reasonOptions = (reasons.data?.data ?? []).map((r) => r.reasonCode);
  const keep = (list: string[], v?: string) => (v && !list.includes(v) ? [v, ...list] : list);
  const days = Math.round((Date.parse(filters.to) - Date.parse(filters.from)) / 86_400_000) + 1;
  const isToday = filters.to === today();

  return (
    <Paper
      component="form"
      role="search"
      aria-label="Filters"
      withBorder
      p="md"
      radius="md"
      onSubmit={(e) => e.preventDefault()}
    >
      <Stack gap="sm">
        <Group gap="xs" wrap="wrap" aria-label="Period presets" role="group">
          <Text size="sm" fw={600}>
            Period:
          </Text>
          {PRESETS.map((n) => (
            <Button
              key={n}
              size="xs"
              variant={isToday && days === n ? 'filled' : 'default'}
              aria-pressed={isToday && days === n}
              onClick={() => update({ from: addDays(today(), -(n - 1)), to: today(), drill: null })}
            >
              Last {n} days
            </Button>
          ))}
        </Group>
        <div className="analytics-filters">
          <TextInput
            type="date"
            label="From"
            value={filters.from}
            max={filters.to}
            onChange={(e) => e.currentTarget.value && update({ from: e.currentTarget.value, drill: null })}
          />
          <TextInput
            type="date"
            label="To"
            value={filters.to}
            min={filters.from}
            onChange={(e) => e.currentTarget.value && update({ to: e.currentTarget.value, drill: null })}
          />
          <NativeSelect
            label="Category"
            value={filters.category ?? ''}
            data={[{ value: '', label: 'All categories' }, ...keep(categoryOptions, filters.category)]}
            onChange={(e) => update({ category: e.currentTarget.value, drill: null })}
          />
          <NativeSelect
            label="Reason"
            value={filters.reason ?? ''}
            data={[
              { value: '', label: 'All reasons' },
              ...keep(reasonOptions, filters.reason).map((r) => ({ value: r, label: humanize(r) })),
            ]}
            onChange={(e) => update({ reason: e.currentTarget.value, drill: null })}
          />
          <NativeSelect
            label="Resolution"
            value={filters.resolution ?? ''}
            data={[
              { value: '', label: 'All resolutions' },
              ...RESOLUTIONS.map((r) => ({ value: r, label: humanize(r) })),
            ]}
            onChange={(e) => update({ resolution: e.currentTarget.value, drill: null })}
          />
        </div>
        {(filters.category || filters.reason || filters.resolution) && (
          <Group>
            <Button
              size="xs"
              variant="subtle"
              onClick={() => update({ category: null, reason: null, resolution: null, drill: null })}
            >
              Clear category, reason and resolution
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

/** The headline numbers of the period. */
function Summary({
  filters,
  total,
  onDrill,
}: {
  filters: Filters;
  total: { sold: number; returned: number } | undefined;
  onDrill: () => void;
}) {
  const automation = useMetric<AutomationRow>('automation', filters);
  const sla = useMetric<SlaRow>('sla', filters);
  const auto = automation.data?.data[0];
  const review = sla.data?.data.find((r) => r.sla === 'review');
  const cards = [
    {
      id: 'return-rate',
      label: 'Return rate',
      value: total ? formatPercent(total.sold > 0 ? total.returned / total.sold : null) : '…',
      note: total ? `${formatCount(total.returned)} of ${formatCount(total.sold)} units` : '',
    },
    {
      id: 'automation-rate',
      label: 'Decided by the policy',
      value: auto ? formatPercent(auto.automationRate) : '…',
      note: auto
        ? `${formatCount(auto.autoDecided)} automatic, ${formatCount(auto.peopleDecided)} by people`
        : '',
    },
    {
      id: 'review-sla',
      label: 'Reviews within 24 h',
      value: review ? formatPercent(review.compliance) : '…',
      note: review ? `${formatCount(review.met)} of ${formatCount(review.total)}` : '',
    },
  ];
  return (
    <SimpleGrid
      cols={{ base: 1, xs: 3 }}
      spacing="sm"
      component="dl"
      className="analytics-kpis"
      data-testid="kpis"
    >
      {cards.map((c) => (
        <Paper key={c.id} withBorder p="sm" radius="md" data-testid={`kpi-${c.id}`}>
          <Text component="dt" size="sm" c="dimmed">
            {c.label}
          </Text>
          <Text component="dd" fz="xl" fw={700} m={0} data-testid="kpi-value">
            {c.value}
          </Text>
          <Text component="dd" size="xs" c="dimmed" m={0}>
            {c.note}
            {c.id === 'return-rate' && total && total.returned > 0 && (
              <>
                {' · '}
                <Anchor component="button" type="button" size="xs" onClick={onDrill}>
                  Show returns
                </Anchor>
              </>
            )}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

function TrendPanel({
  filters,
  trend,
  update,
  onDrill,
}: {
  filters: Filters;
  trend: 'week' | 'month';
  update: (c: Record<string, string | null>) => void;
  onDrill: (d: Drill) => void;
}) {
  const q = useMetric<RateRow>('return-rate', filters, { groupBy: trend });
  const drillTo = (key: string) => {
    const p = periodDays(key);
    onDrill({
      by: 'period',
      from: [p.from, filters.from].sort()[1]!,
      to: [p.to, filters.to].sort()[0]!,
    });
  };
  return (
    <Panel
      id="trend"
      title="Return-rate trend"
      testId="panel-trend"
      csv={csvHref('return-rate', filters, { groupBy: trend })}
    >
      <SegmentedControl
        aria-label="Group the trend by"
        size="xs"
        w="fit-content"
        value={trend}
        onChange={(v) => update({ trend: v === 'month' ? 'month' : null })}
        data={[
          { value: 'week', label: 'By week' },
          { value: 'month', label: 'By month' },
        ]}
      />
      <QueryView query={q} label="the trend">
        {(d) =>
          d.data.length === 0 ? (
            <Text size="sm">No sales or returns in this period.</Text>
          ) : (
            <>
              <ChartBox
                label={`Line chart of the return rate by ${trend}, from ${d.data[0]?.key} to ${d.data.at(-1)?.key}; the numbers are in the table below.`}
              >
                <LineChart
                  h={240}
                  data={d.data.map((r) => ({ period: r.key, rate: (r.returnRate ?? 0) * 100 }))}
                  dataKey="period"
                  series={[{ name: 'rate', label: 'Return rate', color: 'brand.7' }]}
                  valueFormatter={pctAxis}
                  curveType="linear"
                  accessibilityLayer={false}
                  lineChartProps={{
                    onClick: (s) => {
                      const row = d.data[Number(s.activeTooltipIndex)];
                      if (row) drillTo(row.key);
                    },
                  }}
                />
              </ChartBox>
              <details className="analytics-details">
                <summary>Trend as a table</summary>
                <RateTable
                  rows={d.data}
                  keyLabel={trend === 'week' ? 'Week of' : 'Month'}
                  onDrill={drillTo}
                  testId="trend-table"
                />
              </details>
            </>
          )
        }
      </QueryView>
    </Panel>
  );
}

function RatePanel({
  id,
  title,
  group,
  filters,
  onDrill,
  description,
}: {
  id: string;
  title: string;
  group: 'category' | 'sku';
  filters: Filters;
  onDrill: (key: string) => void;
  description?: string;
}) {
  const q = useMetric<RateRow>('return-rate', filters, { groupBy: group });
  return (
    <Panel
      id={id}
      title={title}
      testId={`panel-${id}`}
      csv={csvHref('return-rate', filters, { groupBy: group })}
      description={description}
    >
      <QueryView query={q} label={title}>
        {(d) => {
          const rows =
            group === 'sku'
              ? d.data.filter((r) => r.unitsSold >= TOP_SKU_MIN_SOLD).slice(0, TOP_SKUS)
              : d.data.filter((r) => r.unitsSold > 0 || r.unitsReturned > 0);
          if (rows.length === 0) return <Text size="sm">Nothing sold in this period.</Text>;
          return (
            <>
              <ChartBox
                label={`Bar chart of the return rate by ${group}; the numbers are in the table below.`}
                height={group === 'sku' ? 320 : 240}
              >
                <BarChart
                  h={group === 'sku' ? 320 : 240}
                  data={rows.map((r) => ({ key: r.key, rate: (r.returnRate ?? 0) * 100 }))}
                  dataKey="key"
                  orientation="vertical"
                  yAxisProps={{ width: group === 'sku' ? 110 : 90, interval: 0 }}
                  series={[{ name: 'rate', label: 'Return rate', color: 'brand.7' }]}
                  valueFormatter={pctAxis}
                  accessibilityLayer={false}
                  barChartProps={{
                    onClick: (s) => {
                      const row = rows[Number(s.activeTooltipIndex)];
                      if (row) onDrill(row.key);
                    },
                  }}
                />
              </ChartBox>
              <RateTable
                rows={rows}
                keyLabel={group === 'sku' ? 'SKU' : 'Category'}
                onDrill={onDrill}
                testId={`${id}-table`}
              />
            </>
          );
        }}
      </QueryView>
    </Panel>
  );
}

function ReasonsPanel({ filters, onDrill }: { filters: Filters; onDrill: (reason: string) => void }) {
  const q = useMetric<ReasonRow>('reasons', filters);
  return (
    <Panel id="reasons" title="Reason mix" testId="panel-reasons" csv={csvHref('reasons', filters)}>
      <QueryView query={q} label="the reasons">
        {(d) =>
          d.data.length === 0 ? (
            <Text size="sm">No returns in this period.</Text>
          ) : (
            <>
              <ChartBox label="Bar chart of the share of returned units per reason; the numbers are in the table below.">
                <BarChart
                  h={240}
                  data={d.data.map((r) => ({ reason: humanize(r.reasonCode), share: r.share * 100 }))}
                  dataKey="reason"
                  orientation="vertical"
                  yAxisProps={{ width: 110, interval: 0 }}
                  series={[{ name: 'share', label: 'Share of units', color: 'teal.8' }]}
                  valueFormatter={pctAxis}
                  accessibilityLayer={false}
                  barChartProps={{
                    onClick: (s) => {
                      const row = d.data[Number(s.activeTooltipIndex)];
                      if (row) onDrill(row.reasonCode);
                    },
                  }}
                />
              </ChartBox>
              <div className="admin-table-scroll">
                <Table striped withTableBorder data-testid="reasons-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">Reason</Table.Th>
                      <Table.Th scope="col" ta="right">
                        Return lines
                      </Table.Th>
                      <Table.Th scope="col" ta="right">
                        Units
                      </Table.Th>
                      <Table.Th scope="col" ta="right">
                        Share
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {d.data.map((r) => (
                      <Table.Tr key={r.reasonCode} data-testid="reason-row" data-key={r.reasonCode}>
                        <Table.Th scope="row" fw={400}>
                          <Anchor
                            component="button"
                            type="button"
                            size="sm"
                            onClick={() => onDrill(r.reasonCode)}
                            aria-label={`Show the returns for ${humanize(r.reasonCode)}`}
                          >
                            {humanize(r.reasonCode)}
                          </Anchor>
                        </Table.Th>
                        <Table.Td ta="right">{formatCount(r.returnLines)}</Table.Td>
                        <Table.Td ta="right" data-testid="units">
                          {formatCount(r.units)}
                        </Table.Td>
                        <Table.Td ta="right">{formatPercent(r.share)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </div>
            </>
          )
        }
      </QueryView>
    </Panel>
  );
}

function CostPanel({ filters, onDrill }: { filters: Filters; onDrill: () => void }) {
  const q = useMetric<CostRow>('refund-cost', filters);
  return (
    <Panel
      id="refund-cost"
      title="Refund cost and fees recovered"
      testId="panel-refund-cost"
      csv={csvHref('refund-cost', filters)}
      description="Per currency, never added across currencies."
    >
      <QueryView query={q} label="the refund cost">
        {(d) =>
          d.data.length === 0 ? (
            <Text size="sm">No refunds in this period.</Text>
          ) : (
            <div className="admin-table-scroll">
              <Table striped withTableBorder data-testid="cost-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Currency</Table.Th>
                    <Table.Th scope="col" ta="right">
                      Refunded
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      Fees recovered
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      Return lines
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {d.data.map((r) => (
                    <Table.Tr key={r.currency} data-testid="cost-row" data-key={r.currency}>
                      <Table.Th scope="row" fw={400}>
                        {r.currency}
                      </Table.Th>
                      <Table.Td ta="right" data-testid="refunded">
                        {formatMoney(r.refundAmount, r.currency, 'en')}
                      </Table.Td>
                      <Table.Td ta="right" data-testid="fees">
                        {formatMoney(r.feesRecovered, r.currency, 'en')}
                      </Table.Td>
                      <Table.Td ta="right">
                        <DrillNumber
                          n={r.returnLines}
                          onDrill={onDrill}
                          label={`Show the ${r.returnLines} return lines`}
                        >
                          {formatCount(r.returnLines)}
                        </DrillNumber>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </div>
          )
        }
      </QueryView>
    </Panel>
  );
}

function CyclePanel({ filters, onDrill }: { filters: Filters; onDrill: () => void }) {
  const q = useMetric<CycleRow>('cycle-times', filters);
  return (
    <Panel
      id="cycle-times"
      title="Cycle times"
      testId="panel-cycle-times"
      csv={csvHref('cycle-times', filters)}
      description="Half of the returns are faster than p50, nine in ten faster than p90."
    >
      <QueryView query={q} label="the cycle times">
        {(d) => (
          <div className="admin-table-scroll">
            <Table striped withTableBorder data-testid="cycle-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">From the request to</Table.Th>
                  <Table.Th scope="col" ta="right">
                    Returns
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    p50
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    p90
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.data.map((r) => (
                  <Table.Tr key={r.stage} data-testid="cycle-row" data-key={r.stage}>
                    <Table.Th scope="row" fw={400}>
                      {STAGES[r.stage]?.replace('Request → ', '') ?? humanize(r.stage)}
                    </Table.Th>
                    <Table.Td ta="right">
                      <DrillNumber
                        n={r.count}
                        onDrill={onDrill}
                        label={`Show the returns behind ${STAGES[r.stage] ?? r.stage}`}
                      >
                        {formatCount(r.count)}
                      </DrillNumber>
                    </Table.Td>
                    <Table.Td ta="right" data-testid="p50">
                      {formatHours(r.p50Hours)}
                    </Table.Td>
                    <Table.Td ta="right" data-testid="p90">
                      {formatHours(r.p90Hours)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        )}
      </QueryView>
    </Panel>
  );
}

function SlaPanel({ filters, onDrill }: { filters: Filters; onDrill: () => void }) {
  const q = useMetric<SlaRow>('sla', filters);
  const auto = useMetric<AutomationRow>('automation', filters);
  return (
    <div className="analytics-two">
      <Panel id="sla" title="SLA compliance" testId="panel-sla" csv={csvHref('sla', filters)}>
        <QueryView query={q} label="the SLA compliance">
          {(d) => (
            <div className="admin-table-scroll">
              <Table striped withTableBorder data-testid="sla-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Step</Table.Th>
                    <Table.Th scope="col" ta="right">
                      Target
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      Met
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      Compliance
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {d.data.map((r) => (
                    <Table.Tr key={r.sla} data-testid="sla-row" data-key={r.sla}>
                      <Table.Th scope="row" fw={400}>
                        {r.sla === 'review'
                          ? 'Review decided'
                          : r.sla === 'inspection'
                            ? 'Inspection done'
                            : r.sla}
                      </Table.Th>
                      <Table.Td ta="right">{r.targetHours} h</Table.Td>
                      <Table.Td ta="right">
                        <DrillNumber
                          n={r.total}
                          onDrill={onDrill}
                          label={`Show the returns behind the ${r.sla} SLA`}
                        >
                          {formatCount(r.met)} of {formatCount(r.total)}
                        </DrillNumber>
                      </Table.Td>
                      <Table.Td ta="right" data-testid="compliance">
                        {formatPercent(r.compliance)}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </div>
          )}
        </QueryView>
      </Panel>
      <Panel
        id="automation"
        title="Automation"
        testId="panel-automation"
        csv={csvHref('automation', filters)}
        description="Decided by the return policy alone vs by a person. Imported history has no decision record and is left out."
      >
        <QueryView query={auto} label="the automation rate">
          {(d) => (
            <div className="admin-table-scroll">
              <Table striped withTableBorder data-testid="automation-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">By the policy</Table.Th>
                    <Table.Th scope="col">By people</Table.Th>
                    <Table.Th scope="col">Automation rate</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {d.data.map((r) => (
                    <Table.Tr key="automation">
                      <Table.Td>{formatCount(r.autoDecided)}</Table.Td>
                      <Table.Td>{formatCount(r.peopleDecided)}</Table.Td>
                      <Table.Td data-testid="automation-rate">
                        <DrillNumber
                          n={r.autoDecided + r.peopleDecided}
                          onDrill={onDrill}
                          label="Show the returns behind the automation rate"
                        >
                          {formatPercent(r.automationRate)}
                        </DrillNumber>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </div>
          )}
        </QueryView>
      </Panel>
    </div>
  );
}
