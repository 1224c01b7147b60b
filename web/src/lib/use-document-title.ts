import { useEffect } from 'react';

/** Sets the tab title to "<page> · <shop>", so each route is announced and told apart in history. */
export function useDocumentTitle(page: string, shop: string): void {
  useEffect(() => {
    document.title = page ? `${page} · ${shop}` : shop;
  }, [page, shop]);
}
