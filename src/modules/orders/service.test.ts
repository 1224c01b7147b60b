import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { sampleOrder } from '../../testing/fixtures.ts';
import { type ServiceHarness, serviceHarness } from '../../testing/services.ts';
import type { OrderInput } from './schemas.ts';

const START = '2027-03-01T09:00:00.000Z';
const HOUR = 3_600_000;

let h: ServiceHarness;
/**
 * The tenant of tests that read back only the orders they made themselves; tests that look at
 * a whole tenant (lists, isolation, lookups) make their own. Creating a tenant hashes its admin's
 * password (scrypt), the slowest step here by far.
 */
let shop: string;
/** A tenant that never gets an order of its own: whatever it finds belongs to someone else. */
let stranger: string;
beforeAll(async () => {
  h = await serviceHarness(START);
  shop = await newTenant('Orders Shop');
  stranger = await newTenant('Stranger');
});
afterAll(async () => {
  await h?.close();
});

let seq = 0;

/** An order body placed two weeks before the harness's start, with fresh external ids. */
function orderInput(over: Partial<OrderInput> = {}): OrderInput {
  seq += 1;
  const at = { placedAt: '2027-02-15T10:00:00.000Z', deliveredAt: '2027-02-18T10:00:00.000Z' };
  return sampleOrder({ key: String(seq), number: 1000 + seq, ...at }, over);
}

