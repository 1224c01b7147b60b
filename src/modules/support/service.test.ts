import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.ts';
import { parseDatabaseUrl } from '../../platform/config.ts';
import { columnTypes } from '../../platform/db/column-types.ts';
import { connect, type DatabaseHandle } from '../../platform/db/database.ts';
import { core } from '../../platform/db/migrations/0001-core.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { defaultPolicy } from '../policy/default-policy.ts';
import { createLocalRealtime, type Realtime, type RealtimeMessage } from '../realtime/hub.ts';
import type { Actor } from '../returns/service.ts';
import { createMacros } from './macros.ts';
import { support } from './migrations/0007-support.ts';
import { createSupportService, type SupportDeps } from './service.ts';

const TENANT = 'ten_a';
const OTHER = 'ten_b';
const agent: Actor = { type: 'staff', id: 'usr_ana' };
const integration: Actor = { type: 'api', id: 'key_1' };

type Call = { fn: string; args: unknown[] };

/**
 * The support service over an in-memory SQLite database (its macros are real rows) and a fixed
 * clock. Only the tables it touches are migrated: the composition root's full list lives in
 * src/database.ts, which modules may not import (.dependency-cruiser.cjs). Returns, orders and
 * the return actions are small fakes that know one return of TENANT and record what they are asked.
 */
async function setUp() {
  const handle = await connect(parseDatabaseUrl('file::memory:'), {
    migrations: (dialect) => ({
      '0001-core': core(columnTypes(dialect)),
      '0007-support': support(columnTypes(dialect)),
    }),
  });
  const clock = fixedClock('2027-03-04T10:00:00.000Z');
  const realtime = createLocalRealtime();
  const calls: Call[] = [];
  const ret = {
    id: 'ret_1',
    rmaNumber: 'RMA-1001',
    orderId: 'ord_1',
    customerId: 'cus_1',
    status: 'needs_review',
    version: 3,
    currency: 'USD',
    refundTotal: 10_407,
    refundQuote: { breakdown: null },
    allowedActions: ['approve', 'reject'],
    decision: null,
  };
  const own = (tenantId: string, id: string) => {
    if (tenantId !== TENANT || id !== ret.id) throw notFound('Return');
    return ret;
  };
  const deps: SupportDeps = {
    clock,
    macros: createMacros({ db: handle.db, clock }),
    realtime,
    consoleQueries: {
      counts: async () => ({ all: 1 }) as never,
      customerHistory: async () => ({ returns: 0 }) as never,
      list: async (_tenantId, query) => {
        calls.push({ fn: 'list', args: [query] });
        return {
          data: [
            {
              rmaNumber: 'RMA-1001',
              status: 'needs_review',
              resolution: 'refund',
              orderNumber: '#1001',
              customerName: 'Ada',
              customerEmail: 'ada@example.com',
              currency: 'USD',
              customerTotal: 1250,
              refundStatus: null,
              createdAt: '2027-03-01T09:00:00.000Z',
              updatedAt: '2027-03-02T09:00:00.000Z',
              sla: null,
            },
          ],
          nextCursor: 'more',
        } as never;
      },
    },
    returns: {
      getReturn: async (tenantId, id) => own(tenantId, id) as never,
      listEvents: async (tenantId, id) => {
        own(tenantId, id);
        return [];
      },
      addNote: async (tenantId, id, note, actor) => {
        own(tenantId, id);
        calls.push({ fn: 'addNote', args: [note, actor] });
        return [];
      },
      sendMessage: async (tenantId, id, message, actor) => {
        own(tenantId, id);
        calls.push({ fn: 'sendMessage', args: [message, actor] });
        return ret as never;
      },
    },
    actions: {
      performAction: async (tenantId, id, action, body, actor) => {
        own(tenantId, id);
        calls.push({ fn: 'performAction', args: [action, body, actor] });
        return { ...ret, status: action === 'approve' ? 'approved' : 'rejected' } as never;
      },
    },
    orders: {
      getOrder: async () => ({ orderNumber: '#1001' }) as never,
      orderWithPayment: async () => ({ orderNumber: '#1001' }) as never,
      requireCustomer: async () => ({ name: 'Ada Lovelace', email: 'ada@example.com' }) as never,
    },
    userName: async (_tenantId, userId) => (userId === 'usr_ana' ? 'Ana' : null),
    previewPolicy: async () => ({ replayed: 0 }),
    sourcingOf: async () => null,
  };
  return { handle, clock, realtime, calls, service: createSupportService(deps) };
}

