import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { newId } from '../../platform/ids.ts';
import { enqueue, type HandlerResult, type OutboxMessage } from '../../platform/outbox.ts';
import type { Realtime } from '../realtime/hub.ts';
import {
  type Channel,
  DELIVER_DIGEST,
  type Delivery,
  type DispatchPayload,
  type Draft,
  type Executor,
  type InAppContent,
  type LiveItem,
  type Rendered,
  type ReturnContext,
  type ReturnMessage,
} from './channels/channel.ts';
import type { DeliveryStore, NewDelivery } from './delivery-store.ts';
import { channelsFor } from './notify-rules.ts';
import type { ReturnTexts } from './return-texts.ts';
import type { NotifySettings } from './settings.ts';
import { isE164 } from './sms.ts';
import type { NotifyEvent, TemplateVars } from './templates.ts';
import type { WebhookService } from './webhooks.ts';

/** What staff are told, in their inbox, about events that need a person. */
const STAFF_NOTES: Partial<Record<string, string>> = {
  return_needs_review: 'needs review',
  refund_delayed: 'refund failed — check the payment and refund again',
};

type AnyChannel = Channel<unknown>;

export type Dispatcher = {
  channels: Record<'email' | 'sms' | 'in_app' | 'webhook', AnyChannel>;
  store: DeliveryStore;
  texts: ReturnTexts;
  db: Db;
  clock: Clock;
  settings: NotifySettings;
  webhooks: WebhookService;
  realtime: Realtime;
  loadReturnContext: (tenantId: string, returnId: string) => Promise<ReturnContext | null>;
  staffFor?: (tenantId: string) => Promise<{ id: string }[]>;
  kick?: () => void;
};

/**
 * Writes drafts as deliveries in one transaction and queues what they need: a sending
 * channel's delivery gets its outbox message, a digest part its window's, an in-app item is
 * delivered there and then. Returns what to push live once the transaction commits, and how
 * many deliveries wait for the worker now.
 */
export async function writeDeliveries(
  trx: Executor,
  d: Pick<Dispatcher, 'store'>,
  base: Pick<NewDelivery, 'tenantId' | 'eventKey' | 'event' | 'returnId' | 'customerId'>,
  drafts: { channel: AnyChannel; draft: Draft }[],
  now: Date,
): Promise<{ live: LiveItem[]; queued: number }> {
  const nowIso = now.toISOString();
  const live: LiveItem[] = [];
  let queued = 0;
  for (const { channel, draft } of drafts) {
    const row: NewDelivery = {
      ...base,
      id: draft.id,
      channel: channel.id,
      recipient: draft.recipient,
      status: draft.status,
      content: draft.content,
      digestKey: draft.digestKey ?? null,
      sendAfter: draft.sendAfter ?? null,
    };
    if (!(await d.store.insert(trx, row, nowIso))) continue;
    if (channel.topic === null) {
      const written: Delivery<unknown> = {
        ...row,
        attempts: 0,
        providerId: null,
        lastError: null,
        createdAt: nowIso,
        updatedAt: nowIso,
      };
      live.push(await channel.deliver(trx, written));
      continue;
    }
    const digest = draft.digestKey && draft.sendAfter ? { key: draft.digestKey, at: draft.sendAfter } : null;
    await enqueue(
      trx,
      digest
        ? {
            tenantId: base.tenantId,
            topic: DELIVER_DIGEST,
            dedupeKey: digest.key,
            payload: { digestKey: digest.key },
            availableAt: digest.at,
          }
        : {
            tenantId: base.tenantId,
            topic: channel.topic,
            dedupeKey: draft.id,
            // The return names the worker's lane: one return's sends go one after another.
            payload: { deliveryId: draft.id, ...(base.returnId ? { returnId: base.returnId } : {}) },
            ...(draft.sendAfter ? { availableAt: draft.sendAfter } : {}),
          },
      now,
    );
    // A digest waits for its window; the worker has nothing to do yet.
    if (!digest) queued++;
  }
  return { live, queued };
}

/** Pushes new inbox items to open pages (publish never rejects; see realtime/hub.ts). */
export async function pushLive(realtime: Realtime, live: LiveItem[], extra: Record<string, unknown> = {}) {
  for (const { channel, item } of live) {
    await realtime.publish({ channel, event: 'inbox.item', data: { ...item, ...extra } });
  }
}

/** Outbox handler of `notify.dispatch`: fans one return event out into deliveries. Safe to repeat. */
export function returnDispatcher(d: Dispatcher) {
  return async (m: OutboxMessage): Promise<HandlerResult> => {
    const p = m.payload as DispatchPayload;
    const ctx = await d.loadReturnContext(m.tenantId, p.returnId);
    if (!ctx) return { outcome: 'done' };
    const s = await d.settings.settings(m.tenantId);
    const prefs = await d.settings.preferences(m.tenantId, ctx.customer.id);
    const sms = s.smsConfigured ? await d.settings.smsSender(m.tenantId) : null;
    const phone = ctx.customer.phone && isE164(ctx.customer.phone) && sms ? ctx.customer.phone : null;
    const chosen = channelsFor(p.category, prefs, { email: ctx.customer.email, phone }, s.criticalCategories);
    const locale = d.texts.localeOf(ctx, s.defaultLocale);
    const event = p.event as NotifyEvent;
    const now = d.clock.now();
    const shop = s.senderName || ctx.tenantName;
    const endpoints = await d.webhooks.endpointsFor(m.tenantId, p.webhook);
    const staffNote = STAFF_NOTES[event];
    const staff = staffNote ? ((await d.staffFor?.(m.tenantId)) ?? []) : [];

    // Rendered before the transaction: on SQLite a query outside it would wait for it forever.
    const override = chosen.length ? await d.settings.templateOverride(m.tenantId, event, locale) : null;
    const texts = new Map<string, { vars: TemplateVars; r: Rendered }>();
    for (const channel of chosen) {
      const vars = d.texts.varsFor(ctx, locale, channel, shop, p);
      texts.set(channel, { vars, r: await d.texts.render(m.tenantId, event, locale, vars, override) });
    }
    const msg: ReturnMessage = {
      ctx,
      payload: p,
      settings: s,
      locale,
      shop,
      now,
      textsFor: (channel) => texts.get(channel)!,
      phone,
      endpoints,
    };
    const drafts = [...chosen.map((id) => d.channels[id]), d.channels.webhook].flatMap((channel) =>
      channel.render(msg).map((draft) => ({ channel, draft })),
    );
    // Staff inboxes: one item per person, keyed like deliveries so a repeated dispatch adds none.
    for (const u of staff) {
      const title = `${ctx.rmaNumber}: ${staffNote}`;
      const content: InAppContent = {
        kind: 'in_app',
        title,
        body: p.note ?? '',
        url: `/console/returns/${ctx.returnId}`,
      };
      drafts.push({
        channel: d.channels.in_app,
        draft: { id: newId('dlv'), recipient: `user:${u.id}`, status: 'delivered', content },
      });
    }

    const base = {
      tenantId: m.tenantId,
      eventKey: p.eventKey,
      event,
      returnId: ctx.returnId,
      customerId: ctx.customer.id,
    };
    const { live, queued } = await d.db
      .transaction()
      .execute((trx) => writeDeliveries(trx, d, base, drafts, now));
    await pushLive(d.realtime, live, { returnId: ctx.returnId });
    if (queued) d.kick?.();
    return { outcome: 'done' };
  };
}
