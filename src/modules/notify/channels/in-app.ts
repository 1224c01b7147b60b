import { newId } from '../../../platform/ids.ts';
import { liveChannel } from '../../realtime/channels.ts';
import type { Delivery, Executor, InAppContent, InstantChannel, LiveItem } from './channel.ts';

/**
 * The in-app inbox: a delivery is delivered the moment it is written, as an inbox item in the
 * same transaction, and pushed to the recipient's open pages once that commits. Staff items use
 * the recipient `user:<id>`; a customer's is the customer's id.
 */
export function inAppChannel(): InstantChannel<InAppContent> {
  return {
    id: 'in_app',
    topic: null,
    render({ ctx, textsFor }) {
      const { vars, r } = textsFor('in_app');
      return [
        {
          id: newId('dlv'),
          recipient: ctx.customer.id,
          status: 'delivered',
          content: {
            kind: 'in_app',
            title: r.subject,
            // The short text, without the tracking link: the inbox already sits on that page.
            body: inAppBody(r.sms),
            url: vars.trackingUrl,
          },
        },
      ];
    },
    deliver: writeInboxItem,
  };
}

async function writeInboxItem(trx: Executor, d: Delivery<InAppContent>): Promise<LiveItem> {
  const staff = d.recipient.startsWith('user:');
  const recipientId = staff ? d.recipient.slice('user:'.length) : d.recipient;
  const id = newId('inb');
  await trx
    .insertInto('inboxItems')
    .values({
      tenantId: d.tenantId,
      id,
      recipientType: staff ? 'user' : 'customer',
      recipientId,
      returnId: d.returnId,
      event: d.event,
      title: d.content.title,
      body: d.content.body,
      url: d.content.url,
      readAt: null,
      createdAt: d.createdAt,
    })
    .execute();
  return {
    channel: staff ? liveChannel.userInbox(recipientId) : liveChannel.customerInbox(recipientId),
    item: { id, title: d.content.title, body: d.content.body, url: d.content.url },
  };
}

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
