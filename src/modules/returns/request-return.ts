import { AppError } from '../../platform/errors.ts';
import { linkIdempotentWrite } from '../../platform/idempotency-link.ts';
import { newId, newSecret } from '../../platform/ids.ts';
import { formatMoney } from '../../platform/money.ts';
import type { Decision } from '../policy/evaluate-policy.ts';
import { explainLocale, explainText } from '../policy/explain.ts';
import { amountReceived } from '../refunds/refund-breakdown.ts';
import type { ResolvedQuote } from '../refunds/resolution-quote.ts';
import { ineligibleDetails, prepareReturn } from './prepare-return.ts';
import * as repo from './repo.ts';
import {
  type Actor,
  type EventInput,
  type Fulfillment,
  localized,
  type ReturnChange,
  type ReturnsContext,
  type ViewParts,
  withBreakdown,
} from './returns-context.ts';
import type { ReturnRequest, ReturnView } from './schemas.ts';
import type { ReturnStatus } from './state-machine.ts';

/** Filing a return: what a request would get (quoteReturn), then the filing itself (requestReturn). */
export function createRequestReturn(ctx: ReturnsContext) {
  const { deps, appendEvents, viewFrom } = ctx;
  const { db, clock } = deps;

  return {
    /** What a request would get: eligibility per line, decision and refund quote. Writes nothing. */
    async quoteReturn(tenantId: string, input: ReturnRequest, lang?: string) {
      const p = await prepareReturn(db, deps, tenantId, input, clock.now());
      const locale = explainLocale(lang);
      return {
        eligible: p.assessment.eligible,
        lines: p.assessment.lines.map((l) => ({
          orderLineId: l.orderLineId,
          eligible: l.eligible,
          ...(l.code ? { code: l.code } : {}),
          ...(l.reason
            ? { reason: lang && l.reasonItem ? explainText(l.reasonItem, locale) : l.reason }
            : {}),
          windowEndsAt: l.windowEndsAt,
          returnableQuantity: p.evalLines.find((e) => e.orderLineId === l.orderLineId)!.remainingQuantity,
        })),
        decision: p.decision ? { ...p.decision, explanation: localized(p.decision, lang) } : null,
        refundQuote: p.quote && withBreakdown(p.quote),
        policyVersion: p.policyVersion,
      };
    },

    /**
     * Files a return: the policy decides at once, the units are reserved against the order
     * lines, and the return, its lines and its first events are written in one transaction.
     */
    async requestReturn(
      tenantId: string,
      input: ReturnRequest,
      actor: Actor,
      lang?: string,
    ): Promise<ReturnView> {
      let change: ReturnChange | null = null;
      const answer = await db.transaction().execute(async (trx) => {
        const now = clock.now();
        const at = now.toISOString();
        const p = await prepareReturn(trx, deps, tenantId, input, now);
        if (!p.assessment.eligible || !p.quote || !p.decision) {
          throw new AppError(
            422,
            'return_not_eligible',
            'Some items cannot be returned.',
            ineligibleDetails(p, lang),
          );
        }
        const { quote, decision } = p;
        const rejected = decision.outcome === 'rejected';
        if (!rejected) {
          for (const l of input.lines) {
            if (!(await deps.orders.reserveQuantity(trx, tenantId, l.orderLineId, l.quantity))) {
              // Another return took the units between our read and this write.
              throw new AppError(422, 'return_not_eligible', 'Some items cannot be returned.', {
                lines: [
                  {
                    orderLineId: l.orderLineId,
                    code: 'quantity_exceeds_remaining',
                    reason: 'Those units are already in another return.',
                  },
                ],
              });
            }
          }
        }
        const id = newId('ret');
        const status: ReturnStatus =
          decision.outcome === 'approved'
            ? decision.returnless
              ? 'approved'
              : 'awaiting_shipment'
            : decision.outcome === 'rejected'
              ? 'rejected'
              : 'needs_review';
        const values = {
          tenantId,
          id,
          rmaNumber: await repo.nextRmaNumber(trx, tenantId),
          orderId: p.order.id,
          customerId: p.order.customer.id,
          status,
          resolution: input.resolution ?? 'refund',
          returnless: decision.returnless ? 1 : 0,
          currency: quote.currency,
          refundTotal: rejected ? 0 : quote.payout.amount,
          decision: JSON.stringify({ ...decision, decidedBy: 'policy', decidedAt: at }),
          refundQuote: JSON.stringify(quote),
          customerNote: input.customerNote ?? null,
          trackingToken: newSecret(32),
          policyVersion: p.policyVersion,
          shipment: null,
          exchange: quote.exchange ? JSON.stringify(quote.exchange) : null,
          fulfillment: needsFulfillment(input.resolution ?? 'refund')
            ? JSON.stringify(fulfillmentFor(quote, p.evalLines))
            : null,
          adjustment: null,
          quotaCounted: p.assessment.countsTowardQuota === false ? 0 : 1,
          locale: lang ? explainLocale(lang) : null,
          createdAt: at,
          updatedAt: at,
        };
        await trx.insertInto('returns').values(values).execute();
        // The row as a read would give it (JSON columns as their text, the version as defaulted).
        const row: ViewParts['row'] = { ...values, version: 1 };
        const lineRows = input.lines.map((l, position) => ({
          tenantId,
          id: newId('rli'),
          returnId: id,
          orderLineId: l.orderLineId,
          position,
          quantity: l.quantity,
          reasonCode: l.reasonCode,
          note: l.note ?? null,
          refundAmount: quote.lines.find((q) => q.orderLineId === l.orderLineId)!.total,
          acceptedQuantity: null,
          condition: null,
        }));
        await trx.insertInto('returnLines').values(lineRows).execute();
        await deps.evidence.attach(trx, tenantId, p.order.id, id, input.lines);
        const steps = decisionEvents(status, decision, quote, actor);
        const events = await appendEvents(trx, tenantId, id, steps, at);
        await linkIdempotentWrite(trx, id);
        const orderLine = (lineId: string) => p.order.lines.find((ol) => ol.id === lineId)!;
        const lines = lineRows.map((l) => {
          const ol = orderLine(l.orderLineId);
          return { ...l, sku: ol.sku, title: ol.title, category: ol.category, lineStage: ol.stage };
        });
        change = { tenantId, returnId: id, status, version: 1, steps, created: { row, lines, events } };
        await deps.onChange?.inTransaction(trx, change);
        // The answer from what this transaction wrote: nothing to read back but attached photos.
        const withPhotos = input.lines.some((l) => l.evidenceIds?.length);
        return viewFrom({
          row,
          lines: lines.map(({ tenantId: _t, returnId: _r, position: _p, category: _c, ...l }) => l),
          refund: null,
          evidence: withPhotos ? await deps.evidence.listForReturn(tenantId, id, trx) : [],
        });
      });
      if (change) deps.onChange?.afterCommit(change);
      return answer;
    },
  };
}

