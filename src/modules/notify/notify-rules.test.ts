import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { afterQuietHours, channelsFor, digestWindow, notificationFor } from './notify-rules.ts';

describe('notificationFor', () => {
  it('tells the customer once, about where the change ended', () => {
    expect(
      notificationFor([{ action: 'request' }, { action: 'approve' }, { action: 'issue_instructions' }])
        ?.event,
    ).toBe('return_approved');
    expect(notificationFor([{ action: 'request' }, { action: 'review' }])?.event).toBe('return_needs_review');
    expect(
      notificationFor([{ action: 'refund' }, { action: 'refund_succeeded' }], { method: 'store_credit' })
        ?.event,
    ).toBe('store_credit_issued');
    expect(
      notificationFor([{ action: 'refund' }, { action: 'refund_succeeded' }], { method: 'wallet' })?.event,
    ).toBe('wallet_credited');
  });

  it('announces an approval with nothing to post without shipping instructions', () => {
    const approve = [{ action: 'request' }, { action: 'approve' }];
    expect(notificationFor(approve, { status: 'awaiting_shipment' })?.event).toBe('return_approved');
    expect(notificationFor(approve, { status: 'approved' })?.event).toBe('return_approved_no_parcel');
    expect(notificationFor(approve, { status: 'refund_pending' })?.webhook).toBe('return.approved');
  });

  it('ignores internal steps and actions customers do not hear about', () => {
    expect(notificationFor([{ action: 'ship', visibility: 'internal' }])).toBeNull();
    expect(notificationFor([{ action: 'request' }])).toBeNull();
    expect(
      notificationFor([{ action: 'refund_failed', visibility: 'internal' }, { action: 'refund_delayed' }])
        ?.category,
    ).toBe('money');
  });
});

describe('channelsFor', () => {
  const contact = { email: 'a@example.com', phone: '+34600111222' };

  it('sends email and in-app by default, SMS only after an opt-in', () => {
    expect(channelsFor('status', {}, contact, ['money'])).toEqual(['email', 'in_app']);
    expect(channelsFor('status', { sms: { enabled: true } }, contact, ['money'])).toEqual([
      'email',
      'sms',
      'in_app',
    ]);
    expect(channelsFor('status', { sms: { enabled: true } }, { email: null, phone: null }, [])).toEqual([
      'in_app',
    ]);
  });

  it('sends a critical category even when the customer turned the category off, but not after unsubscribing', () => {
    const prefs = { email: { categories: { money: false, status: false } } };
    expect(channelsFor('money', prefs, contact, ['money'])).toContain('email');
    expect(channelsFor('status', prefs, contact, ['money'])).not.toContain('email');
    expect(channelsFor('money', { email: { enabled: false } }, contact, ['money'])).not.toContain('email');
  });
});

describe('afterQuietHours', () => {
  it('holds an SMS during the night in the customer zone and releases it at the end', () => {
    // 23:30 in Madrid (UTC+1 in November) = 22:30 UTC.
    const at = afterQuietHours(
      new Date('2026-11-26T22:30:00Z'),
      { start: '21:00', end: '08:00' },
      'Europe/Madrid',
    );
    expect(at.toISOString()).toBe('2026-11-27T07:00:00.000Z');
    const day = new Date('2026-11-26T12:00:00Z');
    expect(afterQuietHours(day, { start: '21:00', end: '08:00' }, 'Europe/Madrid')).toEqual(day);
  });

  it('never delays by a day or more', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
        fc.constantFrom('Asia/Shanghai', 'America/New_York', 'UTC'),
        (d, tz) => {
          const at = afterQuietHours(d, { start: '22:00', end: '07:30' }, tz);
          expect(at.getTime()).toBeGreaterThanOrEqual(d.getTime() - 60_000);
          expect(at.getTime() - d.getTime()).toBeLessThan(24 * 3_600_000);
        },
      ),
    );
  });
});

describe('digestWindow', () => {
  it('gives every change in one window the same key and send time', () => {
    const a = digestWindow(new Date('2026-11-26T10:01:00Z'), 30);
    const b = digestWindow(new Date('2026-11-26T10:29:59Z'), 30);
    expect(a).toEqual(b);
    expect(a.sendAt.toISOString()).toBe('2026-11-26T10:30:00.000Z');
  });
});
