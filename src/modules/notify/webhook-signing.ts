import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures: `Returnflow-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>]`, where each
 * hex is HMAC-SHA256(secret, `${t}.${body}`). Signing the timestamp with the body lets the
 * receiver refuse replays of an old delivery; during a secret rotation both secrets sign.
 */
export const SIGNATURE_HEADER = 'returnflow-signature';

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function signPayload(secrets: string[], body: string, t: number): string {
  return [
    `t=${t}`,
    ...secrets.map((s) => `v1=${createHmac('sha256', s).update(`${t}.${body}`).digest('hex')}`),
  ].join(',');
}

/** For receivers (and our tests): true when one v1 matches and the timestamp is within tolerance. */
export function verifySignature(
  secret: string,
  body: string,
  header: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
  return parts
    .filter(([k]) => k === 'v1')
    .some(([, v]) => {
      const got = Buffer.from(v ?? '');
      return got.length === expected.length && timingSafeEqual(got, expected);
    });
}
