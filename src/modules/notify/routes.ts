import { type Static, Type } from 'typebox';
import { AppError } from '../../platform/errors.ts';
import { access } from '../../platform/http/access.ts';
import { ErrorResponse, errorResponses, IdParams, Nullable } from '../../platform/http/schemas.ts';
import { type AppInstance, authOf } from '../../platform/http/server.ts';
import { liveChannel } from '../realtime/channels.ts';
import type { Realtime } from '../realtime/hub.ts';
import { streamSse } from '../realtime/sse.ts';
import { CATEGORIES, CHANNELS, type ChannelPrefs, isTimeZone, WEBHOOK_EVENTS } from './notify-rules.ts';
import type { NotifyService } from './service.ts';
import type { NotifySettings } from './settings.ts';
import { isE164, smsSegments } from './sms.ts';
import { SmsCallbackSignatureError } from './sms-sender.ts';
import { LOCALES, type Locale, NOTIFY_EVENTS, type NotifyEvent } from './templates.ts';
import { verifyUnsubscribe } from './unsubscribe-token.ts';
import type { WebhookService } from './webhooks.ts';

const SettingsBody = Type.Object(
  {
    senderName: Type.Optional(
      Type.String({
        maxLength: 100,
        description: "The name emails come from; empty for the shop's own name.",
      }),
    ),
    senderEmail: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
    replyTo: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 320 }))),
    defaultLocale: Type.Optional(Type.Enum(LOCALES)),
    criticalCategories: Type.Optional(Type.Array(Type.Enum(CATEGORIES), { uniqueItems: true })),
    quietHours: Type.Optional(
      Nullable(
        Type.Object(
          {
            start: Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' }),
            end: Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' }),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    digestWindowMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 1440 })),
    defaultTimeZone: Type.Optional(Type.String({ maxLength: 64 })),
    sms: Type.Optional(
      Nullable(
        Type.Object(
          {
            accountSid: Type.String({ pattern: '^AC[0-9a-fA-F]{32}$' }),
            authToken: Type.String({ minLength: 8, maxLength: 200 }),
            from: Type.String({
              minLength: 3,
              maxLength: 40,
              description: 'E.164 number or a Messaging Service SID (MG…).',
            }),
            baseUrl: Type.Optional(Type.String({ format: 'uri', maxLength: 300 })),
          },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { additionalProperties: false },
);

const SettingsView = Type.Object({
  senderName: Type.String(),
  senderEmail: Type.String(),
  replyTo: Nullable(Type.String()),
  defaultLocale: Type.String(),
  criticalCategories: Type.Array(Type.String()),
  quietHours: Nullable(Type.Object({ start: Type.String(), end: Type.String() })),
  digestWindowMinutes: Type.Integer(),
  defaultTimeZone: Type.String(),
  smsConfigured: Type.Boolean(),
});

const TEMPLATE_FIELDS = {
  subject: Type.Optional(Type.String({ maxLength: 300 })),
  text: Type.Optional(Type.String({ maxLength: 20_000 })),
  html: Type.Optional(Type.String({ maxLength: 100_000 })),
  sms: Type.Optional(Type.String({ maxLength: 1_000 })),
};
const TemplateBody = Type.Object(TEMPLATE_FIELDS, { additionalProperties: false });
const TemplateParams = Type.Object({ event: Type.Enum(NOTIFY_EVENTS), locale: Type.Enum(LOCALES) });

// The template's four fields rather than Unknown: the serializer then drops any stored key that
// is not one of them, so nothing but template copy leaves the server.
const TemplateView = Type.Object({
  event: Type.Enum(NOTIFY_EVENTS),
  locale: Type.Enum(LOCALES),
  overridden: Type.Boolean({ description: 'Whether the shop has rewritten this notification.' }),
  override: Nullable(Type.Object(TEMPLATE_FIELDS), {
    description: "The shop's fields; a field left out (or blank) uses the built-in text.",
  }),
  builtIn: Type.Required(Type.Object(TEMPLATE_FIELDS), {
    description: 'What customers get where the shop has not rewritten a field (`html` is a body fragment).',
  }),
});

const ChannelPrefsSchema = Type.Object(
  Object.fromEntries(
    CHANNELS.map((c) => [
      c,
      Type.Optional(
        Type.Object(
          {
            enabled: Type.Optional(Type.Boolean()),
            categories: Type.Optional(
              Type.Object(Object.fromEntries(CATEGORIES.map((k) => [k, Type.Optional(Type.Boolean())])), {
                additionalProperties: false,
              }),
            ),
          },
          { additionalProperties: false },
        ),
      ),
    ]),
  ),
  { additionalProperties: false },
);

const PreferencesBody = Type.Object(
  {
    locale: Type.Optional(Nullable(Type.Enum(LOCALES))),
    timeZone: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    phone: Type.Optional(Nullable(Type.String({ maxLength: 20, description: 'E.164, e.g. +34600111222' }))),
    channels: Type.Optional(ChannelPrefsSchema),
  },
  { additionalProperties: false },
);
type PreferencesBody = Static<typeof PreferencesBody>;

const PreferencesView = Type.Object({
  locale: Nullable(Type.String()),
  timeZone: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  channels: Type.Unknown({ description: 'Per channel: enabled, and categories turned on or off.' }),
});

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

const WebhookView = Type.Object({
  id: Type.String(),
  url: Type.String(),
  description: Nullable(Type.String()),
  events: Type.Array(Type.String()),
  active: Type.Boolean(),
  rotatingUntil: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  secret: Type.Optional(Type.String({ description: 'Shown only when created or rotated.' })),
});

const DeliveryView = Type.Object({
  id: Type.String(),
  event: Type.String({ description: 'The notification, e.g. return_in_transit.' }),
  webhookType: Type.Optional(
    Nullable(
      Type.String({ description: 'Webhooks: the event type the receiver gets, e.g. return.in_transit.' }),
    ),
  ),
  channel: Type.String(),
  recipient: Type.String(),
  returnId: Nullable(Type.String()),
  customerId: Nullable(Type.String()),
  status: Type.String({
    description: 'queued, digest_pending, sending, sent, stored, delivered, failed, bounced, dead',
  }),
  attempts: Type.Integer(),
  providerId: Nullable(Type.String()),
  lastError: Nullable(Type.String()),
  sendAfter: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export type TrackingAccess = { tenantId: string; returnId: string; customerId: string };

export function registerNotifyRoutes(
  app: AppInstance,
  deps: {
    notify: NotifyService;
    settings: NotifySettings;
    webhooks: WebhookService;
    realtime: Realtime;
    resolveTracking: (token: string) => Promise<TrackingAccess>;
    customers: {
      require: (
        tenantId: string,
        id: string,
      ) => Promise<{ id: string; phone: string | null; locale: string | null; timeZone: string | null }>;
      updateContact: (
        tenantId: string,
        id: string,
        c: { phone?: string | null; locale?: string | null; timeZone?: string | null },
      ) => Promise<unknown>;
    };
    unsubscribeKey: Buffer;
    publicRateLimit: number;
  },
): void {
  const { notify, settings, webhooks } = deps;
  const publicConfig = { public: true, rateLimit: { max: deps.publicRateLimit, timeWindow: '1 minute' } };

  async function readPreferences(tenantId: string, customerId: string) {
    const c = await deps.customers.require(tenantId, customerId);
    return {
      locale: c.locale,
      timeZone: c.timeZone,
      phone: c.phone,
      channels: await settings.preferences(tenantId, customerId),
    };
  }

  async function writePreferences(tenantId: string, customerId: string, body: PreferencesBody) {
    if (body.phone && !isE164(body.phone)) {
      throw new AppError(
        422,
        'invalid_phone',
        'Give the phone number in international form, e.g. +34600111222.',
      );
    }
    if (body.timeZone && !isTimeZone(body.timeZone))
      throw new AppError(422, 'invalid_time_zone', `"${body.timeZone}" is not a time zone.`);
    await deps.customers.updateContact(tenantId, customerId, {
      phone: body.phone,
      locale: body.locale,
      timeZone: body.timeZone,
    });
    if (body.channels) await settings.setPreferences(tenantId, customerId, body.channels as ChannelPrefs);
    return readPreferences(tenantId, customerId);
  }

  // --- settings and templates ------------------------------------------------------------
  app.get(
    '/api/v1/notification-settings',
    {
      config: access.admin,
      schema: {
        tags: ['notifications'],
        summary: 'Sender, languages, quiet hours, digest and critical categories',
        response: { 200: SettingsView, ...errorResponses() },
      },
    },
    async (request) => settings.settings(authOf(request).tenantId),
  );
  app.put(
    '/api/v1/notification-settings',
    {
      config: access.admin,
      schema: {
        tags: ['notifications'],
        summary: 'Change notification settings (fields left out stay as they are)',
        description: '`sms` connects a Twilio account (sealed; never read back); `null` disconnects it.',
        body: SettingsBody,
        response: { 200: SettingsView, ...errorResponses(422) },
      },
    },
    async (request) => settings.updateSettings(authOf(request).tenantId, request.body as never),
  );
  app.get(
    '/api/v1/notification-templates',
    {
      config: access.admin,
      schema: {
        tags: ['notifications'],
        summary: 'Every notification × language: the built-in text, and what the shop has rewritten',
        response: { 200: Type.Object({ data: Type.Array(TemplateView) }), ...errorResponses() },
      },
    },
    async (request) => ({ data: await settings.listTemplates(authOf(request).tenantId) }),
  );
  app.put(
    '/api/v1/notification-templates/:event/:locale',
    {
      config: access.admin,
      schema: {
        tags: ['notifications'],
        summary: "Rewrite a notification's subject, text, HTML body or SMS for one language",
        description:
          'Placeholders: {{customerName}}, {{rmaNumber}}, {{orderNumber}}, {{trackingUrl}}, {{refundAmount}}, {{items}}, {{explanation}}, {{message}}, {{shopName}}, {{unsubscribeUrl}}, … Unknown placeholders are refused.',
        params: TemplateParams,
        body: TemplateBody,
        response: { 204: Type.Null(), ...errorResponses(422) },
      },
    },
    async (request, reply) => {
      await settings.putTemplateOverride(
        authOf(request).tenantId,
        request.params.event,
        request.params.locale,
        request.body,
      );
      return reply.code(204).send(null);
    },
  );
  app.delete(
    '/api/v1/notification-templates/:event/:locale',
    {
      config: access.admin,
      schema: {
        tags: ['notifications'],
        summary: 'Go back to the default template',
        params: TemplateParams,
        response: { 204: Type.Null(), ...errorResponses() },
      },
    },
    async (request, reply) => {
      await settings.deleteTemplateOverride(
        authOf(request).tenantId,
        request.params.event,
        request.params.locale,
      );
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/v1/notification-templates/:event/:locale/preview',
    {
      config: access.admin,
      schema: {
        tags: ['notifications'],
        summary: 'Render a notification (with unsaved changes) for a real return or sample values',
        params: TemplateParams,
        body: Type.Object(
          { returnId: Type.Optional(Type.String({ maxLength: 100 })), template: Type.Optional(TemplateBody) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            subject: Type.String(),
            text: Type.String(),
            html: Type.String(),
            sms: Type.String(),
            smsSegments: Type.Object({
              encoding: Type.String(),
              segments: Type.Integer(),
              units: Type.Integer(),
            }),
          }),
          ...errorResponses(404),
        },
      },
    },
    async (request) => {
      const r = await notify.preview(
        authOf(request).tenantId,
        request.params.event as NotifyEvent,
        request.params.locale as Locale,
        request.body?.returnId,
        request.body?.template,
      );
      const seg = smsSegments(r.sms);
      return { ...r, smsSegments: { encoding: seg.encoding, segments: seg.segments, units: seg.units } };
    },
  );

  // --- deliveries ------------------------------------------------------------------------
  app.get(
    '/api/v1/notifications',
    {
      config: access.leads,
      schema: {
        tags: ['notifications'],
        summary:
          'Notifications sent or waiting, newest first (the stored email outbox when SMTP is not configured)',
        querystring: Type.Object(
          {
            channel: Type.Optional(Type.Enum(['email', 'sms', 'in_app', 'webhook'])),
            status: Type.Optional(Type.String({ maxLength: 20 })),
            returnId: Type.Optional(Type.String({ maxLength: 100 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
            cursor: Type.Optional(Type.String({ maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ data: Type.Array(DeliveryView), nextCursor: Nullable(Type.String()) }),
          ...errorResponses(),
        },
      },
    },
    async (request) => notify.listDeliveries(authOf(request).tenantId, request.query),
  );
  app.get(
    '/api/v1/notifications/:id',
    {
      config: access.leads,
      schema: {
        tags: ['notifications'],
        summary:
          'One notification: what was sent (subject, text, HTML, SMS body or webhook payload) and every attempt',
        params: IdParams,
        response: {
          200: Type.Object({
            ...DeliveryView.properties,
            content: Type.Unknown(),
            attempts: Type.Array(Type.Unknown()),
            eventKey: Type.String(),
          }),
          ...errorResponses(404),
        },
      },
    },
    async (request) => notify.getDelivery(authOf(request).tenantId, request.params.id),
  );
  app.post(
    '/api/v1/notifications/:id/replay',
    {
      config: access.admin,
      schema: {
        tags: ['notifications'],
        summary: 'Send a dead or failed notification again',
        params: IdParams,
        response: { 200: Type.Unknown(), ...errorResponses(404, 409) },
      },
    },
    async (request) => notify.replayDelivery(authOf(request).tenantId, request.params.id),
  );

  // --- webhooks --------------------------------------------------------------------------
  const WebhookBody = Type.Object(
    {
      url: Type.String({ maxLength: 2000 }),
      events: Type.Array(Type.String({ maxLength: 64 }), {
        minItems: 1,
        maxItems: 50,
        description: `"*" or any of: ${WEBHOOK_EVENTS.join(', ')}`,
      }),
      description: Type.Optional(Type.String({ maxLength: 200 })),
    },
    { additionalProperties: false },
  );
  app.post(
    '/api/v1/webhooks',
    {
      config: access.admin,
      schema: {
        tags: ['webhooks'],
        summary: 'Register a webhook endpoint (the signing secret is shown once)',
        body: WebhookBody,
        response: { 201: WebhookView, ...errorResponses(422) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await webhooks.create(authOf(request).tenantId, request.body)),
  );
  app.get(
    '/api/v1/webhooks',
    {
      config: access.admin,
      schema: {
        tags: ['webhooks'],
        summary: 'Webhook endpoints',
        response: { 200: Type.Object({ data: Type.Array(WebhookView) }), ...errorResponses() },
      },
    },
    async (request) => ({ data: await webhooks.list(authOf(request).tenantId) }),
  );
  app.get(
    '/api/v1/webhooks/:id',
    {
      config: access.admin,
      schema: {
        tags: ['webhooks'],
        summary: 'One webhook endpoint',
        params: IdParams,
        response: { 200: WebhookView, ...errorResponses(404) },
      },
    },
    async (request) => webhooks.get(authOf(request).tenantId, request.params.id),
  );
  app.put(
    '/api/v1/webhooks/:id',
    {
      config: access.admin,
      schema: {
        tags: ['webhooks'],
        summary: 'Change a webhook endpoint',
        params: IdParams,
        body: Type.Object(
          {
            url: Type.Optional(Type.String({ maxLength: 2000 })),
            events: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 50 })),
            description: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
            active: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: WebhookView, ...errorResponses(404, 422) },
      },
    },
    async (request) => webhooks.update(authOf(request).tenantId, request.params.id, request.body),
  );
  app.delete(
    '/api/v1/webhooks/:id',
    {
      config: access.admin,
      schema: {
        tags: ['webhooks'],
        summary: 'Remove a webhook endpoint',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await webhooks.remove(authOf(request).tenantId, request.params.id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/v1/webhooks/:id/rotate-secret',
    {
      config: access.admin,
      schema: {
        tags: ['webhooks'],
        summary: 'Rotate the signing secret (the old one keeps signing for 24 hours)',
        params: IdParams,
        response: { 200: WebhookView, ...errorResponses(404) },
      },
    },
    async (request) => webhooks.rotateSecret(authOf(request).tenantId, request.params.id),
  );
  app.post(
    '/api/v1/webhooks/:id/test',
    {
      config: access.admin,
      schema: {
        tags: ['webhooks'],
        summary: 'Send a signed `ping` now and show what the endpoint answered',
        params: IdParams,
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            statusCode: Nullable(Type.Integer()),
            durationMs: Type.Integer(),
            error: Nullable(Type.String()),
            responseExcerpt: Nullable(
              Type.String({
                description: "The first 200 characters of the endpoint's answer, to recognise the receiver",
              }),
            ),
          }),
          ...errorResponses(404),
        },
      },
    },
    async (request) => webhooks.testSend(authOf(request).tenantId, request.params.id),
  );

  // --- customers: preferences, inbox, live stream -------------------------------------------
  app.get(
    '/api/v1/customers/:id/preferences',
    {
      config: access.desk,
      schema: {
        tags: ['notifications'],
        summary: "A customer's language, time zone, phone and channel choices",
        params: IdParams,
        response: { 200: PreferencesView, ...errorResponses(404) },
      },
    },
    async (request) => readPreferences(authOf(request).tenantId, request.params.id),
  );
  app.put(
    '/api/v1/customers/:id/preferences',
    {
      config: access.desk,
      schema: {
        tags: ['notifications'],
        summary: "Change a customer's notification preferences",
        params: IdParams,
        body: PreferencesBody,
        response: { 200: PreferencesView, ...errorResponses(404, 422) },
      },
    },
    async (request) => writePreferences(authOf(request).tenantId, request.params.id, request.body),
  );

  const TokenParams = Type.Object({ token: Type.String({ maxLength: 100 }) });
  app.get(
    '/api/v1/track/:token/preferences',
    {
      config: publicConfig,
      schema: {
        tags: ['tracking'],
        summary: 'The customer’s own notification preferences',
        security: [],
        params: TokenParams,
        response: { 200: PreferencesView, 404: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (request) => {
      const a = await deps.resolveTracking(request.params.token);
      return readPreferences(a.tenantId, a.customerId);
    },
  );
  app.put(
    '/api/v1/track/:token/preferences',
    {
      config: publicConfig,
      schema: {
        tags: ['tracking'],
        summary: 'Change the customer’s own notification preferences',
        security: [],
        params: TokenParams,
        body: PreferencesBody,
        response: {
          200: PreferencesView,
          400: ErrorResponse,
          404: ErrorResponse,
          422: ErrorResponse,
          429: ErrorResponse,
        },
      },
    },
    async (request) => {
      const a = await deps.resolveTracking(request.params.token);
      return writePreferences(a.tenantId, a.customerId, request.body);
    },
  );
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

  // --- unsubscribe -------------------------------------------------------------------------
  // GET shows a page with a button, because mail scanners follow links; POST (the button, or a
  // mail client's RFC 8058 one-click) does it.
  app.register(async (scope: AppInstance) => {
    // The confirm button and RFC 8058 one-click clients post a form body; nothing in it matters.
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_req, body, done) => done(null, body),
    );
    // Twilio's delivery callbacks are form bodies too, verified against the raw text.
    scope.post(
      '/api/v1/webhooks/sms/twilio/:tenantId/:token',
      {
        config: publicConfig,
        schema: {
          tags: ['notifications'],
          summary: 'Twilio status callback (signed with X-Twilio-Signature)',
          security: [],
          params: Type.Object({
            tenantId: Type.String({ maxLength: 100 }),
            token: Type.String({ maxLength: 100 }),
          }),
        },
      },
      async (request) => {
        const url = notify.smsCallbackUrl(request.params.tenantId);
        try {
          return await notify.smsStatus(
            request.params.tenantId,
            request.params.token,
            url,
            String(request.body ?? ''),
            request.headers,
          );
        } catch (e) {
          if (e instanceof SmsCallbackSignatureError) throw new AppError(400, 'invalid_signature', e.message);
          throw e;
        }
      },
    );
    const UnsubParams = Type.Object({ token: Type.String({ maxLength: 400 }) });
    scope.get(
      '/u/:token',
      { config: publicConfig, schema: { hide: true, params: UnsubParams } },
      async (request, reply) => {
        const claim = verifyUnsubscribe(deps.unsubscribeKey, request.params.token);
        reply.type('text/html; charset=utf-8');
        if (!claim) return reply.code(404).send(page('This link is not valid.', ''));
        const what =
          claim.channel === 'sms'
            ? 'text messages'
            : claim.channel === 'email'
              ? 'emails'
              : 'in-app messages';
        return page(
          `Stop ${what} about your returns?`,
          `<form method="post"><button type="submit" style="font-size:1rem;padding:.6rem 1.2rem">Unsubscribe</button></form>`,
        );
      },
    );
    scope.post(
      '/u/:token',
      { config: publicConfig, schema: { hide: true, params: UnsubParams } },
      async (request, reply) => {
        const claim = verifyUnsubscribe(deps.unsubscribeKey, request.params.token);
        reply.type('text/html; charset=utf-8');
        if (!claim) return reply.code(404).send(page('This link is not valid.', ''));
        await settings.setPreferences(claim.tenantId, claim.customerId, {
          [claim.channel]: { enabled: false },
        });
        return page(
          'You are unsubscribed.',
          '<p>You can turn messages back on from your return tracking page.</p>',
        );
      },
    );
  });
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title></head><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem"><h1 style="font-size:1.4rem">${title}</h1>${body}</body></html>`;
}
