import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJson } from '../../platform/db/schema.ts';
import type { OutboxMessage } from '../../platform/outbox.ts';
import { type ServiceHarness, serviceHarness } from '../../testing/services.ts';
import type { Actor } from '../returns/service.ts';
import { CLAIM_DEADLINE, SOURCING_FOLLOW_UP } from './service.ts';
import { canMove, LINE_STAGES, type LineStage } from './stages.ts';

/**
 * The purchasing-agent service through the whole application's services: orders, returns and
 * the wallet through their own services, the outbox drained by hand (refunds, follow-ups, a
 * claim's warning and deadline) and time moved only by the fixed clock.
 */
const STAFF: Actor = { type: 'staff', id: 'usr_desk' };
const MINUTE = 60_000;
const DAY = 86_400_000;

let h: ServiceHarness;
beforeEach(async () => {
  h = await serviceHarness('2027-03-10T08:00:00.000Z');
});
afterEach(async () => {
  await h.close();
});

const ago = (ms: number) => new Date(h.clock.now().getTime() - ms).toISOString();
const fromNow = (ms: number) => new Date(h.clock.now().getTime() + ms).toISOString();

async function agentTenant(name = 'Cross-border Buyers') {
  const t = await h.services.identity.createTenant({ name, kind: 'purchasing_agent' });
  const [admin] = await h.services.identity.listUsers(t.tenantId);
  return { ...t, admin: admin! };
}

let seq = 0;

/**
 * A CNY order of a down jacket (one, 299.00) and three tea mugs (33.33 each) from two sellers,
 * with every kind of fee; the shared fees do not split evenly between the lines. Total 576.36.
 */
async function paOrder(tenantId: string) {
  seq += 1;
  const { order } = await h.services.orders.upsertOrder(tenantId, {
    externalId: `pa-${seq}`,
    orderNumber: `DG${1000 + seq}`,
    currency: 'CNY',
    placedAt: ago(20 * DAY),
    customer: { email: `buyer-${seq}@example.com`, name: 'Li Wei', displayCurrency: 'USD' },
    shippingAmount: 0,
    discountAmount: 0,
    taxAmount: 0,
    lines: [
      {
        externalId: 'A',
        sku: 'JACKET-M',
        title: 'Down jacket',
        category: 'apparel',
        quantity: 1,
        unitPrice: 29_900,
        discountAmount: 0,
        taxAmount: 0,
        seller: 'Hangzhou Down Co.',
        sellerOrderRef: 'TB-88001',
      },
      {
        externalId: 'B',
        sku: 'MUG-1',
        title: 'Tea mug',
        category: 'home',
        quantity: 3,
        unitPrice: 3_333,
        discountAmount: 0,
        taxAmount: 0,
        seller: 'Jingdezhen Kiln',
        sellerOrderRef: 'TB-88002',
      },
    ],
    fees: [
      { kind: 'domestic_shipping', amount: 1_000, lineExternalId: 'A' },
      { kind: 'domestic_shipping', amount: 800, lineExternalId: 'B' },
      { kind: 'service_fee', amount: 1_999 },
      { kind: 'international_shipping', amount: 12_001 },
      { kind: 'insurance', amount: 1_500 },
      { kind: 'payment_fee', amount: 437 },
    ],
  });
  return { ...order, jacket: order.lines[0]!.id, mugs: order.lines[1]!.id };
}

function setStage(tenantId: string, orderId: string, lineId: string, stage: LineStage, at?: string) {
  return h.services.sourcing.setStage(tenantId, orderId, lineId, { stage, ...(at ? { at } : {}) }, STAFF);
}

function fileReturn(
  tenantId: string,
  orderId: string,
  orderLineId: string,
  quantity: number,
  reasonCode: string,
) {
  return h.services.returns.requestReturn(
    tenantId,
    { orderId, resolution: 'refund', lines: [{ orderLineId, quantity, reasonCode }] },
    STAFF,
  );
}

async function claimsOf(tenantId: string, returnId: string) {
  return (await h.services.sourcing.listClaims(tenantId, { returnId, limit: 10 })).items;
}

async function eventsOf(tenantId: string, returnId: string) {
  return (await h.services.returns.listEvents(tenantId, returnId)).map((e: { action: string }) => e.action);
}

async function returnStatus(tenantId: string, returnId: string) {
  return (await h.services.returns.getReturn(tenantId, returnId)).status;
}

