import type { Clock } from './clock.ts';

/** Retry-After in delay-seconds or as an HTTP date, as milliseconds from now. */
export function parseRetryAfter(value: string | null, clock: Clock): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - clock.now().getTime());
}

/** One header from Node's header record, whatever its case; the first of repeated ones. */
export function headerValue(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}
