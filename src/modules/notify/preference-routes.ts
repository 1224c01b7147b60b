import { type Static, Type } from 'typebox';
import { AppError } from '../../platform/errors.ts';
import { access } from '../../platform/http/access.ts';
import { ErrorResponse, errorResponses, IdParams, Nullable } from '../../platform/http/schemas.ts';
import { type AppInstance, authOf } from '../../platform/http/server.ts';
import { CATEGORIES, CHANNELS, type ChannelPrefs, isTimeZone } from './notify-rules.ts';
import type { NotifyRouteDeps } from './routes-deps.ts';
import { isE164 } from './sms.ts';
import { LOCALES } from './templates.ts';

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

/** A customer's language, time zone, phone and channel choices: for staff, and the customer's own on the tracking page. */
export function registerPreferenceRoutes(
  app: AppInstance,
  deps: Pick<NotifyRouteDeps, 'settings' | 'customers' | 'resolveTracking' | 'publicRateLimit'>,
): void {
  const { settings } = deps;
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

  // --- customers: preferences -----------------------------------------------------------------
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
}
