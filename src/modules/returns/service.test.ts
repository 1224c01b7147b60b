import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseJson } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { sampleOrder } from '../../testing/fixtures.ts';
import { type ServiceHarness, serviceHarness } from '../../testing/services.ts';
import type { OrderInput } from '../orders/schemas.ts';
import type { Order } from '../orders/service.ts';
import { defaultPolicy } from '../policy/default-policy.ts';
import type { ReturnRequest, ReturnView } from './schemas.ts';
import type { Actor } from './service.ts';
import { allowedActions, RETURN_ACTIONS, type ReturnStatus } from './state-machine.ts';

const START = '2027-03-01T09:00:00.000Z';
const API: Actor = { type: 'api', id: null };
const AGENT: Actor = { type: 'staff', id: 'usr_agent' };
const POLICY = defaultPolicy();
/** What the default policy keeps for return shipping on a USD return that is not the shop's fault. */
const RETURN_SHIPPING = POLICY.returnShippingFee.USD!;

let h: ServiceHarness;
/**
 * The tenant of tests that read back only the returns they filed themselves; tests that look at a
 * whole tenant (RMA sequence, isolation) make their own. Creating a tenant hashes its admin's
 * password (scrypt), the slowest step here by far.
 */
let shop: string;
/** A tenant that never files anything: whatever it reaches belongs to someone else. */
let stranger: string;
beforeAll(async () => {
  h = await serviceHarness(START);
  shop = await newTenant('Returns Shop');
  stranger = await newTenant('Stranger');
});
afterEach(() => {
  h.clock.set(START);
});
afterAll(async () => {
  await h?.close();
});

async function newTenant(name: string) {
  return (await h.services.identity.createTenant({ name, kind: 'merchant' })).tenantId;
}

let seq = 0;

/** Delivered ten days before the harness's start: inside the default 30-day window. */
function orderInput(over: Partial<OrderInput> = {}): OrderInput {
  seq += 1;
  const at = { placedAt: '2027-02-15T10:00:00.000Z', deliveredAt: '2027-02-18T10:00:00.000Z' };
  return sampleOrder({ key: String(seq), number: 2000 + seq, ...at }, over);
}

/** An order of one line with these facts (one unit unless said). */
function oneLineOrder(line: Partial<OrderInput['lines'][number]>): OrderInput {
  const input = orderInput();
  input.lines = [{ ...input.lines[1]!, ...line }];
  return input;
}

async function placeOrder(tenantId: string, input: OrderInput = orderInput()): Promise<Order> {
  return (await h.services.orders.upsertOrder(tenantId, input)).order;
}

type LinePick = [lineIndex: number, quantity: number, reasonCode: string];

function request(order: Order, picks: LinePick[], over: Partial<ReturnRequest> = {}): ReturnRequest {
  return {
    orderId: order.id,
    resolution: 'refund',
    lines: picks.map(([i, quantity, reasonCode]) => ({
      orderLineId: order.lines[i]!.id,
      quantity,
      reasonCode,
    })),
    ...over,
  };
}

function fileReturn(tenantId: string, order: Order, picks: LinePick[], over: Partial<ReturnRequest> = {}) {
  return h.services.returns.requestReturn(tenantId, request(order, picks, over), API);
}

async function returnedQuantities(tenantId: string, orderId: string): Promise<number[]> {
  return (await h.services.orders.requireOrder(tenantId, orderId)).lines.map((l) => l.returnedQuantity);
}

