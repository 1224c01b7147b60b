/**
 * A real SMTP server on 127.0.0.1 for tests: what the sender talks to is the protocol, not
 * a mock of nodemailer. Plain text only (no STARTTLS), any or no AUTH accepted.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { WAIT_MS } from './budget.ts';

export type ReceivedMail = {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** Lower-cased header name → raw value, unfolded, not MIME-decoded; first occurrence wins. */
  headers: Record<string, string>;
  /** SMTP envelope (MAIL FROM / RCPT TO), which need not match the headers. */
  envelope: { from: string; to: string[] };
  raw: string;
};

export type SmtpTestServer = {
  url: string;
  port: number;
  messages: ReceivedMail[];
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
};

export async function startSmtpTestServer(
  opts: { rejectRecipients?: (addr: string) => boolean; delayAcceptMs?: number } = {},
): Promise<SmtpTestServer> {
  const messages: ReceivedMail[] = [];
  const closedSessions = new Set<string>();
  const waiters = new Set<() => void>();
  let closing = false;

  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    // close() should not wait the default 30 s for a client stuck in a delayed DATA.
    closeTimeout: 200,
    onAuth(_auth, _session, callback) {
      callback(null, { user: 'test' });
    },
    onRcptTo(address, _session, callback) {
      if (opts.rejectRecipients?.(address.address)) {
        const err = Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 });
        callback(err);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      // The envelope is reset once we answer, so take it now.
      const envelope = {
        from: addressOf(session.envelope.mailFrom),
        to: session.envelope.rcptTo.map((r) => r.address),
      };
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        void (async () => {
          const mail = await parse(Buffer.concat(chunks), envelope);
          if (opts.delayAcceptMs) await sleep(opts.delayAcceptMs);
          // An MTA takes responsibility for a message only when it answers 250 (RFC 5321
          // §4.1.1.4, RFC 1047). A client that hung up before then has not handed it over,
          // so the message is dropped, as a real server would.
          if (closing || closedSessions.has(session.id)) {
            callback(new Error('connection closed before the message was accepted'));
            return;
          }
          const queueId = `TEST${messages.length + 1}`;
          callback(null, `OK: queued as ${queueId}`);
          // Counted only after the 250 went out (callback writes it synchronously).
          messages.push(mail);
          for (const wake of waiters) wake();
        })().catch((err: Error) => callback(err));
      });
    },
    onClose(session) {
      closedSessions.add(session.id);
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Errors after start (a client resetting mid-DATA) must not crash the test run.
  server.on('error', () => {});
  const port = (server.server.address() as AddressInfo).port;

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    waitFor(n, timeoutMs = WAIT_MS) {
      return new Promise((resolve, reject) => {
        if (messages.length >= n) return resolve([...messages]);
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`waited ${timeoutMs} ms for ${n} message(s), got ${messages.length}`));
        }, timeoutMs);
        function check() {
          if (messages.length < n) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve([...messages]);
        }
        waiters.add(check);
      });
    },
    close() {
      closing = true;
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function addressOf(a: SMTPServerAddress | false): string {
  return a ? a.address : '';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function parse(raw: Buffer, envelope: ReceivedMail['envelope']): Promise<ReceivedMail> {
  const parsed = await simpleParser(raw);
  const headers: Record<string, string> = {};
  for (const { key, line } of parsed.headerLines) {
    if (Object.hasOwn(headers, key)) continue;
    headers[key] = line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
  }
  const addressText = (a: typeof parsed.to) =>
    Array.isArray(a) ? a.map((x) => x.text).join(', ') : (a?.text ?? '');
  return {
    from: parsed.from?.text ?? '',
    to: addressText(parsed.to),
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    messageId: parsed.messageId ?? '',
    headers,
    envelope,
    raw: raw.toString('utf8'),
  };
}
