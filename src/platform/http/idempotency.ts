import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/database.ts';
import { isUniqueViolation } from '../db/database.ts';
import { AppError } from '../errors.ts';

/** An in-flight key older than this is taken over: its first request died with its process. */
const STALE_IN_FLIGHT_MS = 60_000;

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { scope: string; key: string } | null;
  }
}

/**
 * `Idempotency-Key` on POST: the first response (2xx or 4xx) is stored and a replay with the
 * same body gets it again, marked `Idempotent-Replayed: true`; the same key with another body
 * is refused (422). The key is claimed before the handler runs, so two concurrent requests
 * with one key cannot both execute. 5xx answers are not stored: the client may retry.
 */
export function installIdempotency(
  app: FastifyInstance,
  db: Db,
  scopeOf: (req: FastifyRequest) => string,
): void {
  app.decorateRequest('idempotency', null);

  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST') return;
    const key = request.headers['idempotency-key'];
    if (key === undefined) return;
    if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
      throw new AppError(400, 'invalid_idempotency_key', 'Idempotency-Key must be 1 to 255 characters.');
    }
    const scope = scopeOf(request);
    const requestHash = createHash('sha256')
      .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');
    const now = new Date();
    try {
      await db
        .insertInto('idempotencyKeys')
        .values({
          scope,
          key,
          requestHash,
          statusCode: null,
          responseBody: null,
          createdAt: now.toISOString(),
        })
        .execute();
      request.idempotency = { scope, key };
      return;
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
    }
    const row = await db
      .selectFrom('idempotencyKeys')
      .selectAll()
      .where('scope', '=', scope)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row)
      throw new AppError(
        409,
        'idempotency_in_progress',
        'A request with this Idempotency-Key is in progress.',
      );
    if (row.requestHash !== requestHash) {
      throw new AppError(
        422,
        'idempotency_key_reused',
        'This Idempotency-Key was already used with a different request; use a new key.',
      );
    }
    if (row.statusCode === null) {
      const takenOver =
        now.getTime() - new Date(row.createdAt).getTime() > STALE_IN_FLIGHT_MS &&
        (
          await db
            .updateTable('idempotencyKeys')
            .set({ createdAt: now.toISOString() })
            .where('scope', '=', scope)
            .where('key', '=', key)
            .where('createdAt', '=', row.createdAt)
            .where('statusCode', 'is', null)
            .executeTakeFirst()
        ).numUpdatedRows === 1n;
      if (!takenOver) {
        throw new AppError(
          409,
          'idempotency_in_progress',
          'A request with this Idempotency-Key is still in progress.',
        );
      }
      request.idempotency = { scope, key };
      return;
    }
    return replay(reply, row.statusCode, row.responseBody ?? '');
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotency;
    if (!claim) return payload;
    request.idempotency = null;
    const q = db.updateTable('idempotencyKeys').where('scope', '=', claim.scope).where('key', '=', claim.key);
    if (reply.statusCode >= 500 || typeof payload !== 'string') {
      await db
        .deleteFrom('idempotencyKeys')
        .where('scope', '=', claim.scope)
        .where('key', '=', claim.key)
        .execute();
    } else {
      await q.set({ statusCode: reply.statusCode, responseBody: payload }).execute();
    }
    return payload;
  });
}

function replay(reply: FastifyReply, status: number, body: string) {
  return reply
    .code(status)
    .header('idempotent-replayed', 'true')
    .type('application/json; charset=utf-8')
    .send(body);
}
