import type { RefundTo } from '../../../lib/sourcing.ts';
import type { PortalView, ReturnRequestBody } from '../api/portal-api.ts';

/** The customer's photo for one item: uploading, uploaded (with the server's id) or refused. */
export type Photo = {
  key: string;
  name: string;
  /** An object URL for the thumbnail; revoked when the photo is removed. */
  url: string;
  status: 'uploading' | 'done' | 'failed';
  evidenceId?: string;
  error?: string;
};

/**
 * Everything the customer has entered, in one place, so going back and forth loses nothing.
 * Per-line entries stay when an item is unticked: ticking it again brings them back.
 */
export type Draft = {
  selected: Record<string, number>;
  reasons: Record<string, string>;
  notes: Record<string, string>;
  photos: Record<string, Photo[]>;
  resolution: string | null;
  variants: Record<string, string>;
  /** Purchasing agents: where the refund goes; null keeps the shop's default (the wallet). */
  refundTo: RefundTo | null;
};

export const emptyDraft = (): Draft => ({
  selected: {},
  reasons: {},
  notes: {},
  photos: {},
  resolution: null,
  variants: {},
  refundTo: null,
});

export const MAX_PHOTOS = 5;
// The same check as the warehouse's QC photos (lib/photos.ts).
export { MAX_PHOTO_BYTES, PHOTO_TYPES, photoProblem } from '../../../lib/photos.ts';

/** The chosen lines of the order, in the order's own order. */
export function chosenLines(view: PortalView, draft: Draft) {
  return view.order.lines.filter(
    (l) => l.eligible && l.returnableQuantity > 0 && (draft.selected[l.id] ?? 0) > 0,
  );
}

/** The request body for quote and file, from the draft. */
export function requestBody(view: PortalView, draft: Draft): ReturnRequestBody {
  const lines = chosenLines(view, draft);
  const body: ReturnRequestBody = {
    resolution: draft.resolution ?? 'refund',
    lines: lines.map((l) => {
      const note = draft.notes[l.id]?.trim();
      const evidenceIds = (draft.photos[l.id] ?? [])
        .map((p) => p.evidenceId)
        .filter((id): id is string => typeof id === 'string');
      return {
        orderLineId: l.id,
        quantity: Math.min(draft.selected[l.id] ?? 1, l.returnableQuantity),
        reasonCode: draft.reasons[l.id] ?? '',
        ...(note ? { note } : {}),
        ...(evidenceIds.length > 0 ? { evidenceIds } : {}),
      };
    }),
  };
  if (draft.refundTo) body.refundTo = draft.refundTo;
  if (body.resolution === 'exchange') {
    body.exchange = {
      items: lines.map((l) => ({
        sku: l.sku,
        title: `${l.title} (${(draft.variants[l.id] ?? '').trim()})`,
        unitPrice: l.unitPrice,
        quantity: Math.min(draft.selected[l.id] ?? 1, l.returnableQuantity),
      })),
    };
  }
  return body;
}

/** The path of a tracking link (`https://shop/t/abc` → `/t/abc`), to open it inside the app. */
export function trackingPath(url: string): string {
  try {
    return new URL(url, 'http://localhost').pathname;
  } catch {
    return url;
  }
}
