import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../src/modules/notify/webhook-signing.ts';
import { type FakeTwilio, startFakeTwilio } from './fakes/fake-twilio.ts';
import { orderBody } from './helpers/fixtures.ts';
import { startSmtpTestServer } from './helpers/smtp-test-server.ts';
import { openSse } from './helpers/sse-client.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';
import { startWebhookReceiver } from './helpers/webhook-receiver.ts';

const ACCOUNT_SID = `AC${'1'.repeat(32)}`;
const AUTH_TOKEN = 'twilio-auth-token-test';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpTestServer>>;
let twilio: FakeTwilio;
let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
let webhookSecret: string;

beforeAll(async () => {
  smtp = await startSmtpTestServer();
  twilio = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  hooks = await startWebhookReceiver();
  t = await startTestApp({ smtpUrl: smtp.url, worker: { maxAttempts: 3, baseDelayMs: 20 } });
  const settings = await t.api.put('/api/v1/notification-settings', {
    senderName: 'Test Shop',
    senderEmail: 'returns@testshop.example',
    // Quiet hours off for these tests; they have their own below.
    quietHours: null,
    sms: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15005550006', baseUrl: twilio.url },
  });
  expect(settings.status, JSON.stringify(settings.body)).toBe(200);
  expect(settings.body.smsConfigured).toBe(true);
  const hook = await t.api.post('/api/v1/webhooks', {
    url: hooks.url,
    events: ['return.approved', 'refund.succeeded'],
  });
  expect(hook.status).toBe(201);
  webhookSecret = hook.body.secret;
});

afterAll(async () => {
  await t?.close();
  await smtp?.close();
  await twilio?.close();
  await hooks?.close();
});

