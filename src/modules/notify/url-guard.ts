import { resolveProblem, urlProblem } from '../../platform/outbound-http.ts';

/**
 * Tenants choose webhook URLs, so a URL must not make our server call into its own network. This
 * check answers a clear reason when the URL is saved; the delivery checks again against the
 * address it connects to (`postOutbound`), so a DNS answer that changes later is caught too.
 */
export async function checkPublicUrl(raw: string, allowPrivate: boolean): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a valid URL';
  }
  return urlProblem(url, allowPrivate) ?? (allowPrivate ? null : await resolveProblem(url));
}
