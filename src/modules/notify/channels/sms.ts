import { newId } from '../../../platform/ids.ts';
import { afterQuietHours } from '../notify-rules.ts';
import type { NotifySettings } from '../settings.ts';
import { fitSms } from '../sms.ts';
import type { SendingChannel, SmsContent } from './channel.ts';
import { DELIVER_SMS } from './channel.ts';

/**
 * SMS: only to a phone in E.164 when the shop has a provider; held back past the customer's
 * quiet hours. The provider reports delivery later (see `smsStatus` in the service).
 */
export function smsChannel(
  settings: NotifySettings,
  statusCallbackUrl: (tenantId: string) => string,
): SendingChannel<SmsContent> {
  return {
    id: 'sms',
    topic: DELIVER_SMS,
    render({ ctx, settings: s, now, textsFor, phone }) {
      if (!phone) return [];
      const at = afterQuietHours(now, s.quietHours, ctx.customer.timeZone ?? s.defaultTimeZone);
      // Long bodies (a tenant's rewrite, long names) are cut to three segments, not sent as ten.
      const body = fitSms(textsFor('sms').r.sms, 3);
      return [
        {
          id: newId('dlv'),
          recipient: phone,
          status: 'queued',
          content: { kind: 'sms', to: phone, body },
          sendAfter: at.toISOString(),
        },
      ];
    },
    async deliver(d, m) {
      const sender = await settings.smsSender(m.tenantId);
      if (!sender) {
        return {
          attempt: { outcome: 'failed', response: 'no SMS provider configured' },
          result: { status: 'failed', code: 'sms_not_configured', error: 'No SMS provider is configured.' },
        };
      }
      const r = await sender.send({
        to: d.content.to,
        body: d.content.body,
        statusCallbackUrl: statusCallbackUrl(m.tenantId),
      });
      if (r.status === 'failed' && r.code === 'twilio_21610' && d.customerId) {
        // The customer texted STOP to our number: respect it here too, not only at the carrier.
        await settings.setPreferences(m.tenantId, d.customerId, { sms: { enabled: false } });
      }
      return {
        attempt: { outcome: r.status, response: r.status === 'sent' ? r.providerId : r.error },
        result: r,
      };
    },
  };
}
