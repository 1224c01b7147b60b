import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES, NOTIFY_EVENTS } from '../templates.ts';
import { inAppBody } from './in-app.ts';

describe('inAppBody', () => {
  it('drops the link and the words that only led to it', () => {
    expect(
      inAppBody('Shop: your return RMA-1 is approved. Shipping instructions: https://x.example/t/a'),
    ).toBe('Shop: your return RMA-1 is approved.');
    expect(inAppBody('【店】您的退货已批准。寄回说明：https://x.example/t/a')).toBe('【店】您的退货已批准。');
    expect(inAppBody('Shop: we will update you soon: https://x.example/t/a')).toBe(
      'Shop: we will update you soon.',
    );
    expect(inAppBody('No link here.')).toBe('No link here.');
  });

  it('leaves no built-in message ending in a colon, in any language', () => {
    for (const event of NOTIFY_EVENTS) {
      for (const set of Object.values(DEFAULT_TEMPLATES[event])) {
        const body = inAppBody(
          set.sms.replace(/\{\{\w+\}\}/g, (m) => (m === '{{trackingUrl}}' ? 'https://x.example/t/a' : 'X')),
        );
        expect(body, `${event}: ${set.sms}`).not.toMatch(/[:：]\s*$/);
      }
    }
  });
});
