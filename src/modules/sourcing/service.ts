import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import { AppError, notFound, unprocessable } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { formatMoney } from '../../platform/money.ts';
import { enqueue, type HandlerResult, type OutboxMessage } from '../../platform/outbox.ts';
import type { OrdersService } from '../orders/service.ts';
import { DEFAULT_PURCHASING_AGENT_POLICY, type StageRoute } from '../policy/purchasing-agent-policy.ts';
import type { PolicyService } from '../policy/service.ts';
import type { RefundsService } from '../refunds/service.ts';
import type { EvidenceService } from '../returns/evidence.ts';
import type { Actor, ReturnChange, ReturnsService } from '../returns/service.ts';
import type { ReturnAction } from '../returns/state-machine.ts';
import { claimMessages, claimStandingEn, whenEn } from './claim-messages.ts';
import { OPEN_CLAIM_STATUSES, sellerDeadlineDue } from './queries.ts';
import { canMove, clocksFor, type LineStage, nextStages, stageOf, usualNextStages } from './stages.ts';
import type { SellerClaimsTable } from './tables.ts';

type Executor = Kysely<Database>;

/** Outbox topics: an action the system takes on a return after a change, and a claim's clocks. */
export const SOURCING_FOLLOW_UP = 'sourcing.follow_up';
export const CLAIM_DEADLINE = 'sourcing.claim_deadline';

export const CLAIM_ACTIONS = ['send', 'accept', 'refuse', 'refund', 'cancel'] as const;
export type ClaimAction = (typeof CLAIM_ACTIONS)[number];
type ClaimStatus = SellerClaimsTable['status'];

/** Where each claim action may start, and where it leads. */
const CLAIM_FLOW: Record<ClaimAction, { from: ClaimStatus[]; to: ClaimStatus }> = {
  send: { from: ['draft'], to: 'sent' },
  accept: { from: ['draft', 'sent'], to: 'accepted' },
  refuse: { from: ['draft', 'sent'], to: 'refused' },
  refund: { from: ['sent', 'accepted'], to: 'refunded' },
  cancel: { from: ['draft', 'sent'], to: 'cancelled' },
};
const OPEN: ClaimStatus[] = [...OPEN_CLAIM_STATUSES];
/** The return statuses `onReturnChange` acts on (claims opened, followed up or cancelled). */
const CLAIM_STATUSES: ReadonlySet<string> = new Set(['approved', 'needs_review', 'cancelled', 'rejected']);

/** Routes whose line goes back to (or is cancelled with) the seller: each gets a claim. */
const CLAIMED_ROUTES: StageRoute[] = ['seller_cancellation', 'return_to_seller', 'qc_failed_return'];

export type SourcingDeps = {
  db: Db;
  clock: Clock;
  policies: PolicyService;
  returns: ReturnsService;
  /** The warehouse's QC photos per line: a seller's claim says they are attached only if there are some. */
  linePhotoCounts: EvidenceService['linePhotoCounts'];
  /** The photos an evidence pack sends the seller. */
  claimPhotos: EvidenceService['claimPhotos'];
  /** What a return has paid out so far (its position against what sellers send back). */
  paidOut: RefundsService['paidOut'];
  /** An order must exist before its line stages are shown. */
  requireOrder: OrdersService['requireOrder'];
  /** Late-bound: the return actions are built after this service. */
  performAction: (
    tenantId: string,
    returnId: string,
    action: ReturnAction,
    body: { note?: string; internal?: boolean },
    actor: Actor,
  ) => Promise<unknown>;
  kick: () => void;
  /** Tells staff (inbox, email, webhook) that a claim is at risk or has expired; once per claim and step. */
  notifyClaim?: (tenantId: string, claim: ClaimSummary, step: 'at_risk' | 'expired') => Promise<void>;
};

/** What staff are told about a claim. */
export type ClaimSummary = {
  id: string;
  returnId: string;
  kind: string;
  seller: string;
  platformOrderRef: string | null;
  currency: string;
  amountExpected: number;
  deadlineAt: string | null;
  status: string;
};

type StageEvent = {
  fromStage: string | null;
  toStage: string;
  at: string;
  actor: string;
  note: string | null;
};

