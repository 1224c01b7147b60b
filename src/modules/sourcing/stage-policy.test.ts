import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FEE_KINDS, type FeeKind } from '../orders/fees.ts';
import { DEFAULT_PURCHASING_AGENT_POLICY as PA } from '../policy/purchasing-agent-policy.ts';
import { calculateRefundQuote } from '../refunds/refund-calculator.ts';
import { itemise } from './request-rules.ts';
import { assessStage, type StageLine, type StageVerdict } from './stage-policy.ts';
import { LINE_STAGES, type LineStage } from './stages.ts';

const now = new Date('2026-03-10T00:00:00Z');
const iso = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000).toISOString();
const line = (stage: LineStage, extra: Partial<StageLine> = {}): StageLine => ({
  orderLineId: 'l1',
  title: 'Jacket',
  stage,
  domesticDeliveredAt: null,
  qcAt: null,
  reasonCode: 'changed_mind',
  reasonIsFault: false,
  ...extra,
});
const assess = (l: StageLine, insured = false) => assessStage(PA, l, { now, insured });

describe('assessStage', () => {
  it('routes each stage', () => {
    const routes = Object.fromEntries(LINE_STAGES.map((s) => [s, assess(line(s)).route]));
    expect(routes).toEqual({
      paid: 'cancel_before_purchase',
      purchasing: 'cancel_before_purchase',
      purchased: 'seller_cancellation',
      seller_shipped: 'seller_cancellation',
      in_warehouse: 'return_to_seller',
      qc_passed: 'return_to_seller',
      stored: 'return_to_seller',
      qc_failed: 'qc_failed_return',
      shipped_international: 'transit_claim',
      delivered: 'transit_claim',
      cancelled: null,
      returned_to_seller: null,
    });
  });

  it('before purchase everything is refunded; nothing had been spent', () => {
    const v = assess(line('paid'));
    expect(v).toMatchObject({ eligible: true, outcome: 'approve' });
    expect(v.refundFees).toEqual([...FEE_KINDS]);
    expect(new Set(Object.values(v.feeReasons))).toEqual(new Set(['nothing_spent']));
  });

  it('after purchase, a change of mind keeps what was spent; a seller fault gets it back', () => {
    const mind = assess(line('seller_shipped'));
    expect(mind.outcome).toBe('review');
    expect(mind.feeReasons).toMatchObject({
      domestic_shipping: 'spent',
      service_fee: 'spent',
      international_shipping: 'unspent',
      insurance: 'unspent',
      payment_fee: 'spent',
    });
    const fault = assess(line('seller_shipped', { reasonCode: 'wrong_item', reasonIsFault: true }));
    expect(fault.feeReasons).toMatchObject({
      domestic_shipping: 'seller_fault',
      service_fee: 'seller_fault',
    });
    expect(assess(line('purchased')).feeReasons.domestic_shipping).toBe('unspent');
  });

  it('the seller window counts from the warehouse scan; the QC window only binds change-of-mind returns', () => {
    const open = assess(line('qc_passed', { domesticDeliveredAt: iso(6), qcAt: iso(4) }));
    expect(open.eligible).toBe(true);
    expect(open.sellerDeadline).toBe(new Date(Date.parse(iso(6)) + 7 * 86_400_000).toISOString());
    expect(open.customerDeadline).toBe(new Date(Date.parse(iso(4)) + 5 * 86_400_000).toISOString());
    const late = assess(line('qc_passed', { domesticDeliveredAt: iso(6), qcAt: iso(6) }));
    expect(late).toMatchObject({ eligible: false, code: 'qc_window_closed' });
    const lateFault = assess(
      line('qc_passed', {
        domesticDeliveredAt: iso(6),
        qcAt: iso(6),
        reasonCode: 'defective',
        reasonIsFault: true,
      }),
    );
    expect(lateFault.eligible).toBe(true);
    const closed = assess(line('stored', { domesticDeliveredAt: iso(8), qcAt: iso(7), reasonIsFault: true }));
    expect(closed).toMatchObject({ eligible: false, code: 'seller_window_closed' });
  });

  it('a failed QC is the seller’s fault and approved', () => {
    const v = assess(line('qc_failed', { domesticDeliveredAt: iso(1), qcAt: iso(1) }));
    expect(v).toMatchObject({ eligible: true, outcome: 'approve', sellerFault: true });
    expect(v.feeReasons.service_fee).toBe('seller_fault');
  });

  it('abroad: damage or loss only; insurance brings back the international shipping', () => {
    expect(assess(line('delivered'))).toMatchObject({ eligible: false, code: 'shipped_only_damage' });
    const insured = assess(line('delivered', { reasonCode: 'damaged_in_transit' }), true);
    expect(insured).toMatchObject({ eligible: true, outcome: 'review' });
    expect(insured.feeReasons.international_shipping).toBe('insured');
    const bare = assess(line('delivered', { reasonCode: 'lost_in_transit' }), false);
    expect(bare.feeReasons.international_shipping).toBe('spent');
  });
});

describe('itemise', () => {
  it('the itemised rows sum exactly to the refund for any order, fees, stage and deductions (property)', () => {
    const arb = fc.record({
      lines: fc.array(
        fc.record({ quantity: fc.integer({ min: 1, max: 5 }), unitPrice: fc.integer({ min: 0, max: 1e7 }) }),
        { minLength: 1, maxLength: 4 },
      ),
      fees: fc.array(
        fc.record({
          kind: fc.constantFrom(...FEE_KINDS),
          amount: fc.integer({ min: 0, max: 1e6 }),
          line: fc.option(fc.nat(3)),
        }),
        { maxLength: 6 },
      ),
      stage: fc.constantFrom(...LINE_STAGES),
      fault: fc.boolean(),
      insured: fc.boolean(),
      deductions: fc.array(fc.integer({ min: 0, max: 1e6 }), { maxLength: 2 }),
      take: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 4, maxLength: 4 }),
    });
    fc.assert(
      fc.property(arb, (p) => {
        const lines = p.lines.map((l, i) => ({
          id: `l${i}`,
          ...l,
          discountAmount: 0,
          taxAmount: 0,
          returnedQuantity: 0,
        }));
        const verdicts = new Map<string, StageVerdict>(
          lines.map((l) => [
            l.id,
            assessStage(
              PA,
              line(p.stage, {
                orderLineId: l.id,
                reasonCode: p.fault ? 'damaged_in_transit' : 'changed_mind',
                reasonIsFault: p.fault,
              }),
              { now, insured: p.insured },
            ),
          ]),
        );
        const quote = calculateRefundQuote({
          order: {
            currency: 'CNY',
            shippingAmount: 0,
            discountAmount: 0,
            taxAmount: 0,
            lines,
            charges: p.fees.map((f) => ({
              code: f.kind,
              amount: f.amount,
              lineId: f.line === null ? null : (lines[f.line % lines.length]!.id as string),
            })),
          },
          lines: lines.map((l, i) => ({
            orderLineId: l.id,
            quantity: Math.min(l.quantity, p.take[i]!),
            feePercent: 0,
            refundShipping: false,
            refundCharges: verdicts.get(l.id)!.refundFees as FeeKind[],
          })),
          fees: p.deductions.map((amount, i) => ({ code: `d${i}`, label: 'Deduction', amount })),
        });
        const rows = itemise(quote, verdicts);
        expect(rows.reduce((s, r) => s + r.refunded, 0)).toBe(quote.total);
        for (const r of rows)
          if (r.code !== 'goods' && r.paid > 0) expect(r.refunded).toBeLessThanOrEqual(r.paid);
      }),
      { numRuns: 300 },
    );
  });
});
