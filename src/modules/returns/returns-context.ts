import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { type Database, parseJson } from '../../platform/db/schema.ts';
import { newId } from '../../platform/ids.ts';
import type { OrdersService } from '../orders/service.ts';
import type { Decision } from '../policy/evaluate-policy.ts';
import { type ExplainItem, explainLocale, explainText } from '../policy/explain.ts';
import type { PolicyService } from '../policy/service.ts';
import { customerBreakdown } from '../refunds/refund-breakdown.ts';
import type { ResolvedQuote } from '../refunds/resolution-quote.ts';
import type { RefundsService } from '../refunds/service.ts';
import type { EvidenceService } from './evidence.ts';
import * as repo from './repo.ts';
import type { ReturnView } from './schemas.ts';
import type { StageRules } from './stage-rules.ts';
import { allowedActions, type ReturnStatus } from './state-machine.ts';

export type Executor = Kysely<Database>;

export type Actor = { type: 'customer' | 'staff' | 'api' | 'system'; id: string | null };

export type ReturnsDeps = {
  db: Db;
  clock: Clock;
  orders: OrdersService;
  policies: PolicyService;
  refunds: RefundsService;
  evidence: EvidenceService;
  /** The stage rules of tenants whose goods move through stages (purchasing agents). */
  stageRules: StageRules | null;
  publicUrl: () => string;
  /** The shop a return belongs to, named on its tracking page (the page's header and title). */
  shopOf?: (tenantId: string) => Promise<{ name: string; handle: string } | undefined>;
  /** Notification deliveries of a return, shown on its internal timeline. */
  deliveriesOfReturn?: (
    tenantId: string,
    returnId: string,
  ) => Promise<
    {
      id: string;
      event: string;
      channel: string;
      recipient: string;
      status: string;
      attempts: number;
      lastError: string | null;
      createdAt: string;
    }[]
  >;
  /** Who hears about a change: notifications inside its transaction, live updates after commit. */
  onChange?: ChangeHooks;
};

/** One committed change of a return, as the communication side sees it. */
export type ReturnChange = {
  tenantId: string;
  returnId: string;
  status: ReturnStatus;
  version: number;
  steps: EventInput[];
  /** The payout method when the change settled one (store credit reads differently). */
  method?: string;
  /**
   * Set when the change filed the return: the rows this transaction wrote, so that listeners
   * (the analytics facts) need not read them back.
   */
  created?: {
    row: NonNullable<repo.ReturnRow>;
    lines: {
      id: string;
      sku: string;
      category: string;
      reasonCode: string;
      quantity: number;
      refundAmount: number;
    }[];
    events: WrittenEvent[];
  };
};

/** A timeline event as appendEvents wrote it. */
export type WrittenEvent = {
  id: string;
  action: string;
  fromStatus: ReturnStatus | null;
  toStatus: ReturnStatus;
  actorType: Actor['type'];
  actorId: string | null;
  createdAt: string;
};

export type ChangeHooks = {
  inTransaction: (trx: Executor, change: ReturnChange) => Promise<void>;
  afterCommit: (change: ReturnChange) => void;
};

export type Fulfillment = NonNullable<ReturnView['fulfillment']>;

export type EventInput = {
  action: string;
  from: ReturnStatus | null;
  to: ReturnStatus;
  actor: Actor;
  note?: string | null;
  visibility?: 'customer' | 'internal';
  data?: unknown;
};

/** What every returns sub-flow shares: its deps, the timeline writer and the return's view. */
export function createReturnsContext(deps: ReturnsDeps) {
  /** Appends timeline events in one statement, in the given order (ids are monotonic). */
  async function appendEvents(
    ex: Executor,
    tenantId: string,
    returnId: string,
    events: EventInput[],
    at: string,
  ): Promise<WrittenEvent[]> {
    if (events.length === 0) return [];
    const rows = events.map((e) => ({
      tenantId,
      id: newId('evt'),
      returnId,
      action: e.action,
      fromStatus: e.from,
      toStatus: e.to,
      actorType: e.actor.type,
      actorId: e.actor.id,
      note: e.note ?? null,
      visibility: e.visibility ?? 'customer',
      data: e.data === undefined ? null : JSON.stringify(e.data),
      createdAt: at,
    }));
    await ex.insertInto('returnEvents').values(rows).execute();
    return rows;
  }

  const appendEvent = (ex: Executor, tenantId: string, returnId: string, e: EventInput, at: string) =>
    appendEvents(ex, tenantId, returnId, [e], at);

  async function view(ex: Executor, tenantId: string, id: string): Promise<ReturnView | null> {
    const row = await repo.findReturn(ex, tenantId, id);
    if (!row) return null;
    const lines = await repo.findReturnLines(ex, tenantId, id);
    const refund = await deps.refunds.refundOfReturn(tenantId, id, ex);
    const evidence = await deps.evidence.listForReturn(tenantId, id, ex);
    return viewFrom({ row, lines, refund: refund ?? null, evidence });
  }

  /** The view of a return from its rows, read or (for a return just filed) still in memory. */
  function viewFrom({ row: r, lines, refund, evidence }: ViewParts): ReturnView {
    const status = r.status as ReturnStatus;
    const returnless = r.returnless === 1;
    const fulfillment = r.fulfillment === null ? null : parseJson<Fulfillment>(r.fulfillment);
    return {
      id: r.id,
      rmaNumber: r.rmaNumber,
      orderId: r.orderId,
      customerId: r.customerId,
      status,
      resolution: r.resolution,
      returnless,
      decision: parseJson(r.decision),
      refundQuote: withBreakdown(parseJson<ResolvedQuote>(r.refundQuote), r.refundTotal),
      refundTotal: r.refundTotal,
      currency: r.currency,
      customerNote: r.customerNote,
      lines,
      shipment: r.shipment === null ? null : parseJson(r.shipment),
      refund,
      fulfillment,
      adjustment: r.adjustment === null ? null : parseJson(r.adjustment),
      evidence: evidence.map((e) => ({ ...e, url: `/api/v1/evidence/${e.id}` })),
      allowedActions: allowedActions(status, { returnless, fulfillment: fulfillment?.status ?? 'none' }),
      policyVersion: r.policyVersion,
      trackingToken: r.trackingToken,
      trackingUrl: `${deps.publicUrl()}/t/${r.trackingToken}`,
      version: r.version,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    };
  }

  return { deps, appendEvent, appendEvents, view, viewFrom };
}

export type ReturnsContext = ReturnType<typeof createReturnsContext>;

/** What a return's view is made of: its row, its lines (with their order lines), refund and photos. */
export type ViewParts = {
  row: NonNullable<repo.ReturnRow>;
  lines: Awaited<ReturnType<typeof repo.findReturnLines>>;
  refund: NonNullable<Awaited<ReturnType<RefundsService['refundOfReturn']>>> | null;
  evidence: Awaited<ReturnType<EvidenceService['listForReturn']>>;
};

/** The decision's sentences in the asked language, when they were stored as items; else as written. */
export function localized(
  decision: Pick<Decision, 'explanation'> & { explain?: ExplainItem[] },
  lang?: string,
): string[] {
  if (!decision.explain?.length || !lang) return decision.explanation;
  const locale = explainLocale(lang);
  return decision.explain.map((i) => explainText(i, locale));
}

/** The stored quote with the customer's breakdown beside it, for API answers. */
export function withBreakdown(q: ResolvedQuote, payout?: number) {
  return { ...q, breakdown: customerBreakdown(q, payout ?? q.payout.amount) };
}
