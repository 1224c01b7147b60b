import { Type } from 'typebox';
import { AppError } from '../../platform/errors.ts';
import { access } from '../../platform/http/access.ts';
import { errorResponses, IdParams, Nullable, PageQuery } from '../../platform/http/schemas.ts';
import { type AppInstance, authOf } from '../../platform/http/server.ts';
import type { Actor } from '../returns/service.ts';
import { CLAIM_ACTIONS, type ClaimAction, type SourcingService } from './service.ts';
import { LINE_STAGES } from './stages.ts';
import type { Wallet } from './wallet.ts';

const Str = Type.String();
const Int = Type.Integer();

const StageEvent = Type.Object({
  fromStage: Nullable(Str),
  toStage: Str,
  at: Str,
  actor: Str,
  note: Nullable(Str),
});

const LineStageView = Type.Object({
  orderLineId: Str,
  orderId: Str,
  sku: Str,
  title: Str,
  seller: Nullable(Str),
  sellerOrderRef: Nullable(Str),
  stage: Str,
  stageAt: Nullable(Str),
  domesticDeliveredAt: Nullable(Str),
  qcAt: Nullable(Str),
  storageExpiresAt: Nullable(Str),
  nextStages: Type.Array(Str, {
    description: 'Every stage the line may move to now (skipping ahead is allowed).',
  }),
  usualNextStages: Type.Array(Str, {
    description: 'The step it normally takes next (both QC verdicts in the warehouse); empty when done.',
  }),
  history: Type.Array(StageEvent),
  returns: Type.Array(Type.Object({ id: Str, rmaNumber: Str, status: Str }), {
    description: "Returns filed on the line, newest first (a failed QC's return among them).",
  }),
});

const ClaimView = Type.Object({
  id: Str,
  returnId: Str,
  orderId: Str,
  orderLineId: Str,
  kind: Type.String({ description: 'cancellation (before the seller ships) or return (from the warehouse)' }),
  seller: Str,
  platformOrderRef: Nullable(Str),
  currency: Str,
  amountExpected: Int,
  amountRecovered: Int,
  deadlineAt: Type.Union([Str, Type.Null()], {
    description: "The seller's window: domestic delivery scan + purchasingAgent.sellerWindowDays.",
  }),
  hoursLeft: Type.Union([Int, Type.Null()]),
  status: Type.String({ description: 'draft, sent, accepted, refused, refunded, expired, cancelled' }),
  allowedActions: Type.Array(Str),
  messages: Type.Object({ 'zh-CN': Str, en: Str }),
  note: Nullable(Str),
  warnedAt: Nullable(Str),
  version: Int,
  createdAt: Str,
  updatedAt: Str,
});

const LineParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100 }),
  lineId: Type.String({ minLength: 1, maxLength: 100 }),
});

const Money = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const Currency = Type.String({ pattern: '^[A-Z]{3}$' });
const Conversion = Type.Union([
  Type.Object({
    base: Str,
    quote: Str,
    rate: Str,
    rateDate: Str,
    amount: Int,
    converted: Int,
  }),
  Type.Null(),
]);

