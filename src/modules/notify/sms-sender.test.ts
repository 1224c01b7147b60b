import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeTwilio, startFakeTwilio } from '../../../test/fakes/fake-twilio.ts';
import { fixedClock } from '../../platform/clock.ts';
import {
  createTwilioSender,
  parseTwilioStatusCallback,
  SmsCallbackSignatureError,
  signTwilioRequest,
  type TwilioSenderOptions,
} from './sms-sender.ts';

const sid = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;

let accountSid: string;
let authToken: string;
let fake: FakeTwilio;

beforeEach(async () => {
  accountSid = sid('AC');
  authToken = randomBytes(16).toString('hex');
  fake = await startFakeTwilio({ accountSid, authToken });
});

afterEach(async () => {
  await fake.close();
});

function twilio(overrides: Partial<TwilioSenderOptions> = {}) {
  return createTwilioSender({
    accountSid,
    authToken,
    from: '+15005550006',
    baseUrl: fake.url,
    timeoutMs: 2_000,
    ...overrides,
  });
}

const CALLBACK = 'https://returns.example.com/hooks/sms/status?tenant=t_1';

describe('twilio sender: send', () => {
  it('posts the form Twilio expects with Basic auth to the account path', async () => {
    const result = await twilio().send({
      to: '+34612345678',
      body: 'Devolución R-1042 aprobada & 100% ok',
      statusCallbackUrl: CALLBACK,
    });

    expect(result).toEqual({
      status: 'sent',
      providerId: expect.stringMatching(/^SM[0-9a-f]{32}$/),
      segments: 1,
    });
    const [req] = fake.requests;
    expect(req).toMatchObject({
      method: 'POST',
      path: `/2010-04-01/Accounts/${accountSid}/Messages.json`,
      authOk: true,
      status: 201,
    });
    expect(req!.headers.authorization).toBe(
      `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
    );
    expect(req!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req!.rawBody).toBe(
      'To=%2B34612345678&From=%2B15005550006&Body=Devoluci%C3%B3n+R-1042+aprobada+%26+100%25+ok' +
        '&StatusCallback=https%3A%2F%2Freturns.example.com%2Fhooks%2Fsms%2Fstatus%3Ftenant%3Dt_1',
    );
    expect(fake.messages).toEqual([
      expect.objectContaining({
        sid: (result as { providerId: string }).providerId,
        to: '+34612345678',
        from: '+15005550006',
        messagingServiceSid: null,
        body: 'Devolución R-1042 aprobada & 100% ok',
        statusCallback: CALLBACK,
      }),
    ]);
  });

  it('sends MessagingServiceSid instead of From when the sender is a Messaging Service', async () => {
    const service = sid('MG');
    const result = await twilio({ from: service }).send({ to: '+8613800138000', body: '退货已批准' });

    expect(result).toMatchObject({ status: 'sent', segments: 1 });
    expect(fake.requests[0]!.params).toEqual({
      To: '+8613800138000',
      MessagingServiceSid: service,
      Body: '退货已批准',
    });
    expect(fake.messages[0]!.resource).toMatchObject({
      status: 'accepted',
      from: null,
      messaging_service_sid: service,
    });
  });

  it("reports Twilio's segment count", async () => {
    const result = await twilio().send({ to: '+14155552671', body: `Your return 📦 ${'x'.repeat(80)}` });
    expect(result).toMatchObject({ status: 'sent', segments: 2 });
    expect(fake.messages[0]!.resource).toMatchObject({ num_segments: '2', num_media: '0' });
  });

  it('refuses a number that is not E.164 without calling Twilio', async () => {
    for (const to of ['612 34 56 78', '0034612345678', '+1415']) {
      expect(await twilio().send({ to, body: 'hi' })).toEqual({
        status: 'failed',
        code: 'invalid_number',
        error: expect.stringContaining(to),
      });
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses an empty body and a malformed sender without calling Twilio', async () => {
    expect(await twilio().send({ to: '+14155552671', body: '' })).toMatchObject({
      status: 'failed',
      code: 'empty_body',
    });
    expect(await twilio({ from: 'MG123' }).send({ to: '+14155552671', body: 'hi' })).toMatchObject({
      status: 'failed',
      code: 'invalid_sender',
    });
    expect(await twilio({ from: 'Returnflow Ltd' }).send({ to: '+14155552671', body: 'hi' })).toMatchObject({
      status: 'failed',
      code: 'invalid_sender',
    });
    expect(fake.requests).toHaveLength(0);
  });

  it('accepts an alphanumeric sender ID', async () => {
    expect(await twilio({ from: 'Returnflow' }).send({ to: '+34612345678', body: 'hi' })).toMatchObject({
      status: 'sent',
    });
    expect(fake.requests[0]!.params.From).toBe('Returnflow');
  });

  it.each([
    [21610, 'unsubscribed recipient (STOP)'],
    [21408, 'region not enabled'],
    [21614, 'not a mobile number'],
  ])('maps Twilio error %i (%s) to failed', async (code) => {
    fake.script({ kind: 'status', status: 400, code });
    const result = await twilio().send({ to: '+14155552671', body: 'hi' });
    expect(result).toEqual({ status: 'failed', code: `twilio_${code}`, error: expect.any(String) });
    expect(fake.messages).toHaveLength(0);
  });

  it("passes on Twilio's message for 21610", async () => {
    fake.script({ kind: 'status', status: 400, code: 21610 });
    expect(await twilio().send({ to: '+14155552671', body: 'hi' })).toEqual({
      status: 'failed',
      code: 'twilio_21610',
      error: 'Attempt to send to unsubscribed recipient',
    });
  });

  it('fails with authentication_failed on wrong credentials', async () => {
    const result = await twilio({ authToken: 'not-the-token' }).send({ to: '+14155552671', body: 'hi' });
    expect(result).toEqual({ status: 'failed', code: 'authentication_failed', error: 'Authenticate' });
    expect(fake.requests[0]).toMatchObject({ authOk: false, status: 401 });
    expect(fake.messages).toHaveLength(0);
  });

  it('fails with authentication_failed on 403', async () => {
    fake.script({ kind: 'status', status: 403, code: 20008 });
    expect(await twilio().send({ to: '+14155552671', body: 'hi' })).toMatchObject({
      status: 'failed',
      code: 'authentication_failed',
    });
  });

  it('retries a 429 after the Retry-After seconds', async () => {
    fake.script({ kind: 'status', status: 429, headers: { 'Retry-After': '7' } });
    expect(await twilio().send({ to: '+14155552671', body: 'hi' })).toEqual({
      status: 'retry',
      code: 'twilio_20429',
      error: 'Too Many Requests',
      retryAfterMs: 7_000,
    });
  });

  it('reads a Retry-After HTTP date against the clock', async () => {
    const clock = fixedClock('2025-03-04T09:15:00Z');
    fake.script({ kind: 'status', status: 503, headers: { 'Retry-After': 'Tue, 04 Mar 2025 09:15:30 GMT' } });
    expect(await twilio({ clock }).send({ to: '+14155552671', body: 'hi' })).toMatchObject({
      status: 'retry',
      code: 'twilio_20503',
      retryAfterMs: 30_000,
    });
  });

  it('retries a 500, and a 502 page from a proxy that is not JSON', async () => {
    fake.script(
      { kind: 'status', status: 500 },
      {
        kind: 'status',
        status: 502,
        body: '<html>Bad Gateway</html>',
        headers: { 'Content-Type': 'text/html' },
      },
    );
    expect(await twilio().send({ to: '+14155552671', body: 'hi' })).toEqual({
      status: 'retry',
      code: 'twilio_20500',
      error: 'An internal server error has occurred',
    });
    expect(await twilio().send({ to: '+14155552671', body: 'hi' })).toMatchObject({
      status: 'retry',
      code: 'http_502',
    });
  });

  it('retries when Twilio does not answer in time', async () => {
    fake.script({ kind: 'hang', ms: 1_000 });
    const started = Date.now();
    const result = await twilio({ timeoutMs: 100 }).send({ to: '+14155552671', body: 'hi' });
    expect(result).toMatchObject({ status: 'retry', code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('retries when Twilio cannot be reached', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const result = await twilio({ baseUrl: `http://127.0.0.1:${port}` }).send({
      to: '+14155552671',
      body: 'hi',
    });
    expect(result).toMatchObject({ status: 'retry', code: 'network_error' });
  });

  it('retries a 2xx without a message resource: the text may have gone out', async () => {
    fake.script({ kind: 'status', status: 200, body: '{}' });
    expect(await twilio().send({ to: '+14155552671', body: 'hi' })).toMatchObject({
      status: 'retry',
      code: 'bad_response',
    });
  });

  it('fails on another account path (404 from Twilio)', async () => {
    // Credentials are right but the path names another account, as with a mistyped SID in a proxy setup.
    const res = await fetch(`${fake.url}/2010-04-01/Accounts/${sid('AC')}/Messages.json`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'To=%2B14155552671&From=%2B15005550006&Body=hi',
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      code: 20404,
      status: 404,
      more_info: 'https://www.twilio.com/docs/errors/20404',
    });
  });
});

