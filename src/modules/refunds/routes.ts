import { Type } from 'typebox';
import { AppError } from '../../platform/errors.ts';
import { access } from '../../platform/http/access.ts';
import { errorResponses, IdParams } from '../../platform/http/schemas.ts';
import { type AppInstance, authOf } from '../../platform/http/server.ts';
import type { ProviderAccounts } from './provider-accounts.ts';
import { WebhookSignatureError } from './providers/payment-provider.ts';
import type { RefundsService } from './service.ts';

const CreditView = Type.Object({
  customerId: Type.String(),
  balances: Type.Array(Type.Object({ currency: Type.String(), balance: Type.Integer() })),
  entries: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.String({ description: 'credit_issued, credit_bonus, credit_spent' }),
      amount: Type.Integer({ description: 'Positive when credit was added, negative when spent.' }),
      currency: Type.String(),
      returnId: Type.Union([Type.String(), Type.Null()]),
      orderId: Type.Union([Type.String(), Type.Null()]),
      memo: Type.Union([Type.String(), Type.Null()]),
      createdAt: Type.String(),
    }),
  ),
});

const ProviderView = Type.Object({
  provider: Type.String(),
  configured: Type.Boolean(),
  apiKeyHint: Type.Union([Type.String(), Type.Null()]),
  baseUrl: Type.Union([Type.String(), Type.Null()]),
  webhookUrl: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
});

export function registerRefundRoutes(
  app: AppInstance,
  deps: {
    refunds: RefundsService;
    providerAccounts: ProviderAccounts;
    requireCustomer: (tenantId: string, customerId: string) => Promise<unknown>;
    publicRateLimit: number;
  },
): void {
  const { refunds, providerAccounts } = deps;

  app.get(
    '/api/v1/customers/:id/credit',
    {
      config: access.desk,
      schema: {
        tags: ['refunds'],
        summary: "A customer's store-credit balance and its ledger entries (newest first)",
        params: IdParams,
        response: { 200: CreditView, ...errorResponses(404) },
      },
    },
    async (request) => {
      const { tenantId } = authOf(request);
      await deps.requireCustomer(tenantId, request.params.id);
      return refunds.customerCredit(tenantId, request.params.id);
    },
  );

  app.post(
    '/api/v1/customers/:id/credit/spend',
    {
      config: {
        ...access.leads,
        replayCommitted: async (request, customerId) => ({
          statusCode: 200,
          body: await refunds.customerCredit(authOf(request).tenantId, customerId),
        }),
      },
      schema: {
        tags: ['refunds'],
        summary: 'Spend store credit on a purchase',
        params: IdParams,
        body: Type.Object(
          {
            amount: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
            currency: Type.String({ pattern: '^[A-Z]{3}$' }),
            reference: Type.String({ minLength: 1, maxLength: 200, description: 'Your order or cart id.' }),
          },
          { additionalProperties: false },
        ),
        response: { 200: CreditView, ...errorResponses(404, 422) },
      },
    },
    async (request) => {
      const { tenantId } = authOf(request);
      await deps.requireCustomer(tenantId, request.params.id);
      return refunds.spendCredit(tenantId, request.params.id, request.body);
    },
  );

  app.post(
    '/api/v1/refunds/:id/retry',
    {
      config: access.leads,
      schema: {
        tags: ['refunds'],
        summary: 'Retry a refund that got no definite answer from the provider',
        description:
          "For a refund flagged `needs_reconciliation`: sends the same attempt again with the same idempotency key, so a refund the provider already made is not repeated. A refund that failed outright is retried with the return's `refund` action instead.",
        params: IdParams,
        response: {
          200: Type.Object({ id: Type.String(), status: Type.String() }),
          ...errorResponses(404, 409),
        },
      },
    },
    async (request) => refunds.retryStuckRefund(authOf(request).tenantId, request.params.id),
  );

  app.get(
    '/api/v1/payment-providers',
    {
      config: access.admin,
      schema: {
        tags: ['refunds'],
        summary: 'Connected payment providers (secrets are never shown)',
        response: { 200: Type.Object({ data: Type.Array(ProviderView) }), ...errorResponses() },
      },
    },
    async (request) => ({ data: await providerAccounts.list(authOf(request).tenantId) }),
  );

  app.put(
    '/api/v1/payment-providers/stripe',
    {
      config: access.admin,
      schema: {
        tags: ['refunds'],
        summary: 'Connect a Stripe account for refunds',
        description:
          'Stores the secret API key and the webhook signing secret sealed (AES-256-GCM). Point a Stripe webhook for `refund.updated` and `refund.failed` at the answered `webhookUrl`.',
        body: Type.Object(
          {
            apiKey: Type.String({ minLength: 8, maxLength: 300 }),
            webhookSecret: Type.String({ minLength: 8, maxLength: 300 }),
            baseUrl: Type.Optional(
              Type.String({ format: 'uri', maxLength: 300, description: 'For a Stripe-compatible gateway.' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: ProviderView, ...errorResponses() },
      },
    },
    async (request) => providerAccounts.configureStripe(authOf(request).tenantId, request.body),
  );

  // Webhooks are verified against the raw bytes, so this scope keeps the body as text.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 1_048_576 }, (_req, body, done) =>
      done(null, body),
    );
    (scope as AppInstance).post(
      '/api/v1/webhooks/payments/:provider/:token',
      {
        config: { public: true, rateLimit: { max: deps.publicRateLimit, timeWindow: '1 minute' } },
        schema: {
          tags: ['refunds'],
          summary: 'Payment provider webhook (signed by the provider)',
          security: [],
          params: Type.Object({ provider: Type.Enum(['stripe']), token: Type.String({ maxLength: 100 }) }),
          response: {
            200: Type.Object({ received: Type.Boolean(), settled: Type.Boolean() }),
            ...errorResponses(404),
          },
        },
      },
      async (request) => {
        try {
          return await refunds.handleWebhook(
            request.params.provider,
            request.params.token,
            String(request.body ?? ''),
            request.headers,
          );
        } catch (e) {
          if (e instanceof WebhookSignatureError) throw new AppError(400, 'invalid_signature', e.message);
          throw e;
        }
      },
    );
  });
}
