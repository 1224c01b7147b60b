import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { spreadsheetCsv } from '../../platform/csv.ts';
import { AppError } from '../../platform/errors.ts';
import { access } from '../../platform/http/access.ts';
import { errorResponses, IdParams, Nullable } from '../../platform/http/schemas.ts';
import { type AppInstance, authOf } from '../../platform/http/server.ts';
import { currencyExponent, formatMoneyFor, minorToDecimalString } from '../../platform/money.ts';
import type { OrdersService } from '../orders/service.ts';
import { type Policy, PolicySchema, validatePolicy } from '../policy/policy-schema.ts';
import { liveChannel } from '../realtime/channels.ts';
import type { Realtime } from '../realtime/hub.ts';
import { streamSse } from '../realtime/sse.ts';
import { QUEUES } from '../returns/console-queue.ts';
import type { createReturnActions } from '../returns/return-actions.ts';
import { type Actor, type ConsoleQueries, localized, type ReturnsService } from '../returns/service.ts';
import { MACRO_ACTIONS, type Macros, renderMacro } from './macros.ts';

/** The most rows one CSV export carries: a spreadsheet's worth, read in one query. */
const EXPORT_LIMIT = 10_000;
type QueueRow = Awaited<ReturnType<ConsoleQueries['list']>>['data'][number];
/** The CSV's columns and how each is read: money as a decimal of the currency (12.50, not 1250), times in UTC. */
const EXPORT_COLUMNS: [string, (r: QueueRow) => unknown][] = [
  ['rmaNumber', (r) => r.rmaNumber],
  ['status', (r) => r.status],
  ['resolution', (r) => r.resolution],
  ['orderNumber', (r) => r.orderNumber],
  ['customerName', (r) => r.customerName],
  ['customerEmail', (r) => r.customerEmail],
  ['currency', (r) => r.currency],
  ['refund', (r) => minorToDecimalString(Number(r.customerTotal), currencyExponent(r.currency))],
  ['refundStatus', (r) => r.refundStatus],
  ['createdAt', (r) => r.createdAt],
  ['updatedAt', (r) => r.updatedAt],
  ['slaDueAt', (r) => r.sla?.dueAt ?? ''],
  ['slaState', (r) => r.sla?.state ?? ''],
];

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

