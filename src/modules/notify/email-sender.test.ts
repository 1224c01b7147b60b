import { afterEach, describe, expect, it } from 'vitest';
import { type SmtpTestServer, startSmtpTestServer } from '../../../test/helpers/smtp-test-server.ts';
import {
  classifySmtpError,
  createSmtpSender,
  type EmailMessage,
  type EmailSender,
  parseSmtpUrl,
} from './email-sender.ts';
import { renderEmail } from './render-email.ts';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function server(opts?: Parameters<typeof startSmtpTestServer>[0]): Promise<SmtpTestServer> {
  const s = await startSmtpTestServer(opts);
  cleanup.push(() => s.close());
  return s;
}

function sender(url: string, opts?: { timeoutMs?: number }): EmailSender {
  const s = createSmtpSender(url, opts);
  cleanup.push(async () => s.close?.());
  return s;
}

function message(overrides: Partial<EmailMessage> = {}): EmailMessage {
  const email = renderEmail('refund_succeeded', 'zh-CN', {
    shopName: 'Acme',
    customerName: '王芳',
    rmaNumber: 'RMA-1042',
    orderNumber: '#10017',
    trackingUrl: 'https://returns.example.com/r/abc',
    unsubscribeUrl: 'https://returns.example.com/u/tok',
    refundAmount: '¥45.99',
  });
  return {
    from: 'Acme Outfitters <shop@acme.example>',
    replyTo: 'help@acme.example',
    to: 'wang@example.com',
    ...email,
    messageId: '<dlv_01HZX@returnflow>',
    headers: {
      'List-Unsubscribe': '<https://returns.example.com/u/tok>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
    ...overrides,
  };
}

describe('createSmtpSender over real SMTP', () => {
  it('delivers subject, both parts, our Message-ID and the List-Unsubscribe headers', async () => {
    const smtp = await server();
    const msg = message();
    const result = await sender(smtp.url).send(msg);
    expect(result).toEqual({ status: 'sent', providerId: 'TEST1' });

    const [mail] = await smtp.waitFor(1);
    expect(mail!.envelope).toEqual({ from: 'shop@acme.example', to: ['wang@example.com'] });
    expect(mail!.from).toBe('"Acme Outfitters" <shop@acme.example>');
    expect(mail!.to).toBe('wang@example.com');
    expect(mail!.subject).toBe(msg.subject);
    expect(mail!.subject).toContain('退款已完成');
    expect(mail!.text.trimEnd()).toBe(msg.text.trimEnd());
    expect(mail!.html).toContain('<html lang="zh-CN"');
    expect(mail!.html).toContain('¥45.99');
    expect(mail!.messageId).toBe('<dlv_01HZX@returnflow>');
    expect(mail!.headers['reply-to']).toBe('help@acme.example');
    expect(mail!.headers['list-unsubscribe']).toBe('<https://returns.example.com/u/tok>');
    expect(mail!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
  });

  it('reports a refused recipient as a permanent bounce and nothing is delivered', async () => {
    const smtp = await server({ rejectRecipients: (addr) => addr.startsWith('gone@') });
    const result = await sender(smtp.url).send(message({ to: 'gone@example.com' }));
    expect(result).toMatchObject({ status: 'failed', code: 'bounced' });
    expect(result.status !== 'sent' && result.error).toContain('550');
    expect(smtp.messages).toEqual([]);
  });

  it('asks for a retry when the server is down', async () => {
    const smtp = await startSmtpTestServer();
    await smtp.close();
    const result = await sender(smtp.url, { timeoutMs: 2_000 }).send(message());
    expect(result).toMatchObject({ status: 'retry', code: 'connection' });
  });

  it('asks for a retry when the server is slower than the timeout, and the server drops the message', async () => {
    const smtp = await server({ delayAcceptMs: 1_000 });
    const started = Date.now();
    const result = await sender(smtp.url, { timeoutMs: 200 }).send(message());
    expect(result).toMatchObject({ status: 'retry', code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(900);
    // The client hung up before the 250, so the server never took responsibility.
    await new Promise((r) => setTimeout(r, 1_100));
    expect(smtp.messages).toEqual([]);
  });

  it('waits for a slow server within the timeout', async () => {
    const smtp = await server({ delayAcceptMs: 150 });
    const result = await sender(smtp.url, { timeoutMs: 3_000 }).send(message());
    expect(result.status).toBe('sent');
    expect(smtp.messages).toHaveLength(1);
  });

  it('sends one connection per message, so a sender can be reused', async () => {
    const smtp = await server();
    const s = sender(smtp.url);
    await s.send(message({ messageId: '<a@returnflow>' }));
    await s.send(message({ messageId: '<b@returnflow>' }));
    expect((await smtp.waitFor(2)).map((m) => m.messageId)).toEqual(['<a@returnflow>', '<b@returnflow>']);
  });

  it('refuses a bad URL at construction', () => {
    expect(() => createSmtpSender('http://mail.example.com')).toThrow(/smtp:\/\/ or smtps:\/\//);
  });
});

describe('classifySmtpError', () => {
  const err = (props: Record<string, unknown>) => Object.assign(new Error('boom'), props);

  it.each([
    [{ code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO', rejected: ['a@b'] }, 'failed', 'bounced'],
    [{ code: 'EENVELOPE', responseCode: 553, command: 'MAIL FROM' }, 'failed', 'smtp_553'],
    [{ code: 'EMESSAGE', responseCode: 554, command: 'DATA' }, 'failed', 'smtp_554'],
    [{ code: 'EENVELOPE', responseCode: 450, command: 'RCPT TO' }, 'retry', 'smtp_450'],
    [{ code: 'EMESSAGE', responseCode: 451, command: 'DATA' }, 'retry', 'smtp_451'],
    [{ code: 'ECONNECTION', responseCode: 421 }, 'retry', 'smtp_421'],
    // 503 is a session-state error, not a verdict on the message (nodemailer sets permanent: false).
    [{ code: 'EPROTOCOL', responseCode: 503, permanent: false }, 'retry', 'smtp_503'],
    [{ code: 'EAUTH', responseCode: 535 }, 'retry', 'smtp_535'],
    [{ code: 'ESOCKET', originalCode: 'ECONNREFUSED' }, 'retry', 'connection'],
    [{ code: 'ETIMEDOUT' }, 'retry', 'timeout'],
    [{ code: 'EABORT' }, 'retry', 'timeout'],
    [{ code: 'EDNS' }, 'retry', 'dns'],
    [{ code: 'EENVELOPE' }, 'failed', 'invalid_address'],
    [{}, 'retry', 'unknown'],
  ])('%o → %s %s', (props, status, code) => {
    expect(classifySmtpError(err(props))).toEqual({ status, code, error: 'boom' });
  });
});

describe('parseSmtpUrl', () => {
  it.each(['smtp://localhost', 'smtp://user:p%40ss@mail.example.com:587', 'smtps://mail.example.com'])(
    'accepts %s',
    (url) => {
      expect(parseSmtpUrl(url)).toEqual({ ok: true });
    },
  );

  it.each(['', 'mail.example.com', 'http://mail.example.com', 'smtp://', 'smtp:///path'])(
    'rejects %j',
    (url) => {
      expect(parseSmtpUrl(url).ok).toBe(false);
    },
  );

  it('never echoes the URL, which may hold a password', () => {
    const r = parseSmtpUrl('ftp://user:hunter2@mail.example.com');
    expect(r.ok === false && r.message).not.toContain('hunter2');
  });
});
