import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJson } from '../../platform/db/schema.ts';
import type { OutboxMessage } from '../../platform/outbox.ts';
import { sampleOrder } from '../../testing/fixtures.ts';
import { type ServiceHarness, serviceHarness } from '../../testing/services.ts';
import type { Actor } from '../returns/service.ts';
import type { EmailContent, InAppContent, SmsContent } from './channels/channel.ts';
import {
  DELIVER_DIGEST,
  DELIVER_EMAIL,
  DELIVER_SMS,
  type DispatchPayload,
  NOTIFY_DISPATCH,
  type StaffNotice,
} from './service.ts';

/**
 * The notify service through the whole application's services: returns are filed and moved
 * through `services.returns` and `services.returnActions`, the outbox is drained by hand and time
 * moves only with the fixed clock. No SMTP (emails are stored) and no HTTP: an SMS provider is
 * configured with an address nothing listens on, and no test lets a text become due while it is.
 */
const STAFF: Actor = { type: 'staff', id: 'usr_test' };
const MINUTE = 60_000;
const DAY = 86_400_000;
const SMS_ACCOUNT = {
  accountSid: `AC${'1'.repeat(32)}`,
  authToken: 'twilio-test-token',
  from: '+15005550006',
};

let h: ServiceHarness;
beforeEach(async () => {
  // 09:00 UTC: outside the default quiet hours (21:00–08:00 in the customer's zone).
  h = await serviceHarness('2027-03-01T09:00:00.000Z');
});
afterEach(async () => {
  await h.close();
});

let seq = 0;

async function newTenant(name = 'Notify Shop') {
  return h.services.identity.createTenant({ name, kind: 'merchant' });
}

/** The sample order with its T-shirt line only, delivered a week before the clock's now. */
async function newOrder(tenantId: string) {
  seq += 1;
  const now = h.clock.now().getTime();
  const at = {
    key: String(seq),
    number: 1000 + seq,
    placedAt: new Date(now - 10 * DAY).toISOString(),
    deliveredAt: new Date(now - 7 * DAY).toISOString(),
  };
  const input = sampleOrder(at);
  const { order } = await h.services.orders.upsertOrder(tenantId, { ...input, lines: [input.lines[0]!] });
  return order;
}

/** A "wrong size" return of one unit, which the default policy approves at once. */
async function fileReturn(tenantId: string, order: { id: string; lines: { id: string }[] }) {
  const ret = await h.services.returns.requestReturn(
    tenantId,
    {
      orderId: order.id,
      resolution: 'refund',
      lines: [{ orderLineId: order.lines[0]!.id, quantity: 1, reasonCode: 'wrong_size' }],
    },
    STAFF,
  );
  expect(ret.status).toBe('awaiting_shipment');
  return ret;
}

/** A customer with an E.164 phone who opted in to SMS. */
async function withPhone(tenantId: string, customerId: string, timeZone: string | null = null) {
  await h.services.orders.updateCustomerContact(tenantId, customerId, { phone: '+34600111222', timeZone });
  await h.services.settings.setPreferences(tenantId, customerId, { sms: { enabled: true } });
}

async function deliveries(
  tenantId: string,
  where: { returnId?: string; channel?: 'email' | 'sms' | 'in_app' } = {},
) {
  let q = h.db.selectFrom('deliveries').selectAll().where('tenantId', '=', tenantId);
  if (where.returnId) q = q.where('returnId', '=', where.returnId);
  if (where.channel) q = q.where('channel', '=', where.channel);
  return q.orderBy('channel').orderBy('id').execute();
}

async function outbox(tenantId: string, topic: string) {
  return h.db
    .selectFrom('outbox')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('topic', '=', topic)
    .orderBy('id')
    .execute();
}

function customerInbox(tenantId: string, customerId: string, returnId?: string) {
  return h.services.notify.inbox(
    tenantId,
    { type: 'customer', id: customerId },
    returnId ? { returnId } : {},
  );
}

