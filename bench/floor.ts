import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { type Kysely, sql } from 'kysely';
import type { DatabaseConfig } from '../src/platform/config.ts';
import { type Db, openDatabase } from '../src/platform/db/database.ts';
import type { StatementCounter } from './statement-counter.ts';

/** The scratch tables of the write floor: a parent row and its child rows, primary keys only. */
type FloorDb = {
  benchFloorParent: { id: string; tenantId: string; orderId: string; resolution: string; createdAt: string };
  benchFloorChild: { id: string; parentId: string; kind: string; body: string; createdAt: string };
};

export type Floor = {
  baseUrl: string;
  /** The floor's own connection (same kind as the app's), e.g. to drop the bench schema at the end. */
  db: Db;
  close: () => Promise<void>;
};

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address !== 'object') throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}

/**
 * The create-return body as a JSON schema, validated by Fastify's own (Ajv) compiler: the floor
 * pays for validation like the app, and nothing else.
 */
const FILE_BODY = {
  type: 'object',
  required: ['orderId', 'resolution', 'lines'],
  additionalProperties: false,
  properties: {
    orderId: { type: 'string', maxLength: 100 },
    resolution: { type: 'string', maxLength: 40 },
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 100,
      items: {
        type: 'object',
        required: ['orderLineId', 'quantity', 'reasonCode'],
        additionalProperties: false,
        properties: {
          orderLineId: { type: 'string', maxLength: 100 },
          quantity: { type: 'integer', minimum: 1 },
          reasonCode: { type: 'string', maxLength: 60 },
          note: { type: 'string', maxLength: 2000 },
        },
      },
    },
  },
} as const;

type FileBody = {
  orderId: string;
  resolution: string;
  lines: { orderLineId: string; quantity: number; reasonCode: string; note?: string }[];
};

/**
 * POST /floor/file: one transaction of 3 INSERTs (the parent row, and two child rows: the line and
 * an event), the least a "file a return" can write, on the same engine as the app.
 */
function fileRoute(app: FastifyInstance, db: Kysely<FloorDb>, tenantId: string) {
  app.post<{ Body: FileBody }>('/floor/file', { schema: { body: FILE_BODY } }, async (request, reply) => {
    const id = randomUUID();
    const createdAt = new Date().toISOString();
    const body = request.body;
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('benchFloorParent')
        .values({ id, tenantId, orderId: body.orderId, resolution: body.resolution, createdAt })
        .execute();
      // One INSERT per row, as a straightforward repository writes them.
      for (const [kind, text] of [
        ['line', JSON.stringify(body.lines[0])],
        ['event', '{"action":"requested"}'],
      ] as const) {
        await trx
          .insertInto('benchFloorChild')
          .values({ id: randomUUID(), parentId: id, kind, body: text, createdAt })
          .execute();
      }
    });
    return reply.code(201).send({ id });
  });
}

/**
 * GET /floor/track/:token: the rows the tracking read reads, by key, as plain selects: the return
 * by token, then (together, as the app does) its lines joined to their order lines, its
 * customer-visible events, its refunds, the tenant's latest policy and the tenant.
 */
function trackRoute(app: FastifyInstance, db: Db) {
  app.get<{ Params: { token: string } }>('/floor/track/:token', async (request, reply) => {
    const r = await db
      .selectFrom('returns')
      .selectAll()
      .where('trackingToken', '=', request.params.token)
      .executeTakeFirst();
    if (!r) return reply.code(404).send({ error: 'not found' });
    const [lines, events, refunds, policy, tenant] = await Promise.all([
      db
        .selectFrom('returnLines as rl')
        .innerJoin('orderLines as ol', (j) =>
          j.onRef('ol.tenantId', '=', 'rl.tenantId').onRef('ol.id', '=', 'rl.orderLineId'),
        )
        .selectAll('rl')
        .select(['ol.sku', 'ol.title', 'ol.stage'])
        .where('rl.tenantId', '=', r.tenantId)
        .where('rl.returnId', '=', r.id)
        .execute(),
      db
        .selectFrom('returnEvents')
        .selectAll()
        .where('tenantId', '=', r.tenantId)
        .where('returnId', '=', r.id)
        .where('visibility', '=', 'customer')
        .execute(),
      db
        .selectFrom('refunds')
        .selectAll()
        .where('tenantId', '=', r.tenantId)
        .where('returnId', '=', r.id)
        .execute(),
      db
        .selectFrom('policies')
        .selectAll()
        .where('tenantId', '=', r.tenantId)
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirst(),
      db.selectFrom('tenants').selectAll().where('id', '=', r.tenantId).executeTakeFirst(),
    ]);
    return { return: r, lines, events, refunds, policyVersion: policy?.version, tenant };
  });
}

/**
 * GET /floor/case/:id: the rows the console's case read reads, by key, as plain selects: the
 * return by id, then together its lines (joined to order lines), refunds, evidence, events and
 * deliveries; the order, its lines, fees, payments and ledger entries; the customer, their latest
 * 50 returns, what they bought and returned, their store-credit entries; the latest policy.
 */
