import type { Transaction } from 'kysely';
import { type Caches, noCaches } from '../../platform/cache.ts';
import type { Clock } from '../../platform/clock.ts';
import { type Db, isUniqueViolation } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Auth } from '../../platform/http/server.ts';
import { newId } from '../../platform/ids.ts';
import { generateApiKey, parseApiKey, secretMatches } from './api-keys.ts';
import { generatePassword, hashPassword } from './passwords.ts';
import { firstFreeHandle, handleFromName, shopHandleProblem } from './shop-handle.ts';
import type { TenantKind, UsersTable } from './tables.ts';

export type { TenantKind } from './tables.ts';

export type CreatedTenant = {
  tenantId: string;
  name: string;
  handle: string;
  kind: TenantKind;
  apiKey: string;
  adminEmail: string;
  adminPassword: string;
};

export type IdentityDeps = {
  db: Db;
  clock: Clock;
  /** API keys by prefix and tenants by id, read on every request (platform/cache.ts). */
  caches?: Caches;
  /** Gives a new tenant its starting policy inside the creating transaction. */
  initTenant: (trx: Transaction<Database>, tenantId: string, kind: TenantKind) => Promise<void>;
};

type KeyRow = { tenantId: string; id: string; secretHash: string; revokedAt: string | null };
type TenantRow = { id: string; name: string; handle: string; kind: TenantKind; createdAt: string };

