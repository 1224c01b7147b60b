import { Type } from 'typebox';
import { AppError } from '../../platform/errors.ts';
import { access } from '../../platform/http/access.ts';
import { readCookie, sessionCookie } from '../../platform/http/cookies.ts';
import { ErrorResponse, errorResponses, IdParams } from '../../platform/http/schemas.ts';
import { type AppInstance, authOf } from '../../platform/http/server.ts';
import { gateUploads } from '../../platform/http/upload-gate.ts';
import { type EvidenceService, MAX_EVIDENCE_BYTES } from './evidence.ts';
import { CUSTOMER_COOKIE, CUSTOMER_SESSION_TTL_MS, type Portal } from './portal.ts';
import { QuoteView, ReturnRequest } from './schemas.ts';
import { localized, type ReturnsService } from './service.ts';

const ShopView = Type.Object({ name: Type.String(), handle: Type.String(), kind: Type.String() });

const PortalView = Type.Object({
  shop: ShopView,
  order: Type.Object({
    id: Type.String(),
    orderNumber: Type.String(),
    currency: Type.String(),
    placedAt: Type.String(),
    deliveredAt: Type.Union([Type.String(), Type.Null()]),
    lines: Type.Array(
      Type.Object({
        id: Type.String(),
        sku: Type.String(),
        title: Type.String(),
        category: Type.String(),
        quantity: Type.Integer(),
        returnableQuantity: Type.Integer(),
        unitPrice: Type.Integer(),
        eligible: Type.Boolean(),
        code: Type.Optional(Type.String()),
        reason: Type.Optional(
          Type.String({ description: 'Why the item cannot be returned, in plain words.' }),
        ),
        windowEndsAt: Type.String(),
      }),
    ),
  }),
  reasons: Type.Array(
    Type.Object({
      code: Type.String(),
      label: Type.String({ description: "The shop's English label." }),
      labels: Type.Optional(
        Type.Object({ 'zh-CN': Type.Optional(Type.String()), es: Type.Optional(Type.String()) }),
      ),
      evidenceRequired: Type.Boolean(),
    }),
  ),
  resolutions: Type.Array(Type.String()),
  storeCreditBonusPercent: Type.Number(),
  returns: Type.Array(
    Type.Object({
      id: Type.String(),
      rmaNumber: Type.String(),
      status: Type.String(),
      trackingUrl: Type.String(),
      createdAt: Type.String(),
    }),
  ),
});

const PortalRequest = Type.Object(
  {
    resolution: ReturnRequest.properties.resolution,
    lines: ReturnRequest.properties.lines,
    customerNote: ReturnRequest.properties.customerNote,
    exchange: ReturnRequest.properties.exchange,
    refundTo: ReturnRequest.properties.refundTo,
  },
  { additionalProperties: false },
);

const LangQuery = Type.Object({
  lang: Type.Optional(
    Type.String({ maxLength: 20, description: 'en, zh-CN or es: the language of explanations and reasons.' }),
  ),
});

const EvidenceView = Type.Object({ id: Type.String(), contentType: Type.String(), size: Type.Integer() });

/** Photo bodies read at once per process; each is at most MAX_EVIDENCE_BYTES in memory. */
export const MAX_CONCURRENT_UPLOADS = 4;

/** Raw image bodies (no multipart): one photo per request, its type sniffed from the bytes. */
function acceptImages(scope: AppInstance) {
  gateUploads(scope, { max: MAX_CONCURRENT_UPLOADS, waitMs: 30_000 });
  scope.addContentTypeParser(
    ['image/jpeg', 'image/png', 'image/webp'],
    { parseAs: 'buffer', bodyLimit: MAX_EVIDENCE_BYTES },
    (_req, body, done) => done(null, body),
  );
}

/** The customer sees their own return: no internal ids beyond what tracking shows. */
function customerView(r: Awaited<ReturnType<ReturnsService['getReturn']>>, lang: string | undefined) {
  return {
    id: r.id,
    rmaNumber: r.rmaNumber,
    status: r.status,
    trackingToken: r.trackingToken,
    trackingUrl: r.trackingUrl,
    decision: {
      outcome: r.decision.outcome,
      explanation: localized(r.decision as never, lang),
      returnless: r.decision.returnless,
    },
    refundQuote: r.refundQuote,
  };
}

