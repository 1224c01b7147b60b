import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { smsSegments } from '../../src/modules/notify/sms.ts';

/**
 * A local stand-in for Twilio's Messages API over real HTTP: Basic auth with the account SID
 * and auth token, form bodies, the account SID in the path, Twilio's error JSON and codes,
 * message resources as Twilio returns them, and scripted faults.
 *
 * It signs status callbacks on its own (not with the adapter's helper) so a signing bug in the
 * adapter cannot hide behind the same bug here. Segment counts do come from sms.ts, which has
 * its own tests.
 */

export type FakeTwilioBehaviour =
  /**
   * Answer this status instead of handling the request (after auth); nothing is sent. `code`
   * picks the Twilio error (default by status: 20429, 20500…); `body` replaces the JSON, as a
   * proxy's HTML page would.
   */
  | { kind: 'status'; status: number; code?: number; headers?: Record<string, string>; body?: string }
  /** Hold the request `ms`, then carry on as usual: the message is created even if nobody waits. */
  | { kind: 'hang'; ms: number };

export type FakeTwilioMessage = {
  sid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  numSegments: number;
  statusCallback: string | null;
  /** The JSON resource that was answered. */
  resource: Record<string, unknown>;
};

export type FakeTwilioRequest = {
  method: string;
  path: string;
  /** True when Basic auth carried this fake's account SID and auth token. */
  authOk: boolean;
  /** The form body as received and decoded. */
  params: Record<string, string>;
  rawBody: string;
  headers: Record<string, string | string[] | undefined>;
  /** Filled in when the answer goes out. */
  status?: number;
};

const ERROR_MESSAGES: Record<number, string> = {
  20003: 'Authenticate',
  20404: 'The requested resource was not found',
  20429: 'Too Many Requests',
  20500: 'An internal server error has occurred',
  20503: 'Service is unavailable. Please try again',
  21211: "The 'To' number is not a valid phone number.",
  21408: "Permission to send an SMS has not been enabled for the region indicated by the 'To' number.",
  21602: 'Message body is required.',
  21603: "A 'From' phone number is required.",
  21604: "A 'To' phone number is required.",
  21610: 'Attempt to send to unsubscribed recipient',
  21614: "'To' number is not a valid mobile number",
  21617: 'The concatenated message body exceeds the 1600 character limit.',
};

const E164 = /^\+[1-9]\d{1,14}$/;