async function outboxOf(tenantId: string, topic: string) {
  const rows = await h.db
    .selectFrom('outbox')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('topic', '=', topic)
    .orderBy('availableAt')
    .execute();
  return rows.map((r) => ({
    ...r,
    message: { ...r, payload: parseJson<unknown>(r.payload) } as OutboxMessage,
  }));
}

function staffInbox(tenantId: string, userId: string) {
  return h.services.notify.inbox(tenantId, { type: 'user', id: userId });
}

describe('line stages', () => {
  it('move forward with their clocks, refuse a move back, a repeat, a future time and a foreign tenant', async () => {
    const t = await agentTenant();
    const o = await paOrder(t.tenantId);
    const purchased = await setStage(t.tenantId, o.id, o.jacket, 'purchased', ago(5 * DAY));
    expect(purchased).toMatchObject({
      stage: 'purchased',
      stageAt: ago(5 * DAY),
      domesticDeliveredAt: null,
      offer: null,
    });
    expect(purchased.nextStages).not.toContain('purchasing');
    // Skipping ahead is allowed (a scan on arrival); the arrival starts the seller's clock.
    const arrived = await setStage(t.tenantId, o.id, o.jacket, 'in_warehouse', ago(2 * DAY));
    expect(arrived).toMatchObject({ stage: 'in_warehouse', domesticDeliveredAt: ago(2 * DAY), qcAt: null });

    const back = setStage(t.tenantId, o.id, o.jacket, 'purchasing');
    await expect(back).rejects.toMatchObject({
      status: 409,
      code: 'illegal_stage',
      details: { stage: 'in_warehouse', nextStages: arrived.nextStages },
    });
    await expect(setStage(t.tenantId, o.id, o.jacket, 'in_warehouse')).rejects.toMatchObject({
      code: 'illegal_stage',
    });
    // Too late to cancel with the seller once the goods are in the warehouse.
    await expect(setStage(t.tenantId, o.id, o.jacket, 'cancelled')).rejects.toMatchObject({
      code: 'illegal_stage',
    });
    await expect(
      setStage(t.tenantId, o.id, o.jacket, 'qc_passed', fromNow(6 * MINUTE)),
    ).rejects.toMatchObject({
      status: 422,
      code: 'stage_in_future',
    });

    const passed = await setStage(t.tenantId, o.id, o.jacket, 'qc_passed');
    // Storage runs 90 days (the default policy) from the QC verdict.
    expect(passed).toMatchObject({
      qcAt: fromNow(0),
      storageExpiresAt: fromNow(90 * DAY),
      domesticDeliveredAt: ago(2 * DAY),
    });
    expect(passed.history.map((e) => [e.fromStage, e.toStage, e.actor])).toEqual([
      ['paid', 'purchased', 'staff:usr_desk'],
      ['purchased', 'in_warehouse', 'staff:usr_desk'],
      ['in_warehouse', 'qc_passed', 'staff:usr_desk'],
    ]);

    // A line cancelled before purchase is done: no move leads out.
    const cancelled = await setStage(t.tenantId, o.id, o.mugs, 'cancelled');
    expect(cancelled.nextStages).toEqual([]);
    await expect(setStage(t.tenantId, o.id, o.mugs, 'purchasing')).rejects.toMatchObject({
      code: 'illegal_stage',
    });

    const other = await agentTenant('Other Agent');
    await expect(setStage(other.tenantId, o.id, o.mugs, 'stored')).rejects.toMatchObject({ status: 404 });
    await expect(h.services.sourcing.orderStages(other.tenantId, o.id)).rejects.toMatchObject({
      status: 404,
    });
    const stages = await h.services.sourcing.orderStages(t.tenantId, o.id);
    expect(stages.lines.map((l) => l.stage)).toEqual(['qc_passed', 'cancelled']);
  });

  it('accepts exactly the moves the stage rules allow, and records each accepted one once', async () => {
    const t = await agentTenant();
    // qc_failed files a return as a side effect; its own test covers it.
    const stage = fc.constantFrom(...LINE_STAGES.filter((s) => s !== 'qc_failed'));
    await fc.assert(
      fc.asyncProperty(fc.array(stage, { minLength: 1, maxLength: 6 }), async (moves) => {
        const o = await paOrder(t.tenantId);
        let current: LineStage = 'paid';
        const accepted: [LineStage, LineStage][] = [];
        for (const to of moves) {
          const allowed = canMove(current, to);
          const result = await setStage(t.tenantId, o.id, o.jacket, to).then(
            (v) => v,
            (e: unknown) => e,
          );
          if (allowed) {
            expect(result).toMatchObject({ stage: to });
            accepted.push([current, to]);
            current = to;
          } else {
            expect(result).toMatchObject({ status: 409, code: 'illegal_stage', details: { stage: current } });
          }
        }
        const [line] = (await h.services.sourcing.orderStages(t.tenantId, o.id)).lines;
        expect(line!.stage).toBe(current);
        expect(line!.history.map((e) => [e.fromStage, e.toStage])).toEqual(accepted);
      }),
      { numRuns: 15 },
    );
  });

  it('a failed QC files a free return to the seller at once, and leads nowhere but back to the seller', async () => {
    const t = await agentTenant();
    const o = await paOrder(t.tenantId);
    await setStage(t.tenantId, o.id, o.mugs, 'in_warehouse', ago(DAY));
    const failed = await setStage(t.tenantId, o.id, o.mugs, 'qc_failed');
    expect(failed.nextStages).toEqual(['returned_to_seller']);
    expect(failed.offer).toEqual({ returnId: expect.any(String), rmaNumber: expect.any(String) });
    const ret = await h.services.returns.getReturn(t.tenantId, failed.offer!.returnId);
    expect(ret.lines).toEqual([expect.objectContaining({ orderLineId: o.mugs, quantity: 3 })]);
    // The seller's fault: they owe the goods and the domestic shipping back.
    const [claim] = await claimsOf(t.tenantId, ret.id);
    expect(claim).toMatchObject({ kind: 'return', status: 'draft', amountExpected: 9_999 + 800 });
    await expect(setStage(t.tenantId, o.id, o.mugs, 'qc_passed')).rejects.toMatchObject({
      code: 'illegal_stage',
    });
    expect((await setStage(t.tenantId, o.id, o.mugs, 'returned_to_seller')).stage).toBe('returned_to_seller');
  });
});

