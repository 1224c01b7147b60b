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
import { useI18n } from '../../../lib/i18n/i18n-provider.tsx';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import {
  type AutomationRow,
  type CostRow,
  type CycleRow,
  type Filters,
  type RankedRateRow,
  type RateRow,
  type ReasonRow,
  type SlaRow,
  useMetric,
} from '../api/analytics-api.ts';
import { DrillDown } from './drill-down.tsx';
import { addDays, humanize, periodDays, today } from './format.ts';
import { ChartBox, DrillNumber, MetricPanel, MetricTable, NoHistory, RateTable } from './parts.tsx';
import { useAnalyticsFormat } from './use-analytics-format.ts';
import { type Drill, drillParam, PRESETS, useFilters } from './use-filters.ts';

const RESOLUTIONS = ['refund', 'store_credit', 'exchange', 'replacement', 'repair', 'keep_item'];
/** Top SKUs leave out the ones sold too rarely for their rate to mean anything (1 of 1 = 100%). */
export const TOP_SKU_MIN_SOLD = 10;
/**
 * Every return rate of the page counts returns against the day their order was placed, like the
 * sales they are divided by: counted by request day, the returns of last week's orders land in a
 * week without sales, and a trend of the demo's data read 0 % while the headline read 89.5 %.
 */
const ORDER_BASIS = { basis: 'order' } as const;
export const TOP_SKUS = 15;
// The cycle-time stages the API reports; another one shows as its code.
const STAGES = {
  request_to_decision: 'analytics.cycle.stage.request_to_decision',
  request_to_received: 'analytics.cycle.stage.request_to_received',
  request_to_refunded: 'analytics.cycle.stage.request_to_refunded',
} as const;
const stageKey = (stage: string) => (stage in STAGES ? STAGES[stage as keyof typeof STAGES] : null);

