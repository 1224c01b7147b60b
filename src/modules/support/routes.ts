import { Type } from 'typebox';
import { access } from '../../platform/http/access.ts';
import { errorResponses, IdParams, Nullable } from '../../platform/http/schemas.ts';
import { type AppInstance, authOf } from '../../platform/http/server.ts';
import { PolicySchema } from '../policy/policy-schema.ts';
import { streamSse } from '../realtime/sse.ts';
import { QUEUES } from '../returns/console-queue.ts';
import type { Actor } from '../returns/service.ts';
import { MACRO_ACTIONS } from './macros.ts';
import { EXPORT_LIMIT, type SupportService } from './service.ts';

const MacroBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    body: Type.String({
      minLength: 1,
      maxLength: 4000,
      description:
        'Variables: {{customerName}}, {{rmaNumber}}, {{orderNumber}}, {{refundAmount}}, {{status}}, {{agentName}}',
    }),
    action: Type.Optional(Type.Union([Type.Enum(MACRO_ACTIONS), Type.Null()])),
  },
  { additionalProperties: false },
);

/** The agent console's HTTP edge; the use cases are the support service's. */
export function registerSupportRoutes(app: AppInstance, support: SupportService): void {
  const actorOf = (request: Parameters<typeof authOf>[0]): Actor => {
    const a = authOf(request);
    return { type: a.actorType, id: a.actorId };
  };

  app.post(
    '/api/v1/policy/preview',
    {
      config: access.admin,
      schema: {
        tags: ['policy'],
        summary:
          'What would change: the last 90 days of returns replayed under the current and a proposed policy',
        body: PolicySchema,
        response: { 200: Type.Unknown(), ...errorResponses(422) },
      },
    },
    async (request) => support.previewPolicy(authOf(request).tenantId, request.body),
  );

  app.get(
    '/api/v1/console/queues',
    {
      schema: {
        tags: ['console'],
        summary: 'How many returns wait in each queue',
        response: { 200: Type.Record(Type.String(), Type.Integer()), ...errorResponses() },
      },
    },
    async (request) => support.queueCounts(authOf(request).tenantId),
  );

  app.get(
    '/api/v1/console/returns',
    {
      schema: {
        tags: ['console'],
        summary: 'A queue of returns with customer, order and SLA; search by RMA, order number or email',
        querystring: Type.Object(
          {
            queue: Type.Optional(Type.Enum(QUEUES, { default: 'all' })),
            q: Type.Optional(Type.String({ maxLength: 200 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
            cursor: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            data: Type.Array(Type.Unknown()),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses(),
        },
      },
    },
    async (request) =>
      support.listQueue(authOf(request).tenantId, {
        queue: request.query.queue ?? 'all',
        limit: request.query.limit ?? 25,
        ...(request.query.q ? { q: request.query.q } : {}),
        ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
      }),
  );

  app.get(
    '/api/v1/console/returns.csv',
    {
      config: access.leads,
      schema: {
        tags: ['console'],
        summary: `A queue or search as CSV (supervisors and admins; at most ${EXPORT_LIMIT.toLocaleString('en-US')} rows)`,
        description:
          'The rows of `GET /api/v1/console/returns` with the same `queue` and `q`, in the same order. When the limit cut the list short the answer says so in the `Returnflow-Truncated: true` header.',
        querystring: Type.Object(
          {
            queue: Type.Optional(Type.Enum(QUEUES, { default: 'all' })),
            q: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        produces: ['text/csv'],
        response: {
          200: Type.String({ description: 'CSV with a header row (UTF-8 with BOM).' }),
          ...errorResponses(),
        },
      },
    },
    async (request, reply) => {
      const { csv, fileName, truncated } = await support.exportQueue(authOf(request).tenantId, {
        queue: request.query.queue ?? 'all',
        ...(request.query.q ? { q: request.query.q } : {}),
      });
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .header('returnflow-truncated', String(truncated))
        .send(csv);
    },
  );

  app.get(
    '/api/v1/console/returns/:id',
    {
      schema: {
        tags: ['console'],
        summary:
          'Everything about one case: the return, its order and money, the customer and their history, the timeline',
        params: IdParams,
        querystring: Type.Object(
          {
            lang: Type.Optional(
              Type.String({
                maxLength: 20,
                description: "en, zh-CN or es: the policy decision's explanation in the agent's language.",
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            return: Type.Unknown(),
            order: Type.Unknown(),
            customer: Type.Unknown(),
            events: Type.Array(Type.Unknown()),
            sourcing: Type.Unknown({
              description:
                'Purchasing agents: line stages, seller claims, abuse signals; null for merchants.',
            }),
          }),
          ...errorResponses(404),
        },
      },
    },
    async (request) => support.getCase(authOf(request).tenantId, request.params.id, request.query.lang),
  );

  app.post(
    '/api/v1/returns/:id/notes',
    {
      config: {
        ...access.desk,
        replayCommitted: async (request, id) => ({
          statusCode: 200,
          body: { data: await support.listEvents(authOf(request).tenantId, id) },
        }),
      },
      schema: {
        tags: ['console'],
        summary: 'Add an internal note (staff only; the customer never sees it)',
        params: IdParams,
        body: Type.Object(
          { note: Type.String({ minLength: 1, maxLength: 4000 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ data: Type.Array(Type.Unknown()) }), ...errorResponses(404) },
      },
    },
    async (request) => ({
      data: await support.addNote(
        authOf(request).tenantId,
        request.params.id,
        request.body.note,
        actorOf(request),
      ),
    }),
  );

  app.post(
    '/api/v1/returns/bulk',
    {
      config: access.desk,
      schema: {
        tags: ['console'],
        summary: 'Approve or reject several returns at once; each answers for itself',
        body: Type.Object(
          {
            ids: Type.Array(Type.String({ maxLength: 100 }), {
              minItems: 1,
              maxItems: 100,
              uniqueItems: true,
            }),
            action: Type.Enum(['approve', 'reject']),
            note: Type.Optional(
              Type.String({
                maxLength: 4000,
                description: 'What the customer reads: needed to reject, as it says why.',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            results: Type.Array(
              Type.Object({
                id: Type.String(),
                ok: Type.Boolean(),
                status: Type.Optional(Type.String()),
                error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
              }),
            ),
          }),
          ...errorResponses(),
        },
      },
    },
    async (request) => support.decideReturns(authOf(request).tenantId, request.body, actorOf(request)),
  );

  app.get(
    '/api/v1/macros',
    {
      config: access.desk,
      schema: {
        tags: ['console'],
        summary: 'Saved replies',
        response: { 200: Type.Object({ data: Type.Array(Type.Unknown()) }), ...errorResponses() },
      },
    },
    async (request) => ({ data: await support.listMacros(authOf(request).tenantId) }),
  );
  app.post(
    '/api/v1/macros',
    {
      config: access.leads,
      schema: {
        tags: ['console'],
        summary: 'Save a reply with variables, and optionally a decision',
        body: MacroBody,
        response: { 201: Type.Unknown(), ...errorResponses(409, 422) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await support.createMacro(authOf(request).tenantId, request.body)),
  );
  app.put(
    '/api/v1/macros/:id',
    {
      config: access.leads,
      schema: {
        tags: ['console'],
        summary: 'Change a saved reply',
        params: IdParams,
        body: MacroBody,
        response: { 200: Type.Unknown(), ...errorResponses(404, 409, 422) },
      },
    },
    async (request) => support.updateMacro(authOf(request).tenantId, request.params.id, request.body),
  );
  app.delete(
    '/api/v1/macros/:id',
    {
      config: access.leads,
      schema: {
        tags: ['console'],
        summary: 'Delete a saved reply',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await support.removeMacro(authOf(request).tenantId, request.params.id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/v1/returns/:id/macro-preview',
    {
      config: access.desk,
      schema: {
        tags: ['console'],
        summary: "A macro's text filled in for this return, and the decision it would make: nothing is sent",
        params: IdParams,
        body: Type.Object({ macroId: Type.String({ maxLength: 100 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            message: Type.String(),
            action: Nullable(Type.String({ description: 'approve or reject, applied with the message' })),
            allowed: Type.Boolean({ description: "Whether the return's status allows the action now." }),
          }),
          ...errorResponses(404),
        },
      },
    },
    async (request) =>
      support.previewMacro(
        authOf(request).tenantId,
        request.params.id,
        request.body.macroId,
        actorOf(request),
      ),
  );

  app.post(
    '/api/v1/returns/:id/apply-macro',
    {
      config: access.desk,
      schema: {
        tags: ['console'],
        summary:
          "Apply a saved reply: its decision first (if any), then the message with the return's values filled in",
        params: IdParams,
        body: Type.Object(
          {
            macroId: Type.String({ maxLength: 100 }),
            expectedVersion: Type.Optional(Type.Integer({ minimum: 1 })),
            message: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 4000,
                description: 'The text to send instead of the filled macro (the agent edited it).',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Unknown(), ...errorResponses(404, 409, 422) },
      },
    },
    async (request) =>
      support.applyMacro(authOf(request).tenantId, request.params.id, request.body, actorOf(request)),
  );

  app.get(
    '/api/v1/console/returns/:id/stream',
    {
      schema: {
        tags: ['console'],
        summary: 'Live changes of one case and who else is on it (Server-Sent Events)',
        params: IdParams,
      },
    },
    async (request, reply) => {
      const { realtime, channels } = await support.caseStream(authOf(request).tenantId, request.params.id);
      streamSse(request, reply, { realtime, channels, holder: `actor:${authOf(request).actorId}` });
    },
  );

  app.post(
    '/api/v1/returns/:id/presence',
    {
      schema: {
        tags: ['console'],
        summary: 'Tell the others on this case that you are looking at it (send every 15 s) or have left',
        params: IdParams,
        body: Type.Object(
          { state: Type.Enum(['viewing', 'editing', 'left']) },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await support.announcePresence(
        authOf(request).tenantId,
        request.params.id,
        request.body.state,
        actorOf(request),
      );
      return reply.code(204).send(null);
    },
  );
}