export function createIdentityService({ db, clock, initTenant, caches = noCaches }: IdentityDeps) {
  const keysByPrefix = caches.define<KeyRow>('identity.api-key');
  const tenantsById = caches.define<TenantRow>('identity.tenant');

  /** `base`, or the first of `base-2`, `base-3`, … no tenant has (a race loses at the unique index). */
  async function freeHandle(base: string): Promise<string> {
    const rows = await db
      .selectFrom('tenants')
      .select('handle')
      .where((e) => e.or([e('handle', '=', base), e('handle', 'like', `${base.slice(0, 36)}-%`)]))
      .execute();
    const taken = new Set(rows.map((r) => r.handle));
    return firstFreeHandle(base, (h) => taken.has(h));
  }

  return {
    /** Creates a tenant with its first API key, an admin user and the default policy, in one transaction. */
    async createTenant(input: {
      name: string;
      kind: TenantKind;
      /** The portal's address, `/s/HANDLE/returns`; made from the name when absent. */
      handle?: string;
      adminEmail?: string;
      adminPassword?: string;
    }): Promise<CreatedTenant> {
      if (input.handle !== undefined) {
        const problem = shopHandleProblem(input.handle);
        if (problem) throw new AppError(400, 'invalid_shop_handle', `The shop handle ${problem}.`);
      }
      const now = clock.now().toISOString();
      const tenantId = newId('ten');
      const key = generateApiKey();
      const adminEmail = (input.adminEmail ?? `admin+${tenantId.slice(-8)}@returnflow.local`).toLowerCase();
      const adminPassword = input.adminPassword ?? generatePassword();
      const passwordHash = await hashPassword(adminPassword);
      const handle = input.handle ?? (await freeHandle(handleFromName(input.name)));
      await db.transaction().execute(async (trx) => {
        try {
          await trx
            .insertInto('tenants')
            .values({ id: tenantId, name: input.name, handle, kind: input.kind, createdAt: now })
            .execute();
        } catch (e) {
          if (!isUniqueViolation(e)) throw e;
          throw new AppError(
            409,
            'shop_handle_taken',
            `The shop handle "${handle}" is taken; choose another.`,
          );
        }
        await trx
          .insertInto('apiKeys')
          .values({
            tenantId,
            id: newId('key'),
            prefix: key.prefix,
            secretHash: key.secretHash,
            name: 'Default key',
            createdAt: now,
            revokedAt: null,
          })
          .execute();
        await trx
          .insertInto('users')
          .values({
            tenantId,
            id: newId('usr'),
            email: adminEmail,
            name: 'Administrator',
            role: 'admin',
            passwordHash,
            createdAt: now,
          })
          .execute();
        await initTenant(trx, tenantId, input.kind);
      });
      return {
        tenantId,
        name: input.name,
        handle,
        kind: input.kind,
        apiKey: key.token,
        adminEmail,
        adminPassword,
      };
    },

    async createUser(
      tenantId: string,
      input: { email: string; name: string; role: UsersTable['role']; password: string },
    ): Promise<{ id: string }> {
      const id = newId('usr');
      await db
        .insertInto('users')
        .values({
          tenantId,
          id,
          email: input.email.toLowerCase(),
          name: input.name,
          role: input.role,
          passwordHash: await hashPassword(input.password),
          createdAt: clock.now().toISOString(),
        })
        .execute();
      return { id };
    },

    /** Resolves a bearer token; null for anything malformed, unknown or revoked. */
    async authenticateApiKey(token: string): Promise<Auth | null> {
      const parsed = parseApiKey(token);
      if (!parsed) return null;
      const row = await keysByPrefix.get(parsed.prefix, () =>
        db
          .selectFrom('apiKeys')
          .select(['tenantId', 'id', 'secretHash', 'revokedAt'])
          .where('prefix', '=', parsed.prefix)
          .executeTakeFirst(),
      );
      if (!row || row.revokedAt !== null || !secretMatches(parsed.secret, row.secretHash)) return null;
      return { tenantId: row.tenantId, actorType: 'api', actorId: row.id };
    },

    async listUsers(tenantId: string) {
      return db
        .selectFrom('users')
        .select(['id', 'email', 'name', 'role', 'createdAt'])
        .where('tenantId', '=', tenantId)
        .orderBy('createdAt')
        .execute();
    },

    userName(tenantId: string, userId: string): Promise<string | null> {
      return this.actorName(tenantId, { type: 'staff', id: userId });
    },

    /** The name of whoever acted: a staff member (`staff`) or an API key (`api`) of the tenant; null when gone. */
    async actorName(tenantId: string, actor: { type: 'staff' | 'api'; id: string }): Promise<string | null> {
      const row = await db
        .selectFrom(actor.type === 'staff' ? 'users' : 'apiKeys')
        .select('name')
        .where('tenantId', '=', tenantId)
        .where('id', '=', actor.id)
        .executeTakeFirst();
      return row?.name ?? null;
    },

    /** Changes a user's name or role; the last admin cannot be demoted (someone must hold the keys). */
    async updateUser(tenantId: string, userId: string, input: { name?: string; role?: UsersTable['role'] }) {
      return db.transaction().execute(async (trx) => {
        const user = await trx
          .selectFrom('users')
          .select(['id', 'role'])
          .where('tenantId', '=', tenantId)
          .where('id', '=', userId)
          .executeTakeFirst();
        if (!user) throw notFound('User');
        if (user.role === 'admin' && input.role && input.role !== 'admin')
          await assertAnotherAdmin(trx, tenantId, userId);
        await trx
          .updateTable('users')
          .set({ ...(input.name ? { name: input.name } : {}), ...(input.role ? { role: input.role } : {}) })
          .where('tenantId', '=', tenantId)
          .where('id', '=', userId)
          .execute();
        // A changed role takes effect at once: sessions carry the old one otherwise.
        if (input.role && input.role !== user.role)
          await trx
            .deleteFrom('sessions')
            .where('tenantId', '=', tenantId)
            .where('userId', '=', userId)
            .execute();
        return trx
          .selectFrom('users')
          .select(['id', 'email', 'name', 'role', 'createdAt'])
          .where('tenantId', '=', tenantId)
          .where('id', '=', userId)
          .executeTakeFirstOrThrow();
      });
    },

    async removeUser(tenantId: string, userId: string) {
      await db.transaction().execute(async (trx) => {
        const user = await trx
          .selectFrom('users')
          .select(['id', 'role'])
          .where('tenantId', '=', tenantId)
          .where('id', '=', userId)
          .executeTakeFirst();
        if (!user) throw notFound('User');
        if (user.role === 'admin') await assertAnotherAdmin(trx, tenantId, userId);
        await trx
          .deleteFrom('sessions')
          .where('tenantId', '=', tenantId)
          .where('userId', '=', userId)
          .execute();
        await trx.deleteFrom('users').where('tenantId', '=', tenantId).where('id', '=', userId).execute();
      });
    },

    async listApiKeys(tenantId: string) {
      const rows = await db
        .selectFrom('apiKeys')
        .select(['id', 'prefix', 'name', 'createdAt', 'revokedAt'])
        .where('tenantId', '=', tenantId)
        .orderBy('createdAt')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        hint: `rf_${r.prefix}_…`,
        createdAt: r.createdAt,
        revokedAt: r.revokedAt,
      }));
    },

    /** A new key, shown once. */
    async createApiKey(tenantId: string, name: string) {
      const key = generateApiKey();
      const id = newId('key');
      const createdAt = clock.now().toISOString();
      await db
        .insertInto('apiKeys')
        .values({
          tenantId,
          id,
          prefix: key.prefix,
          secretHash: key.secretHash,
          name,
          createdAt,
          revokedAt: null,
        })
        .execute();
      return { id, name, hint: `rf_${key.prefix}_…`, createdAt, revokedAt: null, apiKey: key.token };
    },

    async revokeApiKey(tenantId: string, id: string) {
      const revoked = await db
        .updateTable('apiKeys')
        .set({ revokedAt: clock.now().toISOString() })
        .where('tenantId', '=', tenantId)
        .where('id', '=', id)
        .where('revokedAt', 'is', null)
        .returning('prefix')
        .executeTakeFirst();
      if (!revoked) throw notFound('API key');
      // Refused from the next request on, in every process.
      keysByPrefix.invalidate(revoked.prefix);
    },

    /** A tenant's name, handle and kind, which never change once created (cached per process). */
    async getTenant(tenantId: string): Promise<TenantRow | undefined> {
      return tenantsById.get(tenantId, () =>
        db
          .selectFrom('tenants')
          .select(['id', 'name', 'handle', 'kind', 'createdAt'])
          .where('id', '=', tenantId)
          .executeTakeFirst(),
      );
    },

    /** The shop whose portal lives at `/s/HANDLE/returns`. */
    async tenantByHandle(handle: string) {
      // What no shop can be called is not looked up (nor sent to the driver).
      if (shopHandleProblem(handle) !== null) return undefined;
      return db
        .selectFrom('tenants')
        .select(['id', 'name', 'handle', 'kind'])
        .where('handle', '=', handle)
        .executeTakeFirst();
    },

    async listTenants() {
      return db
        .selectFrom('tenants')
        .select(['id', 'name', 'handle', 'kind', 'createdAt'])
        .orderBy('createdAt')
        .execute();
    },
  };
}

/**
 * Refuses to take away the tenant's last admin. The tenant row is locked first (a no-op UPDATE,
 * which locks on PostgreSQL and takes SQLite's write lock), so two concurrent demotions of the last
 * two admins run one after the other and the second sees the first: counting alone would let
 * both pass under READ COMMITTED.
 */
async function assertAnotherAdmin(trx: Transaction<Database>, tenantId: string, userId: string) {
  await trx.updateTable('tenants').set({ id: tenantId }).where('id', '=', tenantId).execute();
  const others = await trx
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenantId', '=', tenantId)
    .where('role', '=', 'admin')
    .where('id', '!=', userId)
    .executeTakeFirstOrThrow();
  if (Number(others.n) === 0) {
    throw new AppError(409, 'last_admin', 'This is the only admin; make someone else admin first.');
  }
}

export type IdentityService = ReturnType<typeof createIdentityService>;