describe('fake twilio: validation', () => {
  const post = (body: string) =>
    fetch(`${fake.url}/2010-04-01/Accounts/${accountSid}/Messages.json`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body,
    });

  it.each([
    ['To=12345&From=%2B15005550006&Body=hi', 21211],
    ['To=%2B14155552671&From=%2B15005550006', 21602],
    ['From=%2B15005550006&Body=hi', 21604],
    ['To=%2B14155552671&Body=hi', 21603],
  ])('%s → %i', async (body, code) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code, status: 400 });
    expect(fake.messages).toHaveLength(0);
  });

  it('answers a realistic message resource', async () => {
    const res = await post('To=%2B14155552671&From=%2B15005550006&Body=hi');
    expect(res.status).toBe(201);
    const json = (await res.json()) as { sid: string };
    expect(json).toMatchObject({
      account_sid: accountSid,
      api_version: '2010-04-01',
      direction: 'outbound-api',
      status: 'queued',
      num_segments: '1',
      error_code: null,
      date_created: expect.stringMatching(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/),
      uri: `/2010-04-01/Accounts/${accountSid}/Messages/${json.sid}.json`,
    });
  });
});

describe('parseTwilioStatusCallback', () => {
  async function sentMessage() {
    await twilio().send({ to: '+34612345678', body: 'hi', statusCallbackUrl: CALLBACK });
    return fake.messages[0]!;
  }

  it('accepts a signed callback and maps the delivery status', async () => {
    const message = await sentMessage();
    for (const [twilioStatus, status] of [
      ['queued', 'queued'],
      ['sent', 'sent'],
      ['delivered', 'delivered'],
    ] as const) {
      expect(parseTwilioStatusCallback(authToken, fake.statusCallback(message, twilioStatus))).toEqual({
        providerId: message.sid,
        status,
      });
    }
  });

  it('maps undelivered and failed to failed with the carrier error code', async () => {
    const message = await sentMessage();
    expect(
      parseTwilioStatusCallback(authToken, fake.statusCallback(message, 'undelivered', { errorCode: 30007 })),
    ).toEqual({ providerId: message.sid, status: 'failed', code: 'twilio_30007' });
    expect(
      parseTwilioStatusCallback(authToken, fake.statusCallback(message, 'failed', { errorCode: 30006 })),
    ).toEqual({ providerId: message.sid, status: 'failed', code: 'twilio_30006' });
  });

  it('refuses a tampered body, another URL, another token and a missing signature', async () => {
    const message = await sentMessage();
    const cb = fake.statusCallback(message, 'failed', { errorCode: 30007 });
    const tampered = {
      ...cb,
      rawBody: cb.rawBody.replace('MessageStatus=failed', 'MessageStatus=delivered'),
    };
    expect(() => parseTwilioStatusCallback(authToken, tampered)).toThrow(SmsCallbackSignatureError);
    expect(() => parseTwilioStatusCallback(authToken, { ...cb, url: `${CALLBACK}&x=1` })).toThrow(
      SmsCallbackSignatureError,
    );
    const forged = fake.statusCallback(message, 'delivered', { authToken: 'someone-else' });
    expect(() => parseTwilioStatusCallback(authToken, forged)).toThrow(SmsCallbackSignatureError);
    expect(() => parseTwilioStatusCallback(authToken, { ...cb, headers: {} })).toThrow(
      /Missing X-Twilio-Signature/,
    );
  });

  it('accepts a signature over the URL with or without the default port', async () => {
    const message = await sentMessage();
    const withPort = 'https://returns.example.com:443/hooks/sms/status?tenant=t_1';
    const cb = fake.statusCallback(message, 'delivered', { url: withPort });
    expect(parseTwilioStatusCallback(authToken, { ...cb, url: CALLBACK })).toMatchObject({
      status: 'delivered',
    });
  });

  it('signs like Twilio: URL then the sorted parameters as name + value', () => {
    // The worked example from Twilio's webhook security guide (twilio.com/docs/usage/security).
    const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    const params: [string, string][] = [
      ['CallSid', 'CA1234567890ABCDE'],
      ['Caller', '+12349013030'],
      ['Digits', '1234'],
      ['From', '+12349013030'],
      ['To', '+18005551212'],
    ];
    expect(signTwilioRequest('12345', url, params)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });

  it('ignores statuses that are not about delivery', () => {
    const url = 'https://returns.example.com/hooks/sms/inbound';
    const params: [string, string][] = [
      ['MessageSid', sid('SM')],
      ['SmsStatus', 'received'],
    ];
    const rawBody = new URLSearchParams(params).toString();
    const headers = { 'X-Twilio-Signature': signTwilioRequest(authToken, url, params) };
    expect(parseTwilioStatusCallback(authToken, { url, rawBody, headers })).toBeNull();
  });
});