/** The AppError `run` throws, or a failure when it does not throw one. */
async function appError(run: () => Promise<unknown>): Promise<AppError> {
  try {
    await run();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

let t: Awaited<ReturnType<typeof setUp>>;
let handle: DatabaseHandle;
beforeEach(async () => {
  t = await setUp();
  handle = t.handle;
});
afterEach(async () => {
  await t.realtime.close();
  await handle.close();
});

describe('macros', () => {
  it('lists a created macro by name, stamped with the clock, and only for its tenant', async () => {
    await t.service.createMacro(TENANT, { name: 'Wrong size', body: 'Hi {{customerName}}' });
    const created = await t.service.createMacro(TENANT, {
      name: 'Approve',
      body: 'Approved, {{customerName}}.',
      action: 'approve',
    });

    const listed = await t.service.listMacros(TENANT);
    expect(listed.map((m) => m.name)).toEqual(['Approve', 'Wrong size']);
    expect(listed[0]).toMatchObject({
      id: created.id,
      action: 'approve',
      createdAt: t.clock.now().toISOString(),
    });
    expect(await t.service.listMacros(OTHER)).toEqual([]);
  });

  it("answers not_found for another tenant's macro id when it is changed, removed or applied", async () => {
    const mine = await t.service.createMacro(TENANT, { name: 'Thanks', body: 'Thank you.' });
    const input = { name: 'Hijacked', body: 'x' };

    expect((await appError(() => t.service.updateMacro(OTHER, mine.id, input))).code).toBe('not_found');
    expect((await appError(() => t.service.removeMacro(OTHER, mine.id))).code).toBe('not_found');
    expect((await appError(() => t.service.previewMacro(OTHER, 'ret_1', mine.id, agent))).status).toBe(404);
    expect((await t.service.listMacros(TENANT)).map((m) => m.name)).toEqual(['Thanks']);
  });

  it('refuses unknown variables and a second macro of the same name', async () => {
    const invalid = await appError(() => t.service.createMacro(TENANT, { name: 'X', body: 'Hi {{nope}}' }));
    expect([invalid.status, invalid.code]).toEqual([422, 'invalid_macro']);
    await t.service.createMacro(TENANT, { name: 'Same', body: 'a' });
    const taken = await appError(() => t.service.createMacro(TENANT, { name: 'Same', body: 'b' }));
    expect([taken.status, taken.code]).toEqual([409, 'macro_name_taken']);
  });

  it("previews a macro filled with the return's values and the agent's name, sending nothing", async () => {
    const m = await t.service.createMacro(TENANT, {
      name: 'Reject',
      body: 'Dear {{customerName}}, {{rmaNumber}} of {{orderNumber}} ({{refundAmount}}, {{status}}). {{agentName}}',
      action: 'reject',
    });

    expect(await t.service.previewMacro(TENANT, 'ret_1', m.id, agent)).toEqual({
      message: 'Dear Ada Lovelace, RMA-1001 of #1001 ($104.07, needs review). Ana',
      action: 'reject',
      allowed: true,
    });
    expect((await t.service.previewMacro(TENANT, 'ret_1', m.id, integration)).message).toMatch(/\)\. $/);
    expect(t.calls).toEqual([]);
  });

  it('applies a macro: its decision, then the message (the agent’s edit when given)', async () => {
    const m = await t.service.createMacro(TENANT, { name: 'Ok', body: 'Approved.', action: 'approve' });

    await t.service.applyMacro(
      TENANT,
      'ret_1',
      { macroId: m.id, expectedVersion: 3, message: 'Edited' },
      agent,
    );

    expect(t.calls).toEqual([
      { fn: 'performAction', args: ['approve', { expectedVersion: 3 }, agent] },
      { fn: 'sendMessage', args: ['Edited', agent] },
    ]);
  });

  it('refuses a macro without a decision on a return that changed since it was loaded', async () => {
    const m = await t.service.createMacro(TENANT, { name: 'Note', body: 'We are on it.' });

    const stale = await appError(() =>
      t.service.applyMacro(TENANT, 'ret_1', { macroId: m.id, expectedVersion: 2 }, agent),
    );

    expect([stale.status, stale.code]).toEqual([409, 'stale_return']);
    expect(t.calls).toEqual([]);
  });
});

describe('decideReturns', () => {
  it('needs a reason to reject', async () => {
    const e = await appError(() =>
      t.service.decideReturns(TENANT, { ids: ['ret_1'], action: 'reject' }, agent),
    );
    expect([e.status, e.code]).toEqual([422, 'reason_required']);
  });

  it('answers for each return: a foreign or unknown id fails alone', async () => {
    const { results } = await t.service.decideReturns(
      TENANT,
      { ids: ['ret_1', 'ret_other'], action: 'reject', note: 'Worn' },
      agent,
    );

    expect(results).toEqual([
      { id: 'ret_1', ok: true, status: 'rejected' },
      { id: 'ret_other', ok: false, error: { code: 'not_found', message: 'Return was not found.' } },
    ]);
  });
});

describe('the console', () => {
  it('exports a queue as CSV named after the day of the clock, money as a decimal', async () => {
    const out = await t.service.exportQueue(TENANT, { queue: 'needs_review', q: 'ada' });

    expect(out.fileName).toBe('returns-needs_review-2027-03-04.csv');
    expect(out.truncated).toBe(true);
    expect(out.csv).toContain('RMA-1001,needs_review,refund,#1001,Ada,ada@example.com,USD,12.50,');
    expect(t.calls).toEqual([{ fn: 'list', args: [{ queue: 'needs_review', limit: 10_000, q: 'ada' }] }]);
  });

  it("tells the case's console channel who is on it, at the clock's time", async () => {
    const heard: RealtimeMessage[] = [];
    (t.realtime as Realtime).subscribe('console:return:ret_1', (msg) => heard.push(msg));

    await t.service.announcePresence(TENANT, 'ret_1', 'viewing', agent);
    await t.service.announcePresence(TENANT, 'ret_1', 'left', integration);

    expect(heard.map((m) => m.data)).toEqual([
      { returnId: 'ret_1', userId: 'usr_ana', name: 'Ana', state: 'viewing', at: '2027-03-04T10:00:00.000Z' },
      {
        returnId: 'ret_1',
        userId: 'key_1',
        name: 'An integration',
        state: 'left',
        at: '2027-03-04T10:00:00.000Z',
      },
    ]);
    expect((await appError(() => t.service.announcePresence(OTHER, 'ret_1', 'viewing', agent))).code).toBe(
      'not_found',
    );
  });

  it("refuses an invalid policy before replaying, and gives another tenant's case as not found", async () => {
    const policy = defaultPolicy();
    const twice = { ...policy, reasons: [...policy.reasons, policy.reasons[0]!] };
    const e = await appError(() => t.service.previewPolicy(TENANT, twice));
    expect([e.status, e.code]).toEqual([422, 'invalid_policy']);
    expect(await t.service.previewPolicy(TENANT, policy)).toEqual({ replayed: 0 });
    expect((await appError(() => t.service.getCase(OTHER, 'ret_1'))).code).toBe('not_found');
    expect((await t.service.getCase(TENANT, 'ret_1')).customer).toEqual({
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      history: { returns: 0 },
    });
  });
});
