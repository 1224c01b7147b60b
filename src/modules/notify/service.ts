import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { notFound } from '../../platform/errors.ts';
import { enqueue } from '../../platform/outbox.ts';
import type { Realtime } from '../realtime/hub.ts';
import type { DispatchPayload, Executor, ReturnContext } from './channels/channel.ts';
import { DELIVER_DIGEST, DELIVER_EMAIL, DELIVER_SMS, DELIVER_WEBHOOK } from './channels/channel.ts';
import { emailChannel } from './channels/email.ts';
import { digestSender } from './channels/email-digest.ts';
import { inAppChannel } from './channels/in-app.ts';
import { smsChannel } from './channels/sms.ts';
import { webhookChannel } from './channels/webhook.ts';
import { createDeliveryLog } from './delivery-log.ts';
import { createDeliveryStore } from './delivery-store.ts';
import { type Dispatcher, returnDispatcher } from './dispatch.ts';
import type { EmailSender } from './email-sender.ts';
import { createInbox } from './inbox.ts';
import { createReturnTexts, renderWith } from './return-texts.ts';
import type { NotifySettings } from './settings.ts';
import { parseTwilioStatusCallback } from './sms-sender.ts';
import { notifyStaff, type StaffNotice, sendSystemEmail } from './staff-notice.ts';
import { formatAmount, type Locale, type NotifyEvent, type TemplateVars } from './templates.ts';
import type { WebhookService } from './webhooks.ts';

export { inAppBody } from './channels/in-app.ts';
export type { DispatchPayload, ReturnContext, StaffNotice };
export { DELIVER_DIGEST, DELIVER_EMAIL, DELIVER_SMS, DELIVER_WEBHOOK };

export const NOTIFY_DISPATCH = 'notify.dispatch';

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

export function smsCallbackToken(key: Buffer, tenantId: string): string {
  return createHmac('sha256', key).update(`sms-callback:${tenantId}`).digest('base64url');
}

function safeEqualText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Notifications from business events: the change writes a `notify.dispatch` message in its own
 * transaction; the dispatcher (dispatch.ts) fans it out through the channels (channels/: email,
 * SMS, in-app, webhook) into one delivery per channel and recipient (unique on the event key, so
 * a repeated dispatch adds nothing); each delivery is sent by its channel's own outbox message,
 * with retries, a dead state and a replay for staff (delivery-log.ts).
 */
export function createNotifyService(deps: NotifyDeps) {
  const { db, clock, settings } = deps;

  /** Where Twilio reports delivery: a per-tenant URL whose token we can check without a lookup. */
  function smsCallbackUrl(tenantId: string): string {
    return `${deps.publicUrl()}/api/v1/webhooks/sms/twilio/${tenantId}/${smsCallbackToken(deps.unsubscribeKey, tenantId)}`;
  }

  const store = createDeliveryStore({ db, clock, maxAttempts: deps.maxAttempts });
  const texts = createReturnTexts({
    settings,
    publicUrl: deps.publicUrl,
    unsubscribeKey: deps.unsubscribeKey,
  });
  const email = emailChannel(deps.email);
  const sms = smsChannel(settings, smsCallbackUrl);
  const webhook = webhookChannel(deps.webhooks);
  const channels = { email, sms, in_app: inAppChannel(), webhook } as Dispatcher['channels'];
  const dispatcher: Dispatcher = {
    channels,
    store,
    texts,
    db,
    clock,
    settings,
    webhooks: deps.webhooks,
    realtime: deps.realtime,
    loadReturnContext: deps.loadReturnContext,
    ...(deps.staffFor ? { staffFor: deps.staffFor } : {}),
    ...(deps.kick ? { kick: deps.kick } : {}),
  };
  const staffDeps = { ...dispatcher, tenantName: deps.tenantName, publicUrl: deps.publicUrl };

  return {
    smsCallbackUrl,
    ...createDeliveryLog({
      db,
      clock,
      store,
      channels,
      replayMessage: deps.replayMessage,
      ...(deps.kick ? { kick: deps.kick } : {}),
    }),
    ...createInbox({ db, clock }),

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
    dispatch: returnDispatcher(dispatcher),
    deliverEmail: store.sender(email),
    deliverSms: store.sender(sms),
    deliverWebhook: store.sender(webhook),
    /** Sends the routine updates of one customer's window as a single email. */
    deliverDigest: digestSender({
      db,
      clock,
      settings,
      email: deps.email,
      maxAttempts: deps.maxAttempts,
      render: texts.render,
    }),

    sendSystemEmail: (tenantId: string, input: Parameters<typeof sendSystemEmail>[2]) =>
      sendSystemEmail(staffDeps, tenantId, input),
    notifyStaff: (tenantId: string, input: StaffNotice) => notifyStaff(staffDeps, tenantId, input),

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
        ? texts.varsFor(ctx, locale, 'email', shopName, {
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
      return renderWith(event, locale, vars, { ...(stored ?? {}), ...(overrides ?? {}) });
    },
  };
}

export type NotifyService = ReturnType<typeof createNotifyService>;