/** A customer with a phone who opted in to SMS, and an order of theirs. */
async function customerOrder(prefs: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}) {
  const order = (await t.api.post('/api/v1/orders', orderBody(overrides))).body;
  const res = await t.api.put(`/api/v1/customers/${order.customer.id}/preferences`, {
    phone: '+34600111222',
    channels: { sms: { enabled: true } },
    ...prefs,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return order;
}

async function fileReturn(order: { id: string; lines: { id: string }[] }, reasonCode = 'wrong_size') {
  const res = await t.api.post('/api/v1/returns', {
    orderId: order.id,
    lines: [{ orderLineId: order.lines[1]!.id, quantity: 1, reasonCode }],
  });
  expect(res.status).toBe(201);
  return res.body;
}

const settle = (returnId: string, check: (d: { channel: string; status: string }[]) => boolean) =>
  t.eventually(
    async () =>
      (await t.api.get(`/api/v1/notifications?returnId=${returnId}&limit=100`)).body.data as {
        channel: string;
        status: string;
      }[],
    check,
  );

describe('one approved return', () => {
  it('sends exactly one email, one SMS, one inbox item and one signed webhook', async () => {
    const order = await customerOrder();
    const ret = await fileReturn(order);
    expect(ret.status).toBe('awaiting_shipment');
    const done = await settle(
      ret.id,
      (d) => d.length === 4 && d.every((x) => ['sent', 'delivered'].includes(x.status)),
    );
    expect(done.map((d) => d.channel).sort()).toEqual(['email', 'in_app', 'sms', 'webhook']);

    const mails = smtp.messages.filter((m) => m.to === order.customer.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain(ret.rmaNumber);
    expect(mails[0]!.text).toContain(`/t/${ret.trackingToken}`);
    expect(mails[0]!.html).toContain('<html');
    expect(String(mails[0]!.headers['list-unsubscribe'] ?? '')).toContain('/u/');

    const sms = twilio.messages.filter((m) => m.to === '+34600111222' && m.body.includes(ret.rmaNumber));
    expect(sms).toHaveLength(1);

    const inbox = await t.anon.get(`/api/v1/track/${ret.trackingToken}/inbox`);
    expect(inbox.body.data).toHaveLength(1);
    expect(inbox.body.unreadCount).toBe(1);

    const deliveries = hooks.received.filter((h) => h.body.includes(ret.id));
    expect(deliveries).toHaveLength(1);
    const h = deliveries[0]!;
    expect(h.headers['returnflow-event-type']).toBe('return.approved');
    const signature = String(h.headers['returnflow-signature']);
    expect(verifySignature(webhookSecret, h.body, signature, Math.floor(Date.now() / 1000))).toBe(true);
    expect(verifySignature('whsec_wrong', h.body, signature, Math.floor(Date.now() / 1000))).toBe(false);
    expect(JSON.parse(h.body)).toMatchObject({
      type: 'return.approved',
      data: { return: { id: ret.id, rmaNumber: ret.rmaNumber } },
    });
  });

  it('speaks the language the return was filed in, with the ship-by date, the shop as sender, and no dangling labels', async () => {
    const { tenant, api } = await t.otherTenant();
    await api.put('/api/v1/notification-settings', { quietHours: null });
    const order = (await api.post('/api/v1/orders', orderBody())).body;
    // Filed through the portal in Spanish; the customer chose no language.
    const call = (await import('./helpers/test-app.ts')).customerSession(t.baseUrl);
    await call('POST', '/api/v1/portal/lookup', {
      shop: tenant.handle,
      orderNumber: order.orderNumber,
      email: order.customer.email,
    });
    const filed = await call('POST', '/api/v1/portal/returns?lang=es', {
      resolution: 'refund',
      lines: [{ orderLineId: order.lines[1].id, quantity: 1, reasonCode: 'wrong_size' }],
    });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    const mail = await t.eventually(
      async () => smtp.messages.find((m) => m.to === order.customer.email),
      (m) => m !== undefined,
    );
    expect(mail!.subject).toMatch(/^Buenas noticias/);
    // The sender is the shop (no sender name set): not "Returns".
    expect(mail!.from).toContain(tenant.name);
    expect(mail!.from).not.toMatch(/^"?Returns/);
    const track = await t.anon.get(`/api/v1/track/${filed.body.trackingToken}?lang=es`);
    const shipBy = new Intl.DateTimeFormat('es', { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date(`${track.body.shipBy.date}T00:00:00Z`),
    );
    expect(mail!.text).toContain(`Envíanos los artículos antes del ${shipBy}.`);
    const inbox = await t.eventually(
      () => t.anon.get(`/api/v1/track/${filed.body.trackingToken}/inbox`),
      (r) => r.body.data.length === 1,
    );
    const item = inbox.body.data[0];
    expect(item.title).toMatch(/^Buenas noticias/);
    expect(item.body).not.toMatch(/[:：]\s*$/);
    expect(item.body).not.toContain('http');
  });

  it('shows each delivery with its status on the internal timeline', async () => {
    const order = await customerOrder();
    const ret = await fileReturn(order);
    await settle(ret.id, (d) => d.length === 4 && d.every((x) => ['sent', 'delivered'].includes(x.status)));
    const events = (await t.api.get(`/api/v1/returns/${ret.id}/events`)).body.data as {
      action: string;
      visibility: string;
      note: string;
    }[];
    const notes = events.filter((e) => e.action.startsWith('notify_'));
    expect(notes.map((e) => e.action).sort()).toEqual([
      'notify_email',
      'notify_in_app',
      'notify_sms',
      'notify_webhook',
    ]);
    expect(notes.every((e) => e.visibility === 'internal')).toBe(true);
    expect(notes.find((e) => e.action === 'notify_email')!.note).toMatch(/: sent$/);
    // The customer's view stays free of it.
    const track = await t.anon.get(`/api/v1/track/${ret.trackingToken}`);
    expect(JSON.stringify(track.body)).not.toContain('notify_');
  });
});

describe('SMS delivery reports', () => {
  it('moves an SMS to delivered on a signed Twilio callback, and refuses a forged one', async () => {
    const order = await customerOrder();
    const ret = await fileReturn(order);
    await settle(ret.id, (d) => d.some((x) => x.channel === 'sms' && x.status === 'sent'));
    const msg = twilio.messages.find((m) => m.body.includes(ret.rmaNumber))!;
    expect(msg.statusCallback).toContain('/api/v1/webhooks/sms/twilio/');
    const path = new URL(msg.statusCallback!).pathname;

    const forged = twilio.statusCallback(msg, 'delivered', { authToken: 'not-the-token' });
    const bad = await t.anon.raw('POST', path, forged.rawBody, forged.headers);
    expect(bad.status).toBe(400);

    const real = twilio.statusCallback(msg, 'delivered');
    const ok = await t.anon.raw('POST', path, real.rawBody, real.headers);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ updated: true });
    const sms = (await t.api.get(`/api/v1/notifications?returnId=${ret.id}&channel=sms`)).body.data[0];
    expect(sms.status).toBe('delivered');
    // A late, repeated "sent" never moves it back.
    const late = twilio.statusCallback(msg, 'sent');
    expect((await t.anon.raw('POST', path, late.rawBody, late.headers)).body).toEqual({ updated: false });
    const wrongTenant = path.replace(/\/twilio\/[^/]+\//, '/twilio/ten_someoneelse/');
    expect((await t.anon.raw('POST', wrongTenant, real.rawBody, real.headers)).status).toBe(404);
  });
});

describe('preferences', () => {
  it('respects a category turned off, but always sends a critical money update', async () => {
    const order = await customerOrder({
      channels: { email: { categories: { status: false, money: false } }, sms: { enabled: false } },
    });
    const ret = await fileReturn(order, 'not_as_described');
    await settle(ret.id, (d) => d.length >= 2);
    for (const a of ['ship', 'receive']) await t.api.post(`/api/v1/returns/${ret.id}/actions/${a}`);
    await t.api.post(`/api/v1/returns/${ret.id}/actions/inspect`);
    await t.api.post(`/api/v1/returns/${ret.id}/actions/refund`);
    const all = await settle(ret.id, (d) => d.filter((x) => x.channel === 'email').length >= 3);
    const events = (
      await t.api.get(`/api/v1/notifications?returnId=${ret.id}&channel=email&limit=100`)
    ).body.data.map((d: { event: string }) => d.event);
    // status updates (in transit, received, inspected) are off; decisions and money still arrive.
    expect(events).not.toContain('return_in_transit');
    expect(events).not.toContain('return_received');
    expect(events).toContain('refund_started');
    expect(events).toContain('refund_succeeded');
    expect(all.some((d) => d.channel === 'sms')).toBe(false);
  });

  it('unsubscribes from a channel through the signed link, which a GET alone does not do', async () => {
    const order = await customerOrder();
    const ret = await fileReturn(order);
    await settle(ret.id, (d) => d.some((x) => x.channel === 'email' && x.status === 'sent'));
    const mail = smtp.messages.find((m) => m.to === order.customer.email)!;
    const link = /\/u\/[A-Za-z0-9._-]+/.exec(mail.text)![0];
    const page = await t.anon.raw('GET', link);
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain('Unsubscribe');
    expect(
      (await t.api.get(`/api/v1/customers/${order.customer.id}/preferences`)).body.channels.email?.enabled,
    ).not.toBe(false);
    const done = await t.anon.raw('POST', link, 'List-Unsubscribe=One-Click', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(done.status).toBe(200);
    expect(
      (await t.api.get(`/api/v1/customers/${order.customer.id}/preferences`)).body.channels.email.enabled,
    ).toBe(false);
    const forged = await t.anon.raw('POST', `${link.slice(0, -3)}abc`, '', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(forged.status).toBe(404);
  });

  it('holds SMS during quiet hours in the customer’s time zone', async () => {
    const { api } = await t.otherTenant();
    await api.put('/api/v1/notification-settings', {
      // The whole day but one minute: whatever time the test runs, it is quiet.
      quietHours: { start: '00:00', end: '23:59' },
      sms: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15005550006', baseUrl: twilio.url },
    });
    const order = (await api.post('/api/v1/orders', orderBody())).body;
    await api.put(`/api/v1/customers/${order.customer.id}/preferences`, {
      phone: '+8613800138000',
      timeZone: 'Asia/Shanghai',
      channels: { sms: { enabled: true } },
    });
    const ret = (
      await api.post('/api/v1/returns', {
        orderId: order.id,
        lines: [{ orderLineId: order.lines[1].id, quantity: 1, reasonCode: 'wrong_size' }],
      })
    ).body;
    const sms = await t.eventually(
      async () => (await api.get(`/api/v1/notifications?returnId=${ret.id}&channel=sms`)).body.data,
      (d: any[]) => d.length === 1,
    );
    expect(sms[0].status).toBe('queued');
    expect(new Date(sms[0].sendAfter).getTime()).toBeGreaterThan(Date.now());
    expect(twilio.messages.some((m) => m.to === '+8613800138000')).toBe(false);
  });

  it('refuses a phone number that is not E.164', async () => {
    const order = (await t.api.post('/api/v1/orders', orderBody())).body;
    const res = await t.api.put(`/api/v1/customers/${order.customer.id}/preferences`, {
      phone: '600 111 222',
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_phone');
  });
});

describe('languages and templates', () => {
  it('writes to a customer in their language', async () => {
    const order = await customerOrder({ locale: 'es', channels: { sms: { enabled: false } } });
    const ret = await fileReturn(order);
    await settle(ret.id, (d) => d.some((x) => x.channel === 'email' && x.status === 'sent'));
    const mail = smtp.messages.find((m) => m.to === order.customer.email)!;
    expect(mail.html).toContain('lang="es"');
  });

  it('previews and stores a tenant’s own wording, and refuses unknown placeholders', async () => {
    const { api } = await t.otherTenant();
    const bad = await api.put('/api/v1/notification-templates/return_approved/en', {
      subject: 'Hi {{nope}}',
    });
    expect(bad.status).toBe(422);
    const ok = await api.put('/api/v1/notification-templates/return_approved/en', {
      subject: 'Approved: {{rmaNumber}} for {{customerName}}',
    });
    expect(ok.status).toBe(204);
    const preview = await api.post('/api/v1/notification-templates/return_approved/en/preview', {});
    expect(preview.status).toBe(200);
    expect(preview.body.subject).toBe('Approved: RMA-000123 for Alex Example');
    expect(preview.body.smsSegments.segments).toBeGreaterThan(0);
    const zh = await api.post('/api/v1/notification-templates/return_approved/zh-CN/preview', {});
    expect(zh.body.html).toContain('lang="zh-CN"');
  });
});

describe('webhooks', () => {
  it('retries a failing endpoint, dead-letters it, and delivers it on replay', async () => {
    const { api } = await t.otherTenant();
    const receiver = await startWebhookReceiver();
    try {
      receiver.always(500);
      const hook = await api.post('/api/v1/webhooks', { url: receiver.url, events: ['*'] });
      const order = (await api.post('/api/v1/orders', orderBody())).body;
      const ret = (
        await api.post('/api/v1/returns', {
          orderId: order.id,
          lines: [{ orderLineId: order.lines[1].id, quantity: 1, reasonCode: 'wrong_size' }],
        })
      ).body;
      const dead = await t.eventually(
        async () => (await api.get(`/api/v1/notifications?returnId=${ret.id}&channel=webhook`)).body.data[0],
        (d: any) => d?.status === 'dead',
      );
      expect(receiver.received.length).toBe(3);
      const detail = await api.get(`/api/v1/notifications/${dead.id}`);
      expect(detail.body.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 500, 500]);

      receiver.always(200);
      const replay = await api.post(`/api/v1/notifications/${dead.id}/replay`);
      expect(replay.status).toBe(200);
      await t.eventually(
        async () => (await api.get(`/api/v1/notifications/${dead.id}`)).body.status,
        (s) => s === 'delivered',
      );
      expect(receiver.received.length).toBe(4);
      const ids = new Set(receiver.received.map((r) => r.headers['returnflow-delivery-id']));
      expect(ids.size).toBe(1);
      expect(hook.body.secret).toMatch(/^whsec_/);
    } finally {
      await receiver.close();
    }
  });

  it('rotates the secret with both signatures for a while, and test-sends a ping', async () => {
    const { api } = await t.otherTenant();
    const receiver = await startWebhookReceiver();
    try {
      const hook = (await api.post('/api/v1/webhooks', { url: receiver.url, events: ['return.approved'] }))
        .body;
      const rotated = await api.post(`/api/v1/webhooks/${hook.id}/rotate-secret`);
      expect(rotated.body.secret).not.toBe(hook.secret);
      expect(rotated.body.rotatingUntil).toBeTruthy();
      const ping = await api.post(`/api/v1/webhooks/${hook.id}/test`);
      expect(ping.body).toMatchObject({ ok: true, statusCode: 200 });
      const got = receiver.received.at(-1)!;
      const now = Math.floor(Date.now() / 1000);
      const header = String(got.headers['returnflow-signature']);
      expect(verifySignature(rotated.body.secret, got.body, header, now)).toBe(true);
      expect(verifySignature(hook.secret, got.body, header, now)).toBe(true);
      const listed = await api.get('/api/v1/webhooks');
      expect(JSON.stringify(listed.body)).not.toContain(rotated.body.secret);
    } finally {
      await receiver.close();
    }
  });

  it("keeps another tenant's endpoints and notifications out of reach", async () => {
    const { api } = await t.otherTenant();
    const mine = (await t.api.get('/api/v1/webhooks')).body.data[0];
    expect((await api.get(`/api/v1/webhooks/${mine.id}`)).status).toBe(404);
    expect((await api.post(`/api/v1/webhooks/${mine.id}/test`)).status).toBe(404);
    const note = (await t.api.get('/api/v1/notifications?limit=1')).body.data[0];
    expect((await api.get(`/api/v1/notifications/${note.id}`)).status).toBe(404);
    expect((await api.post(`/api/v1/notifications/${note.id}/replay`)).status).toBe(404);
  });

  it('refuses unknown event names', async () => {
    const res = await t.api.post('/api/v1/webhooks', { url: hooks.url, events: ['return.exploded'] });
    expect(res.status).toBe(422);
  });
});

describe('live updates and messages', () => {
  it('pushes a status change and a staff message to the tracking stream in well under a second', async () => {
    const order = await customerOrder({ channels: { sms: { enabled: false } } });
    const ret = await fileReturn(order);
    const sse = await openSse(`${t.baseUrl}/api/v1/track/${ret.trackingToken}/stream`);
    try {
      expect(sse.status).toBe(200);
      const started = Date.now();
      await t.api.post(`/api/v1/returns/${ret.id}/actions/ship`, { carrier: 'UPS' });
      const e = await sse.next((x) => x.event === 'return.updated', 2_000);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(e.json).toMatchObject({ returnId: ret.id, status: 'in_transit' });

      await t.api.post(`/api/v1/returns/${ret.id}/messages`, { message: 'We got your photos, thanks!' });
      const item = await sse.next((x) => x.event === 'inbox.item');
      expect(JSON.stringify(item.json)).toContain(ret.id);
      const mail = await t.eventually(
        async () =>
          smtp.messages.filter((m) => m.to === order.customer.email && m.text.includes('We got your photos')),
        (m) => m.length === 1,
      );
      expect(mail).toHaveLength(1);
      const read = await t.anon.post(`/api/v1/track/${ret.trackingToken}/inbox/read`, { all: true });
      expect(read.body.unreadCount).toBe(0);
    } finally {
      sse.close();
    }
  });

  it('streams queue changes to staff, and refuses the staff stream without a key', async () => {
    const sse = await openSse(`${t.baseUrl}/api/v1/stream`, { authorization: `Bearer ${t.tenant.apiKey}` });
    try {
      const order = await customerOrder();
      const ret = await fileReturn(order);
      const e = await sse.next(
        (x) => x.event === 'return.updated' && (x.json as { returnId: string }).returnId === ret.id,
        2_000,
      );
      expect(e.json).toMatchObject({ status: 'awaiting_shipment' });
    } finally {
      sse.close();
    }
    expect((await t.anon.get('/api/v1/stream')).status).toBe(401);
  });
});
