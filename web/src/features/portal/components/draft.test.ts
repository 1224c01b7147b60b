import { describe, expect, it } from 'vitest';
import type { PortalView } from '../api/portal-api.ts';
import { emptyDraft, photoProblem, requestBody, trackingPath } from './draft.ts';

const line = (id: string, over: Partial<PortalView['order']['lines'][number]> = {}) => ({
  id,
  sku: `SKU-${id}`,
  title: `Item ${id}`,
  category: 'tops',
  quantity: 2,
  returnableQuantity: 2,
  unitPrice: 1250,
  eligible: true,
  windowEndsAt: '2026-12-01T00:00:00.000Z',
  ...over,
});
const view: PortalView = {
  shop: { name: 'Shop', handle: 'shop', kind: 'merchant' },
  order: {
    id: 'ord_1',
    orderNumber: '#1',
    currency: 'USD',
    placedAt: '2026-11-01T00:00:00.000Z',
    deliveredAt: null,
    lines: [line('a'), line('b'), line('c', { eligible: false, returnableQuantity: 0 })],
  },
  reasons: [],
  resolutions: ['refund', 'exchange'],
  storeCreditBonusPercent: 10,
  returns: [],
};

describe('portal draft', () => {
  it('sends only chosen, eligible lines with their reason, trimmed note and uploaded photos', () => {
    const d = emptyDraft();
    d.selected = { a: 5, b: 0, c: 1 };
    d.reasons = { a: 'damaged', b: 'wrong_size' };
    d.notes = { a: '  torn  ' };
    d.photos = {
      a: [
        { key: '1', name: 'x.png', url: 'blob:1', status: 'done', evidenceId: 'evd_1' },
        { key: '2', name: 'y.png', url: 'blob:2', status: 'failed' },
      ],
    };
    d.resolution = 'refund';
    expect(requestBody(view, d)).toEqual({
      resolution: 'refund',
      lines: [{ orderLineId: 'a', quantity: 2, reasonCode: 'damaged', note: 'torn', evidenceIds: ['evd_1'] }],
    });
  });

  it('prices an exchange like the original line, with the variant in the title', () => {
    const d = emptyDraft();
    d.selected = { b: 1 };
    d.reasons = { b: 'wrong_size' };
    d.resolution = 'exchange';
    d.variants = { b: ' Size M ' };
    expect(requestBody(view, d).exchange).toEqual({
      items: [{ sku: 'SKU-b', title: 'Item b (Size M)', unitPrice: 1250, quantity: 1 }],
    });
  });

  it('checks a photo’s type and size before upload, and turns tracking links into paths', () => {
    expect(photoProblem({ type: 'image/png', size: 10 })).toBeNull();
    expect(photoProblem({ type: 'image/gif', size: 10 })).toBe('type');
    expect(photoProblem({ type: 'image/jpeg', size: 8 * 1024 * 1024 + 1 })).toBe('size');
    expect(trackingPath('http://127.0.0.1:3000/t/abc')).toBe('/t/abc');
  });
});
