import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/database.ts';
import { isUniqueViolation } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { type IdempotencyClaim, runWithIdempotencyClaim } from '../idempotency-link.ts';

/** An in-flight key older than this is taken over: its first request died with its process. */
export const STALE_IN_FLIGHT_MS = 60_000;

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: IdempotencyClaim | null;
  }
  interface FastifyContextConfig {
    /**
     * Rebuilds the answer of a request whose write committed (linked with linkIdempotentWrite)
     * but whose answer was lost, e.g. the process died between the commit and the reply.
     */
    replayCommitted?: (
      request: FastifyRequest,
      resourceId: string,
    ) => Promise<{ statusCode: number; body: unknown }>;
  }
}

/**
 * `Idempotency-Key` on POST: the first response (2xx or 4xx) is stored and a replay with the
 * same body gets it again, marked `Idempotent-Replayed: true`; the same key with another body
 * is refused (422). The key is claimed before the handler runs, so two concurrent requests
 * with one key cannot both execute. 5xx answers are not stored: the client may retry.
 *
 * The answer is stored after the handler's transaction commits, so a crash in between would
 * leave a claim without an answer. Writes therefore link the key to what they wrote inside their
 * own transaction (linkIdempotentWrite); a retry that finds the link answers from the resource
 * (the route's `replayCommitted`) and never runs the write again. A claim with neither answer
 * nor link after `staleMs` is taken over: its request died before committing anything.
 */
export function installIdempotency(
  app: FastifyInstance,
  db: Db,
  scopeOf: (req: FastifyRequest) => string,
  opts: { staleMs?: number } = {},
): void {
  const staleMs = opts.staleMs ?? STALE_IN_FLIGHT_MS;
  app.decorateRequest('idempotency', null);

  /** The claim to run the handler under, 'replied' when answered here, or null without a key. */
  async function claimOrReplay(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<IdempotencyClaim | 'replied' | null> {
    if (request.method !== 'POST') return null;
    const key = request.headers['idempotency-key'];
    if (key === undefined) return null;
    if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
      throw new AppError(400, 'invalid_idempotency_key', 'Idempotency-Key must be 1 to 255 characters.');
    }
    const scope = scopeOf(request);
    const claim = { scope, key };
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
          resourceId: null,
          createdAt: now.toISOString(),
        })
        .execute();
      request.idempotency = claim;
      return claim;
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
    if (row.statusCode !== null) {
      replay(reply, row.statusCode, row.responseBody ?? '');
      return 'replied';
    }
    if (row.resourceId !== null) {
      // The write committed; its answer was lost (or is on its way): answer from what it wrote.
      const rebuild = request.routeOptions.config?.replayCommitted;
      if (!rebuild) {
        throw new AppError(
          409,
          'idempotency_result_lost',
          'The first request with this Idempotency-Key succeeded, but its answer was lost; look the result up.',
          { resourceId: row.resourceId },
        );
      }
      const answer = await rebuild(request, row.resourceId);
      request.idempotency = claim;
      reply.code(answer.statusCode).header('idempotent-replayed', 'true').send(answer.body);
      return 'replied';
    }
    const takenOver =
      now.getTime() - new Date(row.createdAt).getTime() > staleMs &&
      (
        await db
          .updateTable('idempotencyKeys')
          .set({ createdAt: now.toISOString() })
          .where('scope', '=', scope)
          .where('key', '=', key)
          .where('createdAt', '=', row.createdAt)
          .where('statusCode', 'is', null)
          .where('resourceId', 'is', null)
          .executeTakeFirst()
      ).numUpdatedRows === 1n;
    if (!takenOver) {
      throw new AppError(
        409,
        'idempotency_in_progress',
        'A request with this Idempotency-Key is still in progress.',
      );
    }
    request.idempotency = claim;
    return claim;
  }

  // Callback style, so the rest of the request (the handler and the services it calls) runs
  // inside the claim's async context, where linkIdempotentWrite finds it.
  app.addHook('preHandler', (request, reply, done) => {
    claimOrReplay(request, reply).then(
      (claim) => {
        if (claim === 'replied') return;
        if (claim) runWithIdempotencyClaim(claim, done);
        else done();
      },
      (e: Error) => done(e),
    );
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotency;
    if (!claim) return payload;
    request.idempotency = null;
    const q = db.updateTable('idempotencyKeys').where('scope', '=', claim.scope).where('key', '=', claim.key);
    if (reply.statusCode >= 500 || typeof payload !== 'string') {
      // Nothing to keep, and nothing was written (a 5xx rolled back): the client may retry.
      await db
        .deleteFrom('idempotencyKeys')
        .where('scope', '=', claim.scope)
        .where('key', '=', claim.key)
        .where('resourceId', 'is', null)
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
