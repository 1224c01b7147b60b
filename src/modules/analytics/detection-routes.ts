import { Type } from 'typebox';
import { access } from '../../platform/http/access.ts';
import { errorResponses, IdParams } from '../../platform/http/schemas.ts';
import { type AppInstance, authOf } from '../../platform/http/server.ts';
import type { RiskService } from './detection-risk.ts';
import type { DetectionService } from './detection-service.ts';

const AsOf = Type.String({
  format: 'date',
  description: 'YYYY-MM-DD: answer from data up to the end of this day (UTC) only.',
});

const Phrase = Type.Object({ phrase: Type.String(), count: Type.Integer(), lift: Type.Number() });

const Alert = Type.Object({
  id: Type.Union([Type.String(), Type.Null()], {
    description: 'Null for a point-in-time answer (nothing stored).',
  }),
  sku: Type.String(),
  category: Type.String(),
  kind: Type.String({
    description: '`return_rate`, `reason:<code>` or `complaints` (a new phrase in the notes)',
  }),
  status: Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('computed')]),
  since: Type.String({ description: 'First day of the excess (change-point estimate), YYYY-MM-DD.' }),
  confidence: Type.Number({ description: '1 − q-value (Benjamini–Hochberg over every SKU × kind tested).' }),
  pValue: Type.Number(),
  qValue: Type.Number(),
  change: Type.Object({
    before: Type.Number({ description: 'Return rate per unit at risk before (shrunk baseline).' }),
    now: Type.Number({ description: 'Return rate in the recent window.' }),
    lift: Type.Number({ description: 'now ÷ the higher of the baseline and the category.' }),
  }),
  evidence: Type.Unknown({ description: 'Counts of both windows, baseline and category rates, tests run.' }),
  phrases: Type.Array(Phrase, { description: 'Top complaint phrases of the SKU since the excess began.' }),
  asOf: Type.String(),
  firstDetectedAt: Type.Union([Type.String(), Type.Null()]),
  lastDetectedAt: Type.Union([Type.String(), Type.Null()]),
  resolvedAt: Type.Union([Type.String(), Type.Null()]),
  link: Type.Union([Type.String(), Type.Null()]),
});

const Theme = Type.Object({
  phrase: Type.String(),
  count: Type.Integer({ description: 'Notes of the SKU/category with the phrase.' }),
  baselineCount: Type.Integer({ description: 'Notes of the rest of the tenant with it.' }),
  share: Type.Number(),
  lift: Type.Number({ description: 'Smoothed ratio of the two shares.' }),
  g2: Type.Number({ description: 'Log-likelihood ratio (G²).' }),
  pValue: Type.Number(),
  variants: Type.Array(Type.Object({ phrase: Type.String(), count: Type.Integer() })),
});

const ModelRun = Type.Object({
  id: Type.String(),
  trainedAt: Type.String(),
  asOf: Type.String(),
  trainCount: Type.Integer(),
  testCount: Type.Integer(),
  auc: Type.Union([Type.Number(), Type.Null()], { description: 'Area under the ROC curve on the holdout.' }),
  brier: Type.Union([Type.Number(), Type.Null()]),
  baselineBrier: Type.Number({ description: 'Brier score of always predicting the training rate.' }),
  positives: Type.Integer(),
  holdoutFrom: Type.String({ description: 'Orders placed from here on were held out for testing.' }),
  maturityDays: Type.Integer({ description: 'Younger orders were left out (not had time to come back).' }),
  calibration: Type.Array(
    Type.Object({
      from: Type.Number(),
      to: Type.Number(),
      count: Type.Integer(),
      predicted: Type.Number(),
      observed: Type.Number(),
    }),
  ),
  intercept: Type.Number(),
  featureWeights: Type.Array(Type.Object({ feature: Type.String(), weight: Type.Number() })),
});

const Score = Type.Object({
  orderId: Type.String(),
  orderNumber: Type.String(),
  placedAt: Type.String(),
  probability: Type.Number({ description: 'Chance that at least one line is returned.' }),
  lines: Type.Array(Type.Object({ lineId: Type.String(), sku: Type.String(), probability: Type.Number() })),
});

