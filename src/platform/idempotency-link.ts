import { AsyncLocalStorage } from 'node:async_hooks';
import type { Kysely } from 'kysely';
import type { Database } from './db/schema.ts';

/** The Idempotency-Key a request claimed, for the writes made while answering it. */
export type IdempotencyClaim = { scope: string; key: string };

const claims = new AsyncLocalStorage<IdempotencyClaim>();

/** Runs `fn` (the rest of a request) with its claim in reach of the services it calls. */
export function runWithIdempotencyClaim(claim: IdempotencyClaim, fn: () => void): void {
  claims.run(claim, fn);
}

/**
 * Records, in the write's own transaction, what the request created or changed. The answer is
 * stored only after the commit; if the process dies in between, a retry with the same key finds
 * this link, knows the write happened, and answers from the resource instead of writing again.
 * Outside a request with a key it does nothing.
 */
export async function linkIdempotentWrite(trx: Kysely<Database>, resourceId: string): Promise<void> {
  const claim = claims.getStore();
  if (!claim) return;
  await trx
    .updateTable('idempotencyKeys')
    .set({ resourceId })
    .where('scope', '=', claim.scope)
    .where('key', '=', claim.key)
    .execute();
}
