import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import { type Db, isUniqueViolation } from '../../platform/db/database.ts';
import { type Database, type DeliveriesTable, parseJson } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { enqueue, type HandlerResult, type OutboxMessage } from '../../platform/outbox.ts';
import { liveChannel } from '../realtime/channels.ts';
import type { Realtime } from '../realtime/hub.ts';
import type { EmailMessage, EmailSender } from './email-sender.ts';
import { afterQuietHours, channelsFor, digestWindow, type Notification } from './notify-rules.ts';
import { renderEmail } from './render-email.ts';
import type { NotifySettings } from './settings.ts';
import { fitSms, isE164 } from './sms.ts';
import { parseTwilioStatusCallback } from './sms-sender.ts';
import {
  DEFAULT_TEMPLATES,
  escapeHtml,
  formatAmount,
  formatDate,
  LOCALES,
  type Locale,
  type NotifyEvent,
  renderTemplate,
  type TemplateSet,
  type TemplateVars,
} from './templates.ts';
import { signUnsubscribe } from './unsubscribe-token.ts';
import type { WebhookService } from './webhooks.ts';

type Executor = Kysely<Database>;

export const NOTIFY_DISPATCH = 'notify.dispatch';
export const DELIVER_EMAIL = 'deliver.email';
export const DELIVER_SMS = 'deliver.sms';
export const DELIVER_WEBHOOK = 'deliver.webhook';
export const DELIVER_DIGEST = 'deliver.digest';

/** What the dispatcher needs to know about a return; the returns module supplies it. */
export type ReturnContext = {
  tenantId: string;
  tenantName: string;
  returnId: string;
  rmaNumber: string;
  status: string;
  resolution: string;
  orderId: string;
  orderNumber: string;
  currency: string;
  refundTotal: number;
  /** What the customer receives, store-credit bonus included: what messages call the refund. */
  customerTotal: number;
  trackingToken: string;
  items: { title: string; quantity: number }[];
  /** The customer-visible note of the step being announced (explanations, staff messages). */
  note: string | null;
  shipment: { carrier: string | null; trackingNumber: string | null } | null;
  customer: {
    id: string;
    email: string;
    name: string;
    phone: string | null;
    locale: string | null;
    timeZone: string | null;
  };
  /** The language the return was filed in, for a customer who chose none. */
  locale?: string | null;
  /** The decision's explanation per language. */
  explanations?: Partial<Record<Locale, string>>;
  /** The last day to send the parcel (YYYY-MM-DD), or null. */
  shipBy?: string | null;
};

/** Notifications that announce a decision: their explanation is the decision's, in the reader's language. */
const DECISION_EVENTS: ReadonlySet<string> = new Set([
  'return_approved',
  'return_approved_no_parcel',
  'return_needs_review',
  'return_rejected',
]);

export type DispatchPayload = Notification & {
  returnId: string;
  eventKey: string;
  note?: string | null;
  /** The status the change left the return in: what this notification announces. */
  status?: string;
};

export type NotifyDeps = {
  db: Db;
  clock: Clock;
  settings: NotifySettings;
  webhooks: WebhookService;
  realtime: Realtime;
  /** SMTP when SMTP_URL is set; null keeps emails in the stored outbox readable through the API. */
  email: EmailSender | null;
  loadReturnContext: (tenantId: string, returnId: string) => Promise<ReturnContext | null>;
  /** The shop's name: emails come from it unless the settings name a sender. */
  tenantName: (tenantId: string) => Promise<string>;
  publicUrl: () => string;
  unsubscribeKey: Buffer;
  maxAttempts: number;
  /** Staff who hear about returns that need a person (admins, supervisors, agents). */
  staffFor?: (tenantId: string) => Promise<{ id: string }[]>;
  kick?: () => void;
  replayMessage: (topic: string, dedupeKey: string) => Promise<boolean>;
};

type EmailContent = { kind: 'email'; message: EmailMessage };
type SmsContent = { kind: 'sms'; to: string; body: string };
type InAppContent = { kind: 'in_app'; title: string; body: string; url: string };
type WebhookContent = { kind: 'webhook'; endpointId: string; type: string; body: string };
type DigestPart = { kind: 'digest_part'; locale: Locale; line: string; to: string; vars: TemplateVars };

export function smsCallbackToken(key: Buffer, tenantId: string): string {
  return createHmac('sha256', key).update(`sms-callback:${tenantId}`).digest('base64url');
}

function safeEqualText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** What staff are told, in their inbox, about events that need a person. */
const STAFF_NOTES: Partial<Record<string, string>> = {
  return_needs_review: 'needs review',
  refund_delayed: 'refund failed — check the payment and refund again',
};

const TOPIC_OF: Record<'email' | 'sms' | 'webhook', string> = {
  email: DELIVER_EMAIL,
  sms: DELIVER_SMS,
  webhook: DELIVER_WEBHOOK,
};

/** Something staff hear about that is not a return's step (an analytics alert, a seller claim). */
export type StaffNotice = {
  /** Deliveries are unique per key: the same notice twice adds nothing. */
  eventKey: string;
  event: string;
  title: string;
  body: string;
  /** Where the in-app item links to (a path in the web app); the email spells it out. */
  url: string;
  /** The words of the email's link ("See the evidence"). */
  linkLabel: string;
  /** The email's subject; default the title. */
  subject?: string;
  recipients: { id: string; email: string }[];
  webhook: { type: string; data: unknown };
};

