/** Where a sign-in goes when there is no (acceptable) `next`. */
export const DEFAULT_AFTER_LOGIN = '/console';

/**
 * The page to return to after signing in, from a `?next=` value: only a path on this site.
 * Anything else — `//evil.example` (protocol-relative), `https:…`, `javascript:…`, `/\evil`
 * (browsers read `\` as `/`), control characters, or the sign-in page itself — gives the
 * default, so the sign-in form cannot be used to send someone elsewhere (open redirect).
 */
export function safeNext(next: string | null | undefined, fallback = DEFAULT_AFTER_LOGIN): string {
  if (!next || next.length > 2000) return fallback;
  if (!next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return fallback;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, 'https://returnflow.invalid');
  } catch {
    return fallback;
  }
  if (url.origin !== 'https://returnflow.invalid') return fallback;
  if (url.pathname === '/console/login' || url.pathname.startsWith('/console/login/')) return fallback;
  const out = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments can normalise to a protocol-relative address: `/.//evil` and `/a/../..//evil`
  // become `//evil`, another site. What comes out must still be a path here.
  if (
    out.startsWith('//') ||
    new URL(out, 'https://returnflow.invalid').origin !== 'https://returnflow.invalid'
  )
    return fallback;
  return out;
}

/** The sign-in page, remembering `path` (a path on this site) to come back to. */
export function loginPath(path: string): string {
  if (path === DEFAULT_AFTER_LOGIN) return '/console/login';
  // `/` may stay as it is in a query value; it keeps the address readable.
  return `/console/login?next=${encodeURIComponent(path).replace(/%2F/g, '/')}`;
}