describe('a filed return', () => {
  it('becomes one delivery per channel once the outbox runs: email stored, an inbox item, no SMS without a provider', async () => {
    const t = await newTenant();
    const order = await newOrder(t.tenantId);
    // A phone and an SMS opt-in, but the shop has no SMS provider: no text.
    await withPhone(t.tenantId, order.customer.id);
    const ret = await fileReturn(t.tenantId, order);
    // The change only queued its notification; nothing is delivered inside the return's transaction.
    expect(await deliveries(t.tenantId)).toEqual([]);
    expect(await outbox(t.tenantId, NOTIFY_DISPATCH)).toHaveLength(1);

    await h.drain();
    const all = await deliveries(t.tenantId, { returnId: ret.id });
    expect(all.map((d) => [d.channel, d.status])).toEqual([
      ['email', 'stored'],
      ['in_app', 'delivered'],
    ]);
    const [email, inApp] = all;
    expect(email).toMatchObject({ event: 'return_approved', recipient: order.customer.email, attempts: 1 });
    const message = parseJson<EmailContent>(email!.content).message;
    expect(message.to).toBe(order.customer.email);
    expect(message.subject).toContain(ret.rmaNumber);
    expect(message.text).toContain(`http://shop.test/t/${ret.trackingToken}`);
    expect(message.headers?.['List-Unsubscribe']).toMatch(/^<http:\/\/shop\.test\/u\//);
    expect(inApp).toMatchObject({ recipient: order.customer.id, customerId: order.customer.id, attempts: 0 });

    const inbox = await customerInbox(t.tenantId, order.customer.id);
    expect(inbox.unreadCount).toBe(1);
    expect(inbox.data).toHaveLength(1);
    const content = parseJson<InAppContent>(inApp!.content);
    expect(inbox.data[0]).toMatchObject({
      returnId: ret.id,
      event: 'return_approved',
      title: content.title,
      readAt: null,
    });
    // The inbox sits on the tracking page: its text carries no link.
    expect(inbox.data[0]!.body).not.toContain('http');
    // The same deliveries are what the return's internal timeline reads.
    expect((await h.services.notify.deliveriesOfReturn(t.tenantId, ret.id)).map((d) => d.id)).toEqual(
      [...all].sort((a, b) => a.id.localeCompare(b.id)).map((d) => d.id),
    );
  });

  it('adds nothing when the same event is dispatched again, or queued again', async () => {
    const t = await newTenant();
    const order = await newOrder(t.tenantId);
    const ret = await fileReturn(t.tenantId, order);
    await h.drain();
    const before = await deliveries(t.tenantId);
    expect(before).toHaveLength(2);

    // The worker ran the message; a crash before it was marked done would run it again.
    const [row] = await outbox(t.tenantId, NOTIFY_DISPATCH);
    const message: OutboxMessage = { ...row!, payload: parseJson<unknown>(row!.payload) };
    expect(await h.services.notify.dispatch(message)).toEqual({ outcome: 'done' });
    expect(await h.services.notify.dispatch({ ...message, attempts: 3 })).toEqual({ outcome: 'done' });
    // And the change's own enqueue, repeated with the same event key, is ignored.
    await h.db
      .transaction()
      .execute((trx) =>
        h.services.notify.notifyReturnChange(trx, t.tenantId, message.payload as DispatchPayload),
      );
    await h.drain();

    expect(await deliveries(t.tenantId)).toEqual(before);
    expect(await outbox(t.tenantId, NOTIFY_DISPATCH)).toHaveLength(1);
    expect(await outbox(t.tenantId, DELIVER_EMAIL)).toHaveLength(1);
    expect((await customerInbox(t.tenantId, order.customer.id)).data).toHaveLength(1);

    // A new step of the return is a new event: it is delivered.
    await h.services.returnActions.performAction(t.tenantId, ret.id, 'ship', { carrier: 'UPS' }, STAFF);
    await h.drain();
    expect(await deliveries(t.tenantId)).toHaveLength(4);
  });
});

describe('the email digest', () => {
  it('holds routine status emails until the window ends, then settles them together as one email', async () => {
    const t = await newTenant();
    await h.services.settings.updateSettings(t.tenantId, { digestWindowMinutes: 30 });
    const order = await newOrder(t.tenantId);
    const ret = await fileReturn(t.tenantId, order);
    await h.drain();
    // The approval is a decision, not a routine update: it goes out at once.
    expect((await deliveries(t.tenantId, { channel: 'email' })).map((d) => d.status)).toEqual(['stored']);

    h.clock.advance(5 * MINUTE);
    await h.services.returnActions.performAction(t.tenantId, ret.id, 'ship', { carrier: 'UPS' }, STAFF);
    await h.drain();
    h.clock.advance(15 * MINUTE);
    await h.services.returnActions.performAction(t.tenantId, ret.id, 'receive', {}, STAFF);
    await h.drain();

    // 09:20: both routine updates wait in the 09:00–09:30 window.
    const waiting = (await deliveries(t.tenantId, { channel: 'email' })).filter((d) => d.digestKey);
    expect(waiting.map((d) => [d.event, d.status])).toEqual(
      expect.arrayContaining([
        ['return_in_transit', 'digest_pending'],
        ['return_received', 'digest_pending'],
      ]),
    );
    expect(waiting).toHaveLength(2);
    expect(new Set(waiting.map((d) => d.digestKey)).size).toBe(1);
    expect(waiting.every((d) => d.sendAfter === '2027-03-01T09:30:00.000Z')).toBe(true);
    // Only the approval has a message of its own; the window has one, not yet due.
    expect(await outbox(t.tenantId, DELIVER_EMAIL)).toHaveLength(1);
    const [digest] = await outbox(t.tenantId, DELIVER_DIGEST);
    expect(digest).toMatchObject({ status: 'pending', availableAt: '2027-03-01T09:30:00.000Z' });
    // The in-app items are not held back.
    expect((await customerInbox(t.tenantId, order.customer.id)).data).toHaveLength(3);

    h.clock.advance(9 * MINUTE);
    await h.drain();
    expect(
      (await deliveries(t.tenantId, { channel: 'email' })).filter((d) => d.status === 'digest_pending'),
    ).toHaveLength(2);

    h.clock.advance(1 * MINUTE);
    await h.drain();
    const sent = (await deliveries(t.tenantId, { channel: 'email' })).filter((d) => d.digestKey);
    expect(sent.map((d) => d.status)).toEqual(['stored', 'stored']);
    expect(sent.every((d) => d.updatedAt === '2027-03-01T09:30:00.000Z')).toBe(true);
    // One message for the window, run once; still no single email for either update.
    expect(await outbox(t.tenantId, DELIVER_DIGEST)).toEqual([
      expect.objectContaining({ id: digest!.id, status: 'done', attempts: 1 }),
    ]);
    expect(await outbox(t.tenantId, DELIVER_EMAIL)).toHaveLength(1);
  });
});

describe('a digest that cannot be sent', () => {
  it('is dead once out of tries, and a replay sends the whole window again', async () => {
    // Nothing listens on port 1 of loopback: every send is a connection error, which retries.
    const failing = await serviceHarness('2027-03-01T09:00:00.000Z', { smtpUrl: 'smtp://127.0.0.1:1' });
    const prev = h;
    h = failing;
    try {
      const t = await newTenant();
      await h.services.settings.updateSettings(t.tenantId, { digestWindowMinutes: 30 });
      const order = await newOrder(t.tenantId);
      const ret = await fileReturn(t.tenantId, order);
      await h.services.returnActions.performAction(t.tenantId, ret.id, 'ship', { carrier: 'UPS' }, STAFF);
      await h.services.returnActions.performAction(t.tenantId, ret.id, 'receive', {}, STAFF);
      // Each try fails; the clock moves past every backoff until the outbox gives up.
      for (let i = 0; i < 12; i++) {
        h.clock.advance(60 * MINUTE);
        await h.drain();
      }
      const parts = (await deliveries(t.tenantId, { channel: 'email' })).filter((d) => d.digestKey);
      expect(parts).toHaveLength(2);
      expect(parts.map((d) => d.status)).toEqual(['dead', 'dead']);
      expect((await outbox(t.tenantId, DELIVER_DIGEST)).map((m) => m.status)).toEqual(['dead']);

      await h.services.notify.replayDelivery(t.tenantId, parts[0]!.id);
      // Both parts wait again, with a fresh digest message due now.
      const again = (await deliveries(t.tenantId, { channel: 'email' })).filter((d) => d.digestKey);
      expect(again.map((d) => d.status)).toEqual(['digest_pending', 'digest_pending']);
      const pending = (await outbox(t.tenantId, DELIVER_DIGEST)).filter((m) => m.status === 'pending');
      expect(pending).toHaveLength(1);
      expect(parseJson<{ digestKey: string }>(pending[0]!.payload).digestKey).toBe(parts[0]!.digestKey);
    } finally {
      h = prev;
      await failing.close();
    }
  });
});

describe('SMS quiet hours', () => {
  it("holds a text until the quiet hours end in the customer's zone; email and inbox go at once", async () => {
    const t = await newTenant();
    await h.services.settings.updateSettings(t.tenantId, {
      quietHours: { start: '21:00', end: '08:00' },
      defaultTimeZone: 'UTC',
      // Nothing listens there; the text is never due while the provider is set (see the file's note).
      sms: { ...SMS_ACCOUNT, baseUrl: 'http://127.0.0.1:9' },
    });
    // 13:30 UTC is 21:30 in Shanghai.
    h.clock.set('2027-03-01T13:30:00.000Z');
    const order = await newOrder(t.tenantId);
    await withPhone(t.tenantId, order.customer.id, 'Asia/Shanghai');
    const ret = await fileReturn(t.tenantId, order);
    await h.drain();

    const all = await deliveries(t.tenantId, { returnId: ret.id });
    expect(all.map((d) => [d.channel, d.status])).toEqual([
      ['email', 'stored'],
      ['in_app', 'delivered'],
      ['sms', 'queued'],
    ]);
    const sms = all.find((d) => d.channel === 'sms')!;
    // 08:00 in Shanghai.
    expect(sms).toMatchObject({
      recipient: '+34600111222',
      attempts: 0,
      sendAfter: '2027-03-02T00:00:00.000Z',
    });
    expect(parseJson<SmsContent>(sms.content).body).toContain(ret.rmaNumber);
    expect(await outbox(t.tenantId, DELIVER_SMS)).toEqual([
      expect.objectContaining({ status: 'pending', attempts: 0, availableAt: '2027-03-02T00:00:00.000Z' }),
    ]);
    const attempts = await h.db
      .selectFrom('deliveryAttempts')
      .select('id')
      .where('tenantId', '=', t.tenantId)
      .where('deliveryId', '=', sms.id)
      .execute();
    expect(attempts).toEqual([]);
  });
});

describe('notifyStaff', () => {
  const notice = (recipients: StaffNotice['recipients'], eventKey = 'analytics.alert:a1'): StaffNotice => ({
    eventKey,
    event: 'analytics_alert',
    title: 'Returns of Rain jacket doubled',
    body: 'Seven returns of Rain jacket this week against three a week before.',
    url: '/console/analytics/alerts/a1',
    linkLabel: 'See the alert',
    recipients,
    webhook: { type: 'analytics.alert', data: { alertId: 'a1' } },
  });

  it('writes one inbox item and one email per recipient, and nothing more for the same event key', async () => {
    const t = await newTenant();
    const [admin] = await h.services.identity.listUsers(t.tenantId);
    const people = [
      { id: admin!.id, email: admin!.email },
      { id: 'usr_desk', email: 'desk@shop.example' },
    ];
    expect(await h.services.notify.notifyStaff(t.tenantId, notice(people))).toEqual({ created: 4 });

    for (const p of people) {
      const inbox = await h.services.notify.inbox(t.tenantId, { type: 'user', id: p.id });
      expect(inbox.unreadCount).toBe(1);
      expect(inbox.data).toEqual([
        expect.objectContaining({
          title: 'Returns of Rain jacket doubled',
          url: '/console/analytics/alerts/a1',
          returnId: null,
          event: 'analytics_alert',
        }),
      ]);
    }
    const emails = await deliveries(t.tenantId, { channel: 'email' });
    expect(emails.map((d) => d.recipient).sort()).toEqual(people.map((p) => p.email).sort());
    for (const e of emails) {
      const m = parseJson<EmailContent>(e.content).message;
      expect(m.to).toBe(e.recipient);
      expect(m.subject).toBe('Returns of Rain jacket doubled');
      expect(m.from).toBe('Notify Shop <returns@returnflow.local>');
      expect(m.text).toContain('See the alert: http://shop.test/console/analytics/alerts/a1');
    }
    expect((await deliveries(t.tenantId, { channel: 'in_app' })).map((d) => d.recipient).sort()).toEqual(
      people.map((p) => `user:${p.id}`).sort(),
    );

    // The same notice again (a retried alert job): nothing new anywhere.
    expect(await h.services.notify.notifyStaff(t.tenantId, notice(people))).toEqual({ created: 0 });
    expect(await deliveries(t.tenantId)).toHaveLength(4);
    expect(await outbox(t.tenantId, DELIVER_EMAIL)).toHaveLength(2);
    for (const p of people) {
      expect((await h.services.notify.inbox(t.tenantId, { type: 'user', id: p.id })).data).toHaveLength(1);
    }

    await h.drain();
    expect((await deliveries(t.tenantId, { channel: 'email' })).map((d) => d.status)).toEqual([
      'stored',
      'stored',
    ]);
    // Another event is another notice.
    expect(
      await h.services.notify.notifyStaff(t.tenantId, notice(people.slice(0, 1), 'analytics.alert:a2')),
    ).toEqual({
      created: 2,
    });
  });
});

describe('replayDelivery', () => {
  it('sends a failed delivery again, and refuses in-app items and deliveries that did not fail', async () => {
    const t = await newTenant();
    await h.services.settings.updateSettings(t.tenantId, {
      quietHours: { start: '21:00', end: '08:00' },
      sms: { ...SMS_ACCOUNT, baseUrl: 'http://127.0.0.1:9' },
    });
    h.clock.set('2027-03-01T22:00:00.000Z');
    const order = await newOrder(t.tenantId);
    await withPhone(t.tenantId, order.customer.id);
    const ret = await fileReturn(t.tenantId, order);
    await h.drain();
    // The text waits for 08:00; by then the shop has removed its SMS provider.
    await h.services.settings.updateSettings(t.tenantId, { sms: null });
    h.clock.set('2027-03-02T08:00:00.000Z');
    await h.drain();
    const [sms] = await deliveries(t.tenantId, { channel: 'sms' });
    expect(sms).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: expect.stringMatching(/^sms_not_configured/),
    });

    const replayed = await h.services.notify.replayDelivery(t.tenantId, sms!.id);
    expect(replayed).toMatchObject({ id: sms!.id, status: 'queued' });
    await h.drain();
    // Sent again (and failed again, the provider is still gone): a second try, recorded.
    expect((await deliveries(t.tenantId, { channel: 'sms' }))[0]).toMatchObject({
      status: 'failed',
      attempts: 2,
    });
    const detail = await h.services.notify.getDelivery(t.tenantId, sms!.id);
    expect(detail.attempts.map((a) => [a.attempt, a.outcome, a.response])).toEqual([
      [1, 'failed', 'no SMS provider configured'],
      [2, 'failed', 'no SMS provider configured'],
    ]);

    const [email] = await deliveries(t.tenantId, { channel: 'email' });
    const [inApp] = await deliveries(t.tenantId, { channel: 'in_app' });
    expect(email!.status).toBe('stored');
    await expect(h.services.notify.replayDelivery(t.tenantId, email!.id)).rejects.toMatchObject({
      status: 409,
      code: 'not_replayable',
    });
    await expect(h.services.notify.replayDelivery(t.tenantId, inApp!.id)).rejects.toMatchObject({
      status: 409,
      code: 'not_replayable',
    });
    // Even marked failed, an in-app item has nothing to send again: it was written when delivered.
    await h.db.updateTable('deliveries').set({ status: 'failed' }).where('id', '=', inApp!.id).execute();
    await expect(h.services.notify.replayDelivery(t.tenantId, inApp!.id)).rejects.toMatchObject({
      status: 409,
      code: 'not_replayable',
      message: 'In-app items are delivered at once.',
    });
    expect((await h.services.notify.getDelivery(t.tenantId, inApp!.id)).status).toBe('failed');
    expect((await customerInbox(t.tenantId, order.customer.id, ret.id)).data).toHaveLength(1);
    // Nothing was queued for the refused ones.
    expect(await outbox(t.tenantId, DELIVER_EMAIL)).toHaveLength(1);
  });
});

