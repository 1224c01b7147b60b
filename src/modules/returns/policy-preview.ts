import type { Db } from '../../platform/db/database.ts';
import { parseJson } from '../../platform/db/schema.ts';
import type { OrdersService } from '../orders/service.ts';
import type { Policy } from '../policy/policy-schema.ts';
import type { PolicyService } from '../policy/service.ts';
import { amountReceived } from '../refunds/refund-breakdown.ts';
import { evaluateRequest } from './prepare-return.ts';
import * as repo from './repo.ts';
import type { StageRules } from './stage-rules.ts';
import { type ReturnStatus, releasesQuantity } from './state-machine.ts';

const DAY = 86_400_000;
const MAX_REPLAYED = 500;

type Outcome = 'approved' | 'needs_review' | 'rejected' | 'ineligible';

/**
 * "What would change": the returns of the last 90 days replayed under the current policy and
 * under a proposed one, each as of the moment it was requested, and compared. Both sides use the
 * same inputs (the customer's history as it is today), so the differences are the policy's alone.
 */
export async function previewPolicy(
  deps: { db: Db; orders: OrdersService; policies: PolicyService; stageRules: StageRules | null },
  tenantId: string,
  proposed: Policy,
  now: Date,
) {
  const { db } = deps;
  const since = new Date(now.getTime() - 90 * DAY).toISOString();
  const current = (await deps.policies.currentPolicy(tenantId)).policy;
  const rows = await db
    .selectFrom('returns')
    .select(['id', 'rmaNumber', 'orderId', 'customerId', 'status', 'resolution', 'exchange', 'createdAt'])
    .where('tenantId', '=', tenantId)
    .where('createdAt', '>=', since)
    .orderBy('createdAt', 'desc')
    .limit(MAX_REPLAYED)
    .execute();

  const counts = { before: zero(), after: zero() };
  const transitions = new Map<string, number>();
  const money = new Map<string, { before: number; after: number }>();
  const samples: {
    returnId: string;
    rmaNumber: string;
    before: Outcome;
    after: Outcome;
    beforeTotal: number;
    afterTotal: number;
    currency: string;
    /** What differs: the decision, what the customer receives, or both. */
    changes: ('decision' | 'amount')[];
  }[] = [];
  let changed = 0;
  // Returns whose decision stays the same but whose money changes (a new fee, a bigger bonus).
  let amountOnly = 0;

  for (const r of rows) {
    const order = await deps.orders.getOrder(tenantId, r.orderId);
    if (!order) continue;
    const lines = await repo.findReturnLines(db, tenantId, r.id);
    const evidence = await db
      .selectFrom('evidence')
      .select('orderLineId')
      .where('tenantId', '=', tenantId)
      .where('returnId', '=', r.id)
      .execute();
    const active = !releasesQuantity(r.status as ReturnStatus);
    // As the order stood when this return was asked for: its own units were still returnable.
    const asOrdered = {
      ...order,
      lines: order.lines.map((l) => {
        const mine = lines.filter((x) => x.orderLineId === l.id).reduce((a, x) => a + x.quantity, 0);
        const returned = Math.max(0, l.returnedQuantity - (active ? mine : 0));
        return { ...l, returnedQuantity: returned, returnableQuantity: l.quantity - returned };
      }),
    };
    const input = {
      resolution: r.resolution as never,
      lines: lines.map((l) => ({
        orderLineId: l.orderLineId,
        quantity: l.quantity,
        reasonCode: l.reasonCode,
        ...(evidence.some((e) => e.orderLineId === l.orderLineId) ? { evidenceIds: ['present'] } : {}),
      })),
      ...(r.exchange ? { exchange: { items: parseJson<{ items: never[] }>(r.exchange).items } } : {}),
    };
    const history = await deps.orders.customerHistory(db, tenantId, r.customerId);
    const customer = {
      orderCount: history.orderCount,
      returnCount: await repo.countCustomerReturns(db, tenantId, r.customerId),
      returnRate: history.unitsBought ? history.unitsReturned / history.unitsBought : 0,
    };
    const at = new Date(r.createdAt);
    const before = outcomeOf(evaluateRequest(current, asOrdered, input, customer, at, deps.stageRules));
    const after = outcomeOf(evaluateRequest(proposed, asOrdered, input, customer, at, deps.stageRules));
    counts.before[before.outcome] += 1;
    counts.after[after.outcome] += 1;
    const m = money.get(order.currency) ?? { before: 0, after: 0 };
    m.before += before.total;
    m.after += after.total;
    money.set(order.currency, m);
    const decisionChanged = before.outcome !== after.outcome;
    const amountChanged = before.total !== after.total;
    if (decisionChanged || amountChanged) {
      changed += 1;
      if (decisionChanged) {
        const key = `${before.outcome}→${after.outcome}`;
        transitions.set(key, (transitions.get(key) ?? 0) + 1);
      } else {
        amountOnly += 1;
      }
      if (samples.length < 25) {
        samples.push({
          returnId: r.id,
          rmaNumber: r.rmaNumber,
          before: before.outcome,
          after: after.outcome,
          beforeTotal: before.total,
          afterTotal: after.total,
          currency: order.currency,
          changes: [
            ...(decisionChanged ? ['decision' as const] : []),
            ...(amountChanged ? ['amount' as const] : []),
          ],
        });
      }
    }
  }
  return {
    window: { from: since, to: now.toISOString() },
    evaluated: rows.length,
    truncated: rows.length === MAX_REPLAYED,
    changed,
    amountOnly,
    outcomes: counts,
    transitions: [...transitions].map(([k, count]) => {
      const [from, to] = k.split('→');
      return { from: from!, to: to!, count };
    }),
    refunds: [...money].map(([currency, v]) => ({ currency, before: v.before, after: v.after })),
    samples,
  };
}

function zero(): Record<Outcome, number> {
  return { approved: 0, needs_review: 0, rejected: 0, ineligible: 0 };
}

function outcomeOf(e: ReturnType<typeof evaluateRequest>): { outcome: Outcome; total: number } {
  if (!e.decision || !e.quote) return { outcome: 'ineligible', total: 0 };
  // What the customer receives, bonus included: raising the store-credit bonus is a change too.
  return {
    outcome: e.decision.outcome,
    total: e.decision.outcome === 'rejected' ? 0 : amountReceived(e.quote),
  };
}