describe('a seller claim', () => {
  /** Two of the three mugs, in the warehouse since yesterday: back to the seller within 7 days. */
  async function returnToSeller(tenantId: string) {
    const o = await paOrder(tenantId);
    await setStage(tenantId, o.id, o.mugs, 'in_warehouse', ago(DAY));
    await setStage(tenantId, o.id, o.mugs, 'qc_passed', ago(DAY));
    const ret = await fileReturn(tenantId, o.id, o.mugs, 2, 'wrong_size');
    expect(ret.status).toBe('approved');
    const [claim] = await claimsOf(tenantId, ret.id);
    return { o, ret, claim: claim! };
  }

  it('is warned 48 hours before the seller deadline and expires at it, once each, telling staff', async () => {
    const t = await agentTenant();
    const { ret, claim } = await returnToSeller(t.tenantId);
    const deadline = fromNow(6 * DAY);
    expect(claim).toMatchObject({
      kind: 'return',
      status: 'draft',
      amountExpected: 6_666,
      deadlineAt: deadline,
      hoursLeft: 144,
    });
    expect((await outboxOf(t.tenantId, CLAIM_DEADLINE)).map((m) => [m.payload, m.availableAt])).toEqual([
      [JSON.stringify({ claimId: claim.id, step: 'warn' }), fromNow(4 * DAY)],
      [JSON.stringify({ claimId: claim.id, step: 'expire' }), deadline],
    ]);
    await h.drain();
    expect(await returnStatus(t.tenantId, ret.id)).toBe('refunded');

    h.clock.advance(4 * DAY - MINUTE);
    await h.drain();
    expect((await h.services.sourcing.getClaim(t.tenantId, claim.id)).warnedAt).toBeNull();
    expect((await staffInbox(t.tenantId, t.admin.id)).data).toEqual([]);

    h.clock.advance(MINUTE);
    await h.drain();
    const warned = await h.services.sourcing.getClaim(t.tenantId, claim.id);
    expect(warned).toMatchObject({ status: 'draft', warnedAt: fromNow(0), hoursLeft: 48 });
    const atRisk = await h.services.sourcing.listClaims(t.tenantId, { atRisk: true, limit: 10 });
    expect(atRisk.items.map((c) => c.id)).toEqual([claim.id]);
    const inbox = await staffInbox(t.tenantId, t.admin.id);
    expect(inbox.data.map((i) => i.title)).toEqual([
      'Seller claim at risk: Jingdezhen Kiln (order TB-88002)',
    ]);
    expect(inbox.data[0]!.url).toBe(`/console/returns/${ret.id}`);
    const emails = await h.db
      .selectFrom('deliveries')
      .select(['recipient', 'event', 'status'])
      .where('tenantId', '=', t.tenantId)
      .where('channel', '=', 'email')
      .where('event', '=', 'seller_claim_at_risk')
      .execute();
    expect(emails).toEqual([{ recipient: t.admin.email, event: 'seller_claim_at_risk', status: 'stored' }]);

    // A warning run twice (a worker that crashed after the commit) says nothing new; an expiry
    // that comes early does nothing before the deadline.
    const [warn, expire] = await outboxOf(t.tenantId, CLAIM_DEADLINE);
    await h.services.sourcing.handleClaimDeadline(warn!.message);
    await h.services.sourcing.handleClaimDeadline(expire!.message);
    expect(await h.services.sourcing.getClaim(t.tenantId, claim.id)).toEqual(warned);
    expect((await staffInbox(t.tenantId, t.admin.id)).data).toHaveLength(1);

    h.clock.advance(2 * DAY);
    await h.drain();
    const expired = await h.services.sourcing.getClaim(t.tenantId, claim.id);
    expect(expired).toMatchObject({
      status: 'expired',
      allowedActions: [],
      version: claim.version + 1,
      hoursLeft: 0,
    });
    await h.services.sourcing.handleClaimDeadline(expire!.message);
    const events = await eventsOf(t.tenantId, ret.id);
    expect(events.filter((e) => e.startsWith('seller_claim_'))).toEqual([
      'seller_claim_opened',
      'seller_claim_at_risk',
      'seller_claim_expired',
    ]);
    expect((await staffInbox(t.tenantId, t.admin.id)).data.map((i) => i.title)).toEqual([
      'Seller claim expired: Jingdezhen Kiln (order TB-88002)',
      'Seller claim at risk: Jingdezhen Kiln (order TB-88002)',
    ]);
    await expect(
      h.services.sourcing.actOnClaim(t.tenantId, claim.id, 'send', {}, STAFF),
    ).rejects.toMatchObject({
      status: 409,
      code: 'illegal_transition',
    });
    // Nothing more is expected from the seller; the refund stays paid out.
    expect(await h.services.sourcing.returnPosition(t.tenantId, ret.id)).toMatchObject({
      paidOut: 7_721,
      recovered: 0,
      pendingRecovery: 0,
      net: -7_721,
    });
  });

  it('is sent and refunded up to the amount claimed, refuses stale versions, and is not expired once settled', async () => {
    const t = await agentTenant();
    const { o, ret, claim } = await returnToSeller(t.tenantId);
    await h.drain();
    const sent = await h.services.sourcing.actOnClaim(t.tenantId, claim.id, 'send', {}, STAFF);
    expect(sent).toMatchObject({
      status: 'sent',
      version: 2,
      allowedActions: ['accept', 'refuse', 'refund', 'cancel'],
    });
    await expect(
      h.services.sourcing.actOnClaim(t.tenantId, claim.id, 'accept', { expectedVersion: 1 }, STAFF),
    ).rejects.toMatchObject({ status: 409, code: 'stale_claim' });
    await expect(
      h.services.sourcing.actOnClaim(t.tenantId, claim.id, 'refund', {}, STAFF),
    ).rejects.toMatchObject({
      status: 422,
      code: 'amount_required',
    });
    await expect(
      h.services.sourcing.actOnClaim(t.tenantId, claim.id, 'refund', { amountRecovered: 6_667 }, STAFF),
    ).rejects.toMatchObject({ status: 422, code: 'amount_exceeds_expected' });
    expect((await h.services.sourcing.getClaim(t.tenantId, claim.id)).version).toBe(2);

    const refunded = await h.services.sourcing.actOnClaim(
      t.tenantId,
      claim.id,
      'refund',
      { amountRecovered: 6_666, expectedVersion: 2, note: 'Paid on Taobao.' },
      STAFF,
    );
    expect(refunded).toMatchObject({
      status: 'refunded',
      amountRecovered: 6_666,
      version: 3,
      note: 'Paid on Taobao.',
    });
    const [, mugs] = (await h.services.sourcing.orderStages(t.tenantId, o.id)).lines;
    expect(mugs!.stage).toBe('returned_to_seller');
    expect(mugs!.history.at(-1)).toMatchObject({
      fromStage: 'qc_passed',
      toStage: 'returned_to_seller',
      actor: 'staff:usr_desk',
    });
    // 77.21 paid out to the wallet, 66.66 back from the seller.
    expect(await h.services.sourcing.returnPosition(t.tenantId, ret.id)).toMatchObject({
      paidOut: 7_721,
      recovered: 6_666,
      pendingRecovery: 0,
      net: -1_055,
      claims: 1,
    });
    const stats = await h.services.sourcing.sellerStats(t.tenantId, {});
    expect(stats.sellers.find((s: { seller: string }) => s.seller === 'Jingdezhen Kiln')).toMatchObject({
      won: 1,
      recovered: { CNY: 6_666 },
    });

    // Its warning and deadline come and go without a word.
    h.clock.advance(6 * DAY);
    await h.drain();
    expect(await h.services.sourcing.getClaim(t.tenantId, claim.id)).toMatchObject({
      status: 'refunded',
      warnedAt: null,
    });
    expect((await eventsOf(t.tenantId, ret.id)).filter((e) => e.startsWith('seller_claim_'))).toEqual([
      'seller_claim_opened',
      'seller_claim_sent',
      'seller_claim_refunded',
    ]);
    expect((await staffInbox(t.tenantId, t.admin.id)).data).toEqual([]);
  });

  it('for a cancellation, approves the waiting return once the seller accepts; a rejected return closes its claim', async () => {
    const t = await agentTenant();
    const o = await paOrder(t.tenantId);
    await setStage(t.tenantId, o.id, o.jacket, 'purchased', ago(DAY));
    const ret = await fileReturn(t.tenantId, o.id, o.jacket, 1, 'changed_mind');
    expect(ret.status).toBe('needs_review');
    const [claim] = await claimsOf(t.tenantId, ret.id);
    // The goods and the domestic shipping, which was never used.
    expect(claim).toMatchObject({
      kind: 'cancellation',
      status: 'draft',
      amountExpected: 29_900 + 1_000,
      deadlineAt: null,
    });
    expect(await outboxOf(t.tenantId, CLAIM_DEADLINE)).toEqual([]);
    await h.drain();
    expect(await returnStatus(t.tenantId, ret.id)).toBe('needs_review');

    await h.services.sourcing.actOnClaim(t.tenantId, claim!.id, 'send', {}, STAFF);
    await h.services.sourcing.actOnClaim(t.tenantId, claim!.id, 'accept', {}, STAFF);
    expect((await h.services.sourcing.orderStages(t.tenantId, o.id)).lines[0]!.stage).toBe('cancelled');
    // The approval is the system's next step, through the outbox.
    expect(await returnStatus(t.tenantId, ret.id)).toBe('needs_review');
    expect((await outboxOf(t.tenantId, SOURCING_FOLLOW_UP)).map((m) => m.dedupeKey)).toEqual([
      `${ret.id}:approve`,
    ]);
    await h.drain();
    expect(await returnStatus(t.tenantId, ret.id)).toBe('refunded');
    const followUps = await outboxOf(t.tenantId, SOURCING_FOLLOW_UP);
    expect(followUps.map((m) => [m.dedupeKey, m.status, m.lastError])).toEqual([
      [`${ret.id}:approve`, 'done', null],
      [`${ret.id}:refund`, 'done', null],
    ]);
    // A follow-up that comes again finds the work done, and says so without failing.
    expect(await h.services.sourcing.handleFollowUp(followUps[0]!.message)).toEqual({ outcome: 'done' });
    expect(await returnStatus(t.tenantId, ret.id)).toBe('refunded');

    const o2 = await paOrder(t.tenantId);
    await setStage(t.tenantId, o2.id, o2.jacket, 'purchased', ago(DAY));
    const ret2 = await fileReturn(t.tenantId, o2.id, o2.jacket, 1, 'changed_mind');
    await h.services.returnActions.performAction(
      t.tenantId,
      ret2.id,
      'reject',
      { note: 'Already shipped.' },
      STAFF,
    );
    const [closed] = await claimsOf(t.tenantId, ret2.id);
    expect(closed).toMatchObject({ status: 'cancelled', allowedActions: [], version: 2 });
  });

  it('is not found, listed, moved or expired through another tenant', async () => {
    const t = await agentTenant();
    const other = await agentTenant('Other Agent');
    const { ret, claim } = await returnToSeller(t.tenantId);
    await expect(h.services.sourcing.getClaim(other.tenantId, claim.id)).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      h.services.sourcing.actOnClaim(other.tenantId, claim.id, 'send', {}, STAFF),
    ).rejects.toMatchObject({
      status: 404,
    });
    expect(await claimsOf(other.tenantId, ret.id)).toEqual([]);
    await expect(h.services.sourcing.returnPosition(other.tenantId, ret.id)).rejects.toMatchObject({
      status: 404,
    });
    // A deadline message carrying another tenant's id touches nothing.
    const [, expire] = await outboxOf(t.tenantId, CLAIM_DEADLINE);
    h.clock.advance(6 * DAY);
    await h.services.sourcing.handleClaimDeadline({ ...expire!.message, tenantId: other.tenantId });
    expect(await h.services.sourcing.getClaim(t.tenantId, claim.id)).toMatchObject({
      status: 'draft',
      version: 1,
    });
  });
});

