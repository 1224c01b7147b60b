import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import { notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { enqueue } from '../../platform/outbox.ts';
import type { OrdersService } from '../orders/service.ts';
import { DEFAULT_PURCHASING_AGENT_POLICY } from '../policy/purchasing-agent-policy.ts';
import type { PolicyService } from '../policy/service.ts';
import type { RefundsService } from '../refunds/service.ts';
import type { EvidenceService } from '../returns/evidence.ts';
import type { Actor, ReturnsService } from '../returns/service.ts';
import type { ReturnAction } from '../returns/state-machine.ts';
import { CLAIM_ACTIONS, CLAIM_FLOW } from './claim-flow.ts';
import { clocksFor, type LineStage, nextStages, stageOf, usualNextStages } from './stages.ts';

export type Executor = Kysely<Database>;

/** Outbox topics: an action the system takes on a return after a change, and a claim's clocks. */
export const SOURCING_FOLLOW_UP = 'sourcing.follow_up';
export const CLAIM_DEADLINE = 'sourcing.claim_deadline';

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

export type StageEvent = {
  fromStage: string | null;
  toStage: string;
  at: string;
  actor: string;
  note: string | null;
};

export const SYSTEM: Actor = { type: 'system', id: 'sourcing' };

/** What every sourcing sub-flow shares: the deps, the policy, and the line and claim rows with their views. */
export function createSourcingContext(deps: SourcingDeps) {
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
    deps,
    db,
    clock,
    paPolicy,
    lineRows,
    lineRow,
    lineView,
    stageHistory,
    moveLine,
    claimRow,
    claimView,
    currentStatus,
    claimEvent,
    followUp,
  };
}

export type SourcingContext = ReturnType<typeof createSourcingContext>;