export function registerSupportRoutes(
  app: AppInstance,
  deps: {
    consoleQueries: ConsoleQueries;
    returns: ReturnsService;
    actions: ReturnType<typeof createReturnActions>;
    orders: OrdersService;
    macros: Macros;
    realtime: Realtime;
    now: () => Date;
    userName: (tenantId: string, userId: string) => Promise<string | null>;
    previewPolicy: (tenantId: string, policy: Policy, now: Date) => Promise<unknown>;
    /** Purchasing agents: line stages, seller claims and abuse signals beside the case (null for merchants). */
    sourcingOf: (
      tenantId: string,
      ret: { id: string; orderId: string; customerId: string },
    ) => Promise<unknown | null>;
  },
): void {
  const { consoleQueries, returns, actions, macros } = deps;
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
    async (request) => {
      const problems = validatePolicy(request.body);
      if (problems.length)
        throw new AppError(
          422,
          'invalid_policy',
          `The policy is not valid: ${problems[0]!.path} ${problems[0]!.message}.`,
          problems,
        );
      return deps.previewPolicy(authOf(request).tenantId, request.body, deps.now());
    },
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
    async (request) => consoleQueries.counts(authOf(request).tenantId, deps.now()),
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
      consoleQueries.list(
        authOf(request).tenantId,
        {
          queue: request.query.queue ?? 'all',
          limit: request.query.limit ?? 25,
          ...(request.query.q ? { q: request.query.q } : {}),
          ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
        },
        deps.now(),
      ),
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
      const { tenantId } = authOf(request);
      const queue = request.query.queue ?? 'all';
      const now = deps.now();
      // The list's own query and order, in one page as long as the limit.
      const { data, nextCursor } = await consoleQueries.list(
        tenantId,
        { queue, limit: EXPORT_LIMIT, ...(request.query.q ? { q: request.query.q } : {}) },
        now,
      );
      const csv = spreadsheetCsv(
        data.map((r) => Object.fromEntries(EXPORT_COLUMNS.map(([name, read]) => [name, read(r)]))),
        EXPORT_COLUMNS.map(([name]) => name),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="returns-${queue}-${now.toISOString().slice(0, 10)}.csv"`,
        )
        .header('returnflow-truncated', String(nextCursor !== null))
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
    async (request) => {
      const { tenantId } = authOf(request);
      const ret = await returns.getReturn(tenantId, request.params.id);
      const [order, customer, history, events, sourcing] = await Promise.all([
        deps.orders.orderWithPayment(tenantId, ret.orderId),
        deps.orders.requireCustomer(tenantId, ret.customerId),
        consoleQueries.customerHistory(tenantId, ret.customerId),
        returns.listEvents(tenantId, ret.id),
        deps.sourcingOf(tenantId, ret),
      ]);
      const { lang } = request.query;
      const decision =
        ret.decision && lang ? { ...ret.decision, explanation: localized(ret.decision, lang) } : ret.decision;
      return { return: { ...ret, decision }, order, customer: { ...customer, history }, events, sourcing };
    },
  );

  app.post(
    '/api/v1/returns/:id/notes',
    {
      config: {
        ...access.desk,
        replayCommitted: async (request, id) => ({
          statusCode: 200,
          body: { data: await returns.listEvents(authOf(request).tenantId, id) },
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
      data: await returns.addNote(
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
    async (request) => {
      const { tenantId } = authOf(request);
      if (request.body.action === 'reject' && !request.body.note?.trim()) {
        throw new AppError(422, 'reason_required', 'Say why they are rejected: the customers read it.');
      }
      const results = [];
      // One transaction per return: a refused one (already decided, another tenant's) does not undo the others.
      for (const id of request.body.ids) {
        try {
          const r = await actions.performAction(
            tenantId,
            id,
            request.body.action,
            request.body.note ? { note: request.body.note } : {},
            actorOf(request),
          );
          results.push({ id, ok: true, status: r.status });
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          results.push({ id, ok: false, error: { code: e.code, message: e.message } });
        }
      }
      return { results };
    },
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
    async (request) => ({ data: await macros.list(authOf(request).tenantId) }),
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
      reply.code(201).send(await macros.create(authOf(request).tenantId, request.body)),
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
    async (request) => macros.update(authOf(request).tenantId, request.params.id, request.body),
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
      await macros.remove(authOf(request).tenantId, request.params.id);
      return reply.code(204).send(null);
    },
  );
  /** A macro's text with this return's values filled in, and the decision it carries. */
  async function fillMacro(request: FastifyRequest, macroId: string) {
    const auth = authOf(request);
    const id = (request.params as { id: string }).id;
    const macro = await macros.get(auth.tenantId, macroId);
    const ret = await returns.getReturn(auth.tenantId, id);
    const order = await deps.orders.getOrder(auth.tenantId, ret.orderId);
    const customer = await deps.orders.requireCustomer(auth.tenantId, ret.customerId);
    const agentName =
      auth.actorType === 'staff' ? ((await deps.userName(auth.tenantId, auth.actorId)) ?? '') : '';
    const message = renderMacro(macro.body, {
      customerName: customer.name || customer.email.split('@')[0]!,
      rmaNumber: ret.rmaNumber,
      orderNumber: order?.orderNumber ?? '',
      // As every page shows money ("$104.07"), not the code-first form of internal notes.
      refundAmount: formatMoneyFor(ret.refundQuote.breakdown?.total ?? ret.refundTotal, ret.currency, 'en'),
      status: ret.status.replaceAll('_', ' '),
      agentName,
    });
    return { macro, ret, message };
  }

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
    async (request) => {
      const { macro, ret, message } = await fillMacro(request, request.body.macroId);
      const action = macro.action === 'approve' || macro.action === 'reject' ? macro.action : null;
      return { message, action, allowed: action === null || ret.allowedActions.includes(action) };
    },
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
    async (request) => {
      const auth = authOf(request);
      const { macro, ret, message: filled } = await fillMacro(request, request.body.macroId);
      // The agent's edit of the filled text, when they changed it before sending.
      const message = request.body.message ?? filled;
      if (macro.action === 'approve' || macro.action === 'reject') {
        await actions.performAction(
          auth.tenantId,
          ret.id,
          macro.action,
          request.body.expectedVersion ? { expectedVersion: request.body.expectedVersion } : {},
          actorOf(request),
        );
      } else if (request.body.expectedVersion && request.body.expectedVersion !== ret.version) {
        throw new AppError(
          409,
          'stale_return',
          'This return changed since you loaded it; reload to see what changed.',
        );
      }
      return returns.sendMessage(auth.tenantId, ret.id, message, actorOf(request));
    },
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
      const ret = await returns.getReturn(authOf(request).tenantId, request.params.id);
      streamSse(request, reply, {
        realtime: deps.realtime,
        channels: [liveChannel.returnUpdates(ret.id), liveChannel.consoleCase(ret.id)],
        holder: `actor:${authOf(request).actorId}`,
      });
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
      const auth = authOf(request);
      const ret = await returns.getReturn(auth.tenantId, request.params.id);
      const name =
        auth.actorType === 'staff'
          ? ((await deps.userName(auth.tenantId, auth.actorId)) ?? 'Someone')
          : 'An integration';
      await deps.realtime.publish({
        // Its own channel: the customer's tracking stream listens on return:<id> and must not
        // learn staff names.
        channel: liveChannel.consoleCase(ret.id),
        event: 'presence',
        data: {
          returnId: ret.id,
          userId: auth.actorId,
          name,
          state: request.body.state,
          at: deps.now().toISOString(),
        },
      });
      return reply.code(204).send(null);
    },
  );
}
