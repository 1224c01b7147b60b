import { newId } from '../../../platform/ids.ts';
import type { EmailMessage, EmailSender } from '../email-sender.ts';
import { digestWindow } from '../notify-rules.ts';
import type { DigestPart, EmailContent, SendingChannel } from './channel.ts';
import { DELIVER_EMAIL } from './channel.ts';

/** The headers that let a mail client offer one-click unsubscribe (RFC 8058). */
export function unsubscribeHeaders(url: string | undefined): Record<string, string> {
  return { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

/**
 * Email: routine status updates wait in the customer's digest window when the shop has one
 * (sent by `deliver.digest`, see email-digest.ts); everything else goes out on its own. With no
 * SMTP configured the message is stored, readable through the delivery log.
 */
export function emailChannel(email: EmailSender | null): SendingChannel<EmailContent | DigestPart> {
  return {
    id: 'email',
    topic: DELIVER_EMAIL,
    render({ ctx, payload, settings: s, shop, now, textsFor, locale }) {
      const { vars, r } = textsFor('email');
      const id = newId('dlv');
      if (payload.category === 'status' && s.digestWindowMinutes > 0) {
        const w = digestWindow(now, s.digestWindowMinutes);
        const part: DigestPart = {
          kind: 'digest_part',
          locale,
          line: `${ctx.rmaNumber}: ${r.subject}`,
          to: ctx.customer.email,
          vars,
        };
        return [
          {
            id,
            recipient: ctx.customer.email,
            status: 'digest_pending',
            content: part,
            digestKey: `${ctx.customer.id}:${w.key}`,
            sendAfter: w.sendAt.toISOString(),
          },
        ];
      }
      const message: EmailMessage = {
        from: `${shop} <${s.senderEmail}>`,
        ...(s.replyTo ? { replyTo: s.replyTo } : {}),
        to: ctx.customer.email,
        subject: r.subject,
        text: r.text,
        html: r.html,
        messageId: `<${id}@returnflow>`,
        headers: unsubscribeHeaders(vars.unsubscribeUrl),
      };
      return [{ id, recipient: ctx.customer.email, status: 'queued', content: { kind: 'email', message } }];
    },
    async deliver(d) {
      const content = d.content as EmailContent;
      if (!email) return { attempt: { outcome: 'stored' }, result: { status: 'stored' } };
      const r = await email.send(content.message);
      return {
        attempt: { outcome: r.status, response: r.status === 'sent' ? r.providerId : r.error },
        result: r.status === 'failed' && r.code === 'bounced' ? { ...r, status: 'bounced' } : r,
      };
    },
  };
}