/** `/admin/analytics`: return rates, reasons, cost and speed over a period, each down to its returns. */
export function OverviewPage() {
  const { t } = useI18n();
  useDocumentTitle(t('analytics.overview.docTitle'), 'Returnflow');
  const { filters, trend, drill, update } = useFilters();
  const openDrill = (d: Drill) => update({ drill: drillParam(d) });
  const byCategory = useMetric<RateRow>('return-rate', filters, { groupBy: 'category', ...ORDER_BASIS });
  const total = byCategory.data?.data.reduce(
    (a, r) => ({ sold: a.sold + r.unitsSold, returned: a.returned + r.unitsReturned }),
    { sold: 0, returned: 0 },
  );
  const empty = total !== undefined && total.sold === 0 && total.returned === 0;

  return (
    <Stack gap="md" data-testid="analytics-overview">
      <h1 className="admin-h1">{t('analytics.overview.title')}</h1>
      <FilterBar filters={filters} update={update} />
      {empty && <NoHistory />}
      <Summary filters={filters} total={total} onDrill={() => openDrill({ by: 'ordered' })} />
      {drill && <DrillDown filters={filters} drill={drill} onClose={() => update({ drill: null })} />}
      <TrendPanel filters={filters} trend={trend} update={update} onDrill={openDrill} />
      <div className="analytics-two">
        <RatePanel
          id="by-category"
          title={t('analytics.byCategory.title')}
          group="category"
          filters={filters}
          onDrill={(value) => openDrill({ by: 'category', value })}
        />
        <ReasonsPanel filters={filters} onDrill={(value) => openDrill({ by: 'reason', value })} />
      </div>
      <RatePanel
        id="top-skus"
        title={t('analytics.topSkus.title')}
        group="sku"
        filters={filters}
        onDrill={(value) => openDrill({ by: 'sku', value })}
        description={t('analytics.topSkus.description', { top: TOP_SKUS, min: TOP_SKU_MIN_SOLD })}
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
  const { t } = useI18n();
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
      aria-label={t('analytics.filters.label')}
      withBorder
      p="md"
      radius="md"
      onSubmit={(e) => e.preventDefault()}
    >
      <Stack gap="sm">
        <Group gap="xs" wrap="wrap" aria-label={t('analytics.filters.presets')} role="group">
          <Text size="sm" fw={600}>
            {t('analytics.filters.period')}
          </Text>
          {PRESETS.map((n) => (
            <Button
              key={n}
              size="xs"
              variant={isToday && days === n ? 'filled' : 'default'}
              aria-pressed={isToday && days === n}
              onClick={() => update({ from: addDays(today(), -(n - 1)), to: today(), drill: null })}
            >
              {t('analytics.filters.lastDays', { n })}
            </Button>
          ))}
        </Group>
        <div className="analytics-filters">
          <TextInput
            type="date"
            label={t('analytics.filters.from')}
            value={filters.from}
            max={filters.to}
            onChange={(e) => e.currentTarget.value && update({ from: e.currentTarget.value, drill: null })}
          />
          <TextInput
            type="date"
            label={t('analytics.filters.to')}
            value={filters.to}
            min={filters.from}
            onChange={(e) => e.currentTarget.value && update({ to: e.currentTarget.value, drill: null })}
          />
          <NativeSelect
            label={t('analytics.filters.category')}
            value={filters.category ?? ''}
            data={[
              { value: '', label: t('analytics.filters.allCategories') },
              ...keep(categoryOptions, filters.category),
            ]}
            onChange={(e) => update({ category: e.currentTarget.value, drill: null })}
          />
          <NativeSelect
            label={t('analytics.filters.reason')}
            value={filters.reason ?? ''}
            data={[
              { value: '', label: t('analytics.filters.allReasons') },
              ...keep(reasonOptions, filters.reason).map((r) => ({ value: r, label: humanize(r) })),
            ]}
            onChange={(e) => update({ reason: e.currentTarget.value, drill: null })}
          />
          <NativeSelect
            label={t('analytics.filters.resolution')}
            value={filters.resolution ?? ''}
            data={[
              { value: '', label: t('analytics.filters.allResolutions') },
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
              {t('analytics.filters.clear')}
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
  const f = useAnalyticsFormat();
  const { t } = f;
  const automation = useMetric<AutomationRow>('automation', filters);
  const sla = useMetric<SlaRow>('sla', filters);
  const auto = automation.data?.data[0];
  const review = sla.data?.data.find((r) => r.sla === 'review');
  const cards = [
    {
      id: 'return-rate',
      label: t('analytics.kpi.returnRate'),
      value: total ? f.percent(total.sold > 0 ? total.returned / total.sold : null) : '…',
      note: total
        ? t('analytics.kpi.returnRateNote', { returned: f.count(total.returned), sold: f.count(total.sold) })
        : '',
    },
    {
      id: 'automation-rate',
      label: t('analytics.kpi.automation'),
      value: auto ? f.percent(auto.automationRate) : '…',
      note: auto
        ? t('analytics.kpi.automationNote', {
            auto: f.count(auto.autoDecided),
            people: f.count(auto.peopleDecided),
          })
        : '',
    },
    {
      id: 'review-sla',
      label: t('analytics.kpi.reviewSla'),
      value: review ? f.percent(review.compliance) : '…',
      note: review ? t('analytics.nOfM', { n: f.count(review.met), m: f.count(review.total) }) : '',
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
                  {t('analytics.kpi.showReturns')}
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
  const f = useAnalyticsFormat();
  const { t } = f;
  const drillTo = (key: string) => {
    const p = periodDays(key);
    onDrill({
      by: 'period',
      from: [p.from, filters.from].sort()[1]!,
      to: [p.to, filters.to].sort()[0]!,
    });
  };
  return (
    <MetricPanel<RateRow>
      id="trend"
      path="return-rate"
      filters={filters}
      extra={{ groupBy: trend, ...ORDER_BASIS }}
      title={t('analytics.trend.title')}
      description={t(trend === 'week' ? 'analytics.trend.basis.week' : 'analytics.trend.basis.month')}
      loadingLabel={t('analytics.what.trend')}
      controls={
        <SegmentedControl
          aria-label={t('analytics.trend.groupBy')}
          size="xs"
          w="fit-content"
          value={trend}
          onChange={(v) => update({ trend: v === 'month' ? 'month' : null })}
          data={[
            { value: 'week', label: t('analytics.trend.byWeek') },
            { value: 'month', label: t('analytics.trend.byMonth') },
          ]}
        />
      }
    >
      {(d) =>
        d.data.length === 0 ? (
          <Text size="sm">{t('analytics.trend.empty')}</Text>
        ) : (
          <>
            <ChartBox
              label={t(trend === 'week' ? 'analytics.trend.chart.week' : 'analytics.trend.chart.month', {
                from: d.data[0]?.key ?? '',
                to: d.data.at(-1)?.key ?? '',
              })}
            >
              <LineChart
                h={240}
                // A period without sales has no rate: a gap in the line, not a drop to 0 %.
                data={d.data.map((r) => ({
                  period: r.key,
                  rate: r.returnRate === null ? null : r.returnRate * 100,
                }))}
                dataKey="period"
                series={[{ name: 'rate', label: t('analytics.col.returnRate'), color: 'brand.7' }]}
                valueFormatter={f.percentAxis}
                connectNulls={false}
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
              <summary>{t('analytics.trend.asTable')}</summary>
              <RateTable
                rows={d.data}
                keyLabel={trend === 'week' ? t('analytics.col.weekOf') : t('analytics.col.month')}
                onDrill={drillTo}
                testId="trend-table"
              />
            </details>
          </>
        )
      }
    </MetricPanel>
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
  const f = useAnalyticsFormat();
  const { t } = f;
  const ranked = group === 'sku';
  return (
    <MetricPanel<RankedRateRow>
      id={id}
      path="return-rate"
      filters={filters}
      extra={{ groupBy: group, ...ORDER_BASIS, ...(ranked ? { rank: 'shrunk' } : {}) }}
      title={title}
      description={description}
      loadingLabel={title}
    >
      {(d) => {
        const rows = ranked
          ? d.data.filter((r) => r.unitsSold >= TOP_SKU_MIN_SOLD).slice(0, TOP_SKUS)
          : d.data.filter((r) => r.unitsSold > 0 || r.unitsReturned > 0);
        if (rows.length === 0) {
          const most = Math.max(0, ...d.data.map((r) => r.unitsSold));
          return (
            <Text size="sm" data-testid={`${id}-empty`}>
              {ranked && most > 0
                ? t('analytics.topSkus.empty', { min: f.count(TOP_SKU_MIN_SOLD), most: f.count(most) })
                : t('analytics.rate.empty')}
            </Text>
          );
        }
        const height = barsHeight(rows.length);
        return (
          <>
            <ChartBox
              label={t(ranked ? 'analytics.rate.chart.sku' : 'analytics.rate.chart.category')}
              height={height}
            >
              <BarChart
                h={height}
                data={rows.map((r) => ({
                  key: r.key,
                  rate: (r.returnRate ?? 0) * 100,
                  ...(ranked ? { adjusted: (r.adjustedRate ?? 0) * 100 } : {}),
                }))}
                dataKey="key"
                orientation="vertical"
                yAxisProps={axisProps(rows.map((r) => r.key))}
                series={[
                  { name: 'rate', label: t('analytics.col.returnRate'), color: 'brand.7' },
                  ...(ranked
                    ? [{ name: 'adjusted', label: t('analytics.col.adjustedRate'), color: 'orange.8' }]
                    : []),
                ]}
                withLegend={ranked}
                valueFormatter={f.percentAxis}
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
              keyLabel={ranked ? t('analytics.col.sku') : t('analytics.col.category')}
              onDrill={onDrill}
              testId={`${id}-table`}
              ranked={ranked ? { priorUnits: d.priorUnits ?? 0 } : undefined}
            />
          </>
        );
      }}
    </MetricPanel>
  );
}

/** A bar chart tall enough for its rows: each label on its own line, never over its neighbour. */
function barsHeight(rows: number): number {
  return Math.max(160, rows * 28 + 60);
}

/** Labels longer than this are cut with "…" on the axis (the table beside the chart has them whole). */
const AXIS_CHARS = 24;

/**
 * A category axis with room for its longest label on one line ("changed mind", "not as
 * described"): squeezed, Recharts wraps a label onto two lines that run into the next one.
 */
export function axisProps(labels: string[]) {
  const longest = Math.min(AXIS_CHARS, Math.max(0, ...labels.map((l) => l.length)));
  return {
    width: Math.max(60, Math.ceil(longest * 7.5) + 16),
    interval: 0,
    tickFormatter: (v: string) => (v.length > AXIS_CHARS ? `${v.slice(0, AXIS_CHARS - 1)}…` : v),
  };
}

function ReasonsPanel({ filters, onDrill }: { filters: Filters; onDrill: (reason: string) => void }) {
  const f = useAnalyticsFormat();
  const { t } = f;
  return (
    <MetricPanel<ReasonRow>
      id="reasons"
      path="reasons"
      filters={filters}
      title={t('analytics.reasons.title')}
      loadingLabel={t('analytics.what.reasons')}
    >
      {(d) =>
        d.data.length === 0 ? (
          <Text size="sm">{t('analytics.reasons.empty')}</Text>
        ) : (
          <>
            <ChartBox label={t('analytics.reasons.chart')} height={barsHeight(d.data.length)}>
              <BarChart
                h={barsHeight(d.data.length)}
                data={d.data.map((r) => ({ reason: humanize(r.reasonCode), share: r.share * 100 }))}
                dataKey="reason"
                orientation="vertical"
                yAxisProps={axisProps(d.data.map((r) => humanize(r.reasonCode)))}
                series={[{ name: 'share', label: t('analytics.reasons.shareOfUnits'), color: 'teal.8' }]}
                valueFormatter={f.percentAxis}
                accessibilityLayer={false}
                barChartProps={{
                  onClick: (s) => {
                    const row = d.data[Number(s.activeTooltipIndex)];
                    if (row) onDrill(row.reasonCode);
                  },
                }}
              />
            </ChartBox>
            <MetricTable
              testId="reasons-table"
              columns={[
                { label: t('analytics.col.reason') },
                { label: t('analytics.col.returnLines'), num: true },
                { label: t('analytics.col.units'), num: true },
                { label: t('analytics.col.share'), num: true },
              ]}
            >
              {d.data.map((r) => (
                <Table.Tr key={r.reasonCode} data-testid="reason-row" data-key={r.reasonCode}>
                  <Table.Th scope="row" fw={400}>
                    <Anchor
                      component="button"
                      type="button"
                      size="sm"
                      onClick={() => onDrill(r.reasonCode)}
                      aria-label={t('analytics.reasons.drill', { reason: humanize(r.reasonCode) })}
                    >
                      {humanize(r.reasonCode)}
                    </Anchor>
                  </Table.Th>
                  <Table.Td ta="right">{f.count(r.returnLines)}</Table.Td>
                  <Table.Td ta="right" data-testid="units">
                    {f.count(r.units)}
                  </Table.Td>
                  <Table.Td ta="right">{f.percent(r.share)}</Table.Td>
                </Table.Tr>
              ))}
            </MetricTable>
          </>
        )
      }
    </MetricPanel>
  );
}

function CostPanel({ filters, onDrill }: { filters: Filters; onDrill: () => void }) {
  const f = useAnalyticsFormat();
  const { t } = f;
  return (
    <MetricPanel<CostRow>
      id="refund-cost"
      path="refund-cost"
      filters={filters}
      title={t('analytics.cost.title')}
      description={t('analytics.cost.description')}
      loadingLabel={t('analytics.what.cost')}
    >
      {(d) =>
        d.data.length === 0 ? (
          <Text size="sm">{t('analytics.cost.empty')}</Text>
        ) : (
          <MetricTable
            testId="cost-table"
            columns={[
              { label: t('analytics.col.currency') },
              { label: t('analytics.col.refunded'), num: true },
              { label: t('analytics.col.feesRecovered'), num: true },
              { label: t('analytics.col.returnLines'), num: true },
            ]}
          >
            {d.data.map((r) => (
              <Table.Tr key={r.currency} data-testid="cost-row" data-key={r.currency}>
                <Table.Th scope="row" fw={400}>
                  {r.currency}
                </Table.Th>
                <Table.Td ta="right" data-testid="refunded">
                  {f.money(r.refundAmount, r.currency)}
                </Table.Td>
                <Table.Td ta="right" data-testid="fees">
                  {f.money(r.feesRecovered, r.currency)}
                </Table.Td>
                <Table.Td ta="right">
                  <DrillNumber
                    n={r.returnLines}
                    onDrill={onDrill}
                    label={t('analytics.cost.drill', { n: f.count(r.returnLines) })}
                  >
                    {f.count(r.returnLines)}
                  </DrillNumber>
                </Table.Td>
              </Table.Tr>
            ))}
          </MetricTable>
        )
      }
    </MetricPanel>
  );
}

function CyclePanel({ filters, onDrill }: { filters: Filters; onDrill: () => void }) {
  const f = useAnalyticsFormat();
  const { t } = f;
  return (
    <MetricPanel<CycleRow>
      id="cycle-times"
      path="cycle-times"
      filters={filters}
      title={t('analytics.cycle.title')}
      description={t('analytics.cycle.description')}
      loadingLabel={t('analytics.what.cycle')}
    >
      {(d) => (
        <MetricTable
          testId="cycle-table"
          columns={[
            { label: t('analytics.cycle.fromRequestTo') },
            { label: t('analytics.col.returns'), num: true },
            { label: 'p50', num: true },
            { label: 'p90', num: true },
          ]}
        >
          {d.data.map((r) => {
            const stage = stageKey(r.stage);
            return (
              <Table.Tr key={r.stage} data-testid="cycle-row" data-key={r.stage}>
                <Table.Th scope="row" fw={400}>
                  {stage ? t(`${stage}.short` as const) : humanize(r.stage)}
                </Table.Th>
                <Table.Td ta="right">
                  <DrillNumber
                    n={r.count}
                    onDrill={onDrill}
                    label={t('analytics.cycle.drill', { stage: stage ? t(stage) : r.stage })}
                  >
                    {f.count(r.count)}
                  </DrillNumber>
                </Table.Td>
                <Table.Td ta="right" data-testid="p50">
                  {f.hours(r.p50Hours)}
                </Table.Td>
                <Table.Td ta="right" data-testid="p90">
                  {f.hours(r.p90Hours)}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </MetricTable>
      )}
    </MetricPanel>
  );
}

function SlaPanel({ filters, onDrill }: { filters: Filters; onDrill: () => void }) {
  const f = useAnalyticsFormat();
  const { t } = f;
  return (
    <div className="analytics-two">
      <MetricPanel<SlaRow>
        id="sla"
        path="sla"
        filters={filters}
        title={t('analytics.sla.title')}
        loadingLabel={t('analytics.what.sla')}
      >
        {(d) => (
          <MetricTable
            testId="sla-table"
            columns={[
              { label: t('analytics.sla.step') },
              { label: t('analytics.sla.target'), num: true },
              { label: t('analytics.sla.met'), num: true },
              { label: t('analytics.sla.compliance'), num: true },
            ]}
          >
            {d.data.map((r) => (
              <Table.Tr key={r.sla} data-testid="sla-row" data-key={r.sla}>
                <Table.Th scope="row" fw={400}>
                  {r.sla === 'review'
                    ? t('analytics.sla.review')
                    : r.sla === 'inspection'
                      ? t('analytics.sla.inspection')
                      : r.sla}
                </Table.Th>
                <Table.Td ta="right">{t('analytics.unit.hours', { n: r.targetHours })}</Table.Td>
                <Table.Td ta="right">
                  <DrillNumber n={r.total} onDrill={onDrill} label={t('analytics.sla.drill', { sla: r.sla })}>
                    {t('analytics.nOfM', { n: f.count(r.met), m: f.count(r.total) })}
                  </DrillNumber>
                </Table.Td>
                <Table.Td ta="right" data-testid="compliance">
                  {f.percent(r.compliance)}
                </Table.Td>
              </Table.Tr>
            ))}
          </MetricTable>
        )}
      </MetricPanel>
      <MetricPanel<AutomationRow>
        id="automation"
        path="automation"
        filters={filters}
        title={t('analytics.automation.title')}
        description={t('analytics.automation.description')}
        loadingLabel={t('analytics.what.automation')}
      >
        {(d) => (
          <MetricTable
            testId="automation-table"
            columns={[
              { label: t('analytics.automation.byPolicy') },
              { label: t('analytics.automation.byPeople') },
              { label: t('analytics.automation.rate') },
            ]}
          >
            {d.data.map((r) => (
              <Table.Tr key="automation">
                <Table.Td>{f.count(r.autoDecided)}</Table.Td>
                <Table.Td>{f.count(r.peopleDecided)}</Table.Td>
                <Table.Td data-testid="automation-rate">
                  <DrillNumber
                    n={r.autoDecided + r.peopleDecided}
                    onDrill={onDrill}
                    label={t('analytics.automation.drill')}
                  >
                    {f.percent(r.automationRate)}
                  </DrillNumber>
                </Table.Td>
              </Table.Tr>
            ))}
          </MetricTable>
        )}
      </MetricPanel>
    </div>
  );
}
