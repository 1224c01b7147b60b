/**
 * A shop's handle names its customer portal (`/s/HANDLE/returns`): lowercase letters, digits and
 * single hyphens, 2 to 40 characters, chosen at tenant creation or made from the shop's name.
 */
export const SHOP_HANDLE_PATTERN = '^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){1,39}$';
const HANDLE = new RegExp(SHOP_HANDLE_PATTERN);

/** Words that would read as one of our own pages rather than a shop. */
const RESERVED = new Set(['admin', 'api', 'console', 'returns', 'static', 'assets', 'www', 'returnflow']);

/** Why `handle` cannot name a shop, or null. */
export function shopHandleProblem(handle: string): string | null {
  if (!HANDLE.test(handle)) {
    return 'must be 2 to 40 lowercase letters, digits or single hyphens, starting and ending with a letter or digit';
  }
  return RESERVED.has(handle) ? `"${handle}" is reserved` : null;
}

/** A handle made from a shop's name ("Demo Outfitters" → "demo-outfitters"); "shop" when nothing is left. */
export function handleFromName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug.length >= 2 && !RESERVED.has(slug) ? slug : `shop${slug ? `-${slug}` : ''}`.slice(0, 40);
}

/** `base`, or `base-2`, `base-3`, … : the first that `taken` does not hold, within 40 characters. */
export function firstFreeHandle(base: string, taken: (h: string) => boolean): string {
  if (!taken(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${base.slice(0, 40 - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!taken(candidate)) return candidate;
  }
}
