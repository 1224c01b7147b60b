import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../platform/errors.ts';
import { access } from '../../platform/http/access.ts';
import { ErrorResponse, errorResponses, IdParams, PageQuery } from '../../platform/http/schemas.ts';
import { type AppInstance, authOf } from '../../platform/http/server.ts';
import type { createReturnActions } from './return-actions.ts';
import {
  ActionBody,
  ActionParams,
  QuoteView,
  ReturnEventView,
  ReturnRequest,
  ReturnSummaryView,
  ReturnView,
  TrackingView,
} from './schemas.ts';
import type { Actor, ReturnsService } from './service.ts';
import { RETURN_STATUSES } from './state-machine.ts';

type ReturnActions = ReturnType<typeof createReturnActions>;

const WAREHOUSE_ACTIONS = new Set(['ship', 'receive', 'inspect', 'ship_replacement']);

export function registerReturnRoutes(
  app: AppInstance,
  returns: ReturnsService,
  actions: ReturnActions,
  opts: { publicRateLimit: number },
): void {
  /** A write whose answer was lost answers the return as it is now (see installIdempotency). */
  const replayReturn = (statusCode: number) => async (request: FastifyRequest, id: string) => ({
    statusCode,
    body: await returns.getReturn(authOf(request).tenantId, id),
  });
  const actorOf = (req: Parameters<typeof authOf>[0]): Actor => {
    const a = authOf(req);
    return { type: a.actorType, id: a.actorId };
  };

  app.post(
    '/api/v1/returns/quote',
    {
      config: access.desk,
      schema: {
        tags: ['returns'],
        summary: 'What a return would get, without filing it',
        description:
          'Per-line eligibility (with the reason when an item cannot be returned), the decision the policy would take, and the refund quote. Writes nothing.',
        body: ReturnRequest,
        response: { 200: QuoteView, ...errorResponses(404, 422) },
      },
    },
    async (request) => returns.quoteReturn(authOf(request).tenantId, request.body),
  );

  app.post(
    '/api/v1/returns',
    {
      config: { ...access.desk, replayCommitted: replayReturn(201) },
      schema: {
        tags: ['returns'],
        summary: 'File a return request',
        description:
          'The policy decides at once (approved, needs_review or rejected) with a plain-language explanation and an exact refund quote. Ineligible lines, quantities beyond what is still returnable and unknown reason codes answer 422 with per-line reasons, and nothing is stored.',
        body: ReturnRequest,
        response: { 201: ReturnView, ...errorResponses(404, 409, 422) },
      },
    },
    async (request, reply) => {
      const created = await returns.requestReturn(authOf(request).tenantId, request.body, actorOf(request));
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/api/v1/returns',
    {
      schema: {
        tags: ['returns'],
        summary: 'List returns, newest first',
        querystring: Type.Object(
          { status: Type.Optional(Type.Enum(RETURN_STATUSES)), ...PageQuery },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            data: Type.Array(ReturnSummaryView),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses(),
        },
      },
    },
    async (request) => returns.listReturns(authOf(request).tenantId, request.query),
  );

  app.get(
    '/api/v1/returns/:id',
    {
      schema: {
        tags: ['returns'],
        summary: 'Get a return',
        params: IdParams,
        response: { 200: ReturnView, ...errorResponses(404) },
      },
    },
    async (request) => returns.getReturn(authOf(request).tenantId, request.params.id),
  );

  app.get(
    '/api/v1/returns/:id/events',
    {
      schema: {
        tags: ['returns'],
        summary: 'The timeline of a return, oldest first (customer-visible and internal)',
        params: IdParams,
        response: { 200: Type.Object({ data: Type.Array(ReturnEventView) }), ...errorResponses(404) },
      },
    },
    async (request) => ({ data: await returns.listEvents(authOf(request).tenantId, request.params.id) }),
  );

  app.post(
    '/api/v1/returns/:id/actions/:action',
    {
      config: { replayCommitted: replayReturn(200) },
      schema: {
        tags: ['returns'],
        summary: 'Move a return: approve, reject, cancel, ship, receive, inspect, refund, close',
        description:
          'An action the current status does not allow answers 409 with `details.allowedActions`. `ship` takes carrier and trackingNumber; `inspect` takes per-line accepted quantity and condition; `refund` pays back through the manual provider. Send `expectedVersion` to refuse an action on a return that changed since you loaded it.',
        params: ActionParams,
        body: Type.Optional(ActionBody),
        response: { 200: ReturnView, ...errorResponses(404, 409, 422) },
      },
    },
    async (request) => {
      const auth = authOf(request);
      // The warehouse handles parcels; decisions and money are for agents and above.
      if (auth.role === 'warehouse' && !WAREHOUSE_ACTIONS.has(request.params.action)) {
        throw new AppError(
          403,
          'forbidden',
          `The warehouse role cannot "${request.params.action}" a return.`,
        );
      }
      return actions.performAction(
        authOf(request).tenantId,
        request.params.id,
        request.params.action,
        request.body ?? {},
        actorOf(request),
      );
    },
  );

  app.post(
    '/api/v1/returns/:id/messages',
    {
      config: { ...access.desk, replayCommitted: replayReturn(200) },
      schema: {
        tags: ['returns'],
        summary: 'Write to the customer about this return',
        description:
          'Appears on the customer timeline and tracking page, and goes out through the channels the customer chose.',
        params: IdParams,
        body: Type.Object(
          { message: Type.String({ minLength: 1, maxLength: 4000 }) },
          { additionalProperties: false },
        ),
        response: { 200: ReturnView, ...errorResponses(404) },
      },
    },
    async (request) =>
      returns.sendMessage(
        authOf(request).tenantId,
        request.params.id,
        request.body.message,
        actorOf(request),
      ),
  );

  app.get(
    '/api/v1/track/:token',
    {
      config: { public: true, rateLimit: { max: opts.publicRateLimit, timeWindow: '1 minute' } },
      schema: {
        tags: ['tracking'],
        summary: 'Public tracking of one return (no personal data)',
        security: [],
        params: Type.Object({ token: Type.String({ maxLength: 100 }) }),
        querystring: Type.Object({
          lang: Type.Optional(
            Type.String({ maxLength: 20, description: 'en, zh-CN or es: the language of the explanation.' }),
          ),
        }),
        response: { 200: TrackingView, 404: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (request) => returns.trackReturn(request.params.token, request.query.lang),
  );
}
