import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Clock, systemClock } from '../../platform/clock.ts';
import { headerValue, parseRetryAfter } from '../../platform/http-headers.ts';
import { isE164, smsSegments } from './sms.ts';

export type SmsMessage = {
  /** E.164 (see normalizePhone). */
  to: string;
  body: string;
  /** Where the provider reports delivery (parseTwilioStatusCallback). */
  statusCallbackUrl?: string;
};

export type SmsResult =
  /** The provider accepted the message; delivery is reported later by status callback. */
  | { status: 'sent'; providerId: string; segments: number }
  /**
   * Rate limit, 5xx, timeout, network, unreadable answer. Some of these (a timeout after the
   * request went out, a 5xx from a proxy) leave the message possibly sent: see createTwilioSender.
   */
  | { status: 'retry'; code: string; error: string; retryAfterMs?: number }
  /** Final for this message and number: invalid or unsubscribed number, bad credentials… */
  | { status: 'failed'; code: string; error: string };

export interface SmsSender {
  /** 'twilio' */
  readonly id: string;
  /** Never rejects: every outcome, including a refused number, is an SmsResult. */
  send(msg: SmsMessage): Promise<SmsResult>;
}

export type TwilioSenderOptions = {
  accountSid: string;
  authToken: string;
  /** E.164 number, short code, alphanumeric sender ID, or a Messaging Service SID (MG…). */
  from: string;
  baseUrl?: string;
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
  /** For Retry-After given as an HTTP date. */
  clock?: Clock;
};

type RetryResult = Extract<SmsResult, { status: 'retry' }>;
type FailedResult = Extract<SmsResult, { status: 'failed' }>;

type TwilioError = { code?: number; message?: string; more_info?: string; status?: number };

const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;
// Twilio's rules for alphanumeric sender IDs: up to 11 of A–Z, a–z, 0–9 and space, one letter at least.
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;
const SHORT_CODE = /^\d{5,6}$/;
// Twilio's terminal states for a message it could not hand over (`canceled`: a scheduled message).
const FINAL_FAILURES = new Set(['failed', 'undelivered', 'canceled']);

/**
 * SMS through Twilio's Messages API (or anything speaking its wire format), without the SDK.
 *
 * Twilio has no idempotency key on `POST …/Messages.json`: every request that reaches it sends
 * a text. A `retry` after a timeout or an unreadable answer may therefore deliver the message
 * twice, and nothing here can prevent it. The caller's delivery state machine is what keeps
 * duplicates rare: it records the attempt before sending, stores the `SM…` sid on `sent`, and
 * never re-sends a delivery that already has one. For a return notice, a rare duplicate text
 * is the lesser harm than a silently lost one, which is why ambiguous outcomes are `retry`.
 */
