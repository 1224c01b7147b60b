import type { Kysely, Selectable } from 'kysely';
import { type Caches, noCaches } from '../../platform/cache.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { type Database, parseJson } from '../../platform/db/schema.ts';
import { notFound, unprocessable } from '../../platform/errors.ts';
import type { TenantKind } from '../identity/service.ts';
import { defaultPolicy, purchasingAgentPolicy } from './default-policy.ts';
import { type Policy, validatePolicy } from './policy-schema.ts';
import type { PoliciesTable } from './tables.ts';

export type PolicyVersion = { version: number; policy: Policy; createdAt: string; createdBy: string };

type Executor = Kysely<Database>;
type PolicyRow = Selectable<PoliciesTable>;

export function createPolicyService({
  db,
  clock,
  caches = noCaches,
}: {
  db: Db;
  clock: Clock;
  caches?: Caches;
}) {
  /** The current version's row per tenant; parsed on every use, so no caller shares a document. */
  const latest = caches.define<PolicyRow>('policy.current');

  function latestRow(ex: Executor, tenantId: string) {
    return ex
      .selectFrom('policies')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /**
   * Loaded through the caller's executor: inside a transaction on SQLite, a read on another
   * connection would wait for it forever. `fresh`: never from the cache (publishing counts on it).
   */
  async function current(ex: Executor, tenantId: string, fresh = false): Promise<PolicyVersion> {
    const row = fresh
      ? await latestRow(ex, tenantId)
      : await latest.get(tenantId, () => latestRow(ex, tenantId));
    // Every tenant is created with a policy; this fallback only serves a database edited by hand.
    if (!row)
      return {
        version: 0,
        policy: defaultPolicy(),
        createdAt: new Date(0).toISOString(),
        createdBy: 'system',
      };
    return {
      version: row.version,
      policy: parseJson<Policy>(row.document),
      createdAt: row.createdAt,
      createdBy: row.createdBy,
    };
  }

  /** Validates and stores what `source` reads (inside the transaction) as the next version. */
  async function publish(
    tenantId: string,
    createdBy: string,
    source: (trx: Executor) => Promise<Policy>,
  ): Promise<PolicyVersion> {
    return db.transaction().execute(async (trx) => {
      const document = await source(trx);
      const problems = validatePolicy(document);
      if (problems.length) {
        throw unprocessable(
          'invalid_policy',
          `The policy is not valid: ${problems[0]!.path} ${problems[0]!.message}.`,
          problems,
        );
      }
      const { version } = await current(trx, tenantId, true);
      const next = {
        version: version + 1,
        policy: document,
        createdAt: clock.now().toISOString(),
        createdBy,
      };
      // The primary key (tenant_id, version) makes a concurrent publish fail instead of overwrite.
      await trx
        .insertInto('policies')
        .values({
          tenantId,
          version: next.version,
          document: JSON.stringify(document),
          createdAt: next.createdAt,
          createdBy,
        })
        .execute();
      return next;
    });
  }

  function rollBack(tenantId: string, toVersion: number, createdBy: string): Promise<PolicyVersion> {
    return publish(tenantId, createdBy, async (trx) => {
      const row = await trx
        .selectFrom('policies')
        .select('document')
        .where('tenantId', '=', tenantId)
        .where('version', '=', toVersion)
        .executeTakeFirst();
      if (!row) throw notFound('Policy version');
      // Checked again on the way in: an old document may not pass rules added since it was written.
      return parseJson<Policy>(row.document);
    });
  }

  return {
    /** The tenant's current version (cached per process; see platform/cache.ts for how fresh). */
    currentPolicy: (tenantId: string, ex: Executor = db) => current(ex, tenantId),

    /** Stores `policy` as the next version after checking what the schema cannot; old versions stay. */
    publishPolicy: (tenantId: string, policy: Policy, createdBy: string): Promise<PolicyVersion> =>
      publish(tenantId, createdBy, async () => policy).finally(() => latest.invalidate(tenantId)),

    /**
     * Publishes the document of an earlier version as the next version. History is never rewritten:
     * returns decided by the versions in between keep pointing at them.
     */
    rollBackPolicy: (tenantId: string, toVersion: number, createdBy: string): Promise<PolicyVersion> =>
      rollBack(tenantId, toVersion, createdBy).finally(() => latest.invalidate(tenantId)),

    async listVersions(tenantId: string): Promise<PolicyVersion[]> {
      const rows = await db
        .selectFrom('policies')
        .selectAll()
        .where('tenantId', '=', tenantId)
        .orderBy('version', 'desc')
        .execute();
      return rows.map((r) => ({
        version: r.version,
        policy: parseJson<Policy>(r.document),
        createdAt: r.createdAt,
        createdBy: r.createdBy,
      }));
    },

    /** Version 1 of every new tenant: the default policy. */
    async initTenant(trx: Executor, tenantId: string, kind: TenantKind = 'merchant'): Promise<void> {
      await trx
        .insertInto('policies')
        .values({
          tenantId,
          version: 1,
          document: JSON.stringify(kind === 'purchasing_agent' ? purchasingAgentPolicy() : defaultPolicy()),
          createdAt: clock.now().toISOString(),
          createdBy: 'system',
        })
        .execute();
    },
  };
}

export type PolicyService = ReturnType<typeof createPolicyService>;
