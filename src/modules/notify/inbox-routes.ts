import { Type } from 'typebox';
import { AppError } from '../../platform/errors.ts';
import { ErrorResponse, errorResponses, Nullable } from '../../platform/http/schemas.ts';
import { type AppInstance, authOf } from '../../platform/http/server.ts';
import { liveChannel } from '../realtime/channels.ts';
import { streamSse } from '../realtime/sse.ts';
import type { NotifyRouteDeps } from './routes-deps.ts';

const InboxView = Type.Object({
  data: Type.Array(
    Type.Object({
      id: Type.String(),
      returnId: Nullable(Type.String()),
      event: Type.String(),
      title: Type.String(),
      body: Type.String(),
      url: Nullable(Type.String()),
      readAt: Nullable(Type.String()),
      createdAt: Type.String(),
    }),
  ),
  unreadCount: Type.Integer(),
});

/** In-app inboxes and live streams: the customer's on the tracking page, the tenant's queue, the staff user's own. */
export function registerInboxRoutes(
  app: AppInstance,
  deps: Pick<NotifyRouteDeps, 'notify' | 'realtime' | 'resolveTracking' | 'publicRateLimit'>,
): void {
  const { notify } = deps;
  const publicConfig = { public: true, rateLimit: { max: deps.publicRateLimit, timeWindow: '1 minute' } };
  const TokenParams = Type.Object({ token: Type.String({ maxLength: 100 }) });

  // --- customers: inbox, live stream ----------------------------------------------------------
  app.get(
    '/api/v1/track/:token/inbox',
    {
      config: publicConfig,
      schema: {
        tags: ['tracking'],
        summary: 'Messages about this return, newest first, with the unread count',
        security: [],
        params: TokenParams,
        response: { 200: InboxView, 404: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (request) => {
      const a = await deps.resolveTracking(request.params.token);
      return notify.inbox(a.tenantId, { type: 'customer', id: a.customerId }, { returnId: a.returnId });
    },
  );
  app.post(
    '/api/v1/track/:token/inbox/read',
    {
      config: publicConfig,
      schema: {
        tags: ['tracking'],
        summary: 'Mark messages read (some, or all)',
        security: [],
        params: TokenParams,
        body: Type.Object(
          {
            ids: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 200 })),
            all: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: InboxView, 400: ErrorResponse, 404: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (request) => {
      const a = await deps.resolveTracking(request.params.token);
      const who = { type: 'customer' as const, id: a.customerId };
      await notify.markRead(a.tenantId, who, request.body.all ? 'all' : (request.body.ids ?? []), a.returnId);
      return notify.inbox(a.tenantId, who, { returnId: a.returnId });
    },
  );
  app.get(
    '/api/v1/track/:token/stream',
    {
      config: publicConfig,
      schema: {
        tags: ['tracking'],
        summary: 'Live updates of this return and its messages (Server-Sent Events)',
        security: [],
        params: TokenParams,
      },
    },
    async (request, reply) => {
      const a = await deps.resolveTracking(request.params.token);
      streamSse(request, reply, {
        realtime: deps.realtime,
        channels: [liveChannel.returnUpdates(a.returnId), liveChannel.customerInbox(a.customerId)],
        holder: liveChannel.returnUpdates(a.returnId),
      });
    },
  );
  app.get(
    '/api/v1/stream',
    {
      schema: {
        tags: ['notifications'],
        summary: "Live changes of the tenant's returns, for staff screens (Server-Sent Events)",
      },
    },
    async (request, reply) => {
      streamSse(request, reply, {
        realtime: deps.realtime,
        channels: [liveChannel.tenantQueue(authOf(request).tenantId)],
        holder: `actor:${authOf(request).actorId}`,
      });
    },
  );

  // --- staff: own inbox and live stream ------------------------------------------------------
  const staffOnly = (request: Parameters<typeof authOf>[0]) => {
    const a = authOf(request);
    if (a.actorType !== 'staff')
      throw new AppError(403, 'staff_only', 'Sign in as a staff user: an API key has no inbox.');
    return a;
  };
  app.get(
    '/api/v1/me/inbox',
    {
      schema: {
        tags: ['notifications'],
        summary: "The signed-in user's inbox (returns that need them), newest first",
        response: { 200: InboxView, ...errorResponses(403) },
      },
    },
    async (request) => {
      const a = staffOnly(request);
      return notify.inbox(a.tenantId, { type: 'user', id: a.actorId });
    },
  );
  app.post(
    '/api/v1/me/inbox/read',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark inbox items read',
        body: Type.Object(
          {
            ids: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 200 })),
            all: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: InboxView, ...errorResponses(403) },
      },
    },
    async (request) => {
      const a = staffOnly(request);
      const who = { type: 'user' as const, id: a.actorId };
      await notify.markRead(a.tenantId, who, request.body.all ? 'all' : (request.body.ids ?? []));
      return notify.inbox(a.tenantId, who);
    },
  );
  app.get(
    '/api/v1/me/stream',
    {
      schema: {
        tags: ['notifications'],
        summary: "The signed-in user's inbox items and the tenant's queue changes, live (SSE)",
      },
    },
    async (request, reply) => {
      const a = staffOnly(request);
      streamSse(request, reply, {
        realtime: deps.realtime,
        channels: [liveChannel.userInbox(a.actorId), liveChannel.tenantQueue(a.tenantId)],
        holder: `actor:${a.actorId}`,
      });
    },
  );
}
