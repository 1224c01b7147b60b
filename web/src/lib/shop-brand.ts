import { useEffect, useSyncExternalStore } from 'react';

/** The shop a page belongs to (portal, tracking, console), shown in the header instead of ours. */
export type ShopBrand = { name: string; handle?: string };

let current: ShopBrand | null = null;
const listeners = new Set<() => void>();

function set(brand: ShopBrand | null) {
  current = brand;
  for (const l of listeners) l();
}

/** The brand the current page set, or null (the app's own name shows). */
export function useShopBrand(): ShopBrand | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
}

/** Shows this shop in the header while the calling page is mounted. */
export function useShowShop(name: string | null | undefined, handle?: string): void {
  useEffect(() => {
    set(name ? { name, ...(handle ? { handle } : {}) } : null);
    return () => set(null);
  }, [name, handle]);
}
