import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `rf_<prefix>_<secret>`. The prefix finds the row; only a SHA-256 of the
 * 256-bit secret is stored. A slow hash (scrypt) buys nothing for a secret with that much
 * entropy and would cost every API call milliseconds.
 */
export function generateApiKey(): { token: string; prefix: string; secretHash: string } {
  const prefix = randomBytes(9).toString('base64url').replace(/[-_]/g, 'x');
  const secret = randomBytes(32).toString('base64url');
  return { token: `rf_${prefix}_${secret}`, prefix, secretHash: hashSecret(secret) };
}

export function parseApiKey(token: string): { prefix: string; secret: string } | null {
  const m = /^rf_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/.exec(token);
  return m ? { prefix: m[1]!, secret: m[2]! } : null;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