/** Purchasing-agent routes: line stages, seller claims, FX rates, wallets, and the agent's position. */
export function registerSourcingRoutes(
  app: AppInstance,
  deps: {
    sourcing: SourcingService;
    wallet: Wallet;
    requireCustomer: (t: string, id: string) => Promise<unknown>;
    /** The return and customer behind a tracking link (404 for an unknown one). */
    resolveTracking: (token: string) => Promise<{ tenantId: string; returnId: string; customerId: string }>;
    /** Whether the tenant is a purchasing agent: only they keep customers' money in a wallet. */
    isPurchasingAgent: (tenantId: string) => Promise<boolean>;
    publicRateLimit: number;
  },
): void {
  const { sourcing, wallet } = deps;
  const actorOf = (request: Parameters<typeof authOf>[0]): Actor => {
    const a = authOf(request);
    return { type: a.actorType, id: a.actorId };
  };

  app.get(
    '/api/v1/orders/:id/stages',
    {
      config: access.staff,
      schema: {
        tags: ['sourcing'],
        summary: "Each line's stage (paid → … → delivered), its clocks and history, and the moves open to it",
        params: IdParams,
        response: {
          200: Type.Object({ orderId: Str, lines: Type.Array(LineStageView) }),
          ...errorResponses(404),
        },
      },
    },
    async (request) => sourcing.orderStages(authOf(request).tenantId, request.params.id),
  );

  app.post(
    '/api/v1/orders/:id/lines/:lineId/stage',
    {
      config: access.warehouse,
      schema: {
        tags: ['sourcing'],
        summary:
          'Record that a line reached a stage; entering the warehouse starts the seller window, QC the customer window; a failed QC files a free return to the seller',
        params: LineParams,
        body: Type.Object(
          {
            stage: Type.Enum(LINE_STAGES),
            at: Type.Optional(
              Type.String({ format: 'date-time', description: 'When it happened (the scan); default now.' }),
            ),
            note: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            ...LineStageView.properties,
            offer: Type.Union([Type.Object({ returnId: Str, rmaNumber: Str }), Type.Null()]),
          }),
          ...errorResponses(404, 409, 422),
        },
      },
    },
    async (request) =>
      sourcing.setStage(
        authOf(request).tenantId,
        request.params.id,
        request.params.lineId,
        request.body,
        actorOf(request),
      ),
  );

  app.get(
    '/api/v1/seller-claims',
    {
      config: access.desk,
      schema: {
        tags: ['sourcing'],
        summary:
          'Claims against upstream sellers, newest first; atRisk=true lists open claims near their deadline',
        querystring: Type.Object(
          {
            ...PageQuery,
            status: Type.Optional(
              Type.Enum(['draft', 'sent', 'accepted', 'refused', 'refunded', 'expired', 'cancelled']),
            ),
            seller: Type.Optional(Type.String({ maxLength: 200 })),
            returnId: Type.Optional(Type.String({ maxLength: 100 })),
            atRisk: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(ClaimView), nextCursor: Nullable(Str) }),
          ...errorResponses(),
        },
      },
    },
    async (request) => {
      const q = request.query;
      return sourcing.listClaims(authOf(request).tenantId, { ...q, limit: q.limit ?? 20 });
    },
  );

  app.get(
    '/api/v1/seller-claims/:id',
    {
      config: access.desk,
      schema: {
        tags: ['sourcing'],
        summary: 'One seller claim',
        params: IdParams,
        response: { 200: ClaimView, ...errorResponses(404) },
      },
    },
    async (request) => sourcing.getClaim(authOf(request).tenantId, request.params.id),
  );

  app.get(
    '/api/v1/seller-claims/:id/evidence-pack',
    {
      config: access.desk,
      schema: {
        tags: ['sourcing'],
        summary:
          'What goes to the seller: the claim message in Simplified Chinese and English, QC photos with their times, the order remarks',
        params: IdParams,
        response: {
          200: Type.Object({
            claim: ClaimView,
            line: LineStageView,
            rmaNumber: Str,
            remarks: Type.Array(Str),
            photos: Type.Array(
              Type.Object({ id: Str, kind: Str, takenAt: Str, contentType: Str, size: Int, url: Str }),
            ),
          }),
          ...errorResponses(404),
        },
      },
    },
    async (request) =>
      sourcing.evidencePack(authOf(request).tenantId, request.params.id, (id) => `/api/v1/evidence/${id}`),
  );

  app.post(
    '/api/v1/seller-claims/:id/:action',
    {
      config: access.desk,
      schema: {
        tags: ['sourcing'],
        summary:
          'send, accept, refuse, refund (with amountRecovered) or cancel a claim; an accepted cancellation approves the waiting return',
        params: Type.Object({ id: Type.String({ maxLength: 100 }), action: Type.Enum(CLAIM_ACTIONS) }),
        body: Type.Object(
          {
            amountRecovered: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
            note: Type.Optional(Type.String({ maxLength: 2000 })),
            expectedVersion: Type.Optional(Type.Integer({ minimum: 1 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ClaimView, ...errorResponses(404, 409, 422) },
      },
    },
    async (request) =>
      sourcing.actOnClaim(
        authOf(request).tenantId,
        request.params.id,
        request.params.action as ClaimAction,
        request.body,
        actorOf(request),
      ),
  );

  app.get(
    '/api/v1/returns/:id/position',
    {
      config: access.leads,
      schema: {
        tags: ['sourcing'],
        summary: "The agent's net position on a return: paid out to the customer vs recovered from sellers",
        params: IdParams,
        response: {
          200: Type.Object({
            returnId: Str,
            rmaNumber: Str,
            currency: Str,
            paidOut: Int,
            recovered: Int,
            pendingRecovery: Int,
            net: Int,
            claims: Int,
          }),
          ...errorResponses(404),
        },
      },
    },
    async (request) => sourcing.returnPosition(authOf(request).tenantId, request.params.id),
  );

  app.get(
    '/api/v1/sellers/claim-stats',
    {
      config: access.leads,
      schema: {
        tags: ['sourcing'],
        summary:
          'Claims per seller: won (accepted or refunded), lost (refused or expired), open, amounts, success rate',
        querystring: Type.Object(
          {
            from: Type.Optional(Type.String({ format: 'date-time' })),
            to: Type.Optional(Type.String({ format: 'date-time' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            sellers: Type.Array(
              Type.Object({
                seller: Str,
                claims: Int,
                won: Int,
                lost: Int,
                open: Int,
                expected: Type.Record(Str, Int),
                recovered: Type.Record(Str, Int),
                successRate: Type.Union([Type.Number(), Type.Null()]),
              }),
            ),
          }),
          ...errorResponses(),
        },
      },
    },
    async (request) => sourcing.sellerStats(authOf(request).tenantId, request.query),
  );

  app.put(
    '/api/v1/fx-rates',
    {
      config: access.leads,
      schema: {
        tags: ['sourcing'],
        summary:
          'Supply exchange rates (no rate provider is called); one rate per pair and day, replaced if sent again',
        body: Type.Object(
          {
            rates: Type.Array(
              Type.Object(
                {
                  base: Currency,
                  quote: Currency,
                  rate: Type.String({
                    maxLength: 30,
                    description: 'Units of quote per one base, as an exact decimal string ("0.1387").',
                  }),
                  rateDate: Type.String({ format: 'date' }),
                  source: Type.Optional(Type.String({ maxLength: 100 })),
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 500 },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ stored: Int }), ...errorResponses(422) },
      },
    },
    async (request) => wallet.putRates(authOf(request).tenantId, request.body.rates),
  );

  app.get(
    '/api/v1/fx-rates',
    {
      config: access.desk,
      schema: {
        tags: ['sourcing'],
        summary: 'Supplied exchange rates, newest day first',
        querystring: Type.Object(
          {
            base: Type.Optional(Currency),
            quote: Type.Optional(Currency),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                base: Str,
                quote: Str,
                rate: Str,
                rateDate: Str,
                source: Nullable(Str),
                createdAt: Str,
              }),
            ),
          }),
          ...errorResponses(),
        },
      },
    },
    async (request) =>
      wallet.listRates(authOf(request).tenantId, { ...request.query, limit: request.query.limit ?? 100 }),
  );

  const WalletView = Type.Object({
    customerId: Str,
    displayCurrency: Nullable(Str),
    balances: Type.Array(Type.Object({ currency: Str, balance: Int, display: Conversion })),
    entries: Type.Array(
      Type.Object({
        id: Str,
        kind: Str,
        amount: Int,
        currency: Str,
        returnId: Nullable(Str),
        orderId: Nullable(Str),
        memo: Nullable(Str),
        createdAt: Str,
      }),
    ),
    withdrawals: Type.Array(
      Type.Object({ id: Str, amount: Int, currency: Str, status: Str, fx: Conversion, createdAt: Str }),
    ),
  });

  app.get(
    '/api/v1/customers/:id/wallet',
    {
      config: access.desk,
      schema: {
        tags: ['sourcing'],
        summary:
          "A customer's wallet: balances with their conversion into the display currency, entries, withdrawals",
        params: IdParams,
        response: { 200: WalletView, ...errorResponses(404) },
      },
    },
    async (request) => wallet.wallet(authOf(request).tenantId, request.params.id),
  );

  app.post(
    '/api/v1/customers/:id/wallet/withdrawals',
    {
      config: {
        ...access.leads,
        replayCommitted: async (request, id) => ({
          statusCode: 201,
          body: await wallet.withdrawal(authOf(request).tenantId, (request.params as { id: string }).id, id),
        }),
      },
      schema: {
        tags: ['sourcing'],
        summary:
          'Withdraw wallet money to the original payment method (the balance drops at once; finance pays it)',
        params: IdParams,
        body: Type.Object({ amount: Money, currency: Currency }, { additionalProperties: false }),
        response: {
          201: Type.Object({
            id: Str,
            amount: Int,
            currency: Str,
            status: Str,
            fx: Conversion,
            createdAt: Str,
          }),
          ...errorResponses(404, 422),
        },
      },
    },
    async (request, reply) => {
      const { tenantId } = authOf(request);
      await deps.requireCustomer(tenantId, request.params.id);
      return reply.code(201).send(await wallet.withdraw(tenantId, request.params.id, request.body));
    },
  );

  // --- the customer's own wallet, behind the tracking link ---------------------------------
  // The link holder sees the balance and may send it back to the original payment method only:
  // money cannot be sent anywhere else from here, so a forwarded link risks nothing but a refund.
  const tracked = async (token: string) => {
    const a = await deps.resolveTracking(token);
    if (!(await deps.isPurchasingAgent(a.tenantId))) {
      throw new AppError(404, 'not_found', 'This shop keeps no wallet.');
    }
    return a;
  };
  const TrackedWallet = Type.Object({
    displayCurrency: Nullable(Str),
    balances: Type.Array(Type.Object({ currency: Str, balance: Int, display: Conversion })),
    withdrawals: Type.Array(
      Type.Object({ id: Str, amount: Int, currency: Str, status: Str, fx: Conversion, createdAt: Str }),
    ),
  });
  const publicLimited = { public: true, rateLimit: { max: deps.publicRateLimit, timeWindow: '1 minute' } };
  const TokenParams = Type.Object({ token: Type.String({ maxLength: 100 }) });
  app.get(
    '/api/v1/track/:token/wallet',
    {
      config: publicLimited,
      schema: {
        tags: ['tracking'],
        summary: "Purchasing agents: the customer's wallet balance and withdrawals, for the tracking page",
        security: [],
        params: TokenParams,
        response: { 200: TrackedWallet, ...errorResponses(404, 429) },
      },
    },
    async (request) => {
      const a = await tracked(request.params.token);
      const w = await wallet.wallet(a.tenantId, a.customerId);
      return { displayCurrency: w.displayCurrency, balances: w.balances, withdrawals: w.withdrawals };
    },
  );
  app.post(
    '/api/v1/track/:token/wallet/withdrawals',
    {
      config: {
        ...publicLimited,
        replayCommitted: async (request, id) => {
          const a = await tracked((request.params as { token: string }).token);
          return { statusCode: 201, body: await wallet.withdrawal(a.tenantId, a.customerId, id) };
        },
      },
      schema: {
        tags: ['tracking'],
        summary: 'Purchasing agents: the customer sends wallet money back to the original payment method',
        security: [],
        params: TokenParams,
        body: Type.Object({ amount: Money, currency: Currency }, { additionalProperties: false }),
        response: {
          201: Type.Object({
            id: Str,
            amount: Int,
            currency: Str,
            status: Str,
            fx: Conversion,
            createdAt: Str,
          }),
          ...errorResponses(404, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const a = await tracked(request.params.token);
      return reply.code(201).send(await wallet.withdraw(a.tenantId, a.customerId, request.body));
    },
  );

  app.post(
    '/api/v1/wallet-withdrawals/:id/paid',
    {
      config: access.leads,
      schema: {
        tags: ['sourcing'],
        summary: 'Mark a withdrawal as paid back to the original payment method',
        params: IdParams,
        body: Type.Object(
          { reference: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ id: Str, status: Str, reference: Str }), ...errorResponses(404, 422) },
      },
    },
    async (request) =>
      wallet.markWithdrawalPaid(authOf(request).tenantId, request.params.id, request.body.reference),
  );
}
