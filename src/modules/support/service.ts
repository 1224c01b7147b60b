import type { Clock } from '../../platform/clock.ts';
import { spreadsheetCsv } from '../../platform/csv.ts';
import { AppError } from '../../platform/errors.ts';
import { currencyExponent, formatMoneyFor, minorToDecimalString } from '../../platform/money.ts';
import type { OrdersService } from '../orders/service.ts';
import { type Policy, validatePolicy } from '../policy/policy-schema.ts';
import { liveChannel } from '../realtime/channels.ts';
import type { Realtime } from '../realtime/hub.ts';
import type { Queue } from '../returns/console-queue.ts';
import type { createReturnActions } from '../returns/return-actions.ts';
import { type Actor, type ConsoleQueries, localized, type ReturnsService } from '../returns/service.ts';
import { type Macros, renderMacro } from './macros.ts';

/** The most rows one CSV export carries: a spreadsheet's worth, read in one query. */
export const EXPORT_LIMIT = 10_000;
type QueueRow = Awaited<ReturnType<ConsoleQueries['list']>>['data'][number];
/** The CSV's columns and how each is read: money as a decimal of the currency (12.50, not 1250), times in UTC. */
const EXPORT_COLUMNS: [string, (r: QueueRow) => unknown][] = [
  ['rmaNumber', (r) => r.rmaNumber],
  ['status', (r) => r.status],
  ['resolution', (r) => r.resolution],
  ['orderNumber', (r) => r.orderNumber],
  ['customerName', (r) => r.customerName],
  ['customerEmail', (r) => r.customerEmail],
  ['currency', (r) => r.currency],
  ['refund', (r) => minorToDecimalString(Number(r.customerTotal), currencyExponent(r.currency))],
  ['refundStatus', (r) => r.refundStatus],
  ['createdAt', (r) => r.createdAt],
  ['updatedAt', (r) => r.updatedAt],
  ['slaDueAt', (r) => r.sla?.dueAt ?? ''],
  ['slaState', (r) => r.sla?.state ?? ''],
];

export type MacroInput = { name: string; body: string; action?: string | null };

export type SupportDeps = {
  clock: Clock;
  consoleQueries: Pick<ConsoleQueries, 'counts' | 'list' | 'customerHistory'>;
  returns: Pick<ReturnsService, 'getReturn' | 'listEvents' | 'addNote' | 'sendMessage'>;
  actions: Pick<ReturnType<typeof createReturnActions>, 'performAction'>;
  orders: Pick<OrdersService, 'orderWithPayment' | 'requireCustomer' | 'getOrder'>;
  macros: Macros;
  realtime: Realtime;
  userName: (tenantId: string, userId: string) => Promise<string | null>;
  previewPolicy: (tenantId: string, policy: Policy, now: Date) => Promise<unknown>;
  /** Purchasing agents: line stages, seller claims and abuse signals beside the case (null for merchants). */
  sourcingOf: (
    tenantId: string,
    ret: { id: string; orderId: string; customerId: string },
  ) => Promise<unknown | null>;
};

