import { Type } from 'typebox';
import { access } from '../../platform/http/access.ts';
import { errorResponses, Nullable } from '../../platform/http/schemas.ts';
import { type AppInstance, authOf } from '../../platform/http/server.ts';
import { CATEGORIES } from './notify-rules.ts';
import type { NotifyRouteDeps } from './routes-deps.ts';
import { smsSegments } from './sms.ts';
import { LOCALES, type Locale, NOTIFY_EVENTS, type NotifyEvent } from './templates.ts';

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

/** Notification settings (sender, quiet hours, digest, SMS account) and the templates: list, rewrite, preview. */
export function registerSettingsRoutes(
  app: AppInstance,
  deps: Pick<NotifyRouteDeps, 'notify' | 'settings'>,
): void {
  const { notify, settings } = deps;
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
}
