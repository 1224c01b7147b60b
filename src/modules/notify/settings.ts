import type { Selectable } from 'kysely';
import { type Caches, noCaches } from '../../platform/cache.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { parseJson } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { Sealer } from '../../platform/secrets.ts';
import {
  CATEGORIES,
  type Category,
  CHANNELS,
  type Channel,
  type ChannelPrefs,
  isTimeZone,
} from './notify-rules.ts';
import { createTwilioSender, type SmsSender } from './sms-sender.ts';
import type { NotificationSettingsTable, NotificationTemplatesTable } from './tables.ts';
import {
  DEFAULT_TEMPLATES,
  LOCALES,
  type Locale,
  NOTIFY_EVENTS,
  type TemplateSet,
  templateProblems,
} from './templates.ts';

type SettingsRow = Selectable<NotificationSettingsTable>;
type TemplateRow = Pick<Selectable<NotificationTemplatesTable>, 'event' | 'locale' | 'template'>;

export type NotificationSettings = {
  /** The name emails come from; empty: the shop's own name. */
  senderName: string;
  senderEmail: string;
  replyTo: string | null;
  defaultLocale: Locale;
  /** Categories sent even when a customer turned them off (only a channel unsubscribe stops them). */
  criticalCategories: Category[];
  /** SMS waits out these hours in the customer's time zone. */
  quietHours: { start: string; end: string } | null;
  /** Routine status emails within this many minutes go out as one digest; 0 sends each at once. */
  digestWindowMinutes: number;
  /** The zone used when a customer has none. */
  defaultTimeZone: string;
};

export type SmsConfig = { accountSid: string; authToken: string; from: string; baseUrl?: string };

export const DEFAULT_SETTINGS: NotificationSettings = {
  senderName: '',
  senderEmail: 'returns@returnflow.local',
  replyTo: null,
  defaultLocale: 'en',
  criticalCategories: ['money'],
  quietHours: { start: '21:00', end: '08:00' },
  digestWindowMinutes: 0,
  defaultTimeZone: 'UTC',
};

/**
 * Per-tenant notification settings, template overrides and per-customer channel preferences.
 * SMS credentials are sealed and never read back through the API.
 */