async function newTenant(name = 'Orders Shop') {
  return (await h.services.identity.createTenant({ name, kind: 'merchant' })).tenantId;
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

async function storedOrderCount(tenantId: string, externalId: string) {
  const rows = await h.db
    .selectFrom('orders')
    .select('id')
    .where('tenantId', '=', tenantId)
    .where('externalId', '=', externalId)
    .execute();
  return rows.length;
}

describe('upsertOrder', () => {
  it('creates an order once per externalId: the same body again answers the same order and writes nothing', async () => {
    const tenantId = shop;
    const input = orderInput();
    const first = await h.services.orders.upsertOrder(tenantId, input);
    expect(first.created).toBe(true);
    // Total from the body: 2 × 35.00 + 90.00 + 5.00 shipping.
    expect(first.order.totalAmount).toBe(2 * 3500 + 9000 + 500);
    expect(first.order.lines.map((l) => [l.externalId, l.returnableQuantity])).toEqual([
      ['L1', 2],
      ['L2', 1],
    ]);

    h.clock.advance(HOUR);
    const again = await h.services.orders.upsertOrder(tenantId, structuredClone(input));
    expect(again.created).toBe(false);
    // Unchanged, updatedAt included: a replay is not an update.
    expect(again.order).toEqual(first.order);
    expect(await storedOrderCount(tenantId, input.externalId)).toBe(1);
    expect(await h.services.orders.listOrderEvents(tenantId, first.order.id)).toEqual([]);
  });

  it('takes the same externalId in another tenant as another order', async () => {
    const a = shop;
    const b = await newTenant('Shop B');
    const input = orderInput();
    const inA = await h.services.orders.upsertOrder(a, input);
    const inB = await h.services.orders.upsertOrder(b, input);
    expect(inB.created).toBe(true);
    expect(inB.order.id).not.toBe(inA.order.id);
    expect(await storedOrderCount(a, input.externalId)).toBe(1);
    expect(await storedOrderCount(b, input.externalId)).toBe(1);
  });

  it('amends an order in place: same order id and line ids, new dates and customer name', async () => {
    const tenantId = shop;
    const input = orderInput({ deliveredAt: null });
    const first = await h.services.orders.upsertOrder(tenantId, input);
    h.clock.advance(HOUR);
    const deliveredAt = h.clock.now().toISOString();
    const amended = await h.services.orders.upsertOrder(tenantId, {
      ...input,
      deliveredAt,
      customer: { ...input.customer, name: 'Renamed Buyer' },
    });
    expect(amended.created).toBe(false);
    expect(amended.order.id).toBe(first.order.id);
    expect(amended.order.lines.map((l) => l.id)).toEqual(first.order.lines.map((l) => l.id));
    expect(amended.order.deliveredAt).toBe(deliveredAt);
    expect(amended.order.customer).toMatchObject({ id: first.order.customer.id, name: 'Renamed Buyer' });
    expect(amended.order.updatedAt).toBe(deliveredAt);
    // Dates and names are not money: no order event.
    expect(await h.services.orders.listOrderEvents(tenantId, first.order.id)).toEqual([]);
  });

  it('keeps what a filed return relies on: units stay reserved across an amendment, and money changes are refused with 409 order_has_returns', async () => {
    const tenantId = shop;
    const input = orderInput();
    const { order } = await h.services.orders.upsertOrder(tenantId, input);
    const tee = order.lines[0]!;
    await h.services.returns.requestReturn(
      tenantId,
      {
        orderId: order.id,
        resolution: 'refund',
        lines: [{ orderLineId: tee.id, quantity: 2, reasonCode: 'wrong_size' }],
      },
      { type: 'api', id: null },
    );

    // Dates and customer details may still change; the reservation and line ids survive.
    const later = '2027-02-19T08:00:00.000Z';
    const amended = await h.services.orders.upsertOrder(tenantId, {
      ...input,
      deliveredAt: later,
      customer: { ...input.customer, name: 'New Name' },
    });
    expect(amended.order.deliveredAt).toBe(later);
    expect(amended.order.lines.map((l) => l.id)).toEqual(order.lines.map((l) => l.id));
    expect(amended.order.lines[0]).toMatchObject({ returnedQuantity: 2, returnableQuantity: 0 });

    const repriced = structuredClone(input);
    repriced.lines[0]!.unitPrice = 3000;
    const priceError = await appError(h.services.orders.upsertOrder(tenantId, repriced));
    expect(priceError).toMatchObject({ status: 409, code: 'order_has_returns' });
    expect((priceError.details as { changes: { field: string }[] }).changes.map((c) => c.field)).toContain(
      'lines[L1].unitPrice',
    );

    // Dropping the line that is not in the return is a money change too.
    const dropped = { ...structuredClone(input), lines: [structuredClone(input.lines[0]!)] };
    expect(await appError(h.services.orders.upsertOrder(tenantId, dropped))).toMatchObject({
      status: 409,
      code: 'order_has_returns',
    });

    const stored = await h.services.orders.requireOrder(tenantId, order.id);
    expect(stored.totalAmount).toBe(order.totalAmount);
    expect(stored.lines.map((l) => [l.externalId, l.unitPrice, l.returnedQuantity])).toEqual([
      ['L1', 3500, 2],
      ['L2', 9000, 0],
    ]);
  });

  it('records a money change as an order event with its actor and time, and moves the payment with it', async () => {
    const tenantId = shop;
    const input = orderInput();
    const { order } = await h.services.orders.upsertOrder(tenantId, input);
    h.clock.advance(2 * HOUR);
    const repriced = structuredClone(input);
    repriced.lines[0]!.unitPrice = 3000;
    const actor = { type: 'staff' as const, id: 'usr_amender' };
    const { order: after } = await h.services.orders.upsertOrder(tenantId, repriced, actor);
    const newTotal = 2 * 3000 + 9000 + 500;
    expect(after.totalAmount).toBe(newTotal);
    expect(after.lines[0]!.id).toBe(order.lines[0]!.id);

    const events = await h.services.orders.listOrderEvents(tenantId, order.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.actor).toEqual(actor);
    expect(events[0]!.at).toBe(h.clock.now().toISOString());
    expect(events[0]!.changes).toEqual(
      expect.arrayContaining([
        { field: 'totalAmount', before: order.totalAmount, after: newTotal },
        { field: 'lines[L1].unitPrice', before: 3500, after: 3000 },
        // No capturedAmount in the body: the capture follows the total.
        { field: 'payment.capturedAmount', before: order.totalAmount, after: newTotal },
      ]),
    );
    expect(events[0]!.changes).toHaveLength(3);
    const withPayment = await h.services.orders.orderWithPayment(tenantId, order.id);
    expect(withPayment.payment?.capturedAmount).toBe(newTotal);
  });

  it('refuses a capture above the total and stores nothing', async () => {
    const tenantId = shop;
    const input = orderInput({ payment: { provider: 'manual', capturedAmount: 2 * 3500 + 9000 + 501 } });
    expect(await appError(h.services.orders.upsertOrder(tenantId, input))).toMatchObject({
      status: 422,
      code: 'invalid_order',
    });
    expect(await storedOrderCount(tenantId, input.externalId)).toBe(0);
  });
});

describe('listOrders', () => {
  /** A tenant with orders placed 1…n days before the start, imported in a shuffled order. */
  async function shopWithOrders(n: number) {
    const tenantId = await newTenant('Paging Shop');
    const ages = Array.from({ length: n }, (_, i) => i + 1).sort((a, b) => ((a * 3) % n) - ((b * 3) % n));
    const byAge = new Map<number, string>();
    for (const age of ages) {
      const placedAt = new Date(Date.parse(START) - age * 24 * HOUR).toISOString();
      const { order } = await h.services.orders.upsertOrder(
        tenantId,
        orderInput({ placedAt, deliveredAt: null }),
      );
      byAge.set(age, order.id);
    }
    const newestFirst = [...byAge.keys()].sort((a, b) => a - b).map((a) => byAge.get(a)!);
    return { tenantId, newestFirst };
  }

  async function allPages(tenantId: string, limit: number, q?: string) {
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await h.services.orders.listOrders(tenantId, { limit, ...(q ? { q } : {}), cursor });
      expect(page.data.length).toBeLessThanOrEqual(limit);
      ids.push(...page.data.map((o) => o.id));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    return { ids, pages };
  }

  it('pages newest placed first by cursor, every order once, and only the tenant’s own', async () => {
    const paging = await shopWithOrders(7);
    // An order of another tenant placed after all of them.
    await h.services.orders.upsertOrder(shop, orderInput({ placedAt: START, deliveredAt: null }));

    const { ids, pages } = await allPages(paging.tenantId, 3);
    expect(pages).toBe(Math.ceil(7 / 3));
    expect(ids).toEqual(paging.newestFirst);

    const [first] = (await h.services.orders.listOrders(paging.tenantId, { limit: 1 })).data;
    expect(first).toMatchObject({
      id: paging.newestFirst[0],
      currency: 'USD',
      totalAmount: 2 * 3500 + 9000 + 500,
    });
    expect(first!.customer.name).toBe('Test Buyer');
    expect(first).not.toHaveProperty('lines');
  });

  it('pages through orders placed at the same moment without skipping or repeating one', async () => {
    const tenantId = await newTenant('Same Day Shop');
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      const input = orderInput({ placedAt: START, deliveredAt: null });
      made.push((await h.services.orders.upsertOrder(tenantId, input)).order.id);
    }
    const { ids } = await allPages(tenantId, 2);
    // Ties on placedAt are broken by id, descending.
    expect(ids).toEqual([...made].sort().reverse());
  });

  it('finds an order by number in any case with or without #, or by part of the email or name', async () => {
    const tenantId = await newTenant('Search Shop');
    const a = (
      await h.services.orders.upsertOrder(
        tenantId,
        orderInput({ orderNumber: 'DG-7001', customer: { email: 'ana.lima@example.com', name: 'Ana Lima' } }),
      )
    ).order;
    const b = (
      await h.services.orders.upsertOrder(
        tenantId,
        orderInput({ orderNumber: '#7002', customer: { email: 'bo@shop.example', name: 'Bo Chen' } }),
      )
    ).order;
    const ids = async (q: string) =>
      (await h.services.orders.listOrders(tenantId, { q })).data.map((o) => o.id);
    expect(await ids('dg-7001')).toEqual([a.id]);
    expect(await ids('#DG-7001')).toEqual([a.id]);
    expect(await ids('7002')).toEqual([b.id]);
    expect(await ids('ANA.LIMA@')).toEqual([a.id]);
    expect(await ids('shop.example')).toEqual([b.id]);
    expect(await ids('bo chen')).toEqual([b.id]);
    // A typed wildcard is not a pattern: `_` does not stand for the dash.
    expect(await ids('dg_7001')).toEqual([]);
  });

  it('answers 400 invalid_cursor for a cursor it did not give out', async () => {
    const tenantId = shop;
    expect(await appError(h.services.orders.listOrders(tenantId, { cursor: 'not-a-cursor' }))).toMatchObject({
      status: 400,
      code: 'invalid_cursor',
    });
  });
});

