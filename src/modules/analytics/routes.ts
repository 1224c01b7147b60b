import { Transform } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type TSchema, Type } from 'typebox';
import { spreadsheetCsv } from '../../platform/csv.ts';
import { AppError } from '../../platform/errors.ts';
import { access } from '../../platform/http/access.ts';
import { errorResponses, PageQuery } from '../../platform/http/schemas.ts';
import { type AppInstance, authOf } from '../../platform/http/server.ts';
import { readHistoryCsv } from './history-csv.ts';
import type { OrderRow, ReturnRow } from './history-rows.ts';
import type { AnalyticsService, MetricFilters } from './service.ts';

/** An import body may be large (history), but not unbounded. */
export const MAX_IMPORT_BYTES = 100 * 1_048_576;

const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD (UTC), a real calendar day' });
const Filters = {
  from: Type.Optional({ ...Day, description: 'First day, inclusive (default: 89 days before `to`).' }),
  to: Type.Optional({ ...Day, description: 'Last day, inclusive (default: today).' }),
  sku: Type.Optional(Type.String({ maxLength: 200, description: 'One SKU only.' })),
  category: Type.Optional(Type.String({ maxLength: 200 })),
  reason: Type.Optional(Type.String({ maxLength: 200, description: 'A reason code.' })),
  resolution: Type.Optional(Type.String({ maxLength: 50 })),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
};
const FilterQuery = Type.Object(Filters);
const Range = { from: Type.String(), to: Type.String() };
const Ratio = Type.Union([Type.Number(), Type.Null()]);

const table = <T extends TSchema>(row: T, extra: Record<string, TSchema> = {}) =>
  Type.Object({ ...Range, ...extra, data: Type.Array(row) });

const RateRow = Type.Object({
  key: Type.String({ description: 'The SKU, product title, category or period start.' }),
  unitsSold: Type.Integer(),
  unitsReturned: Type.Integer({ description: 'Units asked back, not rejected or cancelled.' }),
  returnLines: Type.Integer(),
  returnRate: Ratio,
});
const RankedRateRow = Type.Object({
  ...RateRow.properties,
  category: Type.String({
    description:
      "The SKU's category, whose rate it is shrunk toward ('' for other groupings: the whole shop's).",
  }),
  groupRate: Ratio,
  adjustedRate: {
    ...Ratio,
    description:
      'The rate shrunk toward the group’s: (returned + k × group rate) / (sold + k), k = `priorUnits`.',
  },
  rateLow: { ...Ratio, description: 'Lower end of the 95 % Wilson interval of `returnRate`.' },
  rateHigh: { ...Ratio, description: 'Upper end of the 95 % Wilson interval of `returnRate`.' },
});
const Basis = Type.Union([Type.Literal('request'), Type.Literal('order')], {
  description:
    '`request` (default): returns count on the day they were requested. `order`: against the day their order was placed, like its sales, so a period’s rate is the share of its own sales that came back (recent periods rise as returns arrive).',
});
const ReasonRow = Type.Object({
  reasonCode: Type.String(),
  returnLines: Type.Integer(),
  units: Type.Integer(),
  share: Type.Number(),
});
const CostRow = Type.Object({
  currency: Type.String(),
  refundAmount: Type.Integer({ description: 'Minor units refunded (refunded and closed returns).' }),
  feesRecovered: Type.Integer({ description: 'Restocking and return-shipping fees kept, minor units.' }),
  returnLines: Type.Integer(),
});
const AutomationRow = Type.Object({
  autoDecided: Type.Integer(),
  peopleDecided: Type.Integer(),
  automationRate: Ratio,
});
const CycleRow = Type.Object({
  stage: Type.String({ description: 'request_to_decision, request_to_received, request_to_refunded' }),
  count: Type.Integer(),
  p50Hours: Ratio,
  p90Hours: Ratio,
});
const SlaRow = Type.Object({
  sla: Type.String(),
  targetHours: Type.Integer(),
  met: Type.Integer(),
  total: Type.Integer(),
  compliance: Ratio,
});
const DrillRow = Type.Object({
  returnLineId: Type.String(),
  returnId: Type.String(),
  rmaNumber: Type.String(),
  requestedAt: Type.String(),
  sku: Type.String(),
  category: Type.String(),
  reasonCode: Type.String(),
  resolution: Type.String(),
  status: Type.String(),
  unitsRequested: Type.Integer(),
  currency: Type.String(),
  refundAmount: Type.Integer(),
});