export function createNotifySettings(deps: {
  db: Db;
  clock: Clock;
  sealer: Sealer;
  allowProviderBaseUrl: boolean;
  smsTimeoutMs?: number;
  /** Every dispatch reads the tenant's settings and templates (platform/cache.ts). */
  caches?: Caches;
}) {
  const { db, clock, sealer } = deps;
  const caches = deps.caches ?? noCaches;
  /** A tenant without settings is cached as `null`: the defaults apply. */
  const settingsRows = caches.define<SettingsRow | null>('notify.settings');
  /** All of a tenant's template overrides: a dispatch looks up one event × locale among them. */
  const overrides = caches.define<TemplateRow[]>('notify.templates');

  async function settingsRow(tenantId: string): Promise<SettingsRow | null> {
    const row = await settingsRows.get(
      tenantId,
      async () =>
        (await db
          .selectFrom('notificationSettings')
          .selectAll()
          .where('tenantId', '=', tenantId)
          .executeTakeFirst()) ?? null,
    );
    return row ?? null;
  }

  async function settings(tenantId: string): Promise<NotificationSettings & { smsConfigured: boolean }> {
    const row = await settingsRow(tenantId);
    const s = row
      ? { ...DEFAULT_SETTINGS, ...parseJson<Partial<NotificationSettings>>(row.settings) }
      : DEFAULT_SETTINGS;
    return { ...s, smsConfigured: Boolean(row?.sealedSms) };
  }

  return {
    settings,

    async updateSettings(
      tenantId: string,
      input: Partial<NotificationSettings> & { sms?: SmsConfig | null },
    ) {
      const current = await settings(tenantId);
      const { sms, ...rest } = input;
      const next: NotificationSettings = {
        senderName: rest.senderName ?? current.senderName,
        senderEmail: rest.senderEmail ?? current.senderEmail,
        replyTo: rest.replyTo === undefined ? current.replyTo : rest.replyTo,
        defaultLocale: rest.defaultLocale ?? current.defaultLocale,
        criticalCategories: rest.criticalCategories ?? current.criticalCategories,
        quietHours: rest.quietHours === undefined ? current.quietHours : rest.quietHours,
        digestWindowMinutes: rest.digestWindowMinutes ?? current.digestWindowMinutes,
        defaultTimeZone: rest.defaultTimeZone ?? current.defaultTimeZone,
      };
      if (!isTimeZone(next.defaultTimeZone)) {
        throw new AppError(422, 'invalid_time_zone', `"${next.defaultTimeZone}" is not an IANA time zone.`);
      }
      if (sms?.baseUrl && !deps.allowProviderBaseUrl) {
        throw new AppError(
          400,
          'base_url_not_allowed',
          'A different SMS base URL needs ALLOW_PROVIDER_BASE_URL=true.',
        );
      }
      const now = clock.now().toISOString();
      const sealedSms =
        sms === undefined ? undefined : sms === null ? null : sealer.seal(JSON.stringify(sms));
      await db
        .insertInto('notificationSettings')
        .values({ tenantId, settings: JSON.stringify(next), sealedSms: sealedSms ?? null, updatedAt: now })
        .onConflict((oc) =>
          oc.column('tenantId').doUpdateSet({
            settings: JSON.stringify(next),
            updatedAt: now,
            ...(sealedSms === undefined ? {} : { sealedSms }),
          }),
        )
        .execute();
      settingsRows.invalidate(tenantId);
      return settings(tenantId);
    },

    /** The Twilio auth token, which verifies status callbacks; null when no SMS account is set. */
    async smsAuthToken(tenantId: string): Promise<string | null> {
      const row = await settingsRow(tenantId);
      return row?.sealedSms ? (JSON.parse(sealer.open(row.sealedSms)) as SmsConfig).authToken : null;
    },

    async smsSender(tenantId: string): Promise<SmsSender | null> {
      const row = await settingsRow(tenantId);
      if (!row?.sealedSms) return null;
      const cfg = JSON.parse(sealer.open(row.sealedSms)) as SmsConfig;
      return createTwilioSender({ ...cfg, ...(deps.smsTimeoutMs ? { timeoutMs: deps.smsTimeoutMs } : {}) });
    },

    async templateOverride(
      tenantId: string,
      event: string,
      locale: string,
    ): Promise<Partial<TemplateSet> | null> {
      const rows = await overrides.get(tenantId, () =>
        db
          .selectFrom('notificationTemplates')
          .select(['event', 'locale', 'template'])
          .where('tenantId', '=', tenantId)
          .execute(),
      );
      const row = rows?.find((r) => r.event === event && r.locale === locale);
      return row ? parseJson<Partial<TemplateSet>>(row.template) : null;
    },

    /**
     * Every event × locale: the shop's override (if any) beside the built-in copy, so an editor
     * can start from the text customers get today instead of an empty form.
     */
    async listTemplates(tenantId: string) {
      const rows = await db
        .selectFrom('notificationTemplates')
        .selectAll()
        .where('tenantId', '=', tenantId)
        .execute();
      return NOTIFY_EVENTS.flatMap((event) =>
        LOCALES.map((locale) => {
          const row = rows.find((r) => r.event === event && r.locale === locale);
          return {
            event,
            locale,
            overridden: Boolean(row),
            override: row ? parseJson<Partial<TemplateSet>>(row.template) : null,
            builtIn: DEFAULT_TEMPLATES[event][locale],
          };
        }),
      );
    },

    async putTemplateOverride(
      tenantId: string,
      event: string,
      locale: string,
      template: Partial<TemplateSet>,
    ) {
      if (!(NOTIFY_EVENTS as readonly string[]).includes(event))
        throw new AppError(404, 'not_found', `No notification "${event}".`);
      if (!(LOCALES as readonly string[]).includes(locale))
        throw new AppError(404, 'not_found', `No locale "${locale}".`);
      const problems = templateProblems(template);
      if (problems.length) {
        throw new AppError(
          422,
          'invalid_template',
          `The template is not valid: ${problems[0]!.field} ${problems[0]!.message}.`,
          problems,
        );
      }
      const now = clock.now().toISOString();
      await db
        .insertInto('notificationTemplates')
        .values({ tenantId, event, locale, template: JSON.stringify(template), updatedAt: now })
        .onConflict((oc) =>
          oc
            .columns(['tenantId', 'event', 'locale'])
            .doUpdateSet({ template: JSON.stringify(template), updatedAt: now }),
        )
        .execute();
      overrides.invalidate(tenantId);
    },

    async deleteTemplateOverride(tenantId: string, event: string, locale: string) {
      await db
        .deleteFrom('notificationTemplates')
        .where('tenantId', '=', tenantId)
        .where('event', '=', event)
        .where('locale', '=', locale)
        .execute();
      overrides.invalidate(tenantId);
    },

    async preferences(tenantId: string, customerId: string): Promise<ChannelPrefs> {
      const rows = await db
        .selectFrom('notificationPreferences')
        .selectAll()
        .where('tenantId', '=', tenantId)
        .where('customerId', '=', customerId)
        .execute();
      const prefs: ChannelPrefs = {};
      for (const r of rows) {
        const p = prefs[r.channel] ?? {};
        prefs[r.channel] = p;
        if (r.category === '*') p.enabled = r.enabled === 1;
        else p.categories = { ...p.categories, [r.category as Category]: r.enabled === 1 };
      }
      return prefs;
    },

    async setPreferences(tenantId: string, customerId: string, prefs: ChannelPrefs) {
      const now = clock.now().toISOString();
      const rows: { channel: Channel; category: string; enabled: number }[] = [];
      for (const channel of CHANNELS) {
        const p = prefs[channel];
        if (!p) continue;
        if (p.enabled !== undefined) rows.push({ channel, category: '*', enabled: p.enabled ? 1 : 0 });
        for (const category of CATEGORIES) {
          const v = p.categories?.[category];
          if (v !== undefined) rows.push({ channel, category, enabled: v ? 1 : 0 });
        }
      }
      if (!rows.length) return;
      await db
        .insertInto('notificationPreferences')
        .values(rows.map((r) => ({ tenantId, customerId, ...r, updatedAt: now })))
        .onConflict((oc) =>
          oc.columns(['tenantId', 'customerId', 'channel', 'category']).doUpdateSet((eb) => ({
            enabled: eb.ref('excluded.enabled'),
            updatedAt: now,
          })),
        )
        .execute();
    },
  };
}

export type NotifySettings = ReturnType<typeof createNotifySettings>;
