import { newId } from '../../platform/ids.ts';
import type { EmailContent, InAppContent, WebhookContent } from './channels/channel.ts';
import { webhookEventId } from './channels/channel.ts';
import { type Dispatcher, pushLive, writeDeliveries } from './dispatch.ts';
import { escapeHtml } from './templates.ts';

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

type Deps = Pick<
  Dispatcher,
  'channels' | 'store' | 'db' | 'clock' | 'settings' | 'webhooks' | 'realtime' | 'kick'
> & {
  tenantName: (tenantId: string) => Promise<string>;
  publicUrl: () => string;
};

/**
 * Tells staff about something that is not a return (an analytics alert): an inbox item and an
 * email per person, and a signed webhook to endpoints that want `webhook.type`. Keyed by
 * `eventKey` like every delivery, so calling it again for the same event adds nothing.
 */
export async function notifyStaff(
  d: Deps,
  tenantId: string,
  input: StaffNotice,
): Promise<{ created: number }> {
  // The email is the in-app item with its link spelled out.
  const link = `${d.publicUrl()}${input.url}`;
  const mail = {
    subject: input.subject ?? input.title,
    text: `${input.body}\n\n${input.linkLabel}: ${link}\n`,
    html: `<p>${escapeHtml(input.body)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(input.linkLabel)}</a></p>`,
  };
  // Read before the transaction: on SQLite a query outside it would wait for it forever.
  const s = await d.settings.settings(tenantId);
  const sender = s.senderName || (await d.tenantName(tenantId));
  const endpoints = await d.webhooks.endpointsFor(tenantId, input.webhook.type);
  const now = d.clock.now();
  const drafts: Parameters<typeof writeDeliveries>[3] = [];
  for (const u of input.recipients) {
    const inApp: InAppContent = { kind: 'in_app', title: input.title, body: input.body, url: input.url };
    drafts.push({
      channel: d.channels.in_app,
      draft: { id: newId('dlv'), recipient: `user:${u.id}`, status: 'delivered', content: inApp },
    });
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
    drafts.push({
      channel: d.channels.email,
      draft: { id: emailId, recipient: u.email, status: 'queued', content: email },
    });
  }
  for (const ep of endpoints) {
    const body = JSON.stringify({
      id: webhookEventId(input.eventKey),
      type: input.webhook.type,
      createdAt: now.toISOString(),
      tenantId,
      data: input.webhook.data,
    });
    const content: WebhookContent = { kind: 'webhook', endpointId: ep.id, type: input.webhook.type, body };
    drafts.push({
      channel: d.channels.webhook,
      draft: { id: newId('dlv'), recipient: ep.id, status: 'queued', content },
    });
  }
  const base = { tenantId, eventKey: input.eventKey, event: input.event, returnId: null, customerId: null };
  const { live, queued } = await d.db
    .transaction()
    .execute((trx) => writeDeliveries(trx, d, base, drafts, now));
  await pushLive(d.realtime, live);
  if (queued) d.kick?.();
  return { created: live.length + queued };
}

/** An email that is not about a return (password resets): one delivery, sent by the worker. */
export async function sendSystemEmail(
  d: Deps,
  tenantId: string,
  input: { event: string; to: string; subject: string; text: string; html: string },
) {
  const s = await d.settings.settings(tenantId);
  const id = newId('dlv');
  const now = d.clock.now();
  const content: EmailContent = {
    kind: 'email',
    message: {
      from: `${s.senderName || (await d.tenantName(tenantId))} <${s.senderEmail}>`,
      to: input.to,
      subject: input.subject,
      text: input.text,
      html: input.html,
      messageId: `<${id}@returnflow>`,
    },
  };
  await d.db
    .transaction()
    .execute((trx) =>
      writeDeliveries(
        trx,
        d,
        { tenantId, eventKey: `${input.event}:${id}`, event: input.event, returnId: null, customerId: null },
        [{ channel: d.channels.email, draft: { id, recipient: input.to, status: 'queued', content } }],
        now,
      ),
    );
  d.kick?.();
}
