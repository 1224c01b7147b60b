import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { prepared } from '../../platform/db/prepared.ts';
import { AppError } from '../../platform/errors.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { UsersTable } from './tables.ts';

export const SESSION_COOKIE = 'rf_session';
const SESSION_TTL_MS = 12 * 3_600_000;
const RESET_TTL_MS = 3_600_000;
/**
 * After this many wrong passwords for one address, sign-in to it pauses; one IP gets more room
 * because a whole office can sit behind it, but not unlimited guesses across many addresses.
 */
const MAX_FAILURES_EMAIL = 5;
const MAX_FAILURES_IP = 50;
const LOCK_MS = 15 * 60_000;

export type StaffUser = {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  role: UsersTable['role'];
};
export type Session = { user: StaffUser; csrfToken: string; expiresAt: string };

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** A scrypt verification against a hash nobody has, so an unknown address costs as much time as a known one. */
let decoyHash: Promise<string> | null = null;

/**
 * Staff sign-in. The session id travels only in an http-only cookie and is stored hashed; each
 * session has its own CSRF token that state-changing requests must echo in `X-CSRF-Token`.
 * Failed sign-ins are throttled per address and per IP in the database, so the limit holds
 * across server processes.
 */
export function createSessions(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  /**
   * Counts a sign-in attempt against `key` before the password is checked, in one statement, so
   * concurrent guesses cannot all pass a check made before any of them was counted. Answers
   * whether this attempt is within the budget; the budget's last attempt sets the pause, which a
   * right password lifts again (`forgive`).
   */
  async function reserveAttempt(key: string): Promise<{ allowed: boolean; lockedUntil: string | null }> {
    const max = key.startsWith('ip:') ? MAX_FAILURES_IP : MAX_FAILURES_EMAIL;
    const now = clock.now();
    const at = now.toISOString();
    const lockAt = new Date(now.getTime() + LOCK_MS).toISOString();
    const row = await db
      .insertInto('loginThrottle')
      .values({ key, failures: 1, lockedUntil: max <= 1 ? lockAt : null, updatedAt: at })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => {
          // A pause that has run out starts the count again.
          const expired = sql<boolean>`${eb.ref('loginThrottle.lockedUntil')} is not null and ${eb.ref('loginThrottle.lockedUntil')} <= ${at}`;
          const next = sql<number>`case when ${expired} then 1 else ${eb.ref('loginThrottle.failures')} + 1 end`;
          return {
            failures: next,
            lockedUntil: sql<
              string | null
            >`case when ${eb.ref('loginThrottle.lockedUntil')} > ${at} then ${eb.ref('loginThrottle.lockedUntil')} when ${next} >= ${max} then ${lockAt} else null end`,
            updatedAt: at,
          };
        }),
      )
      .returning(['failures', 'lockedUntil'])
      .executeTakeFirstOrThrow();
    return { allowed: Number(row.failures) <= max, lockedUntil: row.lockedUntil };
  }

  /** A right password: the address starts afresh; the IP gets its attempt back. */
  async function forgive(emailKey: string, ipKey: string) {
    await db.deleteFrom('loginThrottle').where('key', '=', emailKey).execute();
    await db
      .updateTable('loginThrottle')
      .set((eb) => ({
        failures: sql<number>`case when ${eb.ref('failures')} > 0 then ${eb.ref('failures')} - 1 else 0 end`,
        lockedUntil: sql<
          string | null
        >`case when ${eb.ref('failures')} - 1 < ${MAX_FAILURES_IP} then null else ${eb.ref('lockedUntil')} end`,
      }))
      .where('key', '=', ipKey)
      .execute();
  }

  async function createSession(user: StaffUser, userAgent: string | null) {
    const id = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS).toISOString();
    await db
      .insertInto('sessions')
      .values({
        idHash: sha256(id),
        tenantId: user.tenantId,
        userId: user.id,
        csrfToken,
        createdAt: now.toISOString(),
        expiresAt,
        userAgent: userAgent?.slice(0, 300) ?? null,
      })
      .execute();
    return { id, session: { user, csrfToken, expiresAt } };
  }

  return {
    SESSION_TTL_MS,

    /**
     * Signs in by email and password. The same address may be staff of several tenants: the
     * password picks the accounts it opens, and `tenantId` chooses when it opens more than one.
     */
    async login(input: {
      email: string;
      password: string;
      tenantId?: string;
      ip: string;
      userAgent: string | null;
    }) {
      const email = input.email.trim().toLowerCase();
      const emailKey = `email:${email}`;
      const ipKey = `ip:${input.ip}`;
      const attempts = [await reserveAttempt(emailKey), await reserveAttempt(ipKey)];
      const refused = attempts.find((a) => !a.allowed);
      if (refused) {
        throw new AppError(
          429,
          'too_many_attempts',
          'Too many failed sign-ins. Try again in a few minutes or reset your password.',
          { retryAt: refused.lockedUntil },
        );
      }
      const candidates = await db
        .selectFrom('users')
        .select(['id', 'tenantId', 'email', 'name', 'role', 'passwordHash'])
        .where('email', '=', email)
        .$if(Boolean(input.tenantId), (q) => q.where('tenantId', '=', input.tenantId!))
        .execute();
      const matching: StaffUser[] = [];
      for (const u of candidates) {
        if (await verifyPassword(input.password, u.passwordHash))
          matching.push({ id: u.id, tenantId: u.tenantId, email: u.email, name: u.name, role: u.role });
      }
      if (candidates.length === 0) {
        decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
        await verifyPassword(input.password, await decoyHash);
      }
      // A wrong password stays counted (reserveAttempt already did).
      if (matching.length === 0)
        throw new AppError(401, 'invalid_credentials', 'The email or password is not right.');
      await forgive(emailKey, ipKey);
      if (matching.length > 1) {
        const tenants = await db
          .selectFrom('tenants')
          .select(['id', 'name'])
          .where(
            'id',
            'in',
            matching.map((m) => m.tenantId),
          )
          .execute();
        throw new AppError(409, 'choose_tenant', 'This account belongs to several shops; choose one.', {
          tenants,
        });
      }
      return createSession(matching[0]!, input.userAgent);
    },

    /** The session behind a cookie value, or null when unknown or expired. */
    async resolve(cookieValue: string): Promise<Session | null> {
      if (!/^[A-Za-z0-9_-]{43}$/.test(cookieValue)) return null;
      const row = await sessionByHash.takeFirst(db, { idHash: sha256(cookieValue) });
      if (!row || row.expiresAt <= clock.now().toISOString()) return null;
      return {
        user: { id: row.id, tenantId: row.tenantId, email: row.email, name: row.name, role: row.role },
        csrfToken: row.csrfToken,
        expiresAt: row.expiresAt,
      };
    },

    async logout(cookieValue: string) {
      await db.deleteFrom('sessions').where('idHash', '=', sha256(cookieValue)).execute();
    },

    /** Starts a reset: answers the token to mail (or null for an unknown address — the caller says the same either way). */
    async requestPasswordReset(
      email: string,
      tenantId?: string,
    ): Promise<{ token: string; user: StaffUser } | null> {
      const user = await db
        .selectFrom('users')
        .select(['id', 'tenantId', 'email', 'name', 'role'])
        .where('email', '=', email.trim().toLowerCase())
        .$if(Boolean(tenantId), (q) => q.where('tenantId', '=', tenantId!))
        .orderBy('createdAt')
        .executeTakeFirst();
      if (!user) return null;
      const token = randomBytes(32).toString('base64url');
      const now = clock.now();
      await db
        .insertInto('passwordResets')
        .values({
          tokenHash: sha256(token),
          tenantId: user.tenantId,
          userId: user.id,
          expiresAt: new Date(now.getTime() + RESET_TTL_MS).toISOString(),
          usedAt: null,
          createdAt: now.toISOString(),
        })
        .execute();
      return { token, user };
    },

    /** Sets a new password with a reset token (once), and ends every session of that user. */
    async confirmPasswordReset(token: string, password: string) {
      if (password.length < 10) throw new AppError(422, 'weak_password', 'Use at least 10 characters.');
      const now = clock.now().toISOString();
      const row = await db
        .selectFrom('passwordResets')
        .selectAll()
        .where('tokenHash', '=', sha256(token))
        .executeTakeFirst();
      if (!row || row.usedAt || row.expiresAt <= now) {
        throw new AppError(
          400,
          'invalid_reset_token',
          'This reset link is not valid any more; ask for a new one.',
        );
      }
      const passwordHash = await hashPassword(password);
      await db.transaction().execute(async (trx) => {
        const used = await trx
          .updateTable('passwordResets')
          .set({ usedAt: now })
          .where('tokenHash', '=', row.tokenHash)
          .where('usedAt', 'is', null)
          .executeTakeFirst();
        if (used.numUpdatedRows !== 1n)
          throw new AppError(400, 'invalid_reset_token', 'This reset link was already used.');
        await trx
          .updateTable('users')
          .set({ passwordHash })
          .where('tenantId', '=', row.tenantId)
          .where('id', '=', row.userId)
          .execute();
        await trx
          .deleteFrom('sessions')
          .where('tenantId', '=', row.tenantId)
          .where('userId', '=', row.userId)
          .execute();
      });
    },

    /** Constant-time comparison of the CSRF header with the session's token. */
    csrfMatches(session: Session, header: string | undefined): boolean {
      if (!header) return false;
      const a = Buffer.from(session.csrfToken);
      const b = Buffer.from(header);
      return a.length === b.length && timingSafeEqual(a, b);
    },

    /** Staff of a tenant with one of `roles`, for staff inbox items. */
    async staffWithRoles(tenantId: string, roles: UsersTable['role'][]) {
      return db
        .selectFrom('users')
        .select(['id', 'role'])
        .where('tenantId', '=', tenantId)
        .where('role', 'in', roles)
        .execute();
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;

/** Every staff request resolves its cookie: prepared once (platform/db/prepared.ts). */
const sessionByHash = prepared((db, p: { idHash: string }) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', (j) =>
      j.onRef('users.tenantId', '=', 'sessions.tenantId').onRef('users.id', '=', 'sessions.userId'),
    )
    .select([
      'sessions.csrfToken',
      'sessions.expiresAt',
      'users.id',
      'users.tenantId',
      'users.email',
      'users.name',
      'users.role',
    ])
    .where('sessions.idHash', '=', p.idHash),
);