export function createTwilioSender(options: TwilioSenderOptions): SmsSender {
  const {
    accountSid,
    authToken,
    from,
    baseUrl = 'https://api.twilio.com',
    timeoutMs = 10_000,
    fetch: doFetch = globalThis.fetch,
    clock = systemClock,
  } = options;
  const endpoint = `${baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${accountSid}:${authToken}`, 'utf8').toString('base64')}`;
  const viaService = from.startsWith('MG');

  return {
    id: 'twilio',

    async send(msg) {
      if (!isE164(msg.to)) {
        return failed('invalid_number', `"${msg.to}" is not an E.164 phone number (+ and 8 to 15 digits).`);
      }
      if (msg.body.length === 0) return failed('empty_body', 'An SMS needs a body.');
      // The sender comes from tenant settings: a typo is reported per message rather than
      // thrown, so one tenant's bad configuration cannot break the dispatcher for the others.
      if (
        viaService
          ? !MESSAGING_SERVICE_SID.test(from)
          : !isE164(from) && !SHORT_CODE.test(from) && !ALPHANUMERIC_SENDER.test(from)
      ) {
        return failed(
          'invalid_sender',
          `"${from}" is not an E.164 number, short code, alphanumeric sender ID or Messaging Service SID.`,
        );
      }

      const form = new URLSearchParams();
      form.set('To', msg.to);
      // With a Messaging Service, Twilio picks the number from the service's pool (and sticky
      // sender, geo-match…); sending its SID as From would be refused as an invalid number.
      form.set(viaService ? 'MessagingServiceSid' : 'From', from);
      form.set('Body', msg.body);
      if (msg.statusCallbackUrl) form.set('StatusCallback', msg.statusCallbackUrl);

      let res: Response;
      let text: string;
      try {
        // The timeout covers the body too: an answer that stalls mid-body is as ambiguous as none.
        res = await doFetch(endpoint, {
          method: 'POST',
          headers: {
            Authorization: authorization,
            'Content-Type': 'application/x-www-form-urlencoded',
            Accept: 'application/json',
          },
          body: form.toString(),
          signal: AbortSignal.timeout(timeoutMs),
        });
        text = await res.text();
      } catch (e) {
        const name = (e as Error)?.name;
        if (name === 'TimeoutError' || name === 'AbortError') {
          return retry(
            'timeout',
            `Twilio did not answer within ${timeoutMs} ms; the message may have been sent.`,
          );
        }
        return retry('network_error', `Could not reach Twilio: ${(e as Error)?.message ?? String(e)}`);
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), clock);

      if (res.status >= 200 && res.status < 300) {
        if (!isObject(json) || typeof json.sid !== 'string' || !/^(SM|MM)/.test(json.sid)) {
          return retry(
            'bad_response',
            `Twilio answered HTTP ${res.status} without a message resource; the message may have been sent.`,
          );
        }
        const status = typeof json.status === 'string' ? json.status : '';
        if (FINAL_FAILURES.has(status)) {
          const code = `twilio_${json.error_code ?? status}`;
          const why = typeof json.error_message === 'string' ? `: ${json.error_message}` : '.';
          return failed(code, `Twilio created message ${json.sid} as ${status}${why}`);
        }
        // Twilio sends num_segments as a string ("2"); our own count stands in if it is missing.
        const reported = Number(json.num_segments);
        const segments =
          Number.isSafeInteger(reported) && reported > 0 ? reported : smsSegments(msg.body).segments;
        return { status: 'sent', providerId: json.sid, segments };
      }

      const err = isObject(json) ? (json as TwilioError) : undefined;
      const twilioCode = typeof err?.code === 'number' ? err.code : undefined;
      const message = typeof err?.message === 'string' ? err.message : `Twilio answered HTTP ${res.status}.`;
      const code = twilioCode === undefined ? `http_${res.status}` : `twilio_${twilioCode}`;
      // 401 is code 20003 (wrong SID or token); 403 a test credential or a suspended account.
      // Neither gets better by retrying, and an operator has to fix the settings.
      if (res.status === 401 || res.status === 403) return failed('authentication_failed', message);
      // 429 (20429) is Twilio's API concurrency limit: it refused the request, nothing was sent.
      if (res.status === 429) return retry(code, message, retryAfterMs);
      if (res.status >= 400 && res.status < 500) return failed(code, message);
      // 5xx: Twilio may have queued the message before failing (see the note above).
      return retry(code, message, retryAfterMs);
    },
  };
}

export type SmsDeliveryStatus = 'queued' | 'sent' | 'delivered' | 'failed';

export type SmsStatusUpdate = {
  /** The `SM…` sid that send() returned as providerId. */
  providerId: string;
  status: SmsDeliveryStatus;
  /** `twilio_<ErrorCode>` on failures, e.g. twilio_30007 (carrier filtered), twilio_30006 (landline). */
  code?: string;
};

export class SmsCallbackSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SmsCallbackSignatureError';
  }
}

const CALLBACK_STATUS: Record<string, SmsDeliveryStatus> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'sent',
  sent: 'sent',
  delivered: 'delivered',
  // WhatsApp and RCS report reading after delivery.
  read: 'delivered',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed',
};

/**
 * Verifies a Twilio status callback and says what it reports; throws SmsCallbackSignatureError
 * when X-Twilio-Signature does not match, null for statuses that are not about delivery.
 *
 * `url` must be the URL exactly as Twilio called it (the StatusCallback that was sent, with
 * its query string), not what a proxy rewrote it to. Twilio retries callbacks and does not
 * order them, so a `sent` may arrive after `delivered`: the caller only moves forward, and
 * deduplicates on providerId + status (callbacks carry no event id).
 */
export function parseTwilioStatusCallback(
  authToken: string,
  request: { url: string; rawBody: string; headers: Record<string, string | string[] | undefined> },
): SmsStatusUpdate | null {
  const signature = headerValue(request.headers, 'x-twilio-signature');
  if (!signature) throw new SmsCallbackSignatureError('Missing X-Twilio-Signature header.');
  const params = [...new URLSearchParams(request.rawBody)];
  const given = Buffer.from(signature, 'base64');
  const matches = urlVariants(request.url).some((url) => {
    const expected = twilioSignature(authToken, url, params);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) throw new SmsCallbackSignatureError('Twilio callback signature does not match.');

  const fields = Object.fromEntries(params);
  const providerId = fields.MessageSid ?? fields.SmsSid;
  const twilioStatus = fields.MessageStatus ?? fields.SmsStatus;
  if (!providerId || !twilioStatus) return null;
  const status = CALLBACK_STATUS[twilioStatus];
  if (!status) return null;
  if (status !== 'failed') return { providerId, status };
  return {
    providerId,
    status,
    code: fields.ErrorCode ? `twilio_${fields.ErrorCode}` : `twilio_${twilioStatus}`,
  };
}

/**
 * Twilio's request signature: HMAC-SHA1 with the auth token over the URL followed by every POST
 * parameter as name + value, sorted by name (then value, for repeated names), base64.
 */
export function signTwilioRequest(
  authToken: string,
  url: string,
  params: Iterable<[string, string]>,
): string {
  return twilioSignature(authToken, url, [...params]).toString('base64');
}

function twilioSignature(authToken: string, url: string, params: [string, string][]): Buffer {
  const sorted = [...params].sort(([ak, av], [bk, bv]) =>
    ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0,
  );
  let data = url;
  for (const [k, v] of sorted) data += k + v;
  return createHmac('sha1', authToken).update(data, 'utf8').digest();
}

/**
 * Twilio signs https URLs sometimes with and sometimes without the default port, depending on
 * how the callback URL was written; its own libraries accept either, and so do we.
 */
function urlVariants(raw: string): string[] {
  const m = raw.match(/^(https?):\/\/([^/?#]*)(.*)$/i);
  if (!m) return [raw];
  const [, scheme = '', authority = '', tail = ''] = m;
  const defaultPort = scheme.toLowerCase() === 'https' ? '443' : '80';
  const port = authority.match(/:(\d+)$/)?.[1];
  if (port !== undefined && port !== defaultPort) return [raw];
  const bare = port === undefined ? authority : authority.slice(0, -port.length - 1);
  return [...new Set([raw, `${scheme}://${bare}${tail}`, `${scheme}://${bare}:${defaultPort}${tail}`])];
}

function failed(code: string, error: string): FailedResult {
  return { status: 'failed', code, error };
}

function retry(code: string, error: string, retryAfterMs?: number): RetryResult {
  return retryAfterMs === undefined
    ? { status: 'retry', code, error }
    : { status: 'retry', code, error, retryAfterMs };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