function needsFulfillment(resolution: string): boolean {
  return resolution === 'exchange' || resolution === 'replacement' || resolution === 'repair';
}

/** What goes back to the customer: the new items of an exchange, else the returned items themselves. */
function fulfillmentFor(
  quote: ResolvedQuote,
  lines: { sku: string; title: string; quantity: number }[],
): Fulfillment {
  const items = quote.exchange
    ? quote.exchange.items.map((i) => ({ sku: i.sku, title: i.title, quantity: i.quantity }))
    : lines.map((l) => ({ sku: l.sku, title: l.title, quantity: l.quantity }));
  return { status: 'pending', items, carrier: null, trackingNumber: null, shippedAt: null };
}

function decisionEvents(
  status: ReturnStatus,
  decision: Decision,
  quote: ResolvedQuote,
  actor: Actor,
): EventInput[] {
  const system: Actor = { type: 'system', id: 'policy' };
  const events: EventInput[] = [
    {
      action: 'request',
      from: null,
      to: 'submitted',
      actor,
      note: 'Return requested.',
      data: {
        resolution: quote.resolution,
        refundQuote: quote.total,
        payout: quote.payout,
        bonus: quote.bonus,
      },
    },
  ];
  const why = decision.explanation.join(' ');
  if (decision.outcome === 'rejected') {
    events.push({
      action: 'reject',
      from: 'submitted',
      to: 'rejected',
      actor: system,
      note: why,
      data: { rules: decision.rules },
    });
  } else if (decision.outcome === 'needs_review') {
    events.push({
      action: 'review',
      from: 'submitted',
      to: 'needs_review',
      actor: system,
      note: why,
      data: { rules: decision.rules },
    });
  } else {
    events.push({
      action: 'approve',
      from: 'submitted',
      to: 'approved',
      actor: system,
      note: why,
      data: { rules: decision.rules },
    });
    if (status === 'awaiting_shipment') {
      events.push({
        action: 'issue_instructions',
        from: 'approved',
        to: 'awaiting_shipment',
        actor: system,
        note: instructionsNote(quote),
      });
    }
  }
  return events;
}

function instructionsNote(quote: ResolvedQuote): string {
  const money = (n: number) => formatMoney(n, quote.currency);
  switch (quote.resolution) {
    case 'store_credit':
      return `Please send the items back. Your store credit of ${money(amountReceived(quote))} follows once they are inspected.`;
    case 'exchange':
      return 'Please send the items back. Your new items ship once the return is inspected.';
    case 'replacement':
    case 'repair':
      return 'Please send the items back. We will send them back to you replaced or repaired.';
    default:
      return `Please send the items back. Your refund of ${money(quote.payout.amount)} follows once they are inspected.`;
  }
}
