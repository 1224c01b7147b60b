import { Type } from 'typebox';
import { AppError } from '../../platform/errors.ts';
import { readCookie, sessionCookie } from '../../platform/http/cookies.ts';
import { ErrorResponse } from '../../platform/http/schemas.ts';
import type { AppInstance } from '../../platform/http/server.ts';
import { CUSTOMER_COOKIE, CUSTOMER_SESSION_TTL_MS } from './portal.ts';
import { LangQuery, type PortalAccess, type PortalRoutesDeps } from './portal-access.ts';

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

/** The customer session: lookup (opens it), the shop, the session's order, and logout. */
export function registerPortalSessionRoutes(
  app: AppInstance,
  deps: PortalRoutesDeps,
  { secure, open, lookupLimit, customerAccess }: PortalAccess,
): void {
  const { portal } = deps;

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
}