/** The AppError a call rejects with (fails the test when it resolves or throws something else). */
async function appError(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

/** The refusal code of each refused line of a 422 return_not_eligible. */
function lineCodes(e: AppError): string[] {
  expect(e).toMatchObject({ status: 422, code: 'return_not_eligible' });
  return (e.details as { lines: { code: string }[] }).lines.map((l) => l.code);
}

const rmaNumber = (r: ReturnView) => Number(r.rmaNumber.replace(/^RMA-/, ''));

async function statuses(tenantId: string, id: string): Promise<string[]> {
  return (await h.services.returns.listEvents(tenantId, id))
    .filter((e) => !e.action.startsWith('notify_'))
    .map((e) => e.toStatus);
}

describe('requestReturn decides by the policy', () => {
  it('approves a change-of-mind return within the limits and asks for the parcel, keeping return shipping', async () => {
    const order = await placeOrder(shop);
    const ret = await fileReturn(shop, order, [[0, 1, 'wrong_size']]);
    expect(ret.status).toBe('awaiting_shipment');
    expect(ret.decision).toMatchObject({ outcome: 'approved', automatic: true, returnless: false });
    expect(ret.refundTotal).toBe(3500 - RETURN_SHIPPING);
    expect(ret.version).toBe(1);
    expect(ret.allowedActions).toEqual(allowedActions('awaiting_shipment', { returnless: false }));
    expect(await statuses(shop, ret.id)).toEqual(['submitted', 'approved', 'awaiting_shipment']);
    expect(await returnedQuantities(shop, order.id)).toEqual([1, 0]);
  });

  it('lets the customer keep an item worth less than the returnless limit, and then charges no return shipping', async () => {
    const price = 1200;
    expect(price - RETURN_SHIPPING).toBeLessThanOrEqual(POLICY.returnlessMaxAmount.USD!);
    const order = await placeOrder(shop, oneLineOrder({ unitPrice: price }));
    const ret = await fileReturn(shop, order, [[0, 1, 'changed_mind']]);
    expect(ret.status).toBe('approved');
    expect(ret).toMatchObject({ returnless: true, refundTotal: price });
    expect(ret.allowedActions).toContain('refund');
    expect(ret.allowedActions).not.toContain('ship');
  });

  it('sends a damage claim without a photo to a person, with the units reserved', async () => {
    const order = await placeOrder(shop);
    const ret = await fileReturn(shop, order, [[1, 1, 'damaged']]);
    expect(ret.status).toBe('needs_review');
    expect(ret.decision.outcome).toBe('needs_review');
    // The shop's fault: the original shipping comes back and no return shipping is kept.
    expect(ret.refundQuote.returnShippingFee).toBe(0);
    expect(ret.refundQuote.lines[0]!.shipping).toBeGreaterThan(0);
    expect(await returnedQuantities(shop, order.id)).toEqual([0, 1]);
    expect(await statuses(shop, ret.id)).toEqual(['submitted', 'needs_review']);
  });

  it('sends a refund above the auto-approve limit to a person', async () => {
    const price = POLICY.autoApprove.maxRefundAmount.USD! + RETURN_SHIPPING + 1;
    const order = await placeOrder(shop, oneLineOrder({ unitPrice: price }));
    const ret = await fileReturn(shop, order, [[0, 1, 'wrong_size']]);
    expect(ret.status).toBe('needs_review');
    expect(ret.refundTotal).toBe(POLICY.autoApprove.maxRefundAmount.USD! + 1);
  });

  it('rejects a final-sale item returned for a change of mind: stored with nothing to pay and no units taken', async () => {
    const order = await placeOrder(shop, oneLineOrder({ sku: 'FS-100', quantity: 2 }));
    const ret = await fileReturn(shop, order, [[0, 1, 'changed_mind']]);
    expect(ret.status).toBe('rejected');
    expect(ret.decision.outcome).toBe('rejected');
    expect(ret.decision.rules.find((r) => r.ruleId === 'final-sale')?.fired).toBe(true);
    expect(ret.refundTotal).toBe(0);
    expect(ret.allowedActions).toEqual([]);
    expect(await returnedQuantities(shop, order.id)).toEqual([0]);
    expect(await statuses(shop, ret.id)).toEqual(['submitted', 'rejected']);
  });

  it('takes a return on the last day of the window and refuses it the next day (UTC), with 422 return_window_closed', async () => {
    // Delivered 2027-02-18: the 30 days end with 2027-03-20, counted in full.
    const order = await placeOrder(shop);
    h.clock.set('2027-03-20T23:59:00.000Z');
    const lastDay = await h.services.returns.quoteReturn(shop, request(order, [[0, 1, 'wrong_size']]));
    expect(lastDay.eligible).toBe(true);
    expect(lastDay.lines[0]!.windowEndsAt).toBe('2027-03-20T23:59:59.999Z');

    h.clock.set('2027-03-21T00:00:00.000Z');
    const late = await appError(fileReturn(shop, order, [[0, 1, 'wrong_size']]));
    expect(lineCodes(late)).toEqual(['return_window_closed']);
    expect(await h.services.returns.orderHasReturns(h.db, shop, order.id)).toBe(false);
  });

  it('refuses an excluded category, an unknown reason and a line of another order with 422, and stores nothing', async () => {
    const order = await placeOrder(shop, oneLineOrder({ category: 'underwear', quantity: 2 }));
    expect(lineCodes(await appError(fileReturn(shop, order, [[0, 1, 'wrong_size']])))).toEqual([
      'not_returnable',
    ]);
    const other = await placeOrder(shop);
    expect(lineCodes(await appError(fileReturn(shop, other, [[0, 1, 'bored']])))).toEqual(['unknown_reason']);
    const foreignLine = {
      ...request(other, [[0, 1, 'wrong_size']]),
      lines: [{ orderLineId: order.lines[0]!.id, quantity: 1, reasonCode: 'wrong_size' }],
    };
    expect(lineCodes(await appError(h.services.returns.requestReturn(shop, foreignLine, API)))).toEqual([
      'unknown_order_line',
    ]);
    for (const o of [order, other]) {
      expect(await h.services.returns.orderHasReturns(h.db, shop, o.id)).toBe(false);
      expect((await returnedQuantities(shop, o.id)).every((q) => q === 0)).toBe(true);
    }
  });
});

describe('the refund quote', () => {
  it('is what the filed return stores, and quoting writes nothing', async () => {
    const order = await placeOrder(shop);
    const req = request(order, [
      [0, 2, 'wrong_size'],
      [1, 1, 'not_as_described'],
    ]);
    const quoted = await h.services.returns.quoteReturn(shop, req);
    expect(await returnedQuantities(shop, order.id)).toEqual([0, 0]);
    const ret = await h.services.returns.requestReturn(shop, req, API);
    expect(ret.refundQuote).toEqual(quoted.refundQuote);
    expect(ret.refundTotal).toBe(quoted.refundQuote!.payout.amount);
  });

  it('adds up to exactly what was paid when every unit comes back through the shop’s fault, however the units are split', async () => {
    const orderArb = fc
      .record({
        lines: fc.array(
          fc.record({
            quantity: fc.integer({ min: 1, max: 3 }),
            unitPrice: fc.integer({ min: 100, max: 9000 }),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        shippingAmount: fc.integer({ min: 0, max: 1500 }),
        taxAmount: fc.integer({ min: 0, max: 1000 }),
        discountPercent: fc.integer({ min: 0, max: 50 }),
      })
      .chain((o) =>
        fc.record({
          order: fc.constant(o),
          // Per line, the sizes of the returns its units come back in (in any order of filing).
          splits: fc.tuple(
            ...o.lines.map((l) => fc.array(fc.integer({ min: 1, max: l.quantity }), { minLength: 1 })),
          ),
        }),
      );
    await fc.assert(
      fc.asyncProperty(orderArb, async ({ order: o, splits }) => {
        const input = orderInput({ shippingAmount: o.shippingAmount, taxAmount: o.taxAmount });
        input.lines = o.lines.map((l, i) => ({
          externalId: `L${i + 1}`,
          sku: `SKU-${i + 1}`,
          title: `Item ${i + 1}`,
          category: 'tops',
          quantity: l.quantity,
          unitPrice: l.unitPrice,
          discountAmount: 0,
          taxAmount: 0,
        }));
        const goods = o.lines.reduce((a, l) => a + l.quantity * l.unitPrice, 0);
        input.discountAmount = Math.floor((goods * o.discountPercent) / 100);
        const order = await placeOrder(shop, input);

        // Each line's units in returns of the drawn sizes, the last one taking what is left.
        const returns: LinePick[] = [];
        order.lines.forEach((line, i) => {
          let left = line.quantity;
          for (const size of splits[i]!) {
            if (left === 0) break;
            const n = Math.min(size, left);
            returns.push([i, n, 'not_as_described']);
            left -= n;
          }
          if (left > 0) returns.push([i, left, 'not_as_described']);
        });
        let refunded = 0;
        for (const pick of returns) {
          const ret = await fileReturn(shop, order, [pick]);
          expect(ret.refundTotal).toBeLessThanOrEqual(order.totalAmount - refunded);
          refunded += ret.refundTotal;
        }
        expect(refunded).toBe(order.totalAmount);
      }),
      { numRuns: 15 },
    );
  });

  it('never adds up to more than was paid when the customer pays the return shipping', async () => {
    const order = await placeOrder(shop);
    const a = await fileReturn(shop, order, [[0, 1, 'wrong_size']]);
    const b = await fileReturn(shop, order, [
      [0, 1, 'changed_mind'],
      [1, 1, 'wrong_size'],
    ]);
    // Goods only: the original shipping stays paid, return shipping is kept once per return.
    const goods = 2 * 3500 + 9000;
    expect(a.refundTotal + b.refundTotal).toBe(goods - 2 * RETURN_SHIPPING);
    expect(a.refundTotal + b.refundTotal).toBeLessThan(order.totalAmount);
  });
});

describe('paying out', () => {
  it('refuses, with 422 refund_exceeds_captured, to pay out more than was captured, and leaves the return inspected', async () => {
    // Only part of the order was captured; filing does not look at the capture (see the report).
    const captured = 1000;
    const order = await placeOrder(
      shop,
      orderInput({ payment: { provider: 'manual', capturedAmount: captured } }),
    );
    const ret = await fileReturn(shop, order, [[1, 1, 'wrong_size']]);
    expect(ret.refundTotal).toBeGreaterThan(captured);
    const a = h.services.returnActions;
    await a.receiveReturn(shop, ret.id, {}, AGENT);
    const inspected = await a.inspectReturn(shop, ret.id, {}, AGENT);
    expect(await appError(a.refundReturn(shop, ret.id, {}, AGENT))).toMatchObject({
      status: 422,
      code: 'refund_exceeds_captured',
    });
    const after = await h.services.returns.getReturn(shop, ret.id);
    expect(after).toMatchObject({ status: 'inspected', version: inspected.version, refund: null });
    expect((await h.services.orders.orderWithPayment(shop, order.id)).payment).toMatchObject({
      capturedAmount: captured,
      refundedAmount: 0,
      pendingRefundAmount: 0,
    });
  });
});

describe('units of a line', () => {
  it('are reserved by a return: a second return for the same units is refused with 422 return_not_eligible', async () => {
    const order = await placeOrder(shop);
    const first = await fileReturn(shop, order, [[0, 1, 'wrong_size']]);
    const second = await fileReturn(shop, order, [[0, 1, 'wrong_size']]);
    expect(await returnedQuantities(shop, order.id)).toEqual([2, 0]);
    const third = await appError(fileReturn(shop, order, [[0, 1, 'wrong_size']]));
    expect(lineCodes(third)).toEqual(['quantity_exceeds_remaining']);
    const byLine = await h.services.returns.returnsByOrderLine(shop, order.id);
    expect(
      byLine
        .get(order.lines[0]!.id)
        ?.map((r) => r.id)
        .sort(),
    ).toEqual([first.id, second.id].sort());
  });

  it('come back when a return is cancelled before the parcel leaves, and can be returned again', async () => {
    const order = await placeOrder(shop);
    const ret = await fileReturn(shop, order, [[0, 2, 'wrong_size']]);
    const cancelled = await h.services.returnActions.cancelReturn(shop, ret.id, { note: 'Kept them' }, API);
    expect(cancelled.status).toBe('cancelled');
    expect(await returnedQuantities(shop, order.id)).toEqual([0, 0]);
    const again = await fileReturn(shop, order, [[0, 2, 'wrong_size']]);
    expect(again.status).toBe('awaiting_shipment');
    expect(await returnedQuantities(shop, order.id)).toEqual([2, 0]);
  });

  it('come back when a return in review is cancelled, but not once its parcel is on the way', async () => {
    const order = await placeOrder(shop);
    const review = await fileReturn(shop, order, [[1, 1, 'damaged']]);
    await h.services.returnActions.cancelReturn(shop, review.id, {}, API);
    expect(await returnedQuantities(shop, order.id)).toEqual([0, 0]);

    const shipped = await fileReturn(shop, order, [[0, 1, 'wrong_size']]);
    await h.services.returnActions.shipReturn(shop, shipped.id, {}, API);
    expect(await appError(h.services.returnActions.cancelReturn(shop, shipped.id, {}, API))).toMatchObject({
      status: 409,
      code: 'illegal_transition',
    });
    expect(await returnedQuantities(shop, order.id)).toEqual([1, 0]);
  });
});

describe('the verbs', () => {
  it('walk a return from filed to closed, one version and one event per step, and pay out what the return says', async () => {
    const order = await placeOrder(shop);
    const ret = await fileReturn(shop, order, [[1, 1, 'not_as_described']]);
    expect(ret.status).toBe('awaiting_shipment');
    const a = h.services.returnActions;

    const shipped = await a.shipReturn(shop, ret.id, { carrier: 'UPS', trackingNumber: '1Z999' }, API);
    expect(shipped).toMatchObject({ status: 'in_transit', version: 2 });
    expect(shipped.shipment).toMatchObject({ carrier: 'UPS', trackingNumber: '1Z999', shippedAt: START });
    expect((await a.receiveReturn(shop, ret.id, {}, AGENT)).status).toBe('received');
    const inspected = await a.inspectReturn(shop, ret.id, {}, AGENT);
    expect(inspected).toMatchObject({ status: 'inspected', version: 4, refundTotal: ret.refundTotal });
    const refunding = await a.refundReturn(shop, ret.id, {}, AGENT);
    expect(refunding.status).toBe('refund_pending');
    expect(refunding.refund).toMatchObject({
      status: 'pending',
      amount: ret.refundTotal,
      provider: 'manual',
    });

    // The worker is stopped: the manual provider pays when the outbox is drained.
    await h.drain();
    const refunded = await h.services.returns.getReturn(shop, ret.id);
    expect(refunded.status).toBe('refunded');
    expect(refunded.refund?.status).toBe('succeeded');
    const money = await h.services.orders.orderWithPayment(shop, order.id);
    expect(money.payment).toMatchObject({
      refundedAmount: ret.refundTotal,
      refundableAmount: order.totalAmount - ret.refundTotal,
    });

    const closed = await a.closeReturn(shop, ret.id, {}, AGENT);
    expect(closed.status).toBe('closed');
    expect(closed.allowedActions).toEqual([]);
    const events = await statuses(shop, ret.id);
    expect(events).toEqual([
      'submitted',
      'approved',
      'awaiting_shipment',
      'in_transit',
      'received',
      'inspected',
      'refund_pending',
      'refunded',
      'closed',
    ]);
    // Units stay with a completed return.
    expect(await returnedQuantities(shop, order.id)).toEqual([0, 1]);
  });

  it('refuse every action the state machine does not allow with 409 illegal_transition, changing nothing', async () => {
    const order = await placeOrder(shop);
    const ret = await fileReturn(shop, order, [[0, 1, 'wrong_size']]);
    const a = h.services.returnActions;
    const steps: [ReturnStatus, () => Promise<unknown>][] = [
      ['awaiting_shipment', async () => {}],
      ['in_transit', () => a.shipReturn(shop, ret.id, {}, API)],
      ['received', () => a.receiveReturn(shop, ret.id, {}, AGENT)],
      ['inspected', () => a.inspectReturn(shop, ret.id, {}, AGENT)],
    ];
    for (const [status, move] of steps) {
      await move();
      const before = await h.services.returns.getReturn(shop, ret.id);
      expect(before.status).toBe(status);
      const allowed = allowedActions(status, { returnless: false, fulfillment: 'none' });
      for (const action of RETURN_ACTIONS.filter((x) => !allowed.includes(x))) {
        const e = await appError(a.performAction(shop, ret.id, action, {}, AGENT));
        expect(e, `${action} on ${status}`).toMatchObject({ status: 409, code: 'illegal_transition' });
        expect((e.details as { allowedActions: string[] }).allowedActions).toEqual(allowed);
      }
      const after = await h.services.returns.getReturn(shop, ret.id);
      expect(after.version).toBe(before.version);
      expect(after.status).toBe(status);
    }
  });

  it('approveReturn: an agent approves a return in review; the decision records who, and their note joins the explanation', async () => {
    const order = await placeOrder(shop);
    const ret = await fileReturn(shop, order, [[1, 1, 'damaged']]);
    h.clock.advance(3_600_000);
    const approved = await h.services.returnActions.approveReturn(
      shop,
      ret.id,
      { note: 'Photo received by email.' },
      AGENT,
    );
    expect(approved.status).toBe('awaiting_shipment');
    expect(approved.version).toBe(ret.version + 1);
    expect(approved.decision).toMatchObject({
      outcome: 'approved',
      automatic: false,
      decidedBy: 'staff:usr_agent',
      decidedAt: h.clock.now().toISOString(),
    });
    expect(approved.decision.explanation.at(-1)).toBe('Photo received by email.');
    const events = await h.services.returns.listEvents(shop, ret.id);
    expect(events.slice(-2).map((e) => [e.action, e.actor])).toEqual([
      ['approve', AGENT],
      ['issue_instructions', { type: 'system', id: null }],
    ]);
    expect(await returnedQuantities(shop, order.id)).toEqual([0, 1]);
  });

  it('rejectReturn: an agent rejects a return in review; nothing is paid and the units come back', async () => {
    const order = await placeOrder(shop);
    const ret = await fileReturn(shop, order, [[1, 1, 'damaged']]);
    expect(ret.refundTotal).toBeGreaterThan(0);
    const rejected = await h.services.returnActions.rejectReturn(shop, ret.id, { note: 'Worn.' }, AGENT);
    expect(rejected).toMatchObject({ status: 'rejected', refundTotal: 0 });
    expect(rejected.decision).toMatchObject({ outcome: 'rejected', automatic: false });
    expect(await returnedQuantities(shop, order.id)).toEqual([0, 0]);
    expect(await appError(h.services.returnActions.rejectReturn(shop, ret.id, {}, AGENT))).toMatchObject({
      status: 409,
      code: 'illegal_transition',
    });
    // Given back once, not twice.
    expect(await returnedQuantities(shop, order.id)).toEqual([0, 0]);
  });

  it('inspectReturn: units not accepted drop out of the refund; an agent’s partial refund needs a reason and stays within it', async () => {
    const order = await placeOrder(shop);
    const ret = await fileReturn(shop, order, [[0, 2, 'wrong_size']]);
    expect(ret.refundTotal).toBe(2 * 3500 - RETURN_SHIPPING);
    const a = h.services.returnActions;
    await a.receiveReturn(shop, ret.id, {}, AGENT);
    const line = ret.lines[0]!;
    const tooMuch = {
      lines: [{ returnLineId: line.id, acceptedQuantity: 1 }],
      refundAmount: 3500,
      reason: 'Worn',
    };
    expect(await appError(a.inspectReturn(shop, ret.id, tooMuch, AGENT))).toMatchObject({
      status: 422,
      code: 'refund_above_inspection',
    });
    const noReason = { lines: [{ returnLineId: line.id, acceptedQuantity: 1 }], refundAmount: 100 };
    expect(await appError(a.inspectReturn(shop, ret.id, noReason, AGENT))).toMatchObject({
      status: 422,
      code: 'reason_required',
    });
    expect((await h.services.returns.getReturn(shop, ret.id)).status).toBe('received');

    const inspected = await a.inspectReturn(
      shop,
      ret.id,
      { lines: [{ returnLineId: line.id, acceptedQuantity: 1, condition: 'used' }] },
      AGENT,
    );
    expect(inspected.status).toBe('inspected');
    expect(inspected.refundTotal).toBe(3500 - RETURN_SHIPPING);
    expect(inspected.lines[0]).toMatchObject({ acceptedQuantity: 1, condition: 'used', refundAmount: 3500 });
  });

  it('refuse an action on a stale version with 409 stale_return and the current version', async () => {
    const order = await placeOrder(shop);
    const ret = await fileReturn(shop, order, [[1, 1, 'damaged']]);
    await h.services.returns.sendMessage(shop, ret.id, 'Could you send a photo?', AGENT);
    const e = await appError(
      h.services.returnActions.approveReturn(shop, ret.id, { expectedVersion: ret.version }, AGENT),
    );
    expect(e).toMatchObject({ status: 409, code: 'stale_return' });
    expect(e.details).toMatchObject({ currentVersion: ret.version + 1, status: 'needs_review' });
    expect((await h.services.returns.getReturn(shop, ret.id)).status).toBe('needs_review');

    const approved = await h.services.returnActions.approveReturn(
      shop,
      ret.id,
      { expectedVersion: ret.version + 1 },
      AGENT,
    );
    expect(approved).toMatchObject({ status: 'awaiting_shipment', version: ret.version + 2 });
  });
});

describe('RMA numbers', () => {
  it('count up by one per return filed in each tenant, rejected ones included, refused ones not', async () => {
    const a = await newTenant('RMA A');
    const b = await newTenant('RMA B');
    const orderA = await placeOrder(a, orderInput());
    const finalSale = await placeOrder(a, oneLineOrder({ sku: 'FS-9' }));
    const filed: ReturnView[] = [];
    filed.push(await fileReturn(a, orderA, [[0, 1, 'wrong_size']]));
    filed.push(await fileReturn(a, finalSale, [[0, 1, 'changed_mind']]));
    await appError(fileReturn(a, orderA, [[0, 5, 'wrong_size']]));
    filed.push(await fileReturn(a, orderA, [[1, 1, 'damaged']]));
    expect(filed.map((r) => r.status)).toEqual(['awaiting_shipment', 'rejected', 'needs_review']);
    expect(filed.map(rmaNumber)).toEqual([1, 2, 3]);
    expect(filed[0]!.rmaNumber).toMatch(/^RMA-\d{6}$/);

    const first = await fileReturn(b, await placeOrder(b), [[0, 1, 'wrong_size']]);
    expect(rmaNumber(first)).toBe(1);
    expect(rmaNumber(await fileReturn(a, orderA, [[0, 1, 'wrong_size']]))).toBe(4);
  });
});

describe('another tenant’s return', () => {
  it('is not found by any read or verb, and is left as it was', async () => {
    const order = await placeOrder(shop);
    const ret = await fileReturn(shop, order, [[1, 1, 'damaged']]);
    const notFound = { status: 404, code: 'not_found' };
    expect(await appError(h.services.returns.getReturn(stranger, ret.id))).toMatchObject(notFound);
    expect(await appError(h.services.returns.listEvents(stranger, ret.id))).toMatchObject(notFound);
    expect(await appError(h.services.returns.addNote(stranger, ret.id, 'hi', AGENT))).toMatchObject(notFound);
    expect(await appError(h.services.returns.sendMessage(stranger, ret.id, 'hi', AGENT))).toMatchObject(
      notFound,
    );
    for (const action of RETURN_ACTIONS) {
      expect(
        await appError(h.services.returnActions.performAction(stranger, ret.id, action, {}, AGENT)),
      ).toMatchObject(notFound);
    }
    expect((await h.services.returns.listReturns(stranger, {})).data).toEqual([]);
    // Nor can its order be returned from there.
    expect(
      await appError(h.services.returns.requestReturn(stranger, request(order, [[0, 1, 'wrong_size']]), API)),
    ).toMatchObject(notFound);

    const still = await h.services.returns.getReturn(shop, ret.id);
    expect(still).toMatchObject({ status: 'needs_review', version: ret.version });
    expect(await returnedQuantities(shop, order.id)).toEqual([0, 1]);
  });
});

describe('the notification of a filed return', () => {
  async function outboxOf(tenantId: string) {
    return h.db
      .selectFrom('outbox')
      .select(['topic', 'dedupeKey', 'payload', 'status'])
      .where('tenantId', '=', tenantId)
      .where('topic', '=', 'notify.dispatch')
      .execute();
  }

  it('is an outbox message written with the return, named after its status and version; a refused filing writes none', async () => {
    const tenantId = await newTenant('Outbox Shop');
    const order = await placeOrder(tenantId);
    await appError(fileReturn(tenantId, order, [[0, 3, 'wrong_size']]));
    expect(await outboxOf(tenantId)).toEqual([]);

    const ret = await fileReturn(tenantId, order, [[0, 1, 'wrong_size']]);
    const rows = await outboxOf(tenantId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'pending', dedupeKey: `${ret.id}:awaiting_shipment:v1` });
    expect(parseJson(rows[0]!.payload)).toMatchObject({
      event: 'return_approved',
      returnId: ret.id,
      status: 'awaiting_shipment',
    });

    await h.drain();
    expect((await outboxOf(tenantId)).map((r) => r.status)).toEqual(['done']);
  });

  it('shares the return’s transaction: when the outbox write fails, no return, no reserved units and no RMA number remain', async () => {
    const before = await fileReturn(shop, await placeOrder(shop), [[0, 1, 'wrong_size']]);
    const messages = (await outboxOf(shop)).length;
    const order = await placeOrder(shop);
    await sql`create trigger fail_notify before insert on outbox when new.topic = 'notify.dispatch'
      begin select raise(abort, 'outbox unavailable'); end`.execute(h.db);
    try {
      await expect(fileReturn(shop, order, [[0, 1, 'wrong_size']])).rejects.toThrow('outbox unavailable');
    } finally {
      await sql`drop trigger fail_notify`.execute(h.db);
    }
    expect(await h.services.returns.orderHasReturns(h.db, shop, order.id)).toBe(false);
    expect(await returnedQuantities(shop, order.id)).toEqual([0, 0]);
    expect(await outboxOf(shop)).toHaveLength(messages);
    const after = await fileReturn(shop, order, [[0, 1, 'wrong_size']]);
    expect(rmaNumber(after)).toBe(rmaNumber(before) + 1);
  });
});

describe('the answer of a filed return', () => {
  const PNG = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  );

  /** Every kind of first decision: the parcel asked for, returnless, review, rejected, store credit, a damage with its photo. */
  async function fileEveryKind(tenantId: string): Promise<ReturnView[]> {
    const photoOrder = await placeOrder(tenantId);
    const photo = await h.services.evidence.upload(tenantId, photoOrder.id, 'image/png', PNG, 'customer');
    return [
      await fileReturn(tenantId, await placeOrder(tenantId), [
        [0, 1, 'wrong_size'],
        [1, 1, 'changed_mind'],
      ]),
      await fileReturn(tenantId, await placeOrder(tenantId, oneLineOrder({ unitPrice: 1200 })), [
        [0, 1, 'changed_mind'],
      ]),
      await fileReturn(tenantId, await placeOrder(tenantId), [[1, 1, 'damaged']]),
      await fileReturn(tenantId, await placeOrder(tenantId, oneLineOrder({ sku: 'FS-100' })), [
        [0, 1, 'changed_mind'],
      ]),
      await fileReturn(tenantId, await placeOrder(tenantId), [[0, 1, 'wrong_size']], {
        resolution: 'store_credit',
      }),
      await h.services.returns.requestReturn(
        tenantId,
        {
          orderId: photoOrder.id,
          resolution: 'refund',
          lines: [
            {
              orderLineId: photoOrder.lines[1]!.id,
              quantity: 1,
              reasonCode: 'damaged',
              evidenceIds: [photo.id],
            },
          ],
        },
        API,
      ),
    ];
  }

  it('is what reading the return back gives, for every kind of decision (built from what the transaction wrote)', async () => {
    const tenantId = await newTenant('Answer Shop');
    const filed = await fileEveryKind(tenantId);
    expect(filed.map((r) => r.status)).toEqual([
      'awaiting_shipment',
      'approved',
      'needs_review',
      'rejected',
      'awaiting_shipment',
      'awaiting_shipment',
    ]);
    expect(filed[5]!.evidence).toHaveLength(1);
    for (const ret of filed) expect(ret).toEqual(await h.services.returns.getReturn(tenantId, ret.id));
  });

  it('leaves the analytics facts a recomputation from the stored rows would make', async () => {
    const tenantId = await newTenant('Facts Shop');
    await fileEveryKind(tenantId);
    const facts = () =>
      h.db
        .selectFrom('analyticsReturnFacts')
        .selectAll()
        .where('tenantId', '=', tenantId)
        .orderBy('returnLineId')
        .execute();
    const live = await facts();
    expect(live).toHaveLength(7);
    await h.services.analytics.recomputeRollups(tenantId);
    expect(await facts()).toEqual(live);
  });
});
