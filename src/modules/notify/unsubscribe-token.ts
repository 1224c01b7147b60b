import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Unsubscribe links carry who and which channel, signed with the server's key: anyone holding the
 * link may unsubscribe that address from that channel, and nothing else. No expiry, as mail
 * clients keep links for years (RFC 8058 one-click needs them to keep working).
 */
export type UnsubscribeClaim = { tenantId: string; customerId: string; channel: 'email' | 'sms' | 'in_app' };

export function signUnsubscribe(key: Buffer, c: UnsubscribeClaim): string {
  const body = Buffer.from(`${c.tenantId}|${c.customerId}|${c.channel}`).toString('base64url');
  return `${body}.${mac(key, body)}`;
}

export function verifyUnsubscribe(key: Buffer, token: string): UnsubscribeClaim | null {
  const parts = token.split('.');
  // Exactly body.signature: a link with extra segments is not one we wrote.
  if (parts.length !== 2) return null;
  const [body, sig] = parts as [string, string];
  if (!/^[A-Za-z0-9_-]+$/.test(body) || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return null;
  const expected = Buffer.from(mac(key, body));
  const got = Buffer.from(sig);
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) return null;
  const [tenantId, customerId, channel] = Buffer.from(body, 'base64url').toString().split('|');
  if (!tenantId || !customerId || (channel !== 'email' && channel !== 'sms' && channel !== 'in_app'))
    return null;
  return { tenantId, customerId, channel };
}

function mac(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(`unsubscribe:${body}`).digest('base64url');
}
