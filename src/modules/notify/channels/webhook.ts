import { newId } from '../../../platform/ids.ts';
import type { WebhookService } from '../webhooks.ts';
import type { SendingChannel, WebhookContent } from './channel.ts';
import { DELIVER_WEBHOOK, webhookEventId } from './channel.ts';

/** Signed webhooks: one delivery per endpoint subscribed to the event's type. */
export function webhookChannel(webhooks: WebhookService): SendingChannel<WebhookContent> {
  return {
    id: 'webhook',
    topic: DELIVER_WEBHOOK,
    render({ ctx, payload: p, now, endpoints }) {
      const body = JSON.stringify({
        id: webhookEventId(p.eventKey),
        type: p.webhook,
        createdAt: now.toISOString(),
        tenantId: ctx.tenantId,
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
      return endpoints.map((ep) => ({
        id: newId('dlv'),
        recipient: ep.id,
        status: 'queued' as const,
        content: { kind: 'webhook' as const, endpointId: ep.id, type: p.webhook, body },
      }));
    },
    async deliver(d, m) {
      const c = d.content;
      const r = await webhooks.send(m.tenantId, c.endpointId, d.id, c.type, c.body);
      return {
        attempt: { outcome: r.status, statusCode: r.statusCode, response: r.response },
        result:
          r.status === 'delivered'
            ? { status: 'delivered' }
            : r.status === 'failed'
              ? { status: 'failed', code: r.code, error: r.error }
              : { status: 'retry', code: r.code, error: r.error },
      };
    },
  };
}
