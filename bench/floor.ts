import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { type Kysely, sql } from 'kysely';
import type { DatabaseConfig } from '../src/platform/config.ts';
import { type DatabaseHandle, openDatabase } from '../src/platform/db/database.ts';

/** The scratch table of the floor: one row per request, no foreign keys, no secondary index. */
type FloorDb = {
  benchFloor: { id: string; tenantId: string; payload: string; createdAt: string };
};

export type Floor = {
  app: FastifyInstance;
  baseUrl: string;
  /** Ids of rows inserted before the run, for the SELECT scenario. */
  seededIds: string[];
  close: () => Promise<void>;
};

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address !== 'object') throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}

/**
 * A bare Fastify 5 app (no plugins, no schemas) over a connection opened exactly like the app's
 * (`openDatabase`: better-sqlite3 file with the same pragmas / pg Pool of the same size), in the
 * same database file or schema. POST /floor is one INSERT, GET /floor/:id one SELECT by key.
 */
export async function startFloor(config: DatabaseConfig, seedRows: number): Promise<Floor> {
  const handle: DatabaseHandle = openDatabase(config);
  const db = handle.db as unknown as Kysely<FloorDb>;
  await sql`create table if not exists bench_floor (id text primary key, tenant_id text, payload text, created_at text)`.execute(
    db,
  );
  const tenantId = 'ten_floor';
  const seededIds: string[] = [];
  for (let i = 0; i < seedRows; i++) {
    const id = randomUUID();
    seededIds.push(id);
    await db
      .insertInto('benchFloor')
      .values({ id, tenantId, payload: JSON.stringify({ seed: i }), createdAt: new Date().toISOString() })
      .execute();
  }

  const app = Fastify({ logger: false });
  app.post('/floor', async (request, reply) => {
    const id = randomUUID();
    await db
      .insertInto('benchFloor')
      .values({ id, tenantId, payload: JSON.stringify(request.body), createdAt: new Date().toISOString() })
      .execute();
    return reply.code(201).send({ id });
  });
  app.get<{ Params: { id: string } }>('/floor/:id', async (request, reply) => {
    const row = await db
      .selectFrom('benchFloor')
      .selectAll()
      .where('id', '=', request.params.id)
      .executeTakeFirst();
    if (!row) return reply.code(404).send({ error: 'not found' });
    return row;
  });
  const baseUrl = await listen(app);
  return {
    app,
    baseUrl,
    seededIds,
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