const ImportResult = Type.Object({
  orders: Type.Integer(),
  lines: Type.Integer(),
  returns: Type.Integer(),
  created: Type.Integer(),
  unchanged: Type.Integer(),
});

/** CSV when asked (`?format=csv` or `Accept: text/csv`), JSON otherwise. */
function wantsCsv(request: FastifyRequest): boolean {
  const format = (request.query as { format?: string } | undefined)?.format;
  if (format) return format === 'csv';
  const accept = request.headers.accept ?? '';
  return /\btext\/csv\b/.test(accept) && !/\bapplication\/json\b/.test(accept);
}

function answer<T extends { data: object[] }>(
  request: FastifyRequest,
  reply: FastifyReply,
  name: string,
  result: T,
  row: TSchema,
) {
  if (!wantsCsv(request)) return result;
  // The columns of the row schema, so an empty table still has its header row; a BOM so
  // spreadsheet programs read the UTF-8 (titles and reasons in Chinese) correctly.
  const columns = Object.keys((row as { properties: Record<string, unknown> }).properties);
  const csv = spreadsheetCsv(result.data as Record<string, unknown>[], columns);
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}.csv"`)
    .send(csv);
}

export function registerAnalyticsRoutes(app: AppInstance, analytics: AnalyticsService): void {
  const csvNote = ' Add `?format=csv` (or `Accept: text/csv`) for the table as CSV.';

  app.get(
    '/api/v1/analytics/return-rate',
    {
      config: access.leads,
      schema: {
        tags: ['analytics'],
        summary: `Return rate (units returned / units sold) by SKU, product, category or period.${csvNote}`,
        description:
          "`groupBy=seller` groups by the order lines' upstream seller (purchasing agents; SKUs with none read `(no seller)`). Sales count on the day the order was placed; returns on the day they were requested, or with `basis=order` on their order's day. `rank=shrunk` (not for periods) ranks by the rate shrunk toward the SKU's category and adds the 95 % interval of each rate, so a SKU sold 11 times no longer tops the list by chance.",
        querystring: Type.Object({
          ...Filters,
          groupBy: Type.Optional(
            Type.Union(
              ['sku', 'product', 'category', 'seller', 'day', 'week', 'month'].map((g) => Type.Literal(g)),
            ),
          ),
          basis: Type.Optional(Basis),
          rank: Type.Optional(Type.Union([Type.Literal('rate'), Type.Literal('shrunk')])),
        }),
        response: {
          200: Type.Union([
            table(RankedRateRow, {
              groupBy: Type.String(),
              basis: Basis,
              rank: Type.Literal('shrunk'),
              priorUnits: Type.Integer({
                description: 'k: the pseudo-units at the group’s rate added to each row.',
              }),
            }),
            table(RateRow, { groupBy: Type.String(), basis: Basis }),
          ]),
          ...errorResponses(403),
        },
      },
    },
    async (request, reply) => {
      const q = request.query as MetricFilters & { rank?: 'rate' | 'shrunk' };
      const result = await analytics.returnRate(authOf(request).tenantId, q);
      return answer(request, reply, 'return-rate', result, q.rank === 'shrunk' ? RankedRateRow : RateRow);
    },
  );

  const simple = [
    ['reasons', 'Reason mix: return lines and units per reason code', ReasonRow, analytics.reasonMix],
    ['refund-cost', 'Refund cost and fees recovered, per currency', CostRow, analytics.refundCost],
    [
      'automation',
      'Automation rate: decided by the policy vs by people',
      AutomationRow,
      analytics.automation,
    ],
    [
      'cycle-times',
      'Cycle times p50/p90 from the request to decision, receipt and refund',
      CycleRow,
      analytics.cycleTimes,
    ],
    [
      'sla',
      'SLA compliance: reviews within 24 h, inspections within 48 h of receipt',
      SlaRow,
      analytics.slaCompliance,
    ],
  ] as const;
  for (const [path, summary, row, fn] of simple) {
    app.get(
      `/api/v1/analytics/${path}`,
      {
        config: access.leads,
        schema: {
          tags: ['analytics'],
          summary: `${summary}.${csvNote}`,
          querystring: FilterQuery,
          response: { 200: table(row), ...errorResponses(403) },
        },
      },
      async (request, reply) =>
        answer(request, reply, path, await fn(authOf(request).tenantId, request.query as MetricFilters), row),
    );
  }

  app.get(
    '/api/v1/analytics/returns',
    {
      config: access.leads,
      schema: {
        tags: ['analytics'],
        summary: `The return lines behind a number (drill-down), newest first.${csvNote}`,
        querystring: Type.Object({
          ...Filters,
          ...PageQuery,
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
          status: Type.Optional(Type.String({ maxLength: 50 })),
          basis: Type.Optional(
            Type.Union([Type.Literal('request'), Type.Literal('order')], {
              description:
                '`request` (default): returns requested in the range. `order`: returns of the orders placed in the range, whenever requested.',
            }),
          ),
        }),
        response: {
          200: Type.Object({
            data: Type.Array(DrillRow),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses(403),
        },
      },
    },
    async (request, reply) =>
      answer(
        request,
        reply,
        'returns',
        await analytics.drillDown(authOf(request).tenantId, request.query),
        DrillRow,
      ),
  );

  app.post(
    '/api/v1/analytics/rollups/recompute',
    {
      config: access.admin,
      schema: {
        tags: ['analytics'],
        summary: 'Rebuild the rollups from the orders and returns (they are kept up to date by themselves)',
        response: { 200: Type.Object({ ok: Type.Boolean() }), ...errorResponses(403) },
      },
    },
    async (request) => {
      await analytics.recomputeRollups(authOf(request).tenantId);
      return { ok: true };
    },
  );

  app.register(async (scope: AppInstance) => {
    // The CSV body is handed over as a stream: rows are parsed as they arrive, never held as text.
    scope.addContentTypeParser('text/csv', (_req, payload, done) =>
      done(null, limitBytes(payload, MAX_IMPORT_BYTES)),
    );
    scope.post(
      '/api/v1/analytics/import',
      {
        config: access.admin,
        bodyLimit: MAX_IMPORT_BYTES,
        schema: {
          tags: ['analytics'],
          summary:
            'Import order and return history: JSON `{orders, returns}` in one request, or one CSV file per request (`Content-Type: text/csv`, `?file=orders` first, then `?file=returns`)',
          description:
            'Idempotent by external ids; every row is checked first and nothing is written when any row is wrong (422 `import_invalid`, `details: [{file, row, field, message}]`, at most 100; CSV rows are numbered with the header as row 1). Each request is one transaction. At most 100 MB.',
          querystring: Type.Object({
            file: Type.Optional(Type.Union([Type.Literal('orders'), Type.Literal('returns')])),
          }),
          body: Type.Unknown(),
          response: { 200: ImportResult, ...errorResponses(403, 413, 415, 422) },
        },
      },
      async (request) => {
        const { tenantId } = authOf(request);
        const type = String(request.headers['content-type'] ?? '');
        if (type.startsWith('text/csv')) {
          const file = request.query.file;
          if (!file)
            throw new AppError(
              400,
              'file_required',
              'Say which file the CSV is: ?file=orders or ?file=returns.',
            );
          const rows = readHistoryCsv(request.body as NodeJS.ReadableStream as never, file);
          return analytics.importHistory(
            tenantId,
            file === 'orders'
              ? { orders: rows as AsyncIterable<OrderRow>, returns: [] }
              : { orders: [], returns: rows as AsyncIterable<ReturnRow> },
            { firstRow: 2 },
          );
        }
        const body = request.body as { orders?: unknown; returns?: unknown } | null;
        if (
          !body ||
          typeof body !== 'object' ||
          (!Array.isArray(body.orders) && !Array.isArray(body.returns))
        )
          throw new AppError(
            400,
            'validation_failed',
            'Send {"orders": [...], "returns": [...]} or a CSV file.',
          );
        return analytics.importHistory(tenantId, {
          orders: (Array.isArray(body.orders) ? body.orders : []) as OrderRow[],
          returns: (Array.isArray(body.returns) ? body.returns : []) as ReturnRow[],
        });
      },
    );
  });
}

/** Passes a stream through, failing with 413 once it has carried more than `max` bytes. */
function limitBytes(input: NodeJS.ReadableStream, max: number) {
  let seen = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > max)
        cb(new AppError(413, 'payload_too_large', `The file is larger than ${max / 1_048_576} MB.`));
      else cb(null, chunk);
    },
  });
  input.on('error', (e) => t.destroy(e));
  return input.pipe(t);
}
