/**
 * The shop handle in what a customer typed: a portal link (`…/s/demo-outfitters/returns`), a
 * handle, or the shop's name, made into a handle the way the server makes one from a name.
 * Null when nothing usable is left.
 */
export function shopHandleFrom(input: string): string | null {
  const text = input.trim();
  const fromLink = /\/s\/([a-z0-9-]{2,40})(?:\/|$|\?|#)/i.exec(text)?.[1];
  const slug = (fromLink ?? text)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug.length >= 2 ? slug : null;
}