export function registerDetectionRoutes(
  app: AppInstance,
  deps: { detection: DetectionService; risk: RiskService },
): void {
  const { detection, risk } = deps;

  app.get(
    '/api/v1/analytics/alerts',
    {
      config: access.leads,
      schema: {
        tags: ['analytics'],
        summary:
          'Early-warning alerts: the stored ones, or — with asOf — as they would have stood on that day',
        description:
          'Without `asOf`: the stored alerts (open and resolved), newest first, paginated. With `asOf`: computed from orders placed and returns requested up to the end of that day only; nothing is stored.',
        querystring: Type.Object(
          {
            asOf: Type.Optional(AsOf),
            status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('resolved')])),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
            cursor: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            asOf: Type.Optional(Type.String()),
            testsRun: Type.Optional(Type.Integer()),
            data: Type.Array(Alert),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses(403),
        },
      },
    },
    async (request) => {
      const { tenantId } = authOf(request);
      const q = request.query;
      if (q.asOf) return { ...(await detection.alertsAsOf(tenantId, q.asOf)), nextCursor: null };
      return detection.listAlerts(tenantId, {
        ...(q.status ? { status: q.status } : {}),
        ...(q.limit ? { limit: q.limit } : {}),
        ...(q.cursor ? { cursor: q.cursor } : {}),
      });
    },
  );

  app.get(
    '/api/v1/analytics/alerts/:id',
    {
      config: access.leads,
      schema: {
        tags: ['analytics'],
        summary: 'One alert with its evidence',
        params: IdParams,
        response: { 200: Alert, ...errorResponses(403, 404) },
      },
    },
    async (request) => detection.getAlert(authOf(request).tenantId, request.params.id),
  );

  app.post(
    '/api/v1/analytics/alerts/detect',
    {
      config: access.admin,
      schema: {
        tags: ['analytics'],
        summary: 'Run detection now (the daily job does this by itself) and update the stored alerts',
        body: Type.Object({ asOf: Type.Optional(AsOf) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            asOf: Type.String(),
            opened: Type.Array(Type.String()),
            updated: Type.Integer(),
            resolved: Type.Integer(),
            notified: Type.Integer(),
          }),
          ...errorResponses(403),
        },
      },
    },
    async (request) => detection.runDetection(authOf(request).tenantId, request.body.asOf),
  );

  app.get(
    '/api/v1/analytics/themes',
    {
      config: access.leads,
      schema: {
        tags: ['analytics'],
        summary: 'Complaint phrases over-represented in the return notes of a SKU or category',
        querystring: Type.Object(
          {
            sku: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            category: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            asOf: Type.Optional(AsOf),
            days: Type.Optional(Type.Integer({ minimum: 1, maximum: 730, default: 365 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            asOf: Type.String(),
            from: Type.String(),
            sku: Type.Optional(Type.String()),
            category: Type.Optional(Type.String()),
            notes: Type.Integer(),
            referenceNotes: Type.Integer(),
            data: Type.Array(Theme),
          }),
          ...errorResponses(403),
        },
      },
    },
    async (request) => {
      const q = request.query;
      return detection.themes(authOf(request).tenantId, {
        ...(q.sku ? { sku: q.sku } : {}),
        ...(q.category ? { category: q.category } : {}),
        ...(q.asOf ? { asOf: q.asOf } : {}),
        ...(q.days ? { days: q.days } : {}),
        ...(q.limit ? { limit: q.limit } : {}),
      });
    },
  );

  app.get(
    '/api/v1/analytics/risk-model',
    {
      config: access.leads,
      schema: {
        tags: ['analytics'],
        summary: 'The latest return-risk model: AUC and calibration on a time-based holdout, feature weights',
        response: { 200: ModelRun, ...errorResponses(403, 404) },
      },
    },
    async (request) => risk.latestModel(authOf(request).tenantId),
  );

  app.post(
    '/api/v1/analytics/risk-model/train',
    {
      config: access.admin,
      schema: {
        tags: ['analytics'],
        summary: 'Train the return-risk model on the history up to asOf (default today)',
        body: Type.Object({ asOf: Type.Optional(AsOf) }, { additionalProperties: false }),
        response: { 200: ModelRun, ...errorResponses(403, 422) },
      },
    },
    async (request) => risk.train(authOf(request).tenantId, request.body.asOf),
  );

  app.get(
    '/api/v1/analytics/risk',
    {
      config: access.leads,
      schema: {
        tags: ['analytics'],
        summary: 'Probability of return: one order (orderId), or open orders highest first',
        querystring: Type.Object(
          {
            orderId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ model: Type.String(), data: Type.Array(Score) }),
          ...errorResponses(403, 404, 422),
        },
      },
    },
    async (request) => {
      const { tenantId } = authOf(request);
      if (request.query.orderId) {
        const { model, ...score } = await risk.scoreOrder(tenantId, request.query.orderId);
        return { model, data: [score] };
      }
      return risk.scoreOpenOrders(tenantId, { limit: request.query.limit ?? 50 });
    },
  );
}