describe('reading another tenant’s order', () => {
  it('is not found: 404 from every read that names the order, null from getOrder', async () => {
    const owner = shop;
    const { order } = await h.services.orders.upsertOrder(owner, orderInput({ orderNumber: 'X-1' }));

    expect(await h.services.orders.getOrder(stranger, order.id)).toBeNull();
    for (const read of [
      h.services.orders.requireOrder(stranger, order.id),
      h.services.orders.orderWithPayment(stranger, order.id),
      h.services.orders.listOrderEvents(stranger, order.id),
      h.services.orders.requireOrderByNumber(stranger, 'X-1'),
      h.services.orders.requireCustomer(stranger, order.customer.id),
    ]) {
      expect(await appError(read)).toMatchObject({ status: 404, code: 'not_found' });
    }
    expect((await h.services.orders.listOrders(stranger, {})).data).toEqual([]);
    expect((await h.services.orders.requireOrder(owner, order.id)).id).toBe(order.id);
  });
});

describe('findCustomerOrder', () => {
  it('finds the order by number (any case, with or without #) and email (any case, trimmed)', async () => {
    const tenantId = shop;
    const { order } = await h.services.orders.upsertOrder(
      tenantId,
      orderInput({ orderNumber: '#DG-2002', customer: { email: 'Mia@Example.com', name: 'Mia' } }),
    );
    const expected = { tenantId, id: order.id, customerId: order.customer.id };
    for (const number of ['#DG-2002', 'dg-2002', ' DG-2002 ']) {
      expect(await h.services.orders.findCustomerOrder(tenantId, number, '  MIA@example.COM ')).toEqual(
        expected,
      );
    }
    expect(
      await h.services.orders.findCustomerOrder(tenantId, 'DG-2002', 'someone@example.com'),
    ).toBeUndefined();
    expect(await h.services.orders.findCustomerOrder(tenantId, 'DG-2003', 'mia@example.com')).toBeUndefined();
    expect(await h.services.orders.findCustomerOrder(stranger, 'DG-2002', 'mia@example.com')).toBeUndefined();
  });

  it('finds nothing for a blank number, on either database, rather than failing', async () => {
    for (const blank of ['', '   ', '#'.slice(1)]) {
      expect(await h.services.orders.findCustomerOrder(shop, blank, 'mia@example.com')).toBeUndefined();
      await expect(h.services.orders.requireOrderByNumber(shop, blank)).rejects.toMatchObject({
        status: 404,
      });
    }
  });

  it('answers the newest of two orders with the same number and email', async () => {
    const tenantId = shop;
    const customer = { email: 'repeat@example.com', name: 'Repeat' };
    await h.services.orders.upsertOrder(tenantId, orderInput({ orderNumber: '5005', customer }));
    h.clock.advance(HOUR);
    const { order: newer } = await h.services.orders.upsertOrder(
      tenantId,
      orderInput({ orderNumber: '5005', customer }),
    );
    expect((await h.services.orders.findCustomerOrder(tenantId, '5005', customer.email))?.id).toBe(newer.id);
  });
});