describe('the inbox', () => {
  it('counts unread items per recipient, marks some or all read, and filters by return', async () => {
    const t = await newTenant();
    const order = await newOrder(t.tenantId);
    const ret = await fileReturn(t.tenantId, order);
    await h.drain();
    h.clock.advance(MINUTE);
    await h.services.returnActions.performAction(t.tenantId, ret.id, 'ship', { carrier: 'UPS' }, STAFF);
    await h.drain();
    const other = await newOrder(t.tenantId);
    const otherRet = await fileReturn(t.tenantId, other);
    await h.drain();

    const me = { type: 'customer' as const, id: order.customer.id };
    const inbox = await h.services.notify.inbox(t.tenantId, me);
    expect(inbox.unreadCount).toBe(2);
    // Newest first.
    expect(inbox.data.map((i) => i.event)).toEqual(['return_in_transit', 'return_approved']);

    // An empty list marks nothing (not "everything").
    await h.services.notify.markRead(t.tenantId, me, []);
    expect((await h.services.notify.inbox(t.tenantId, me)).unreadCount).toBe(2);
    // Someone else's ids mark nothing of mine, and mine nothing of theirs.
    await h.services.notify.markRead(t.tenantId, { type: 'customer', id: other.customer.id }, [
      inbox.data[0]!.id,
    ]);
    expect((await h.services.notify.inbox(t.tenantId, me)).unreadCount).toBe(2);

    h.clock.advance(MINUTE);
    await h.services.notify.markRead(t.tenantId, me, [inbox.data[1]!.id]);
    const one = await h.services.notify.inbox(t.tenantId, me);
    expect(one.unreadCount).toBe(1);
    expect(one.data.find((i) => i.id === inbox.data[1]!.id)!.readAt).toBe(h.clock.now().toISOString());
    expect(one.data.find((i) => i.id === inbox.data[0]!.id)!.readAt).toBeNull();

    await h.services.notify.markRead(t.tenantId, me, 'all');
    expect((await h.services.notify.inbox(t.tenantId, me)).unreadCount).toBe(0);
    const theirs = await customerInbox(t.tenantId, other.customer.id);
    expect(theirs.unreadCount).toBe(1);
    expect(theirs.data.map((i) => i.returnId)).toEqual([otherRet.id]);
    // A return filter narrows items and count alike.
    expect((await customerInbox(t.tenantId, other.customer.id, ret.id)).data).toEqual([]);
    expect((await h.services.notify.inbox(t.tenantId, me, { limit: 1 })).data).toHaveLength(1);
  });
});

