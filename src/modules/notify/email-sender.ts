/**
 * Email delivery over SMTP. The sender only answers "sent / try again / give up"; retry
 * schedules, attempts and the delivery record belong to the caller.
 */
import nodemailer, { type NodemailerError } from 'nodemailer';
import { ConfigError } from '../../platform/errors.ts';

export type EmailMessage = {
  /** "Shop <shop@example.com>" */
  from: string;
  replyTo?: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /**
   * Set by us, deterministic per delivery (`<delivery-id@returnflow>`): when a retry
   * delivers a message the server had in fact already accepted, receivers can tell.
   */
  messageId: string;
  /** List-Unsubscribe, List-Unsubscribe-Post and the like, passed through unchanged. */
  headers?: Record<string, string>;
};

export type SendResult =
  | { status: 'sent'; providerId: string }
  | { status: 'retry'; code: string; error: string }
  | { status: 'failed'; code: string; error: string };

export interface EmailSender {
  readonly id: string;
  send(msg: EmailMessage): Promise<SendResult>;
  close?(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Checks an SMTP connection URL for config validation: smtp:// or smtps:// with a host. */
export function parseSmtpUrl(url: string): { ok: true } | { ok: false; message: string } {
  // Messages never echo the URL: it usually carries the SMTP password.
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { ok: false, message: 'is not a valid URL (expected smtp://user:pass@host:port)' };
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') {
    return { ok: false, message: 'must start with smtp:// or smtps://' };
  }
  if (u.hostname === '') return { ok: false, message: 'needs a host (smtp://host:port)' };
  return { ok: true };
}

/**
 * SMTP sender on nodemailer. One connection per message (no pool): notification volume is
 * low and a fresh connection cannot inherit a half-dead socket. `timeoutMs` bounds every
 * wait (connect, greeting, each reply) and the send as a whole.
 */
export function createSmtpSender(smtpUrl: string, opts: { timeoutMs?: number } = {}): EmailSender {
  const checked = parseSmtpUrl(smtpUrl);
  if (!checked.ok) throw new ConfigError(`SMTP URL ${checked.message}`);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    // A new SMTP session per message cost ~100 ms on loopback (greeting, EHLO, quit); a small
    // pool of kept-open sessions sends the same mail in ~7 ms (bench/outbox-throughput.ts).
    pool: true,
    maxConnections: 3,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
    // Tenant HTML is rendered into the message; nodemailer must never read files or fetch
    // URLs on its behalf.
    disableFileAccess: true,
    disableUrlAccess: true,
  });

  return {
    id: 'smtp',
    async send(msg) {
      try {
        const info = await transport.sendMail({
          from: msg.from,
          replyTo: msg.replyTo,
          to: msg.to,
          subject: msg.subject,
          text: msg.text,
          html: msg.html,
          messageId: msg.messageId,
          headers: msg.headers,
          // socketTimeout is per read; a server that trickles bytes could hold a send forever.
          signal: AbortSignal.timeout(timeoutMs),
        });
        return {
          status: 'sent',
          providerId: providerIdOf(info.response, info.serverMessageId, info.messageId),
        };
      } catch (err) {
        return classifySmtpError(err);
      }
    },
    async close() {
      transport.close();
    },
  };
}

/** Postfix, Exim, smtp-server and most MTAs name their queue id in the final 250 reply. */
function providerIdOf(response: string | undefined, serverMessageId: string | undefined, messageId: string) {
  if (serverMessageId) return serverMessageId;
  const queued = /queued as ([A-Za-z0-9._<>@-]+)/i.exec(response ?? '');
  return queued?.[1] ?? messageId;
}

/**
 * Maps a nodemailer error to retry or failed. An SMTP reply decides by its class: 4xx (and
 * 503, a session-state error) may succeed later; 5xx is final, and a refused recipient is
 * a bounce. Without a reply (connection refused, reset, timeout, DNS) nothing was decided
 * by the server, so it is worth another attempt.
 */
export function classifySmtpError(err: unknown): SendResult {
  const e = (err ?? {}) as NodemailerError;
  const error = e.message ?? String(err);
  const code = e.code ?? '';
  if (typeof e.responseCode === 'number') {
    const smtpCode = `smtp_${e.responseCode}`;
    const permanent =
      e.permanent ?? (e.responseCode >= 500 && e.responseCode < 600 && e.responseCode !== 503);
    // A refused login is our configuration, not this message: keep it queued until an
    // operator fixes the credentials instead of failing every notification meanwhile.
    if (!permanent || code === 'EAUTH') return { status: 'retry', code: smtpCode, error };
    if (code === 'EENVELOPE' && (e.command === 'RCPT TO' || (e.rejected?.length ?? 0) > 0)) {
      return { status: 'failed', code: 'bounced', error };
    }
    return { status: 'failed', code: smtpCode, error };
  }
  switch (code) {
    case 'ETIMEDOUT':
    case 'EABORT':
      return { status: 'retry', code: 'timeout', error };
    case 'ECONNECTION':
    case 'ESOCKET':
    case 'EPROTOCOL':
    case 'EPROXY':
      return { status: 'retry', code: 'connection', error };
    case 'EDNS':
      return { status: 'retry', code: 'dns', error };
    case 'ETLS':
      return { status: 'retry', code: 'tls', error };
    case 'EAUTH':
    case 'ENOAUTH':
      return { status: 'retry', code: 'auth', error };
    case 'EENVELOPE':
      // No reply code: nodemailer refused the address itself (syntax), before any SMTP.
      return { status: 'failed', code: 'invalid_address', error };
    case 'ECONFIG':
      return { status: 'failed', code: 'config', error };
    default:
      return { status: 'retry', code: 'unknown', error };
  }
}
