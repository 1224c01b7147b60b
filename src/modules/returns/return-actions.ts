import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { type Database, parseJson } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { linkIdempotentWrite } from '../../platform/idempotency-link.ts';
import { formatMoney } from '../../platform/money.ts';
import type { OrdersService } from '../orders/service.ts';
import type { ResolvedQuote } from '../refunds/resolution-quote.ts';
import type { RefundsService } from '../refunds/service.ts';
import { inspectReturn } from './inspect-return.ts';
import { createRefundFollowUp } from './refund-follow-up.ts';
import * as repo from './repo.ts';
import type { ActionBody, ReturnView } from './schemas.ts';
import type { Actor, ChangeHooks, EventInput, ReturnChange, ReturnsService } from './service.ts';
import { plan, type ReturnAction, type ReturnStatus, releasesQuantity } from './state-machine.ts';

type Executor = Kysely<Database>;
type Fulfillment = NonNullable<ReturnView['fulfillment']>;

const CUSTOMER_NOTES: Partial<Record<string, string>> = {
  approve: 'Your return was approved.',
  reject: 'Your return was not accepted.',
  cancel: 'The return was cancelled.',
  ship: 'Your parcel is on its way back to us.',
  receive: 'We have received your parcel.',
  inspect: 'Your items have been inspected.',
  ship_replacement: 'Your new items are on their way.',
  close: 'This return is complete.',
};

/** What a verb sees while it is applied: the locked return and the transition planned for it. */
type StepContext = {
  trx: Executor;
  tenantId: string;
  r: NonNullable<repo.ReturnRow>;
  body: ActionBody;
  actor: Actor;
  at: string;
  fulfillment: Fulfillment | null;
};

/** What a verb adds to its transition; the shared part (status, events, hooks) does the rest. */
type StepEffect = {
  changes?: repo.ReturnChanges;
  /** The data and note of the verb's own event (the first step). */
  data?: unknown;
  note?: string;
  /** Events after the verb's own, ending in `status` when given. */
  followedBy?: EventInput[];
  status?: ReturnStatus;
  /** A payout was handed to a provider: wake the refund worker after commit. */
  payoutStarted?: boolean;
};

type Verb = (ctx: StepContext) => StepEffect | Promise<StepEffect>;

/**
 * Moves a return through its verbs. Each verb (`approveReturn`, `shipReturn`, `inspectReturn`,
 * `refundReturn`, …) is the shared transition plus its own effect: plan with the state machine,
 * then, in one transaction, compare-and-set the status (a concurrent action loses with 409),
 * write each step's event and the verb's changes (decision, shipment, inspection, payout).
 */