function caseRoute(app: FastifyInstance, db: Db, tenantId: string) {
  app.get<{ Params: { id: string } }>('/floor/case/:id', async (request, reply) => {
    const r = await db
      .selectFrom('returns')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('id', '=', request.params.id)
      .executeTakeFirst();
    if (!r) return reply.code(404).send({ error: 'not found' });
    const byReturn = { tenantId, returnId: r.id };
    const byOrder = { tenantId, orderId: r.orderId };
    const credit = `credit:${r.customerId}`;
    const [policy, ...rows] = await Promise.all([
      db
        .selectFrom('policies')
        .selectAll()
        .where('tenantId', '=', tenantId)
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirst(),
      db
        .selectFrom('returnLines as rl')
        .innerJoin('orderLines as ol', (j) =>
          j.onRef('ol.tenantId', '=', 'rl.tenantId').onRef('ol.id', '=', 'rl.orderLineId'),
        )
        .selectAll('rl')
        .select(['ol.sku', 'ol.title', 'ol.stage'])
        .where('rl.tenantId', '=', tenantId)
        .where('rl.returnId', '=', r.id)
        .execute(),
      db
        .selectFrom('refunds')
        .selectAll()
        .where((eb) => eb.and(byReturn))
        .execute(),
      db
        .selectFrom('evidence')
        .selectAll()
        .where((eb) => eb.and(byReturn))
        .execute(),
      db
        .selectFrom('returnEvents')
        .selectAll()
        .where((eb) => eb.and(byReturn))
        .execute(),
      db
        .selectFrom('deliveries')
        .selectAll()
        .where((eb) => eb.and(byReturn))
        .execute(),
      db
        .selectFrom('orders')
        .selectAll()
        .where('tenantId', '=', tenantId)
        .where('id', '=', r.orderId)
        .execute(),
      db
        .selectFrom('orderLines')
        .selectAll()
        .where((eb) => eb.and(byOrder))
        .execute(),
      db
        .selectFrom('orderFees')
        .selectAll()
        .where((eb) => eb.and(byOrder))
        .execute(),
      db
        .selectFrom('orderPayments')
        .selectAll()
        .where((eb) => eb.and(byOrder))
        .execute(),
      db
        .selectFrom('ledgerEntries')
        .selectAll()
        .where((eb) => eb.and(byOrder))
        .execute(),
      db
        .selectFrom('customers')
        .selectAll()
        .where('tenantId', '=', tenantId)
        .where('id', '=', r.customerId)
        .execute(),
      db
        .selectFrom('returns')
        .select(['id', 'rmaNumber', 'status', 'refundTotal', 'currency', 'createdAt'])
        .where('tenantId', '=', tenantId)
        .where('customerId', '=', r.customerId)
        .orderBy('createdAt', 'desc')
        .limit(50)
        .execute(),
      db
        .selectFrom('orderLines as l')
        .innerJoin('orders as o', (j) =>
          j.onRef('o.tenantId', '=', 'l.tenantId').onRef('o.id', '=', 'l.orderId'),
        )
        .select((eb) => [
          eb.fn.sum<number>('l.quantity').as('bought'),
          eb.fn.sum<number>('l.returnedQuantity').as('returned'),
        ])
        .where('o.tenantId', '=', tenantId)
        .where('o.customerId', '=', r.customerId)
        .execute(),
      db
        .selectFrom('ledgerEntries')
        .selectAll()
        .where('tenantId', '=', tenantId)
        .where((eb) => eb.or([eb('creditAccount', '=', credit), eb('debitAccount', '=', credit)]))
        .execute(),
    ]);
    // The policy is read for the decision's context; its document is not sent (nor by the app).
    return { return: r, rows, policyVersion: policy?.version };
  });
}

/**
 * A bare Fastify 5 app (no plugins, no hooks, no logger) over a connection opened exactly like
 * the app's (`openDatabase`: better-sqlite3 file with the same pragmas and statement cache / pg
 * Pool of the same size), in the same database file or schema, reading the app's own rows.
 * `counter` counts its statements per request like the app's.
 */
export async function startFloor(
  config: DatabaseConfig,
  opts: { tenantId: string; counter?: StatementCounter },
): Promise<Floor> {
  const handle = openDatabase(config);
  const db = opts.counter ? opts.counter.wrap(handle.db) : handle.db;
  await sql`create table if not exists bench_floor_parent (id text primary key, tenant_id text, order_id text, resolution text, created_at text)`.execute(
    handle.db,
  );
  await sql`create table if not exists bench_floor_child (id text primary key, parent_id text, kind text, body text, created_at text)`.execute(
    handle.db,
  );
  const app = Fastify({ logger: false });
  fileRoute(app, db as unknown as Kysely<FloorDb>, opts.tenantId);
  trackRoute(app, db);
  caseRoute(app, db, opts.tenantId);
  const baseUrl = await listen(app);
  opts.counter?.attach(app.server);
  return {
    baseUrl,
    db: handle.db,
    async close() {
      await app.close();
      await handle.close();
    },
  };
}

/** The machine's ceiling: Fastify with one route that answers {} and touches nothing. */
export async function startEmpty(): Promise<{ baseUrl: string; close: () => Promise<void> }> {
  const app = Fastify({ logger: false });
  app.get('/', async () => ({}));
  const baseUrl = await listen(app);
  return { baseUrl, close: () => app.close() };
}