/** The agent console: queues and cases, notes, bulk decisions, saved replies (macros) and presence. */
export function createSupportService(deps: SupportDeps) {
  const { clock, consoleQueries, returns, actions, macros } = deps;

  /** A macro's text with this return's values filled in, and the decision it carries. */
  async function fillMacro(tenantId: string, returnId: string, macroId: string, actor: Actor) {
    const macro = await macros.get(tenantId, macroId);
    const ret = await returns.getReturn(tenantId, returnId);
    const order = await deps.orders.getOrder(tenantId, ret.orderId);
    const customer = await deps.orders.requireCustomer(tenantId, ret.customerId);
    const agentName =
      actor.type === 'staff' && actor.id ? ((await deps.userName(tenantId, actor.id)) ?? '') : '';
    const message = renderMacro(macro.body, {
      customerName: customer.name || customer.email.split('@')[0]!,
      rmaNumber: ret.rmaNumber,
      orderNumber: order?.orderNumber ?? '',
      // As every page shows money ("$104.07"), not the code-first form of internal notes.
      refundAmount: formatMoneyFor(ret.refundQuote.breakdown?.total ?? ret.refundTotal, ret.currency, 'en'),
      status: ret.status.replaceAll('_', ' '),
      agentName,
    });
    return { macro, ret, message };
  }

  return {
    /** The last 90 days of returns replayed under the current and a proposed policy. */
    async previewPolicy(tenantId: string, policy: Policy) {
      const problems = validatePolicy(policy);
      if (problems.length)
        throw new AppError(
          422,
          'invalid_policy',
          `The policy is not valid: ${problems[0]!.path} ${problems[0]!.message}.`,
          problems,
        );
      return deps.previewPolicy(tenantId, policy, clock.now());
    },

    /** How many returns wait in each queue. */
    queueCounts: (tenantId: string) => consoleQueries.counts(tenantId, clock.now()),

    /** One page of a queue or search. */
    listQueue: (tenantId: string, query: { queue: Queue; limit: number; q?: string; cursor?: string }) =>
      consoleQueries.list(tenantId, query, clock.now()),

    /** A queue or search as CSV, in the list's order, at most EXPORT_LIMIT rows (`truncated` when cut short). */
    async exportQueue(tenantId: string, query: { queue: Queue; q?: string }) {
      const now = clock.now();
      // The list's own query and order, in one page as long as the limit.
      const { data, nextCursor } = await consoleQueries.list(
        tenantId,
        { queue: query.queue, limit: EXPORT_LIMIT, ...(query.q ? { q: query.q } : {}) },
        now,
      );
      const csv = spreadsheetCsv(
        data.map((r) => Object.fromEntries(EXPORT_COLUMNS.map(([name, read]) => [name, read(r)]))),
        EXPORT_COLUMNS.map(([name]) => name),
      );
      return {
        csv,
        fileName: `returns-${query.queue}-${now.toISOString().slice(0, 10)}.csv`,
        truncated: nextCursor !== null,
      };
    },

    /** Everything about one case; the policy decision explained in `lang` when given. */
    async getCase(tenantId: string, id: string, lang?: string) {
      const ret = await returns.getReturn(tenantId, id);
      const [order, customer, history, events, sourcing] = await Promise.all([
        deps.orders.orderWithPayment(tenantId, ret.orderId),
        deps.orders.requireCustomer(tenantId, ret.customerId),
        consoleQueries.customerHistory(tenantId, ret.customerId),
        returns.listEvents(tenantId, ret.id, ret),
        deps.sourcingOf(tenantId, ret),
      ]);
      const decision =
        ret.decision && lang ? { ...ret.decision, explanation: localized(ret.decision, lang) } : ret.decision;
      return { return: { ...ret, decision }, order, customer: { ...customer, history }, events, sourcing };
    },

    /** A case's timeline. */
    listEvents: (tenantId: string, id: string) => returns.listEvents(tenantId, id),

    /** An internal note (staff only); answers with the timeline. */
    addNote: (tenantId: string, id: string, note: string, actor: Actor) =>
      returns.addNote(tenantId, id, note, actor),

    /** Approves or rejects several returns; each answers for itself. */
    async decideReturns(
      tenantId: string,
      input: { ids: string[]; action: 'approve' | 'reject'; note?: string },
      actor: Actor,
    ) {
      if (input.action === 'reject' && !input.note?.trim()) {
        throw new AppError(422, 'reason_required', 'Say why they are rejected: the customers read it.');
      }
      const results: {
        id: string;
        ok: boolean;
        status?: string;
        error?: { code: string; message: string };
      }[] = [];
      // One transaction per return: a refused one (already decided, another tenant's) does not undo the others.
      for (const id of input.ids) {
        try {
          const r = await actions.performAction(
            tenantId,
            id,
            input.action,
            input.note ? { note: input.note } : {},
            actor,
          );
          results.push({ id, ok: true, status: r.status });
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          results.push({ id, ok: false, error: { code: e.code, message: e.message } });
        }
      }
      return { results };
    },

    listMacros: (tenantId: string) => macros.list(tenantId),
    createMacro: (tenantId: string, input: MacroInput) => macros.create(tenantId, input),
    updateMacro: (tenantId: string, id: string, input: MacroInput) => macros.update(tenantId, id, input),
    removeMacro: (tenantId: string, id: string) => macros.remove(tenantId, id),

    /** A macro's text filled in for a return and the decision it would make: nothing is sent. */
    async previewMacro(tenantId: string, returnId: string, macroId: string, actor: Actor) {
      const { macro, ret, message } = await fillMacro(tenantId, returnId, macroId, actor);
      const action = macro.action === 'approve' || macro.action === 'reject' ? macro.action : null;
      return { message, action, allowed: action === null || ret.allowedActions.includes(action) };
    },

    /** A macro's decision first (if any), then its message (or the agent's edit of it) to the customer. */
    async applyMacro(
      tenantId: string,
      returnId: string,
      input: { macroId: string; expectedVersion?: number; message?: string },
      actor: Actor,
    ) {
      const { macro, ret, message: filled } = await fillMacro(tenantId, returnId, input.macroId, actor);
      // The agent's edit of the filled text, when they changed it before sending.
      const message = input.message ?? filled;
      if (macro.action === 'approve' || macro.action === 'reject') {
        await actions.performAction(
          tenantId,
          ret.id,
          macro.action,
          input.expectedVersion ? { expectedVersion: input.expectedVersion } : {},
          actor,
        );
      } else if (input.expectedVersion && input.expectedVersion !== ret.version) {
        throw new AppError(
          409,
          'stale_return',
          'This return changed since you loaded it; reload to see what changed.',
        );
      }
      return returns.sendMessage(tenantId, ret.id, message, actor);
    },

    /** The live channels of one case (its updates, who else is on it), once it is known to be the tenant's. */
    async caseStream(tenantId: string, id: string) {
      const ret = await returns.getReturn(tenantId, id);
      return {
        realtime: deps.realtime,
        channels: [liveChannel.returnUpdates(ret.id), liveChannel.consoleCase(ret.id)],
      };
    },

    /** Tells the others on a case that this actor views, edits or has left it. */
    async announcePresence(
      tenantId: string,
      id: string,
      state: 'viewing' | 'editing' | 'left',
      actor: Actor,
    ) {
      const ret = await returns.getReturn(tenantId, id);
      const name =
        actor.type === 'staff' && actor.id
          ? ((await deps.userName(tenantId, actor.id)) ?? 'Someone')
          : 'An integration';
      await deps.realtime.publish({
        // Its own channel: the customer's tracking stream listens on return:<id> and must not
        // learn staff names.
        channel: liveChannel.consoleCase(ret.id),
        event: 'presence',
        data: { returnId: ret.id, userId: actor.id, name, state, at: clock.now().toISOString() },
      });
    },
  };
}

export type SupportService = ReturnType<typeof createSupportService>;