describe('the wallet', () => {
  it('gets back every minor unit of an order cancelled before purchase, and pays out withdrawals exactly', async () => {
    const t = await agentTenant();
    await h.services.wallet.putRates(t.tenantId, [
      { base: 'CNY', quote: 'USD', rate: '0.1387', rateDate: '2027-03-09', source: 'test' },
    ]);
    const o = await paOrder(t.tenantId);
    expect(o.totalAmount).toBe(57_636);
    const jacket = await fileReturn(t.tenantId, o.id, o.jacket, 1, 'changed_mind');
    const mugs = await fileReturn(t.tenantId, o.id, o.mugs, 3, 'changed_mind');
    for (const r of [jacket, mugs]) {
      expect(r.status).toBe('approved');
      const q = r.refundQuote!;
      expect(q.payout).toEqual({ method: 'store_credit', amount: q.total });
      // Nothing had been spent: every fee comes back, and the rows add up to the total.
      for (const row of q.sourcing!.itemised) expect(row.refunded, row.code).toBe(row.paid);
      expect(q.sourcing!.itemised.reduce((s, row) => s + row.refunded, 0)).toBe(q.total);
    }
    // The shared fees split by value with nothing lost or made up in the rounding.
    expect(jacket.refundQuote!.total + mugs.refundQuote!.total).toBe(57_636);

    await h.drain();
    expect(await returnStatus(t.tenantId, jacket.id)).toBe('refunded');
    expect(await returnStatus(t.tenantId, mugs.id)).toBe('refunded');
    const wallet = await h.services.wallet.wallet(t.tenantId, o.customer.id);
    // 576.36 CNY at 0.1387 is 79.941132 USD.
    expect(wallet.balances).toEqual([
      {
        currency: 'CNY',
        balance: 57_636,
        display: {
          base: 'CNY',
          quote: 'USD',
          rate: '0.1387',
          rateDate: '2027-03-09',
          amount: 57_636,
          converted: 7_994,
        },
      },
    ]);

    // 10.00 CNY is 1.387 USD: rounded to 1.39.
    const first = await h.services.wallet.withdraw(t.tenantId, o.customer.id, {
      amount: 1_000,
      currency: 'CNY',
    });
    expect(first).toMatchObject({
      amount: 1_000,
      status: 'requested',
      fx: { rate: '0.1387', amount: 1_000, converted: 139 },
    });
    const rest = await h.services.wallet.withdraw(t.tenantId, o.customer.id, {
      amount: 56_636,
      currency: 'CNY',
    });
    expect(rest.amount).toBe(56_636);
    await expect(
      h.services.wallet.withdraw(t.tenantId, o.customer.id, { amount: 1, currency: 'CNY' }),
    ).rejects.toMatchObject({ status: 422 });

    const after = await h.services.wallet.wallet(t.tenantId, o.customer.id);
    expect(after.balances.map((b) => [b.currency, b.balance])).toEqual([['CNY', 0]]);
    expect(after.entries.reduce((s, e) => s + e.amount, 0)).toBe(0);
    expect(after.entries.filter((e) => e.amount > 0).reduce((s, e) => s + e.amount, 0)).toBe(57_636);
    expect(after.withdrawals.map((w) => w.amount).sort((a, b) => a - b)).toEqual([1_000, 56_636]);

    expect(await h.services.wallet.markWithdrawalPaid(t.tenantId, first.id, 'bank-1')).toEqual({
      id: first.id,
      status: 'paid',
      reference: 'bank-1',
    });
    await expect(h.services.wallet.markWithdrawalPaid(t.tenantId, first.id, 'bank-1')).rejects.toMatchObject({
      status: 422,
      code: 'withdrawal_not_open',
    });
    const other = await agentTenant('Other Agent');
    await expect(h.services.wallet.wallet(other.tenantId, o.customer.id)).rejects.toMatchObject({
      status: 404,
    });
  });
});