export function registerPortalRoutes(
  app: AppInstance,
  deps: {
    portal: Portal;
    returns: ReturnsService;
    evidence: EvidenceService;
    publicUrl: () => string;
    publicRateLimit: number;
    lookupRateLimit: number;
    shopByHandle: (handle: string) => Promise<{ name: string; handle: string; kind: string } | undefined>;
  },
): void {
  const { portal, returns, evidence } = deps;
  const secure = () => deps.publicUrl().startsWith('https://');
  const open = { public: true, rateLimit: { max: deps.publicRateLimit, timeWindow: '1 minute' } };
  // Guessing order numbers and emails is the attack this form invites: a tight limit per IP.
  const lookupLimit = {
    public: true,
    rateLimit: { max: deps.lookupRateLimit, timeWindow: '1 minute' },
  };
  const customerAccess = (request: { headers: { cookie?: string } }) =>
    portal.resolve(readCookie(request.headers.cookie, CUSTOMER_COOKIE));

  app.post(
    '/api/v1/portal/lookup',
    {
      config: lookupLimit,
      schema: {
        tags: ['portal'],
        summary: 'Find an order by its number and the email it was placed with; opens a customer session',
        description:
          'The same 404 answers a wrong number and a wrong email. The session cookie is http-only and lasts two hours.',
        security: [],
        querystring: LangQuery,
        body: Type.Object(
          {
            shop: Type.Optional(
              Type.String({
                maxLength: 40,
                description: "The shop's handle, as in its portal address /s/HANDLE/returns. Required.",
              }),
            ),
            orderNumber: Type.String({ minLength: 1, maxLength: 100 }),
            email: Type.String({ format: 'email', maxLength: 320 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: PortalView, 400: ErrorResponse, 404: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { shop, ...rest } = request.body;
      if (!shop) {
        throw new AppError(
          400,
          'shop_required',
          'Say which shop the order is from: open the shop\'s returns page (/s/SHOP/returns) or send its handle as "shop".',
        );
      }
      const found = await portal.lookup({ shop, ...rest });
      if (!found) {
        throw new AppError(
          404,
          'order_not_found',
          "We couldn't find an order with that number and email. Check both and try again.",
        );
      }
      reply.header(
        'set-cookie',
        sessionCookie(CUSTOMER_COOKIE, found.sessionId, {
          maxAgeSeconds: CUSTOMER_SESSION_TTL_MS / 1000,
          secure: secure(),
        }),
      );
      return portal.view(found.access, request.query.lang);
    },
  );

  app.get(
    '/api/v1/portal/shops/:handle',
    {
      config: open,
      schema: {
        tags: ['portal'],
        summary: "The shop whose customer portal is /s/HANDLE/returns: its name, for the portal's header",
        security: [],
        params: Type.Object({ handle: Type.String({ maxLength: 100 }) }),
        response: { 200: ShopView, 404: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (request) => {
      const shop = await deps.shopByHandle(request.params.handle);
      if (!shop) throw new AppError(404, 'shop_not_found', 'There is no shop at this address.');
      return { name: shop.name, handle: shop.handle, kind: shop.kind };
    },
  );

  app.get(
    '/api/v1/portal/order',
    {
      config: open,
      schema: {
        tags: ['portal'],
        summary: 'The order of the customer session, with what can be returned',
        security: [],
        querystring: LangQuery,
        response: { 200: PortalView, 404: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (request) => portal.view(await customerAccess(request), request.query.lang),
  );

  app.post(
    '/api/v1/portal/logout',
    {
      config: open,
      schema: {
        tags: ['portal'],
        summary: 'End the customer session',
        security: [],
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await portal.logout(readCookie(request.headers.cookie, CUSTOMER_COOKIE));
      reply.header('set-cookie', sessionCookie(CUSTOMER_COOKIE, '', { maxAgeSeconds: 0, secure: secure() }));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/portal/quote',
    {
      config: open,
      schema: {
        tags: ['portal'],
        summary: 'What the return would get, before confirming (writes nothing)',
        security: [],
        querystring: LangQuery,
        body: PortalRequest,
        response: {
          200: QuoteView,
          400: ErrorResponse,
          404: ErrorResponse,
          422: ErrorResponse,
          429: ErrorResponse,
        },
      },
    },
    async (request) => {
      const a = await customerAccess(request);
      return returns.quoteReturn(
        a.tenantId,
        { ...request.body, orderId: a.orderId } as never,
        request.query.lang,
      );
    },
  );

  app.post(
    '/api/v1/portal/returns',
    {
      config: {
        ...open,
        replayCommitted: async (request, id) => {
          const a = await customerAccess(request);
          const lang = (request.query as { lang?: string }).lang;
          return { statusCode: 201, body: customerView(await returns.getReturn(a.tenantId, id), lang) };
        },
      },
      schema: {
        tags: ['portal'],
        summary: 'File the return (the decision and the tracking link come back at once)',
        security: [],
        querystring: LangQuery,
        body: PortalRequest,
        response: {
          201: Type.Object({
            id: Type.String(),
            rmaNumber: Type.String(),
            status: Type.String(),
            trackingToken: Type.String(),
            trackingUrl: Type.String(),
            decision: Type.Unknown(),
            refundQuote: Type.Unknown(),
          }),
          400: ErrorResponse,
          404: ErrorResponse,
          409: ErrorResponse,
          422: ErrorResponse,
          429: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const a = await customerAccess(request);
      const r = await returns.requestReturn(
        a.tenantId,
        { ...request.body, orderId: a.orderId } as never,
        { type: 'customer', id: a.customerId },
        request.query.lang,
      );
      return reply.code(201).send(customerView(r, request.query.lang));
    },
  );

  app.register(async (scope: AppInstance) => {
    acceptImages(scope);
    scope.post(
      '/api/v1/portal/evidence',
      {
        config: open,
        bodyLimit: MAX_EVIDENCE_BYTES,
        schema: {
          tags: ['portal'],
          summary: 'Upload one photo (raw JPEG, PNG or WebP body, at most 8 MB); use its id in evidenceIds',
          security: [],
          response: {
            201: EvidenceView,
            400: ErrorResponse,
            404: ErrorResponse,
            413: ErrorResponse,
            415: ErrorResponse,
            422: ErrorResponse,
          },
        },
      },
      async (request, reply) => {
        const a = await customerAccess(request);
        const saved = await evidence.upload(
          a.tenantId,
          a.orderId,
          request.headers['content-type'],
          request.body as Buffer,
          `customer:${a.customerId}`,
        );
        return reply.code(201).send(saved);
      },
    );
    scope.post(
      '/api/v1/orders/:id/evidence',
      {
        config: access.desk,
        bodyLimit: MAX_EVIDENCE_BYTES,
        schema: {
          tags: ['returns'],
          summary: 'Upload one photo for an order (raw JPEG, PNG or WebP body, at most 8 MB)',
          params: IdParams,
          response: { 201: EvidenceView, ...errorResponses(404, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const order = await returns.orderForEvidence(auth.tenantId, request.params.id);
        const saved = await evidence.upload(
          auth.tenantId,
          order,
          request.headers['content-type'],
          request.body as Buffer,
          `${auth.actorType}:${auth.actorId}`,
        );
        return reply.code(201).send(saved);
      },
    );
    scope.post(
      '/api/v1/orders/:id/lines/:lineId/qc-photos',
      {
        bodyLimit: MAX_EVIDENCE_BYTES,
        config: access.warehouse,
        schema: {
          tags: ['sourcing'],
          summary: 'Warehouse QC photo of one order line (raw JPEG, PNG or WebP body, at most 8 MB)',
          params: Type.Object({
            id: Type.String({ minLength: 1, maxLength: 100 }),
            lineId: Type.String({ minLength: 1, maxLength: 100 }),
          }),
          response: { 201: EvidenceView, ...errorResponses(404, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const order = await returns.orderForEvidence(auth.tenantId, request.params.id);
        const line = await returns.orderLineOf(auth.tenantId, order, request.params.lineId);
        const saved = await evidence.upload(
          auth.tenantId,
          order,
          request.headers['content-type'],
          request.body as Buffer,
          `${auth.actorType}:${auth.actorId}`,
          { orderLineId: line },
        );
        return reply.code(201).send(saved);
      },
    );
  });

  app.get(
    '/api/v1/evidence/:id',
    {
      schema: {
        tags: ['returns'],
        summary: 'A photo, as uploaded',
        params: IdParams,
        produces: ['image/jpeg', 'image/png', 'image/webp'],
      },
    },
    async (request, reply) => {
      const file = await evidence.read(authOf(request).tenantId, request.params.id);
      // Served only with the sniffed type, never interpreted as anything else, never scripted.
      return reply
        .type(file.contentType)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'")
        .header('content-disposition', 'inline')
        .header('cache-control', 'private, max-age=3600')
        .send(file.data);
    },
  );
}
