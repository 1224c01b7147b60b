import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleOrder } from '../../testing/fixtures.ts';
import { type ServiceHarness, serviceHarness } from '../../testing/services.ts';
import type { Actor } from './service.ts';

/**
 * What the hot use cases cost in SQL statements, counted through the whole application's
 * services. Each budget is today's count: a change that adds statements to filing a return (a
 * new lookup, a read-back, a per-row loop) fails here and has to say why, or find them back.
 * Lower a budget when a change saves statements. Timings are measured in `npm run bench`, never
 * asserted; a statement count is a fact of the code, the same on every machine.
 */
const BUDGET = {
  /** Filed by staff through the service (the HTTP request adds its API key or session). */
  fileReturn: 14,
  /** The in-process worker: claim, the return's context, settings, deliveries, inbox, sends. */
  dispatchNotifications: 18,
  trackingRead: 4,
  consoleCaseRead: 15,
};

const STAFF: Actor = { type: 'staff', id: 'usr_budget' };
let h: ServiceHarness;
let tenantId: string;
let n = 0;

beforeAll(async () => {
  h = await serviceHarness('2027-03-01T09:00:00.000Z');
  tenantId = (await h.services.identity.createTenant({ name: 'Budget Shop', kind: 'merchant' })).tenantId;
});
afterAll(async () => {
  await h.close();
});

async function newOrder() {
  n += 1;
  const at = { placedAt: '2027-02-15T10:00:00.000Z', deliveredAt: '2027-02-18T10:00:00.000Z' };
  const { order } = await h.services.orders.upsertOrder(
    tenantId,
    sampleOrder({ key: `b${n}`, number: 5000 + n, ...at }),
  );
  return order;
}

function fileReturn(order: { id: string; lines: { id: string }[] }) {
  return h.services.returns.requestReturn(
    tenantId,
    {
      orderId: order.id,
      resolution: 'refund',
      lines: [{ orderLineId: order.lines[0]!.id, quantity: 1, reasonCode: 'wrong_size' }],
    },
    STAFF,
  );
}

describe('statements per use case', () => {
  it('files a return, notifies, and reads it back within budget', async () => {
    // Warm: the first return of a tenant may read what later ones find cached.
    await fileReturn(await newOrder());
    await h.drain();

    const order = await newOrder();
    let ret: Awaited<ReturnType<typeof fileReturn>> | undefined;
    const spent = {
      fileReturn: await h.sqlOf(async () => {
        ret = await fileReturn(order);
      }),
      dispatchNotifications: await h.sqlOf(() => h.drain()),
      trackingRead: await h.sqlOf(() => h.services.returns.trackReturn(ret!.trackingToken)),
      consoleCaseRead: await h.sqlOf(() => h.services.support.getCase(tenantId, ret!.id)),
    };
    expect(ret!.status).toBe('awaiting_shipment');
    plans = spent;
    for (const [useCase, statements] of Object.entries(spent)) {
      const budget = BUDGET[useCase as keyof typeof BUDGET];
      // Over budget, the message lists what was run: the new statement is usually easy to spot.
      expect(
        statements.length,
        `${useCase}: ${statements.length} statements, budget ${budget}:\n${statements.join('\n')}`,
      ).toBeLessThanOrEqual(budget);
    }
  });
});

let plans: Record<string, string[]> = {};

/**
 * What SQLite's planner does with each of those statements: none may walk a whole table, or all
 * of a tenant's rows by the primary key (tenant_id, id). That happens when an index matches the
 * filter but not the ORDER BY, and SQLite avoids the sort instead: the cost then grows with the
 * tenant's history (a case page read every delivery of the tenant; see migrations 0019–0021).
 */
describe('query plans of those statements', () => {
  it('search an index by more than the tenant, for every statement of the hot use cases', async () => {
    expect(Object.keys(plans).length, 'runs after the budget test').toBeGreaterThan(0);
    const walks: string[] = [];
    for (const [useCase, statements] of Object.entries(plans)) {
      for (const text of new Set(statements)) {
        const params = Array.from(text.matchAll(/\?/g), () => null);
        const rows = (await h.db.executeQuery(CompiledQuery.raw(`explain query plan ${text}`, params)))
          .rows as { detail: string }[];
        for (const { detail } of rows) {
          // Allowed: the outbox claim's subquery reads the pending messages (a queue), a VALUES
          // list, and the ledger balance's derived table of one account's moves.
          if (/^SCAN (?!outbox\b|moves\b|\d+-ROW VALUES)/.test(detail) || /\(tenant_id=\?\)$/.test(detail))
            walks.push(`${useCase}: ${detail}\n    ${text.slice(0, 160)}`);
        }
      }
    }
    expect(walks).toEqual([]);
  });
});
