import { describe, expect, it } from 'vitest';
import { cellOf, factsOf, netCells, type ReturnSnapshot } from './return-facts.ts';

const base: ReturnSnapshot = {
  id: 'ret_1',
  createdAt: '2025-03-10T10:00:00.000Z',
  status: 'refunded',
  resolution: 'refund',
  currency: 'USD',
  refundTotal: 1001,
  feeTotal: 100,
  lines: [
    { id: 'rli_1', sku: 'A', category: 'apparel', reasonCode: 'wrong_size', quantity: 1, refundAmount: 500 },
    { id: 'rli_2', sku: 'B', category: 'home', reasonCode: 'damaged', quantity: 3, refundAmount: 1500 },
  ],
  events: [
    {
      action: 'request',
      fromStatus: null,
      toStatus: 'submitted',
      actorType: 'api',
      actorId: null,
      createdAt: '2025-03-10T10:00:00.000Z',
    },
    {
      action: 'review',
      fromStatus: 'submitted',
      toStatus: 'needs_review',
      actorType: 'system',
      actorId: 'policy',
      createdAt: '2025-03-10T10:00:00.000Z',
    },
    {
      action: 'approve',
      fromStatus: 'needs_review',
      toStatus: 'approved',
      actorType: 'staff',
      actorId: 'usr_1',
      createdAt: '2025-03-11T16:00:00.000Z',
    },
    {
      action: 'receive',
      fromStatus: 'in_transit',
      toStatus: 'received',
      actorType: 'staff',
      actorId: 'usr_1',
      createdAt: '2025-03-13T10:00:00.000Z',
    },
    {
      action: 'inspect',
      fromStatus: 'received',
      toStatus: 'inspected',
      actorType: 'staff',
      actorId: 'usr_1',
      createdAt: '2025-03-14T10:00:00.000Z',
    },
    {
      action: 'refund_succeeded',
      fromStatus: 'refund_pending',
      toStatus: 'refunded',
      actorType: 'system',
      actorId: null,
      createdAt: '2025-03-15T10:00:00.000Z',
    },
  ],
};

describe('factsOf', () => {
  it('splits the refund over lines, times the stages from the request, and checks the SLAs', () => {
    const [a, b] = factsOf(base);
    expect(a!.refundAmount + b!.refundAmount).toBe(1001);
    expect(a!.refundAmount).toBe(250);
    expect(a!.feeAmount + b!.feeAmount).toBe(100);
    expect(a).toMatchObject({
      day: '2025-03-10',
      decidedBy: 'people',
      decisionSecs: 30 * 3600,
      receivedSecs: 3 * 86400,
      refundedSecs: 5 * 86400,
      slaReview: 0, // 30 h > 24 h
      slaInspection: 1, // 24 h <= 48 h
      unitsReturned: 1,
    });
  });

  it('counts rejected returns as asked for but not returned, with no refund', () => {
    const [a] = factsOf({
      ...base,
      status: 'rejected',
      events: [
        base.events[0]!,
        {
          ...base.events[0]!,
          action: 'reject',
          fromStatus: 'submitted',
          toStatus: 'rejected',
          actorType: 'system',
          actorId: 'policy',
        },
      ],
    });
    expect(a).toMatchObject({
      unitsRequested: 1,
      unitsReturned: 0,
      refundAmount: 0,
      decidedBy: 'policy',
      slaReview: null,
    });
  });
});

describe('netCells', () => {
  it('cancels a fact taken away and added back, and keeps a real change', () => {
    const facts = factsOf(base);
    expect(netCells([...facts.map((f) => cellOf(f, -1)), ...facts.map((f) => cellOf(f, 1))])).toEqual([]);
    const moved = factsOf({ ...base, status: 'closed', refundTotal: 2001 });
    const delta = netCells([...facts.map((f) => cellOf(f, -1)), ...moved.map((f) => cellOf(f, 1))]);
    expect(delta.reduce((a, c) => a + c.refundAmount, 0)).toBe(1000);
    expect(delta.every((c) => c.lines === 0)).toBe(true);
  });
});
