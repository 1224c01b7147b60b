import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { ProviderAccounts } from './provider-accounts.ts';

export type Executor = Kysely<Database>;

export const REFUND_EXECUTE = 'refund.execute';
export const REFUND_POLL = 'refund.poll';

/** What the returns module hears when a refund it started has settled. */
export type RefundSettlement = {
  tenantId: string;
  returnId: string;
  refundId: string;
  outcome: 'succeeded' | 'failed';
  amount: number;
  currency: string;
  method: string;
  provider: string;
  code?: string;
  message?: string;
};

export type RefundsDeps = {
  db: Db;
  clock: Clock;
  providerAccounts: ProviderAccounts;
  /**
   * Called inside the settling transaction, so the return's state moves with the money; what it
   * answers runs after the commit.
   */
  onSettled: (trx: Executor, s: RefundSettlement) => Promise<(() => void) | undefined>;
  /** Called when a refund needs a person (no definite answer from the provider). */
  onNeedsAttention?: (
    trx: Executor,
    n: { tenantId: string; returnId: string; refundId: string; message: string },
  ) => Promise<void>;
  /** Wakes the outbox worker after a commit that enqueued work. */
  kick?: () => void;
  /** Makes a dead outbox message pending again (staff retry). */
  replayMessage?: (topic: string, dedupeKey: string) => Promise<boolean>;
  /** After this many provider attempts that could not get an answer, the refund is failed for an agent. */
  maxAttempts?: number;
};
