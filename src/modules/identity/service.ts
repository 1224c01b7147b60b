import type { Transaction } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database, TenantKind, UsersTable } from '../../platform/db/schema.ts';
import type { Auth } from '../../platform/http/server.ts';
import { newId } from '../../platform/ids.ts';
import { generateApiKey, parseApiKey, secretMatches } from './api-keys.ts';
import { generatePassword, hashPassword } from './passwords.ts';

export type CreatedTenant = {
  tenantId: string;
  name: string;
  kind: TenantKind;
  apiKey: string;
  adminEmail: string;
  adminPassword: string;
};

export type IdentityDeps = {
  db: Db;
  clock: Clock;
  /** Gives a new tenant its starting policy inside the creating transaction. */
  initTenant: (trx: Transaction<Database>, tenantId: string) => Promise<void>;
};

export function createIdentityService({ db, clock, initTenant }: IdentityDeps) {
  return {
    /** Creates a tenant with its first API key, an admin user and the default policy, in one transaction. */
    async createTenant(input: {
      name: string;
      kind: TenantKind;
      adminEmail?: string;
      adminPassword?: string;
    }): Promise<CreatedTenant> {
      const now = clock.now().toISOString();
      const tenantId = newId('ten');
      const key = generateApiKey();
      const adminEmail = (input.adminEmail ?? `admin+${tenantId.slice(-8)}@returnflow.local`).toLowerCase();
      const adminPassword = input.adminPassword ?? generatePassword();
      const passwordHash = await hashPassword(adminPassword);
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('tenants')
          .values({ id: tenantId, name: input.name, kind: input.kind, createdAt: now })
          .execute();
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
        await initTenant(trx, tenantId);
      });
      return { tenantId, name: input.name, kind: input.kind, apiKey: key.token, adminEmail, adminPassword };
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
      const row = await db
        .selectFrom('apiKeys')
        .select(['tenantId', 'id', 'secretHash', 'revokedAt'])
        .where('prefix', '=', parsed.prefix)
        .executeTakeFirst();
      if (!row || row.revokedAt !== null || !secretMatches(parsed.secret, row.secretHash)) return null;
      return { tenantId: row.tenantId, actorType: 'api', actorId: row.id };
    },

    async getTenant(tenantId: string) {
      return db
        .selectFrom('tenants')
        .select(['id', 'name', 'kind', 'createdAt'])
        .where('id', '=', tenantId)
        .executeTakeFirst();
    },

    async listTenants() {
      return db
        .selectFrom('tenants')
        .select(['id', 'name', 'kind', 'createdAt'])
        .orderBy('createdAt')
        .execute();
    },
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
