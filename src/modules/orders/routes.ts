import { Type } from 'typebox';
import { access } from '../../platform/http/access.ts';
import { errorResponses, IdParams, Nullable, PageQuery } from '../../platform/http/schemas.ts';
import { type AppInstance, authOf } from '../../platform/http/server.ts';
import { OrderInput, OrderSummaryView, OrderView, OrderWithPaymentView } from './schemas.ts';
import type { OrdersService } from './service.ts';

export function registerOrderRoutes(app: AppInstance, orders: OrdersService): void {
  app.post(
    '/api/v1/orders',
    {
      config: access.integrations,
      schema: {
        tags: ['orders'],
        summary: 'Import an order (idempotent upsert by externalId)',
        description:
          'Creates the order (201). Posting the same externalId again answers the same order (200) and changes nothing when the body is identical; a changed body updates the order, but lines and amounts are frozen once any unit is in a return.',
        body: OrderInput,
        response: { 200: OrderWithPaymentView, 201: OrderWithPaymentView, ...errorResponses(409, 422) },
      },
    },
    async (request, reply) => {
      const auth = authOf(request);
      const tenantId = auth.tenantId;
      const { order, created } = await orders.upsertOrder(tenantId, request.body, {
        type: auth.actorType === 'staff' ? 'staff' : 'api',
        id: auth.actorId,
      });
      return reply.code(created ? 201 : 200).send(await orders.orderWithPayment(tenantId, order.id));
    },
  );

  app.get(
    '/api/v1/orders',
    {
      config: access.staff,
      schema: {
        tags: ['orders'],
        summary: 'List orders, newest placed first; search by order number, customer email or name',
        description:
          'Sorted by `placedAt` (then id), newest first, so imported history takes its place by its own dates. `q` matches part of the order number (any case, with or without `#`), of the email or of the name. Pages by `cursor` (the `nextCursor` of the page before); a cursor this API did not give out answers 400 `invalid_cursor`.',
        querystring: Type.Object(
          { q: Type.Optional(Type.String({ maxLength: 200 })), ...PageQuery },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ data: Type.Array(OrderSummaryView), nextCursor: Nullable(Type.String()) }),
          ...errorResponses(),
        },
      },
    },
    async (request) => orders.listOrders(authOf(request).tenantId, request.query),
  );

  app.get(
    '/api/v1/orders/:id',
    {
      schema: {
        tags: ['orders'],
        summary:
          'Get an order: per line the quantity already returned; captured, refunded and refundable money',
        params: IdParams,
        response: { 200: OrderWithPaymentView, ...errorResponses(404) },
      },
    },
    async (request) => orders.orderWithPayment(authOf(request).tenantId, request.params.id),
  );

  app.get(
    '/api/v1/orders/:id/events',
    {
      schema: {
        tags: ['orders'],
        summary:
          "Changes to the order's money after its first import: each field before and after, and by whom",
        params: IdParams,
        response: {
          200: Type.Object({
            data: Type.Array(
              Type.Object({
                id: Type.String(),
                at: Type.String(),
                actor: Type.Object({ type: Type.String(), id: Nullable(Type.String()) }),
                changes: Type.Array(
                  Type.Object({
                    field: Type.String(),
                    before: Nullable(Type.Union([Type.Integer(), Type.String()])),
                    after: Nullable(Type.Union([Type.Integer(), Type.String()])),
                  }),
                ),
              }),
            ),
          }),
          ...errorResponses(404),
        },
      },
    },
    async (request) => ({ data: await orders.listOrderEvents(authOf(request).tenantId, request.params.id) }),
  );

  app.get(
    '/api/v1/orders/by-number/:orderNumber',
    {
      schema: {
        tags: ['orders'],
        summary: 'Find an order by the number the customer knows',
        params: Type.Object({ orderNumber: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: { 200: OrderView, ...errorResponses(404) },
      },
    },
    async (request) => orders.requireOrderByNumber(authOf(request).tenantId, request.params.orderNumber),
  );
}