describe('another tenant', () => {
  it("finds none of a tenant's deliveries or inbox items", async () => {
    const t = await newTenant();
    const other = await newTenant('Other Shop');
    const order = await newOrder(t.tenantId);
    const ret = await fileReturn(t.tenantId, order);
    await h.drain();
    const [email] = await deliveries(t.tenantId, { channel: 'email' });
    // Make it replayable for its owner, so only the tenant check stands in the way.
    await h.db.updateTable('deliveries').set({ status: 'failed' }).where('id', '=', email!.id).execute();

    await expect(h.services.notify.getDelivery(other.tenantId, email!.id)).rejects.toMatchObject({
      status: 404,
      code: 'not_found',
    });
    await expect(h.services.notify.replayDelivery(other.tenantId, email!.id)).rejects.toMatchObject({
      status: 404,
    });
    expect((await h.services.notify.getDelivery(t.tenantId, email!.id)).status).toBe('failed');
    expect((await h.services.notify.listDeliveries(other.tenantId, {})).data).toEqual([]);
    expect(await h.services.notify.deliveriesOfReturn(other.tenantId, ret.id)).toEqual([]);

    const customer = { type: 'customer' as const, id: order.customer.id };
    expect(await h.services.notify.inbox(other.tenantId, customer)).toEqual({ data: [], unreadCount: 0 });
    await h.services.notify.markRead(other.tenantId, customer, 'all');
    expect((await h.services.notify.inbox(t.tenantId, customer)).unreadCount).toBe(1);
    // The owner can replay it.
    expect((await h.services.notify.replayDelivery(t.tenantId, email!.id)).status).toBe('queued');
  });
});
