import { Type } from 'typebox';
import { AppError } from '../../platform/errors.ts';
import { access } from '../../platform/http/access.ts';
import { errorResponses, IdParams, Nullable } from '../../platform/http/schemas.ts';
import { type AppInstance, authOf } from '../../platform/http/server.ts';
import { Int, Str } from './route-schemas.ts';
import type { Wallet } from './wallet.ts';

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

/** What the wallet routes are handed: the wallet, and how to check a customer and a tracking link. */
export type WalletRouteDeps = {
  wallet: Wallet;
  requireCustomer: (t: string, id: string) => Promise<unknown>;
  /** The return and customer behind a tracking link (404 for an unknown one). */
  resolveTracking: (token: string) => Promise<{ tenantId: string; returnId: string; customerId: string }>;
  /** Whether the tenant is a purchasing agent: only they keep customers' money in a wallet. */
  isPurchasingAgent: (tenantId: string) => Promise<boolean>;
  publicRateLimit: number;
};

/** FX rates and wallets: staff's view and withdrawals, the customer's behind the tracking link, payouts marked paid. */
export function registerWalletRoutes(app: AppInstance, deps: WalletRouteDeps): void {
  const { wallet } = deps;

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