/**
 * Notifications from business events: the change writes a `notify.dispatch` message in its own
 * transaction; the dispatcher fans it out into one delivery per channel and recipient (unique on
 * the event key, so a repeated dispatch adds nothing); each delivery is sent by its own outbox
 * message, with retries, a dead state and a replay for staff.
 */
export function createNotifyService(deps: NotifyDeps) {
  const { db, clock, settings } = deps;

  async function recordAttempt(
    d: { tenantId: string; id: string },
    attempt: number,
    outcome: string,
    started: number,
    extra: { statusCode?: number | null; response?: string | null } = {},
  ) {
    await db
      .insertInto('deliveryAttempts')
      .values({
        tenantId: d.tenantId,
        id: newId('dat'),
        deliveryId: d.id,
        attempt,
        outcome,
        statusCode: extra.statusCode ?? null,
        response: extra.response?.slice(0, 500) ?? null,
        durationMs: Math.max(0, Date.now() - started),
        createdAt: clock.now().toISOString(),
      })
      .execute();
  }

  async function setStatus(
    tenantId: string,
    id: string,
    status: DeliveriesTable['status'],
    extra: Partial<Pick<DeliveriesTable, 'providerId' | 'lastError'>> = {},
  ) {
    await db
      .updateTable('deliveries')
      .set({ status, updatedAt: clock.now().toISOString(), ...extra })
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  /** Loads a delivery for sending and marks it `sending`; null when it is already settled. */
  async function claimDelivery(m: OutboxMessage) {
    const { deliveryId } = m.payload as { deliveryId: string };
    const d = await db
      .selectFrom('deliveries')
      .selectAll()
      .where('tenantId', '=', m.tenantId)
      .where('id', '=', deliveryId)
      .executeTakeFirst();
    if (!d || (d.status !== 'queued' && d.status !== 'sending')) return null;
    // A delivery found `sending` was claimed by a worker that died mid-send; its lease has
    // expired, so this worker sends it. See docs/DECISIONS.md on the window that leaves.
    await db
      .updateTable('deliveries')
      .set((eb) => ({
        status: 'sending',
        attempts: eb('attempts', '+', 1),
        updatedAt: clock.now().toISOString(),
      }))
      .where('tenantId', '=', m.tenantId)
      .where('id', '=', deliveryId)
      .execute();
    return d;
  }

  /** Settles a send: done, retry later, or — out of tries — dead until someone replays it. */
  async function afterSend(
    m: OutboxMessage,
    d: { tenantId: string; id: string },
    r:
      | { status: 'sent' | 'stored' | 'delivered'; providerId?: string }
      | { status: 'retry'; code: string; error: string; retryAfterMs?: number }
      | { status: 'failed' | 'bounced'; code: string; error: string },
  ): Promise<HandlerResult> {
    if (r.status === 'retry') {
      const dead = m.attempts >= deps.maxAttempts;
      await setStatus(d.tenantId, d.id, dead ? 'dead' : 'queued', { lastError: `${r.code}: ${r.error}` });
      return {
        outcome: 'retry',
        error: `${r.code}: ${r.error}`,
        ...(r.retryAfterMs ? { delayMs: r.retryAfterMs } : {}),
      };
    }
    if (r.status === 'failed' || r.status === 'bounced') {
      await setStatus(d.tenantId, d.id, r.status, { lastError: `${r.code}: ${r.error}` });
      return { outcome: 'done' };
    }
    await setStatus(d.tenantId, d.id, r.status, {
      providerId: 'providerId' in r ? (r.providerId ?? null) : null,
      lastError: null,
    });
    return { outcome: 'done' };
  }

  function varsFor(
    ctx: ReturnContext,
    locale: Locale,
    channel: 'email' | 'sms' | 'in_app',
    shopName: string,
    p: DispatchPayload,
  ): TemplateVars {
    const base = deps.publicUrl();
    return {
      shopName,
      customerName: ctx.customer.name || ctx.customer.email.split('@')[0]!,
      rmaNumber: ctx.rmaNumber,
      orderNumber: ctx.orderNumber,
      trackingUrl: `${base}/t/${ctx.trackingToken}`,
      unsubscribeUrl: `${base}/u/${signUnsubscribe(deps.unsubscribeKey, { tenantId: ctx.tenantId, customerId: ctx.customer.id, channel })}`,
      status: (p.status ?? ctx.status).replaceAll('_', ' '),
      refundAmount: formatAmount(ctx.customerTotal, ctx.currency, locale),
      items: ctx.items.map((i) => `${i.quantity} × ${i.title}`).join('\n'),
      explanation:
        (DECISION_EVENTS.has(p.event) ? ctx.explanations?.[locale] : undefined) ?? p.note ?? ctx.note ?? '',
      message: p.note ?? ctx.note ?? '',
      ...(ctx.shipBy ? { deadline: formatDate(ctx.shipBy, locale) } : {}),
      carrier: ctx.shipment?.carrier ?? '',
      trackingNumber: ctx.shipment?.trackingNumber ?? '',
    };
  }

  /** The customer's chosen language, else the one the return was filed in, else the shop's. */
  function localeOf(ctx: ReturnContext, fallback: Locale): Locale {
    const l = ctx.customer.locale ?? ctx.locale ?? null;
    if (l && (LOCALES as readonly string[]).includes(l)) return l as Locale;
    // "zh" or "es-MX" still find their language.
    const lang = l?.split('-')[0];
    return (LOCALES.find((x) => x.split('-')[0] === lang) ?? fallback) as Locale;
  }

  async function renderFor(
    tenantId: string,
    event: NotifyEvent,
    locale: Locale,
    vars: TemplateVars,
    known?: Partial<TemplateSet> | null,
  ) {
    // One dispatch renders the same event and language for every channel: read the override once.
    const override = known !== undefined ? known : await settings.templateOverride(tenantId, event, locale);
    const email = renderEmail(event, locale, vars, override ?? undefined);
    // A blank override (an emptied form field) means the default, never an empty text.
    const sms = renderTemplate(
      override?.sms?.trim() ? override.sms : DEFAULT_TEMPLATES[event][locale].sms,
      vars,
      'text',
    );
    return { ...email, sms };
  }

  async function insertDelivery(
    trx: Executor,
    row: Omit<
      DeliveriesTable,
      'attempts' | 'providerId' | 'lastError' | 'createdAt' | 'updatedAt' | 'content'
    > & { content: unknown },
    now: string,
  ): Promise<boolean> {
    try {
      const r = await trx
        .insertInto('deliveries')
        .values({
          ...row,
          content: JSON.stringify(row.content),
          providerId: null,
          lastError: null,
          createdAt: now,
          updatedAt: now,
        })
        .onConflict((oc) => oc.columns(['tenantId', 'eventKey', 'channel', 'recipient']).doNothing())
        .executeTakeFirst();
      return (r.numInsertedOrUpdatedRows ?? 0n) > 0n;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  /** Where Twilio reports delivery: a per-tenant URL whose token we can check without a lookup. */
  function smsCallbackUrl(tenantId: string): string {
    return `${deps.publicUrl()}/api/v1/webhooks/sms/twilio/${tenantId}/${smsCallbackToken(deps.unsubscribeKey, tenantId)}`;
  }

  return {
    smsCallbackUrl,

    /**
     * A verified Twilio status callback: moves the SMS delivery forward (sent → delivered, or
     * failed with the carrier's code). Callbacks come unordered and repeated, so a status never
     * moves backwards and a repeat changes nothing.
     */
    async smsStatus(
      tenantId: string,
      token: string,
      url: string,
      rawBody: string,
      headers: Record<string, string | string[] | undefined>,
    ) {
      if (!safeEqualText(token, smsCallbackToken(deps.unsubscribeKey, tenantId))) throw notFound('Callback');
      const authToken = await settings.smsAuthToken(tenantId);
      if (!authToken) throw notFound('Callback');
      const update = parseTwilioStatusCallback(authToken, { url, rawBody, headers });
      if (!update || (update.status !== 'delivered' && update.status !== 'failed')) return { updated: false };
      const r = await db
        .updateTable('deliveries')
        .set({
          status: update.status === 'delivered' ? 'delivered' : 'failed',
          lastError: update.code ?? null,
          updatedAt: clock.now().toISOString(),
        })
        .where('tenantId', '=', tenantId)
        .where('channel', '=', 'sms')
        .where('providerId', '=', update.providerId)
        .where('status', 'in', ['sending', 'sent'])
        .executeTakeFirst();
      return { updated: r.numUpdatedRows > 0n };
    },

    /** Called inside the transaction of a change: the notification exists exactly when the change commits. */
    async notifyReturnChange(trx: Executor, tenantId: string, payload: DispatchPayload): Promise<void> {
      await enqueue(
        trx,
        { tenantId, topic: NOTIFY_DISPATCH, dedupeKey: payload.eventKey, payload },
        clock.now(),
      );
    },

    /** Outbox handler: fans one business event out into deliveries. Safe to repeat. */
    async dispatch(m: OutboxMessage): Promise<HandlerResult> {
      const p = m.payload as DispatchPayload;
      const ctx = await deps.loadReturnContext(m.tenantId, p.returnId);
      if (!ctx) return { outcome: 'done' };
      const s = await settings.settings(m.tenantId);
      const prefs = await settings.preferences(m.tenantId, ctx.customer.id);
      const sms = s.smsConfigured ? await settings.smsSender(m.tenantId) : null;
      const phone = ctx.customer.phone && isE164(ctx.customer.phone) && sms ? ctx.customer.phone : null;
      const channels = channelsFor(
        p.category,
        prefs,
        { email: ctx.customer.email, phone },
        s.criticalCategories,
      );
      const locale = localeOf(ctx, s.defaultLocale);
      const event = p.event as NotifyEvent;
      const now = clock.now();
      const nowIso = now.toISOString();
      const shop = s.senderName || ctx.tenantName;
      const endpoints = await deps.webhooks.endpointsFor(m.tenantId, p.webhook);
      const created: { channel: 'email' | 'sms' | 'webhook'; id: string; availableAt?: string }[] = [];
      const digests: { key: string; sendAt: string }[] = [];
      const inbox: { id: string; title: string; body: string }[] = [];
      const staffNote = STAFF_NOTES[event];
      const staff = staffNote ? ((await deps.staffFor?.(m.tenantId)) ?? []) : [];
      const staffItems: { userId: string; id: string; title: string; body: string }[] = [];

      // Rendered before the transaction: on SQLite a query outside it would wait for it forever.
      const override = channels.length ? await settings.templateOverride(m.tenantId, event, locale) : null;
      const rendered = new Map<string, { vars: TemplateVars; r: Awaited<ReturnType<typeof renderFor>> }>();
      for (const channel of channels) {
        const vars = varsFor(ctx, locale, channel, shop, p);
        rendered.set(channel, { vars, r: await renderFor(m.tenantId, event, locale, vars, override) });
      }

      await db.transaction().execute(async (trx) => {
        for (const channel of channels) {
          const { vars, r } = rendered.get(channel)!;
          const base = {
            tenantId: m.tenantId,
            eventKey: p.eventKey,
            event,
            returnId: ctx.returnId,
            customerId: ctx.customer.id,
            digestKey: null,
            sendAfter: null,
          };
          if (channel === 'email') {
            const id = newId('dlv');
            const routine = p.category === 'status' && s.digestWindowMinutes > 0;
            if (routine) {
              const w = digestWindow(now, s.digestWindowMinutes);
              const digestKey = `${ctx.customer.id}:${w.key}`;
              const part: DigestPart = {
                kind: 'digest_part',
                locale,
                line: `${ctx.rmaNumber}: ${r.subject}`,
                to: ctx.customer.email,
                vars,
              };
              if (
                await insertDelivery(
                  trx,
                  {
                    ...base,
                    id,
                    channel,
                    recipient: ctx.customer.email,
                    status: 'digest_pending',
                    content: part,
                    digestKey,
                    sendAfter: w.sendAt.toISOString(),
                  },
                  nowIso,
                )
              ) {
                digests.push({ key: digestKey, sendAt: w.sendAt.toISOString() });
              }
              continue;
            }
            const message: EmailMessage = {
              from: `${shop} <${s.senderEmail}>`,
              ...(s.replyTo ? { replyTo: s.replyTo } : {}),
              to: ctx.customer.email,
              subject: r.subject,
              text: r.text,
              html: r.html,
              messageId: `<${id}@returnflow>`,
              headers: {
                'List-Unsubscribe': `<${vars.unsubscribeUrl}>`,
                'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
              },
            };
            const content: EmailContent = { kind: 'email', message };
            if (
              await insertDelivery(
                trx,
                { ...base, id, channel, recipient: ctx.customer.email, status: 'queued', content },
                nowIso,
              )
            ) {
              created.push({ channel, id });
            }
          } else if (channel === 'sms' && phone) {
            const id = newId('dlv');
            const at = afterQuietHours(now, s.quietHours, ctx.customer.timeZone ?? s.defaultTimeZone);
            // Long bodies (a tenant's rewrite, long names) are cut to three segments, not sent as ten.
            const content: SmsContent = { kind: 'sms', to: phone, body: fitSms(r.sms, 3) };
            if (
              await insertDelivery(
                trx,
                {
                  ...base,
                  id,
                  channel,
                  recipient: phone,
                  status: 'queued',
                  content,
                  sendAfter: at.toISOString(),
                },
                nowIso,
              )
            ) {
              created.push({ channel, id, availableAt: at.toISOString() });
            }
          } else if (channel === 'in_app') {
            const id = newId('dlv');
            const content: InAppContent = {
              kind: 'in_app',
              title: r.subject,
              // The short text, without the tracking link: the inbox already sits on that page.
              body: inAppBody(r.sms),
              url: vars.trackingUrl,
            };
            if (
              await insertDelivery(
                trx,
                { ...base, id, channel, recipient: ctx.customer.id, status: 'delivered', content },
                nowIso,
              )
            ) {
              const itemId = newId('inb');
              await trx
                .insertInto('inboxItems')
                .values({
                  tenantId: m.tenantId,
                  id: itemId,
                  recipientType: 'customer',
                  recipientId: ctx.customer.id,
                  returnId: ctx.returnId,
                  event,
                  title: content.title,
                  body: content.body,
                  url: content.url,
                  readAt: null,
                  createdAt: nowIso,
                })
                .execute();
              inbox.push({ id: itemId, title: content.title, body: content.body });
            }
          }
        }
        for (const ep of endpoints) {
          const id = newId('dlv');
          const body = JSON.stringify({
            id: `evt_${p.eventKey.replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 64),
            type: p.webhook,
            createdAt: nowIso,
            tenantId: m.tenantId,
            data: {
              return: {
                id: ctx.returnId,
                rmaNumber: ctx.rmaNumber,
                // The status this event announces; by the time it is sent the return may be further on.
                status: p.status ?? ctx.status,
                resolution: ctx.resolution,
                orderId: ctx.orderId,
                orderNumber: ctx.orderNumber,
                refundTotal: ctx.refundTotal,
                currency: ctx.currency,
                customerId: ctx.customer.id,
              },
            },
          });
          const content: WebhookContent = { kind: 'webhook', endpointId: ep.id, type: p.webhook, body };
          if (
            await insertDelivery(
              trx,
              {
                tenantId: m.tenantId,
                eventKey: p.eventKey,
                event,
                returnId: ctx.returnId,
                customerId: ctx.customer.id,
                digestKey: null,
                sendAfter: null,
                id,
                channel: 'webhook',
                recipient: ep.id,
                status: 'queued',
                content,
              },
              nowIso,
            )
          ) {
            created.push({ channel: 'webhook', id });
          }
        }
        // Staff inboxes: one item per person, keyed like deliveries so a repeated dispatch adds none.
        for (const u of staff) {
          const title = `${ctx.rmaNumber}: ${staffNote}`;
          const body = p.note ?? '';
          const fresh = await insertDelivery(
            trx,
            {
              tenantId: m.tenantId,
              eventKey: p.eventKey,
              event,
              returnId: ctx.returnId,
              customerId: ctx.customer.id,
              digestKey: null,
              sendAfter: null,
              id: newId('dlv'),
              channel: 'in_app',
              recipient: `user:${u.id}`,
              status: 'delivered',
              content: { kind: 'in_app', title, body, url: `/console/returns/${ctx.returnId}` },
            },
            nowIso,
          );
          if (!fresh) continue;
          const id = newId('inb');
          await trx
            .insertInto('inboxItems')
            .values({
              tenantId: m.tenantId,
              id,
              recipientType: 'user',
              recipientId: u.id,
              returnId: ctx.returnId,
              event,
              title,
              body,
              url: `/console/returns/${ctx.returnId}`,
              readAt: null,
              createdAt: nowIso,
            })
            .execute();
          staffItems.push({ userId: u.id, id, title, body });
        }
        for (const c of created) {
          await enqueue(
            trx,
            {
              tenantId: m.tenantId,
              topic: TOPIC_OF[c.channel],
              dedupeKey: c.id,
              payload: { deliveryId: c.id },
              ...(c.availableAt ? { availableAt: c.availableAt } : {}),
            },
            now,
          );
        }
        for (const dg of digests) {
          await enqueue(
            trx,
            {
              tenantId: m.tenantId,
              topic: DELIVER_DIGEST,
              dedupeKey: dg.key,
              payload: { digestKey: dg.key },
              availableAt: dg.sendAt,
            },
            now,
          );
        }
      });
      // New inbox items reach open pages at once (publish never rejects; see realtime/hub.ts).
      const pushed = [
        ...inbox.map((i) => ({ channel: liveChannel.customerInbox(ctx.customer.id), item: i })),
        ...staffItems.map(({ userId, ...i }) => ({ channel: liveChannel.userInbox(userId), item: i })),
      ];
      for (const { channel, item } of pushed) {
        await deps.realtime.publish({
          channel,
          event: 'inbox.item',
          data: { ...item, returnId: ctx.returnId },
        });
      }
      if (created.length) deps.kick?.();
      return { outcome: 'done' };
    },

    /** An email that is not about a return (password resets): one delivery, sent by the worker. */
    async sendSystemEmail(
      tenantId: string,
      input: { event: string; to: string; subject: string; text: string; html: string },
    ) {
      const s = await settings.settings(tenantId);
      const id = newId('dlv');
      const now = clock.now();
      const content: EmailContent = {
        kind: 'email',
        message: {
          from: `${s.senderName || (await deps.tenantName(tenantId))} <${s.senderEmail}>`,
          to: input.to,
          subject: input.subject,
          text: input.text,
          html: input.html,
          messageId: `<${id}@returnflow>`,
        },
      };
      await db.transaction().execute(async (trx) => {
        await insertDelivery(
          trx,
          {
            tenantId,
            id,
            eventKey: `${input.event}:${id}`,
            event: input.event,
            channel: 'email',
            recipient: input.to,
            returnId: null,
            customerId: null,
            status: 'queued',
            content,
            digestKey: null,
            sendAfter: null,
          },
          now.toISOString(),
        );
        await enqueue(
          trx,
          { tenantId, topic: DELIVER_EMAIL, dedupeKey: id, payload: { deliveryId: id } },
          now,
        );
      });
      deps.kick?.();
    },

    /**
     * Tells staff about something that is not a return (an analytics alert): an inbox item and an
     * email per person, and a signed webhook to endpoints that want `webhook.type`. Keyed by
     * `eventKey` like every delivery, so calling it again for the same event adds nothing.
     */
    async notifyStaff(tenantId: string, input: StaffNotice): Promise<{ created: number }> {
      // The email is the in-app item with its link spelled out.
      const link = `${deps.publicUrl()}${input.url}`;
      const mail = {
        subject: input.subject ?? input.title,
        text: `${input.body}\n\n${input.linkLabel}: ${link}\n`,
        html: `<p>${escapeHtml(input.body)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(input.linkLabel)}</a></p>`,
      };
      // Read before the transaction: on SQLite a query outside it would wait for it forever.
      const s = await settings.settings(tenantId);
      const sender = s.senderName || (await deps.tenantName(tenantId));
      const endpoints = await deps.webhooks.endpointsFor(tenantId, input.webhook.type);
      const now = clock.now();
      const nowIso = now.toISOString();
      const base = {
        tenantId,
        eventKey: input.eventKey,
        event: input.event,
        returnId: null,
        customerId: null,
      };
      const none = { digestKey: null, sendAfter: null };
      const items: { userId: string; id: string }[] = [];
      const sends: { topic: string; id: string }[] = [];
      await db.transaction().execute(async (trx) => {
        for (const u of input.recipients) {
          const inApp: InAppContent = {
            kind: 'in_app',
            title: input.title,
            body: input.body,
            url: input.url,
          };
          const fresh = await insertDelivery(
            trx,
            {
              ...base,
              ...none,
              id: newId('dlv'),
              channel: 'in_app',
              recipient: `user:${u.id}`,
              status: 'delivered',
              content: inApp,
            },
            nowIso,
          );
          if (fresh) {
            const id = newId('inb');
            await trx
              .insertInto('inboxItems')
              .values({
                tenantId,
                id,
                recipientType: 'user',
                recipientId: u.id,
                returnId: null,
                event: input.event,
                title: input.title,
                body: input.body,
                url: input.url,
                readAt: null,
                createdAt: nowIso,
              })
              .execute();
            items.push({ userId: u.id, id });
          }
          const emailId = newId('dlv');
          const email: EmailContent = {
            kind: 'email',
            message: {
              from: `${sender} <${s.senderEmail}>`,
              to: u.email,
              subject: mail.subject,
              text: mail.text,
              html: mail.html,
              messageId: `<${emailId}@returnflow>`,
            },
          };
          if (
            await insertDelivery(
              trx,
              {
                ...base,
                ...none,
                id: emailId,
                channel: 'email',
                recipient: u.email,
                status: 'queued',
                content: email,
              },
              nowIso,
            )
          )
            sends.push({ topic: DELIVER_EMAIL, id: emailId });
        }
        for (const ep of endpoints) {
          const id = newId('dlv');
          const body = JSON.stringify({
            id: `evt_${input.eventKey.replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 64),
            type: input.webhook.type,
            createdAt: nowIso,
            tenantId,
            data: input.webhook.data,
          });
          const content: WebhookContent = {
            kind: 'webhook',
            endpointId: ep.id,
            type: input.webhook.type,
            body,
          };
          if (
            await insertDelivery(
              trx,
              { ...base, ...none, id, channel: 'webhook', recipient: ep.id, status: 'queued', content },
              nowIso,
            )
          )
            sends.push({ topic: DELIVER_WEBHOOK, id });
        }
        for (const x of sends) {
          await enqueue(
            trx,
            { tenantId, topic: x.topic, dedupeKey: x.id, payload: { deliveryId: x.id } },
            now,
          );
        }
      });
      for (const i of items) {
        await deps.realtime.publish({
          channel: liveChannel.userInbox(i.userId),
          event: 'inbox.item',
          data: { id: i.id, title: input.title, body: input.body, url: input.url },
        });
      }
      if (sends.length) deps.kick?.();
      return { created: items.length + sends.length };
    },

    async deliverEmail(m: OutboxMessage): Promise<HandlerResult> {
      const d = await claimDelivery(m);
      if (!d) return { outcome: 'done' };
      const content = parseJson<EmailContent>(d.content);
      const started = Date.now();
      if (!deps.email) {
        await recordAttempt(d, m.attempts, 'stored', started);
        return afterSend(m, d, { status: 'stored' });
      }
      const r = await deps.email.send(content.message);
      await recordAttempt(d, m.attempts, r.status, started, {
        response: r.status === 'sent' ? r.providerId : r.error,
      });
      return afterSend(m, d, r.status === 'failed' && r.code === 'bounced' ? { ...r, status: 'bounced' } : r);
    },

    async deliverSms(m: OutboxMessage): Promise<HandlerResult> {
      const d = await claimDelivery(m);
      if (!d) return { outcome: 'done' };
      const content = parseJson<SmsContent>(d.content);
      const sender = await settings.smsSender(m.tenantId);
      const started = Date.now();
      if (!sender) {
        await recordAttempt(d, m.attempts, 'failed', started, { response: 'no SMS provider configured' });
        return afterSend(m, d, {
          status: 'failed',
          code: 'sms_not_configured',
          error: 'No SMS provider is configured.',
        });
      }
      const r = await sender.send({
        to: content.to,
        body: content.body,
        statusCallbackUrl: smsCallbackUrl(m.tenantId),
      });
      await recordAttempt(d, m.attempts, r.status, started, {
        response: r.status === 'sent' ? r.providerId : r.error,
      });
      if (r.status === 'failed' && r.code === 'twilio_21610' && d.customerId) {
        // The customer texted STOP to our number: respect it here too, not only at the carrier.
        await settings.setPreferences(m.tenantId, d.customerId, { sms: { enabled: false } });
      }
      return afterSend(m, d, r);
    },

    async deliverWebhook(m: OutboxMessage): Promise<HandlerResult> {
      const d = await claimDelivery(m);
      if (!d) return { outcome: 'done' };
      const content = parseJson<WebhookContent>(d.content);
      const started = Date.now();
      const r = await deps.webhooks.send(m.tenantId, content.endpointId, d.id, content.type, content.body);
      await recordAttempt(d, m.attempts, r.status, started, {
        statusCode: r.statusCode,
        response: r.response,
      });
      return afterSend(
        m,
        d,
        r.status === 'delivered'
          ? { status: 'delivered' }
          : r.status === 'failed'
            ? { status: 'failed', code: r.code, error: r.error }
            : { status: 'retry', code: r.code, error: r.error },
      );
    },

    /** Sends the routine updates of one customer's window as a single email. */
    async deliverDigest(m: OutboxMessage): Promise<HandlerResult> {
      const { digestKey } = m.payload as { digestKey: string };
      const parts = await db
        .selectFrom('deliveries')
        .selectAll()
        .where('tenantId', '=', m.tenantId)
        .where('digestKey', '=', digestKey)
        .where('status', 'in', ['digest_pending', 'sending'])
        .orderBy('id')
        .execute();
      if (!parts.length) return { outcome: 'done' };
      const first = parseJson<DigestPart>(parts[0]!.content);
      const s = await settings.settings(m.tenantId);
      const lines = parts.map((x) => `• ${parseJson<DigestPart>(x.content).line}`).join('\n');
      const r = await renderFor(m.tenantId, 'digest', first.locale, { ...first.vars, changes: lines });
      const messageId = `<digest-${parts[0]!.id}@returnflow>`;
      const ids = parts.map((x) => x.id);
      await db
        .updateTable('deliveries')
        .set({ status: 'sending', updatedAt: clock.now().toISOString() })
        .where('tenantId', '=', m.tenantId)
        .where('id', 'in', ids)
        .execute();
      const message: EmailMessage = {
        from: `${first.vars.shopName} <${s.senderEmail}>`,
        to: first.to,
        subject: r.subject,
        text: r.text,
        html: r.html,
        messageId,
        headers: {
          'List-Unsubscribe': `<${first.vars.unsubscribeUrl}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
      };
      const result = deps.email ? await deps.email.send(message) : ({ status: 'stored' } as const);
      const status =
        result.status === 'sent'
          ? 'sent'
          : result.status === 'stored'
            ? 'stored'
            : result.status === 'retry'
              ? 'digest_pending'
              : 'failed';
      await db
        .updateTable('deliveries')
        .set({
          status,
          updatedAt: clock.now().toISOString(),
          lastError: 'error' in result ? result.error : null,
        })
        .where('tenantId', '=', m.tenantId)
        .where('id', 'in', ids)
        .execute();
      return result.status === 'retry' ? { outcome: 'retry', error: result.error } : { outcome: 'done' };
    },

    /** Staff: list deliveries, newest first. */
    async listDeliveries(
      tenantId: string,
      q: { channel?: string; status?: string; returnId?: string; limit?: number; cursor?: string },
    ) {
      const limit = q.limit ?? 20;
      let query = db
        .selectFrom('deliveries')
        .select([
          'id',
          'event',
          'channel',
          'recipient',
          'returnId',
          'customerId',
          'status',
          'attempts',
          'providerId',
          'lastError',
          'sendAfter',
          'createdAt',
          'updatedAt',
          'content',
        ])
        .where('tenantId', '=', tenantId);
      if (q.channel) query = query.where('channel', '=', q.channel as DeliveriesTable['channel']);
      if (q.status) query = query.where('status', '=', q.status as DeliveriesTable['status']);
      if (q.returnId) query = query.where('returnId', '=', q.returnId);
      if (q.cursor) query = query.where('id', '<', q.cursor);
      const rows = await query
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const page = rows.slice(0, limit).map(({ content, ...d }) => ({
        ...d,
        // A webhook is known to its receiver by its type (return.in_transit), not by our event name.
        webhookType: d.channel === 'webhook' ? parseJson<WebhookContent>(content).type : null,
      }));
      return { data: page, nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
    },

    async getDelivery(tenantId: string, id: string) {
      const d = await db
        .selectFrom('deliveries')
        .selectAll()
        .where('tenantId', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!d) throw notFound('Notification');
      const attempts = await db
        .selectFrom('deliveryAttempts')
        .select(['attempt', 'outcome', 'statusCode', 'response', 'durationMs', 'createdAt'])
        .where('tenantId', '=', tenantId)
        .where('deliveryId', '=', id)
        .orderBy('id')
        .execute();
      return { ...d, content: parseJson<unknown>(d.content), attempts };
    },

    /** Staff: a dead or failed delivery goes out again (same delivery, so never twice once sent). */
    async replayDelivery(tenantId: string, id: string) {
      const d = await db
        .selectFrom('deliveries')
        .select(['id', 'channel', 'status'])
        .where('tenantId', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!d) throw notFound('Notification');
      if (d.status !== 'dead' && d.status !== 'failed') {
        throw new AppError(
          409,
          'not_replayable',
          `Only a dead or failed notification can be replayed; this one is ${d.status}.`,
        );
      }
      if (d.channel === 'in_app')
        throw new AppError(409, 'not_replayable', 'In-app items are delivered at once.');
      await setStatus(tenantId, id, 'queued');
      const topic = TOPIC_OF[d.channel as 'email' | 'sms' | 'webhook'];
      const replayed = await deps.replayMessage(topic, id);
      if (!replayed) {
        await enqueue(
          db,
          { tenantId, topic, dedupeKey: `${id}:replay:${Date.now()}`, payload: { deliveryId: id } },
          clock.now(),
        );
      }
      deps.kick?.();
      return this.getDelivery(tenantId, id);
    },

    /** Deliveries of one return, for its internal timeline. */
    async deliveriesOfReturn(tenantId: string, returnId: string) {
      return db
        .selectFrom('deliveries')
        .select([
          'id',
          'event',
          'channel',
          'recipient',
          'status',
          'attempts',
          'lastError',
          'createdAt',
          'updatedAt',
        ])
        .where('tenantId', '=', tenantId)
        .where('returnId', '=', returnId)
        .orderBy('id')
        .execute();
    },

    async inbox(
      tenantId: string,
      recipient: { type: 'customer' | 'user'; id: string },
      opts: { returnId?: string; limit?: number } = {},
    ) {
      let q = db
        .selectFrom('inboxItems')
        .select(['id', 'returnId', 'event', 'title', 'body', 'url', 'readAt', 'createdAt'])
        .where('tenantId', '=', tenantId)
        .where('recipientType', '=', recipient.type)
        .where('recipientId', '=', recipient.id);
      if (opts.returnId) q = q.where('returnId', '=', opts.returnId);
      const items = await q
        .orderBy('id', 'desc')
        .limit(opts.limit ?? 50)
        .execute();
      let count = db
        .selectFrom('inboxItems')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenantId', '=', tenantId)
        .where('recipientType', '=', recipient.type)
        .where('recipientId', '=', recipient.id)
        .where('readAt', 'is', null);
      if (opts.returnId) count = count.where('returnId', '=', opts.returnId);
      const unread = Number((await count.executeTakeFirstOrThrow()).n);
      return { data: items, unreadCount: unread };
    },

    async markRead(
      tenantId: string,
      recipient: { type: 'customer' | 'user'; id: string },
      ids: string[] | 'all',
      returnId?: string,
    ) {
      let q = db
        .updateTable('inboxItems')
        .set({ readAt: clock.now().toISOString() })
        .where('tenantId', '=', tenantId)
        .where('recipientType', '=', recipient.type)
        .where('recipientId', '=', recipient.id)
        .where('readAt', 'is', null);
      if (returnId) q = q.where('returnId', '=', returnId);
      if (ids !== 'all') q = q.where('id', 'in', ids.length ? ids : ['-']);
      await q.execute();
    },

    /** Staff preview of a template against a real return (or sample values). */
    async preview(
      tenantId: string,
      event: NotifyEvent,
      locale: Locale,
      returnId?: string,
      overrides?: Partial<{ subject: string; text: string; html: string; sms: string }>,
    ) {
      const s = await settings.settings(tenantId);
      const ctx = returnId ? await deps.loadReturnContext(tenantId, returnId) : null;
      if (returnId && !ctx) throw notFound('Return');
      const shopName = s.senderName || (await deps.tenantName(tenantId));
      const vars: TemplateVars = ctx
        ? varsFor(ctx, locale, 'email', shopName, {
            event,
            category: 'status',
            webhook: '',
            returnId: ctx.returnId,
            eventKey: 'preview',
          })
        : {
            shopName,
            customerName: 'Alex Example',
            rmaNumber: 'RMA-000123',
            orderNumber: '#1001',
            trackingUrl: `${deps.publicUrl()}/t/EXAMPLE`,
            unsubscribeUrl: `${deps.publicUrl()}/u/EXAMPLE`,
            status: 'approved',
            refundAmount: formatAmount(4599, 'USD', locale),
            items: '1 × Rain jacket',
            explanation: 'Your return is within the 30-day return window.',
            message: 'Thanks for your patience — we have checked the photos.',
            carrier: 'UPS',
            trackingNumber: '1Z999AA10123456784',
            changes: '• RMA-000123: received\n• RMA-000124: inspected',
          };
      const stored = await settings.templateOverride(tenantId, event, locale);
      const merged = { ...(stored ?? {}), ...(overrides ?? {}) };
      const email = renderEmail(event, locale, vars, merged);
      const sms = renderTemplate(
        merged.sms?.trim() ? merged.sms : DEFAULT_TEMPLATES[event][locale].sms,
        vars,
        'text',
      );
      return { ...email, sms };
    },
  };
}

export type NotifyService = ReturnType<typeof createNotifyService>;

/**
 * The in-app text from the SMS: without the tracking link (the inbox sits on that page), and
 * without the words that only led to it ("Shipping instructions:", "Details:", "详情："), which
 * would otherwise dangle at the end.
 */
export function inAppBody(sms: string): string {
  const text = sms.replace(/\s*https?:\/\/\S+/g, '').trim();
  if (!/[:：]$/.test(text)) return text;
  // The last clause, ending with a colon, was the link's label; a text of one clause keeps it,
  // ended as a sentence.
  const cut = text.replace(/([.!?。！？])[^.!?。！？]*[:：]$/u, '$1');
  return cut !== text ? cut.trim() : text.replace(/\s*[:：]$/, /[\u3000-\u9fff]/.test(text) ? '。' : '.');
}