export function createReturnActions(deps: {
  db: Db;
  clock: Clock;
  returns: ReturnsService;
  orders: OrdersService;
  refunds: RefundsService;
  onChange?: ChangeHooks;
}) {
  const { db, clock, returns } = deps;

  /** approve and reject: the agent's decision joins the policy's, with their note in every language. */
  const decide =
    (outcome: 'approved' | 'rejected'): Verb =>
    ({ r, body, actor, at }) => {
      const decision = parseJson<Record<string, unknown>>(r.decision);
      return {
        changes: {
          decision: JSON.stringify({
            ...decision,
            outcome,
            automatic: false,
            decidedBy: `${actor.type}:${actor.id ?? ''}`,
            decidedAt: at,
            explanation: [...(decision.explanation as string[]), ...(body.note ? [body.note] : [])],
            // The agent's words are kept as written in every language.
            explain: [
              ...((decision.explain as unknown[]) ?? []),
              ...(body.note ? [{ key: 'text', params: { text: body.note } }] : []),
            ],
          }),
          ...(outcome === 'rejected' ? { refundTotal: 0 } : {}),
        },
      };
    };

  const nothingMore: Verb = () => ({});

  const ship: Verb = ({ body, at }) => {
    const parcel = { carrier: body.carrier ?? null, trackingNumber: body.trackingNumber ?? null };
    return { changes: { shipment: JSON.stringify({ ...parcel, shippedAt: at }) }, data: parcel };
  };

  const shipReplacement: Verb = ({ body, at, fulfillment }) => {
    if (!fulfillment) return {};
    const parcel = { carrier: body.carrier ?? null, trackingNumber: body.trackingNumber ?? null };
    return {
      changes: {
        fulfillment: JSON.stringify({
          ...fulfillment,
          status: 'shipped',
          ...parcel,
          shippedAt: at,
        } satisfies Fulfillment),
      },
      data: { ...parcel, items: fulfillment.items },
    };
  };

  const inspect: Verb = async ({ trx, tenantId, r, body, actor, at }) => {
    const returned = await repo.findReturnLines(trx, tenantId, r.id);
    const inspection = inspectReturn(returned, parseJson<ResolvedQuote>(r.refundQuote), body, actor, at);
    await repo.recordInspection(trx, tenantId, inspection.lines);
    const money = formatMoney(inspection.payout, r.currency);
    return {
      changes: inspection.changes,
      data: inspection.data,
      ...(inspection.payout !== r.refundTotal && !body.note
        ? {
            note: inspection.adjustment
              ? `Your items have been inspected. ${inspection.adjustment.reason} The refund is now ${money}.`
              : `Your items have been inspected. Not everything could be accepted, so the refund is now ${money}.`,
          }
        : {}),
    };
  };

  /** Hands the payout to the refund engine; store credit and moneyless exchanges settle at once. */
  const refund: Verb = async ({ trx, tenantId, r, body }) => {
    const quote = parseJson<ResolvedQuote>(r.refundQuote);
    const start = await deps.refunds.startPayout(trx, {
      tenantId,
      returnId: r.id,
      orderId: r.orderId,
      customerId: r.customerId,
      quote: {
        ...quote,
        currency: body.currency ?? quote.currency,
        payout: { method: quote.payout?.method ?? 'original_payment', amount: r.refundTotal },
      },
    });
    const effect: StepEffect = {
      note: payoutNote(start.method, formatMoney(start.amount, r.currency), quote),
      data: { refundId: start.refundId, method: start.method, amount: start.amount, breakdown: quote },
    };
    if (start.status !== 'succeeded') return { ...effect, payoutStarted: true };
    return {
      ...effect,
      status: 'refunded',
      followedBy: [
        {
          action: 'refund_succeeded',
          from: 'refund_pending',
          to: 'refunded',
          actor: { type: 'system', id: start.method },
          note:
            start.method !== 'store_credit'
              ? 'Nothing to refund: your return is settled.'
              : quote.sourcing?.refundTo === 'wallet'
                ? `${formatMoney(start.amount, r.currency)} has been added to your wallet. Spend it on your next order, or withdraw it to your original payment method from this page.`
                : `${formatMoney(start.amount + quote.bonus, r.currency)} of store credit has been added to your account.`,
          data: { refundId: start.refundId, method: start.method, amount: start.amount, bonus: quote.bonus },
        },
      ],
    };
  };

  /** The transition every verb shares; `verb` adds what is particular to it. */
  async function transition(
    action: ReturnAction,
    verb: Verb,
    tenantId: string,
    id: string,
    body: ActionBody,
    actor: Actor,
  ): Promise<ReturnView> {
    let payoutStarted = false;
    let change: ReturnChange | null = null;
    await db.transaction().execute(async (trx) => {
      const r = await repo.lockReturn(trx, tenantId, id);
      if (!r) throw notFound('Return');
      await linkIdempotentWrite(trx, id);
      if (body.expectedVersion !== undefined && body.expectedVersion !== r.version) {
        throw new AppError(
          409,
          'stale_return',
          'This return changed since you loaded it; reload to see what changed.',
          { currentVersion: r.version, status: r.status },
        );
      }
      const status = r.status as ReturnStatus;
      const fulfillment = r.fulfillment === null ? null : parseJson<Fulfillment>(r.fulfillment);
      const facts = { returnless: r.returnless === 1, fulfillment: fulfillment?.status ?? ('none' as const) };
      const p = plan(status, action, facts);
      if (!p.ok) {
        const why =
          action === 'close' && status === 'refunded' && facts.fulfillment === 'pending'
            ? 'The replacement has not shipped yet, so the return cannot close.'
            : `A return that is ${status.replaceAll('_', ' ')} cannot be given "${action}".`;
        throw new AppError(409, 'illegal_transition', why, { status, allowedActions: p.allowed });
      }
      const at = clock.now().toISOString();
      const visibility = body.internal ? 'internal' : 'customer';
      const events: EventInput[] = p.steps.map((s) => ({
        action: s.action,
        from: s.from,
        to: s.to,
        actor: s.action === action ? actor : { type: 'system', id: null },
        note:
          s.action === action
            ? (body.note ?? CUSTOMER_NOTES[action] ?? null)
            : 'Return instructions were issued.',
        visibility: s.action === action ? visibility : 'customer',
      }));
      const planned = p.steps[p.steps.length - 1]!.to;
      // A return that ends before its parcel is back gives the quantity back to the order.
      if (releasesQuantity(planned) && !releasesQuantity(status)) {
        for (const l of await repo.findReturnLines(trx, tenantId, id)) {
          await deps.orders.releaseQuantity(trx, tenantId, l.orderLineId, l.quantity);
        }
      }
      const effect = await verb({ trx, tenantId, r, body, actor, at, fulfillment });
      if (effect.data !== undefined) events[0]!.data = effect.data;
      if (effect.note !== undefined) events[0]!.note = effect.note;
      events.push(...(effect.followedBy ?? []));
      const finalStatus = effect.status ?? planned;
      payoutStarted = effect.payoutStarted ?? false;

      if (
        !(await repo.compareAndSetStatus(
          trx,
          tenantId,
          id,
          status,
          finalStatus,
          r.version,
          at,
          effect.changes,
        ))
      ) {
        throw new AppError(
          409,
          'stale_return',
          'This return was changed by someone else at the same moment; reload and try again.',
        );
      }
      await returns.appendEvents(trx, tenantId, id, events, at);
      change = {
        tenantId,
        returnId: id,
        status: finalStatus,
        version: r.version + 1,
        steps: events,
        method: r.refundQuote ? payoutMethodOf(parseJson<ResolvedQuote>(r.refundQuote)) : undefined,
      };
      await deps.onChange?.inTransaction(trx, change);
    });
    const view = await returns.getReturn(tenantId, id);
    // Announced (and the worker woken) after the answer is read, so the answer shows the
    // change itself, not what the worker made of it a moment later.
    if (change) deps.onChange?.afterCommit(change);
    if (payoutStarted) deps.refunds.kick();
    return view;
  }

  type VerbCall = (tenantId: string, id: string, body: ActionBody, actor: Actor) => Promise<ReturnView>;
  const verb =
    (action: ReturnAction, effect: Verb): VerbCall =>
    (tenantId, id, body, actor) =>
      transition(action, effect, tenantId, id, body, actor);

  const verbs = {
    approveReturn: verb('approve', decide('approved')),
    rejectReturn: verb('reject', decide('rejected')),
    cancelReturn: verb('cancel', nothingMore),
    shipReturn: verb('ship', ship),
    receiveReturn: verb('receive', nothingMore),
    inspectReturn: verb('inspect', inspect),
    refundReturn: verb('refund', refund),
    shipReplacement: verb('ship_replacement', shipReplacement),
    closeReturn: verb('close', nothingMore),
  };
  const BY_ACTION: Record<ReturnAction, VerbCall> = {
    approve: verbs.approveReturn,
    reject: verbs.rejectReturn,
    cancel: verbs.cancelReturn,
    ship: verbs.shipReturn,
    receive: verbs.receiveReturn,
    inspect: verbs.inspectReturn,
    refund: verbs.refundReturn,
    ship_replacement: verbs.shipReplacement,
    close: verbs.closeReturn,
  };

  return {
    ...verbs,

    /**
     * The verb named by `action`, for callers that hold it as data: the HTTP route
     * `POST /returns/:id/actions/:action`, a support macro, the purchasing-agent rules.
     */
    performAction(
      tenantId: string,
      id: string,
      action: ReturnAction,
      body: ActionBody,
      actor: Actor,
    ): Promise<ReturnView> {
      return BY_ACTION[action](tenantId, id, body, actor);
    },

    // What the refund engine tells a return about its payout (refund-follow-up.ts).
    ...createRefundFollowUp({ clock, returns, onChange: deps.onChange }),
  };
}

/** Where the money goes, as customers know it: a purchasing agent's wallet is not store credit. */
function payoutMethodOf(q: ResolvedQuote): string | undefined {
  return q.payout?.method === 'store_credit' && q.sourcing?.refundTo === 'wallet'
    ? 'wallet'
    : q.payout?.method;
}

function payoutNote(method: string, money: string, quote: ResolvedQuote): string {
  if (method === 'store_credit' && quote.sourcing?.refundTo === 'wallet')
    return `${money} is being added to your wallet.`;
  if (method === 'store_credit') return `Store credit of ${money} is being issued.`;
  if (method === 'none')
    return quote.exchange ? 'Your exchange has been settled.' : 'Your return has been settled.';
  return `Refund of ${money} started.`;
}