export async function startFakeTwilio({ accountSid, authToken }: { accountSid: string; authToken: string }) {
  const messages: FakeTwilioMessage[] = [];
  const requests: FakeTwilioRequest[] = [];
  const behaviours: FakeTwilioBehaviour[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, twilioError(20500, 500, `Fake Twilio crashed: ${String(e)}`));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    const params = Object.fromEntries(new URLSearchParams(rawBody));
    const entry: FakeTwilioRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      authOk: req.headers.authorization === expectedAuth,
      params,
      rawBody,
      headers: req.headers,
    };
    requests.push(entry);
    const reply = (status: number, body: string, headers: Record<string, string> = {}) => {
      entry.status = status;
      send(res, status, body, headers);
    };

    if (!entry.authOk) {
      return reply(401, twilioError(20003, 401), { 'WWW-Authenticate': 'Basic realm="Twilio API"' });
    }

    const behaviour = behaviours.shift();
    if (behaviour?.kind === 'status') {
      const code = behaviour.code ?? defaultCode(behaviour.status);
      return reply(
        behaviour.status,
        behaviour.body ?? twilioError(code, behaviour.status),
        behaviour.headers,
      );
    }
    if (behaviour?.kind === 'hang') await sleep(behaviour.ms);

    const route = url.pathname.match(/^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/);
    if (!route || route[1] !== accountSid || req.method !== 'POST') {
      return reply(404, twilioError(20404, 404, `The requested resource ${url.pathname} was not found`));
    }

    // The order of Twilio's own checks: required parameters first, then their values.
    const to = params.To;
    const body = params.Body ?? '';
    const service = params.MessagingServiceSid;
    if (!to) return reply(400, twilioError(21604, 400));
    if (!params.From && !service) return reply(400, twilioError(21603, 400));
    if (!body && !params.MediaUrl) return reply(400, twilioError(21602, 400));
    if (!E164.test(to)) {
      return reply(400, twilioError(21211, 400, `The 'To' number ${to} is not a valid phone number.`));
    }
    if (service !== undefined && !/^MG[0-9a-f]{32}$/.test(service)) {
      return reply(400, twilioError(21705, 400, `The Messaging Service Sid ${service} is invalid.`));
    }
    if (params.From !== undefined && service === undefined && !isSender(params.From)) {
      return reply(
        400,
        twilioError(
          21212,
          400,
          `The 'From' number ${params.From} is not a valid phone number, shortcode, or alphanumeric sender ID.`,
        ),
      );
    }
    if ([...body].length > 1600) return reply(400, twilioError(21617, 400));

    const sid = `SM${randomBytes(16).toString('hex')}`;
    const now = rfc2822(new Date());
    const uri = `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`;
    const numSegments = Math.max(1, smsSegments(body).segments);
    const resource: Record<string, unknown> = {
      account_sid: accountSid,
      api_version: '2010-04-01',
      body,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      // With a Messaging Service the number is chosen later, so Twilio answers `from: null`
      // and status `accepted` instead of `queued`.
      from: service === undefined ? params.From : null,
      messaging_service_sid: service ?? null,
      num_media: '0',
      num_segments: String(numSegments),
      price: null,
      price_unit: 'USD',
      sid,
      status: service === undefined ? 'queued' : 'accepted',
      subresource_uris: {
        media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json`,
        feedback: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Feedback.json`,
      },
      to,
      uri,
    };
    messages.push({
      sid,
      to,
      from: params.From ?? null,
      messagingServiceSid: service ?? null,
      body,
      numSegments,
      statusCallback: params.StatusCallback ?? null,
      resource,
    });
    return reply(201, JSON.stringify(resource));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    requests,

    /** Queues behaviours for the next requests, one each, in order (after auth). */
    script(...next: FakeTwilioBehaviour[]): void {
      behaviours.push(...next);
    },

    /**
     * The status callback Twilio would POST for `message`: form body, the URL it signed and the
     * X-Twilio-Signature header. `authToken` signs with another token (a forged callback).
     */
    statusCallback(
      message: FakeTwilioMessage,
      status: 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed',
      opts: { errorCode?: number; url?: string; authToken?: string } = {},
    ): { url: string; rawBody: string; headers: Record<string, string> } {
      const url = opts.url ?? message.statusCallback;
      if (!url) throw new Error(`fake Twilio message ${message.sid} has no StatusCallback`);
      const params: Record<string, string> = {
        AccountSid: accountSid,
        ApiVersion: '2010-04-01',
        From: message.from ?? '+15005550006',
        MessageSid: message.sid,
        MessageStatus: status,
        SmsSid: message.sid,
        SmsStatus: status,
        To: message.to,
      };
      if (message.messagingServiceSid) params.MessagingServiceSid = message.messagingServiceSid;
      if (opts.errorCode !== undefined) params.ErrorCode = String(opts.errorCode);
      let signed = url;
      for (const key of Object.keys(params).sort()) signed += key + params[key];
      const signature = createHmac('sha1', opts.authToken ?? authToken)
        .update(signed)
        .digest('base64');
      return {
        url,
        rawBody: new URLSearchParams(params).toString(),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': signature,
          'i-twilio-idempotency-token': randomBytes(16).toString('hex'),
        },
      };
    },

    /** Stops the server, dropping hung requests and keep-alive connections. */
    async close(): Promise<void> {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

export type FakeTwilio = Awaited<ReturnType<typeof startFakeTwilio>>;

function isSender(from: string): boolean {
  return E164.test(from) || /^\d{5,6}$/.test(from) || /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/.test(from);
}

function defaultCode(status: number): number {
  if (status === 401) return 20003;
  if (status === 404) return 20404;
  if (status === 429) return 20429;
  if (status === 503) return 20503;
  return status >= 500 ? 20500 : 21211;
}

function twilioError(
  code: number,
  status: number,
  message = ERROR_MESSAGES[code] ?? `Error ${code}`,
): string {
  return JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

/** "Tue, 04 Mar 2025 09:15:02 +0000", the date format of Twilio's 2010-04-01 API. */
function rfc2822(d: Date): string {
  return d.toUTCString().replace('GMT', '+0000');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Twilio-Request-Id': `RQ${randomBytes(16).toString('hex')}`,
    ...headers,
  });
  res.end(body);
}