describe('customerHistory', () => {
  it("counts a customer's orders, units bought and units returned, and nobody else's", async () => {
    const tenantId = shop;
    const customer = { email: 'history@example.com', name: 'History' };
    const first = await h.services.orders.upsertOrder(tenantId, orderInput({ customer }));
    await h.services.orders.upsertOrder(tenantId, orderInput({ customer, lines: [orderInput().lines[1]!] }));
    await h.services.orders.upsertOrder(tenantId, orderInput());
    const line = first.order.lines[0]!;
    expect(await h.services.orders.reserveQuantity(h.db, tenantId, line.id, 1)).toBe(true);
    // Two orders: a T-shirt (2) and a jacket (1), then a jacket (1).
    expect(await h.services.orders.customerHistory(h.db, tenantId, first.order.customer.id)).toEqual({
      orderCount: 2,
      unitsBought: 4,
      unitsReturned: 1,
    });
    expect(await h.services.orders.customerHistory(h.db, stranger, first.order.customer.id)).toEqual({
      orderCount: 0,
      unitsBought: 0,
      unitsReturned: 0,
    });
  });
});

describe('reserveQuantity and releaseQuantity', () => {
  const ops = fc.array(
    fc.oneof(
      fc.record({ op: fc.constant('reserve' as const), n: fc.integer({ min: 1, max: 6 }) }),
      fc.record({ op: fc.constant('release' as const), n: fc.integer({ min: 1, max: 6 }) }),
    ),
    { maxLength: 12 },
  );

  it('never lets reserved units exceed the units bought, whatever the sequence of reserves and releases', async () => {
    const tenantId = shop;
    const returned = async (lineId: string) =>
      (
        await h.db
          .selectFrom('orderLines')
          .select('returnedQuantity')
          .where('tenantId', '=', tenantId)
          .where('id', '=', lineId)
          .executeTakeFirstOrThrow()
      ).returnedQuantity;

    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), ops, async (bought, sequence) => {
        const input = orderInput();
        input.lines[0]!.quantity = bought;
        const { order } = await h.services.orders.upsertOrder(tenantId, input);
        const lineId = order.lines[0]!.id;
        let reserved = 0;
        for (const { op, n } of sequence) {
          if (op === 'reserve') {
            const ok = await h.services.orders.reserveQuantity(h.db, tenantId, lineId, n);
            expect(ok).toBe(reserved + n <= bought);
            if (ok) reserved += n;
          } else {
            // Callers give back only what they took.
            const k = Math.min(n, reserved);
            if (k === 0) continue;
            await h.services.orders.releaseQuantity(h.db, tenantId, lineId, k);
            reserved -= k;
          }
          expect(await returned(lineId)).toBe(reserved);
          expect(reserved).toBeLessThanOrEqual(bought);
        }
        const stored = await h.services.orders.requireOrder(tenantId, order.id);
        expect(stored.lines[0]!.returnableQuantity).toBe(bought - reserved);
      }),
      { numRuns: 40 },
    );
  });

  it('does not touch another tenant’s line', async () => {
    const owner = shop;
    const { order } = await h.services.orders.upsertOrder(owner, orderInput());
    const line = order.lines[0]!;
    expect(await h.services.orders.reserveQuantity(h.db, stranger, line.id, 1)).toBe(false);
    await h.services.orders.releaseQuantity(h.db, stranger, line.id, 1);
    expect((await h.services.orders.requireOrder(owner, order.id)).lines[0]!.returnedQuantity).toBe(0);
  });

  it('refuses, through the CHECK constraint, to release more than is reserved', async () => {
    const tenantId = shop;
    const { order } = await h.services.orders.upsertOrder(tenantId, orderInput());
    const line = order.lines[0]!;
    expect(await h.services.orders.reserveQuantity(h.db, tenantId, line.id, 1)).toBe(true);
    await expect(h.services.orders.releaseQuantity(h.db, tenantId, line.id, 2)).rejects.toThrow();
    expect((await h.services.orders.requireOrder(tenantId, order.id)).lines[0]!.returnedQuantity).toBe(1);
  });
});