const SYSTEM: Actor = { type: 'system', id: 'sourcing' };

export function createSourcingService(deps: SourcingDeps) {
  const { db, clock } = deps;

  async function paPolicy(tenantId: string, ex: Executor = db) {
    const { policy } = await deps.policies.currentPolicy(tenantId, ex);
    return { policy, pa: policy.purchasingAgent ?? DEFAULT_PURCHASING_AGENT_POLICY };
  }

  /** An order's lines with their stage columns (one line when `lineId` is given), in order. */
  async function lineRows(ex: Executor, tenantId: string, orderId: string, lineId?: string) {
    let q = ex
      .selectFrom('orderLines')
      .select([
        'id',
        'orderId',
        'title',
        'sku',
        'quantity',
        'returnedQuantity',
        'seller',
        'sellerOrderRef',
        'stage',
        'stageAt',
        'domesticDeliveredAt',
        'qcAt',
        'storageExpiresAt',
      ])
      .where('tenantId', '=', tenantId)
      .where('orderId', '=', orderId);
    if (lineId) q = q.where('id', '=', lineId);
    return q.orderBy('position').execute();
  }

  async function lineRow(ex: Executor, tenantId: string, orderId: string, lineId: string) {
    return (await lineRows(ex, tenantId, orderId, lineId))[0];
  }

  function lineView(
    l: Awaited<ReturnType<typeof lineRows>>[number],
    history: StageEvent[] = [],
    returns: { id: string; rmaNumber: string; status: string }[] = [],
  ) {
    const stage = stageOf(l.stage);
    return {
      orderLineId: l.id,
      orderId: l.orderId,
      sku: l.sku,
      title: l.title,
      seller: l.seller,
      sellerOrderRef: l.sellerOrderRef,
      stage,
      stageAt: l.stageAt,
      domesticDeliveredAt: l.domesticDeliveredAt,
      qcAt: l.qcAt,
      storageExpiresAt: l.storageExpiresAt,
      nextStages: nextStages(stage),
      usualNextStages: usualNextStages(stage),
      history,
      returns,
    };
  }

  /** The stage history of some lines, oldest first, by line id: one query for any number. */
  async function stageHistory(ex: Executor, tenantId: string, lineIds: string[]) {
    const rows = lineIds.length
      ? await ex
          .selectFrom('lineStageEvents')
          .select(['orderLineId', 'fromStage', 'toStage', 'at', 'actor', 'note'])
          .where('tenantId', '=', tenantId)
          .where('orderLineId', 'in', lineIds)
          .orderBy('at')
          .orderBy('id')
          .execute()
      : [];
    const by = new Map<string, StageEvent[]>();
    for (const { orderLineId, ...e } of rows) {
      const list = by.get(orderLineId);
      if (list) list.push(e);
      else by.set(orderLineId, [e]);
    }
    return by;
  }

  /** Moves a line in a transaction of the caller's: the line's clocks and its history row. */
  async function moveLine(
    trx: Executor,
    tenantId: string,
    line: {
      id: string;
      orderId: string;
      stage: string | null;
      domesticDeliveredAt: string | null;
      qcAt: string | null;
    },
    to: LineStage,
    at: Date,
    actor: string,
    note: string | null,
    storageDays: number,
  ) {
    const from = stageOf(line.stage);
    const clocks = clocksFor(to, at, line, storageDays);
    await trx
      .updateTable('orderLines')
      .set({ stage: to, stageAt: at.toISOString(), ...clocks })
      .where('tenantId', '=', tenantId)
      .where('id', '=', line.id)
      .execute();
    await trx
      .insertInto('lineStageEvents')
      .values({
        tenantId,
        id: newId('lse'),
        orderId: line.orderId,
        orderLineId: line.id,
        fromStage: from,
        toStage: to,
        at: at.toISOString(),
        actor,
        note,
        createdAt: clock.now().toISOString(),
      })
      .execute();
  }

  async function claimRow(ex: Executor, tenantId: string, id: string) {
    return ex
      .selectFrom('sellerClaims')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  function claimView(c: Awaited<ReturnType<typeof claimRow>> & {}, now = clock.now()) {
    const msLeft = c.deadlineAt ? Date.parse(c.deadlineAt) - now.getTime() : null;
    return {
      id: c.id,
      returnId: c.returnId,
      orderId: c.orderId,
      orderLineId: c.orderLineId,
      kind: c.kind,
      seller: c.seller,
      platformOrderRef: c.platformOrderRef,
      currency: c.currency,
      amountExpected: c.amountExpected,
      amountRecovered: c.amountRecovered,
      deadlineAt: c.deadlineAt,
      hoursLeft: msLeft === null ? null : Math.floor(msLeft / 3_600_000),
      status: c.status,
      allowedActions: CLAIM_ACTIONS.filter((a) => CLAIM_FLOW[a].from.includes(c.status)),
      messages: { 'zh-CN': c.messageZh, en: c.messageEn },
      note: c.note,
      warnedAt: c.warnedAt,
      version: c.version,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    };
  }

  /** A claim per line that goes back to (or is cancelled with) its seller, once per return. */
  async function ensureClaims(trx: Executor, tenantId: string, returnId: string) {
    const r = await deps.returns.returnFacts(trx, tenantId, returnId);
    const quote = r?.quote;
    if (!r || !quote?.sourcing) return;
    const existing = await trx
      .selectFrom('sellerClaims')
      .select('orderLineId')
      .where('tenantId', '=', tenantId)
      .where('returnId', '=', returnId)
      .execute();
    const have = new Set(existing.map((e) => e.orderLineId));
    // The seller columns of an order line are this module's (migrations/0008-sourcing.ts).
    const sellerOf = new Map((await lineRows(trx, tenantId, r.orderId)).map((l) => [l.id, l]));
    const lines = r.lines.flatMap((l) => {
      const line = sellerOf.get(l.orderLineId);
      return line
        ? [
            {
              ...l,
              title: line.title,
              seller: line.seller,
              sellerOrderRef: line.sellerOrderRef,
              qcAt: line.qcAt,
            },
          ]
        : [];
    });
    const { policy, pa } = await paPolicy(tenantId, trx);
    const now = clock.now();
    const at = now.toISOString();
    const qcPhotos = await deps.linePhotoCounts(
      tenantId,
      r.orderId,
      lines.map((l) => l.orderLineId),
      trx,
    );
    for (const l of lines) {
      const stage = quote.sourcing.stages.find((s) => s.orderLineId === l.orderLineId);
      if (!stage?.route || !CLAIMED_ROUTES.includes(stage.route) || have.has(l.orderLineId)) continue;
      const kind = stage.route === 'seller_cancellation' ? 'cancellation' : 'return';
      const q = quote.lines.find((x) => x.orderLineId === l.orderLineId);
      const goods = q ? q.itemAmount - q.discount + q.tax : 0;
      const domestic = q?.charges?.find((c) => c.code === 'domestic_shipping')?.paid ?? 0;
      // The seller pays back the goods, and the domestic shipping when it was never used or
      // the fault is theirs.
      const amount = goods + (kind === 'cancellation' || stage.sellerFault ? domestic : 0);
      const deadlineAt = kind === 'return' ? stage.sellerDeadline : null;
      const reasonLabel = policy.reasons.find((x) => x.code === l.reasonCode)?.label ?? l.reasonCode;
      const messages = claimMessages({
        kind,
        platformOrderRef: l.sellerOrderRef,
        title: l.title,
        quantity: l.quantity,
        reasonCode: l.reasonCode,
        reasonLabel,
        amount,
        currency: r.currency,
        qcAt: l.qcAt,
        qcPhotos: qcPhotos.get(l.orderLineId) ?? 0,
        deadlineAt,
        sellerFault: stage.sellerFault,
      });
      const id = newId('clm');
      await trx
        .insertInto('sellerClaims')
        .values({
          tenantId,
          id,
          returnId,
          orderId: r.orderId,
          orderLineId: l.orderLineId,
          kind,
          seller: l.seller ?? 'unknown seller',
          platformOrderRef: l.sellerOrderRef,
          currency: r.currency,
          amountExpected: amount,
          deadlineAt,
          status: 'draft',
          messageEn: messages.en,
          messageZh: messages.zh,
          note: null,
          warnedAt: null,
          createdAt: at,
          updatedAt: at,
        })
        .execute();
      if (deadlineAt) {
        const warnAt = new Date(Date.parse(deadlineAt) - pa.claimWarningHours * 3_600_000);
        for (const [step, when] of [
          ['warn', warnAt < now ? now : warnAt],
          ['expire', new Date(deadlineAt)],
        ] as const) {
          await enqueue(
            trx,
            {
              tenantId,
              topic: CLAIM_DEADLINE,
              dedupeKey: `${id}:${step}`,
              payload: { claimId: id, step },
              availableAt: when.toISOString(),
            },
            now,
          );
        }
      }
      await deps.returns.appendEvent(
        trx,
        tenantId,
        returnId,
        {
          action: 'seller_claim_opened',
          from: null,
          to: (await currentStatus(trx, tenantId, returnId)) as never,
          actor: SYSTEM,
          note: `${kind === 'cancellation' ? 'Cancellation' : 'Return'} claim for ${formatMoney(amount, r.currency)} opened with ${l.seller ?? 'the seller'}${deadlineAt ? `; the seller's window ends ${deadlineAt.slice(0, 10)}` : ''}.`,
          visibility: 'internal',
          data: { claimId: id },
        },
        at,
      );
    }
  }

  async function currentStatus(ex: Executor, tenantId: string, returnId: string) {
    const r = await deps.returns.returnFacts(ex, tenantId, returnId);
    if (!r) throw notFound('Return');
    return r.status;
  }

  async function claimEvent(
    trx: Executor,
    tenantId: string,
    c: { id: string; returnId: string },
    action: string,
    note: string,
    actor: Actor,
  ) {
    await deps.returns.appendEvent(
      trx,
      tenantId,
      c.returnId,
      {
        action,
        from: null,
        to: (await currentStatus(trx, tenantId, c.returnId)) as never,
        actor,
        note,
        visibility: 'internal',
        data: { claimId: c.id },
      },
      clock.now().toISOString(),
    );
  }

  async function followUp(trx: Executor, tenantId: string, returnId: string, action: 'approve' | 'refund') {
    await enqueue(
      trx,
      {
        tenantId,
        topic: SOURCING_FOLLOW_UP,
        dedupeKey: `${returnId}:${action}`,
        payload: { returnId, action },
      },
      clock.now(),
    );
  }

  return {
    /**
     * Called in the transaction of every change of a return. For purchasing agents: opens the
     * seller claims of a decided return, queues the refund of an approved one (refunds go out at
     * approval: to the wallet by default), and closes the open claims of a cancelled or
     * rejected return.
     */
    async onReturnChange(trx: Executor, change: ReturnChange): Promise<void> {
      // Only a decision or an ending touches the claims; every other step costs nothing here.
      if (!CLAIM_STATUSES.has(change.status)) return;
      const r = await deps.returns.returnFacts(trx, change.tenantId, change.returnId);
      const sourcing = r?.quote?.sourcing;
      if (!r || !sourcing) return;
      if (change.status === 'approved' || change.status === 'needs_review') {
        await ensureClaims(trx, change.tenantId, change.returnId);
      }
      if (change.status === 'approved') {
        // A line cancelled before it was bought leaves the to-buy list at once: nobody may buy it
        // for a customer who has been refunded.
        const { pa } = await paPolicy(change.tenantId, trx);
        for (const st of sourcing.stages.filter((s) => s.route === 'cancel_before_purchase')) {
          const line = await lineRow(trx, change.tenantId, r.orderId, st.orderLineId);
          // Only when every unit is cancelled: the rest of a partly cancelled line is still to buy.
          if (!line || line.returnedQuantity < line.quantity || !canMove(stageOf(line.stage), 'cancelled'))
            continue;
          await moveLine(
            trx,
            change.tenantId,
            line,
            'cancelled',
            clock.now(),
            'system:sourcing',
            `Cancelled before purchase with return ${r.rmaNumber}.`,
            pa.storageDays,
          );
        }
      }
      if (change.status === 'approved') {
        await followUp(trx, change.tenantId, change.returnId, 'refund');
      }
      if (change.status === 'cancelled' || change.status === 'rejected') {
        await trx
          .updateTable('sellerClaims')
          .set((eb) => ({
            status: 'cancelled',
            updatedAt: clock.now().toISOString(),
            version: eb('version', '+', 1),
          }))
          .where('tenantId', '=', change.tenantId)
          .where('returnId', '=', change.returnId)
          .where('status', 'in', OPEN)
          .execute();
      }
    },

    /** Outbox handler: the system's next step on a return (approve after the seller agreed; refund). */
    async handleFollowUp(m: OutboxMessage): Promise<HandlerResult> {
      const { returnId, action } = m.payload as { returnId: string; action: 'approve' | 'refund' };
      try {
        await deps.performAction(m.tenantId, returnId, action, {}, SYSTEM);
      } catch (e) {
        // Someone got there first (an agent approved, the customer cancelled): nothing to do.
        if (e instanceof AppError && (e.status === 409 || e.status === 404)) return { outcome: 'done' };
        throw e;
      }
      return { outcome: 'done' };
    },

    /** Outbox handler: a claim's warning time or deadline has come. */
    async handleClaimDeadline(m: OutboxMessage): Promise<HandlerResult> {
      const { claimId, step } = m.payload as { claimId: string; step: 'warn' | 'expire' };
      let told: 'at_risk' | 'expired' | null = null;
      await db.transaction().execute(async (trx) => {
        const c = await claimRow(trx, m.tenantId, claimId);
        if (!c || !OPEN.includes(c.status) || !c.deadlineAt) return;
        const now = clock.now();
        if (step === 'warn' && !c.warnedAt) {
          await trx
            .updateTable('sellerClaims')
            .set({ warnedAt: now.toISOString() })
            .where('tenantId', '=', m.tenantId)
            .where('id', '=', claimId)
            .execute();
          await claimEvent(
            trx,
            m.tenantId,
            c,
            'seller_claim_at_risk',
            `The seller's window for this claim ends ${whenEn(c.deadlineAt)}; at this warning ${claimStandingEn(c.status)}.`,
            SYSTEM,
          );
          told = 'at_risk';
        }
        if (step === 'expire' && now.getTime() >= Date.parse(c.deadlineAt)) {
          await trx
            .updateTable('sellerClaims')
            .set((eb) => ({
              status: 'expired',
              updatedAt: now.toISOString(),
              version: eb('version', '+', 1),
            }))
            .where('tenantId', '=', m.tenantId)
            .where('id', '=', claimId)
            .where('status', 'in', OPEN)
            .execute();
          await claimEvent(
            trx,
            m.tenantId,
            c,
            'seller_claim_expired',
            `The seller's window closed on ${whenEn(c.deadlineAt)} before the claim was settled; ${formatMoney(c.amountExpected, c.currency)} can no longer be recovered from ${c.seller}.`,
            SYSTEM,
          );
          told = 'expired';
        }
      });
      // After the commit; a retry after a crash here repeats nothing (keyed per claim and step).
      if (told && deps.notifyClaim)
        await deps.notifyClaim(m.tenantId, await this.getClaim(m.tenantId, claimId), told);
      return { outcome: 'done' };
    },

    /** The lines of an order with their stages, clocks, history and the moves open to them. */
    async orderStages(tenantId: string, orderId: string) {
      await deps.requireOrder(tenantId, orderId);
      const lines = await lineRows(db, tenantId, orderId);
      const history = await stageHistory(
        db,
        tenantId,
        lines.map((l) => l.id),
      );
      const returns = await deps.returns.returnsByOrderLine(tenantId, orderId);
      return { orderId, lines: lines.map((l) => lineView(l, history.get(l.id), returns.get(l.id))) };
    },

    /**
     * Records that a line reached a stage (a purchase, a scan, a QC verdict). A failed QC files
     * a return for the line's remaining units at once, at no cost to the customer: the offer
     * they see on their tracking page (they may cancel it to keep the item).
     */
    async setStage(
      tenantId: string,
      orderId: string,
      lineId: string,
      input: { stage: LineStage; at?: string; note?: string },
      actor: Actor,
    ) {
      const { pa, policy } = await paPolicy(tenantId);
      const now = clock.now();
      const at = input.at ? new Date(input.at) : now;
      if (at.getTime() > now.getTime() + 5 * 60_000) {
        throw unprocessable('stage_in_future', 'A stage cannot be recorded for a time in the future.');
      }
      let offerFor: { quantity: number } | null = null;
      await db.transaction().execute(async (trx) => {
        const line = await lineRow(trx, tenantId, orderId, lineId);
        if (!line) throw notFound('Order line');
        const from = stageOf(line.stage);
        if (!canMove(from, input.stage)) {
          throw new AppError(
            409,
            'illegal_stage',
            `A line that is ${from.replaceAll('_', ' ')} cannot move to ${input.stage.replaceAll('_', ' ')}.`,
            { stage: from, nextStages: nextStages(from) },
          );
        }
        await moveLine(
          trx,
          tenantId,
          line,
          input.stage,
          at,
          `${actor.type}:${actor.id ?? ''}`,
          input.note ?? null,
          pa.storageDays,
        );
        const left = line.quantity - line.returnedQuantity;
        if (input.stage === 'qc_failed' && left > 0) offerFor = { quantity: left };
      });
      let offer: { returnId: string; rmaNumber: string } | null = null;
      const o = offerFor as { quantity: number } | null;
      if (o) {
        const reason =
          policy.reasons.find((r) => r.code === 'qc_failed') ?? policy.reasons.find((r) => r.merchantFault);
        if (reason) {
          const created = await deps.returns.requestReturn(
            tenantId,
            {
              orderId,
              lines: [
                {
                  orderLineId: lineId,
                  quantity: o.quantity,
                  reasonCode: reason.code,
                  note: input.note ?? 'Failed quality check in the warehouse.',
                },
              ],
              resolution: 'refund',
            },
            SYSTEM,
          );
          offer = { returnId: created.id, rmaNumber: created.rmaNumber };
        }
      }
      const l = (await lineRow(db, tenantId, orderId, lineId))!;
      const returns = (await deps.returns.returnsByOrderLine(tenantId, orderId)).get(lineId);
      return { ...lineView(l, (await stageHistory(db, tenantId, [lineId])).get(lineId), returns), offer };
    },

    async listClaims(
      tenantId: string,
      q: {
        status?: ClaimStatus;
        seller?: string;
        returnId?: string;
        atRisk?: boolean;
        limit: number;
        cursor?: string;
      },
    ) {
      const now = clock.now();
      let query = db.selectFrom('sellerClaims').selectAll().where('tenantId', '=', tenantId);
      if (q.status) query = query.where('status', '=', q.status);
      if (q.seller) query = query.where('seller', '=', q.seller);
      if (q.returnId) query = query.where('returnId', '=', q.returnId);
      if (q.atRisk) {
        const { pa } = await paPolicy(tenantId);
        query = query
          .where('status', 'in', OPEN)
          .where('deadlineAt', 'is not', null)
          .where(
            'deadlineAt',
            '<=',
            new Date(now.getTime() + pa.claimWarningHours * 3_600_000).toISOString(),
          );
      }
      if (q.cursor) query = query.where('id', '<', q.cursor);
      const rows = await query
        .orderBy('id', 'desc')
        .limit(q.limit + 1)
        .execute();
      const page = rows.slice(0, q.limit);
      return {
        items: page.map((c) => claimView(c, now)),
        nextCursor: rows.length > q.limit ? page[page.length - 1]!.id : null,
      };
    },

    async getClaim(tenantId: string, id: string) {
      const c = await claimRow(db, tenantId, id);
      if (!c) throw notFound('Claim');
      return claimView(c);
    },

    /**
     * Moves a claim: sent to the seller, accepted, refused, refunded (with the amount
     * recovered), cancelled. An accepted cancellation approves the waiting return (its refund
     * follows); a refunded return claim sends the line back to the seller in its history.
     */
    async actOnClaim(
      tenantId: string,
      id: string,
      action: ClaimAction,
      body: { amountRecovered?: number; note?: string; expectedVersion?: number },
      actor: Actor,
    ) {
      const { pa } = await paPolicy(tenantId);
      await db.transaction().execute(async (trx) => {
        const c = await claimRow(trx, tenantId, id);
        if (!c) throw notFound('Claim');
        if (body.expectedVersion !== undefined && body.expectedVersion !== c.version) {
          throw new AppError(
            409,
            'stale_claim',
            'This claim changed since you loaded it; reload to see what changed.',
            {
              currentVersion: c.version,
              status: c.status,
            },
          );
        }
        const flow = CLAIM_FLOW[action];
        if (!flow.from.includes(c.status)) {
          throw new AppError(
            409,
            'illegal_transition',
            `A claim that is ${c.status} cannot be given "${action}".`,
            {
              status: c.status,
              allowedActions: CLAIM_ACTIONS.filter((a) => CLAIM_FLOW[a].from.includes(c.status)),
            },
          );
        }
        let recovered = c.amountRecovered;
        if (action === 'refund') {
          if (body.amountRecovered === undefined) {
            throw unprocessable(
              'amount_required',
              'Say how much the seller refunded (amountRecovered, minor units).',
            );
          }
          if (body.amountRecovered > c.amountExpected) {
            throw unprocessable(
              'amount_exceeds_expected',
              `The seller refund of ${formatMoney(body.amountRecovered, c.currency)} is more than the ${formatMoney(c.amountExpected, c.currency)} claimed.`,
            );
          }
          recovered = body.amountRecovered;
        }
        const now = clock.now();
        const r = await trx
          .updateTable('sellerClaims')
          .set({
            status: flow.to,
            amountRecovered: recovered,
            note: body.note ?? c.note,
            updatedAt: now.toISOString(),
            version: c.version + 1,
          })
          .where('tenantId', '=', tenantId)
          .where('id', '=', id)
          .where('version', '=', c.version)
          .executeTakeFirst();
        if (r.numUpdatedRows !== 1n) {
          throw new AppError(
            409,
            'stale_claim',
            'This claim changed since you loaded it; reload to see what changed.',
          );
        }
        const money = formatMoney(recovered, c.currency);
        const words: Record<ClaimAction, string> = {
          send: `Claim sent to ${c.seller}.`,
          accept: `${c.seller} accepted the ${c.kind}.`,
          refuse: `${c.seller} refused the ${c.kind}.`,
          refund: `${c.seller} refunded ${money} of ${formatMoney(c.amountExpected, c.currency)}.`,
          cancel: 'Claim cancelled.',
        };
        await claimEvent(
          trx,
          tenantId,
          c,
          `seller_claim_${flow.to}`,
          body.note ? `${words[action]} ${body.note}` : words[action],
          actor,
        );
        const line = await lineRow(trx, tenantId, c.orderId, c.orderLineId);
        const stageActor = `${actor.type}:${actor.id ?? ''}`;
        if (action === 'accept' && c.kind === 'cancellation') {
          if (line && canMove(stageOf(line.stage), 'cancelled')) {
            await moveLine(
              trx,
              tenantId,
              line,
              'cancelled',
              now,
              stageActor,
              'Seller cancelled',
              pa.storageDays,
            );
          }
          if ((await currentStatus(trx, tenantId, c.returnId)) === 'needs_review') {
            await followUp(trx, tenantId, c.returnId, 'approve');
          }
        }
        if (
          action === 'refund' &&
          c.kind === 'return' &&
          line &&
          canMove(stageOf(line.stage), 'returned_to_seller')
        ) {
          await moveLine(
            trx,
            tenantId,
            line,
            'returned_to_seller',
            now,
            stageActor,
            'Returned to the seller',
            pa.storageDays,
          );
        }
      });
      deps.kick();
      return this.getClaim(tenantId, id);
    },

    /** What staff send the seller: the messages, the QC photos with their times, the order remarks. */
    async evidencePack(tenantId: string, id: string, photoUrl: (evidenceId: string) => string) {
      const claim = await this.getClaim(tenantId, id);
      const line = (await lineRow(db, tenantId, claim.orderId, claim.orderLineId))!;
      const photos = await deps.claimPhotos(tenantId, claim);
      const ret = await deps.returns.returnFacts(db, tenantId, claim.returnId);
      if (!ret) throw notFound('Return');
      const notes = ret.lines.filter((l) => l.orderLineId === claim.orderLineId);
      return {
        claim,
        line: lineView(line, (await stageHistory(db, tenantId, [line.id])).get(line.id)),
        rmaNumber: ret.rmaNumber,
        remarks: [ret.customerNote, ...notes.map((n) => n.note)].filter((x): x is string => !!x),
        photos: photos.map((p) => ({ ...p, url: photoUrl(p.id) })),
      };
    },

    /** The ids of the returns whose open seller claim is due soon, as a subquery for the console. */
    sellerDeadlineDue(tenantId: string, now: Date) {
      return sellerDeadlineDue(db, tenantId, now);
    },

    /**
     * What the console shows beside a purchasing agent's case: the order's line stages, the
     * return's seller claims, and the customer's abuse signals. Null for merchants.
     */
    async caseSummary(tenantId: string, ret: { id: string; orderId: string; customerId: string }) {
      const { policy } = await deps.policies.currentPolicy(tenantId);
      const pa = policy.purchasingAgent;
      if (!pa) return null;
      const [stages, claims, counts] = await Promise.all([
        this.orderStages(tenantId, ret.orderId),
        this.listClaims(tenantId, { returnId: ret.id, limit: 50 }),
        deps.returns.recentReturnCounts(tenantId, ret.customerId, pa.noReasonCodes, clock.now()),
      ]);
      return {
        lines: stages.lines,
        claims: claims.items,
        risk: {
          ...counts,
          freeReturnsPerMonth: pa.freeReturnsPerMonth ?? null,
          noReasonReviewThreshold: pa.noReasonReviewThreshold,
          frequentNoReason: counts.noReasonReturns90d >= pa.noReasonReviewThreshold,
        },
      };
    },

    /** Paid out to the customer vs recovered (and still expected) from sellers, per return. */
    async returnPosition(tenantId: string, returnId: string) {
      const r = await deps.returns.returnFacts(db, tenantId, returnId);
      if (!r) throw notFound('Return');
      const paidOut = await deps.paidOut(tenantId, returnId);
      const claims = await db
        .selectFrom('sellerClaims')
        .select(['status', 'amountExpected', 'amountRecovered'])
        .where('tenantId', '=', tenantId)
        .where('returnId', '=', returnId)
        .execute();
      const recovered = claims.reduce((s, c) => s + c.amountRecovered, 0);
      const pending = claims
        .filter((c) => c.status === 'draft' || c.status === 'sent' || c.status === 'accepted')
        .reduce((s, c) => s + c.amountExpected, 0);
      return {
        returnId,
        rmaNumber: r.rmaNumber,
        currency: r.currency,
        paidOut,
        recovered,
        pendingRecovery: pending,
        net: recovered - paidOut,
        claims: claims.length,
      };
    },

    /** Claims per seller: how many, how they ended, and what came back. */
    async sellerStats(tenantId: string, range: { from?: string; to?: string }) {
      let q = db
        .selectFrom('sellerClaims')
        .select(['seller', 'status', 'currency', 'amountExpected', 'amountRecovered'])
        .where('tenantId', '=', tenantId);
      if (range.from) q = q.where('createdAt', '>=', range.from);
      if (range.to) q = q.where('createdAt', '<', range.to);
      const rows = await q.execute();
      const by = new Map<
        string,
        {
          seller: string;
          claims: number;
          won: number;
          lost: number;
          open: number;
          expected: Record<string, number>;
          recovered: Record<string, number>;
        }
      >();
      for (const c of rows) {
        const s = by.get(c.seller) ?? {
          seller: c.seller,
          claims: 0,
          won: 0,
          lost: 0,
          open: 0,
          expected: {},
          recovered: {},
        };
        s.claims++;
        if (c.status === 'accepted' || c.status === 'refunded') s.won++;
        else if (c.status === 'refused' || c.status === 'expired') s.lost++;
        else if (c.status !== 'cancelled') s.open++;
        s.expected[c.currency] = (s.expected[c.currency] ?? 0) + c.amountExpected;
        s.recovered[c.currency] = (s.recovered[c.currency] ?? 0) + c.amountRecovered;
        by.set(c.seller, s);
      }
      return {
        sellers: [...by.values()]
          .map((s) => ({ ...s, successRate: s.won + s.lost === 0 ? null : s.won / (s.won + s.lost) }))
          .sort((a, b) => b.claims - a.claims || a.seller.localeCompare(b.seller)),
      };
    },
  };
}

export type SourcingService = ReturnType<typeof createSourcingService>;
