import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { newId } from '../../platform/ids.ts';

type Executor = Kysely<Database>;

/**
 * Account names. Each ledger row is one balanced transfer of `amount` from its debit account to
 * its credit account; an account's balance is Σ credits − Σ debits, so balances are always sums
 * of immutable rows and never a counter that could drift.
 */
export const accounts = {
  /** The processor's (or the till's) cash for a provider: goes negative as payments arrive. */
  provider: (provider: string) => `provider:${provider}`,
  /** What the customer has paid on an order and not yet had back. */
  order: (orderId: string) => `order:${orderId}`,
  /** A refund sent to the provider and not yet settled. */
  refundInFlight: (refundId: string) => `refund:${refundId}`,
  /** Store credit the tenant owes a customer. */
  credit: (customerId: string) => `credit:${customerId}`,
  /** Fees kept from a refund (restocking, return shipping). */
  feeIncome: (code: string) => `income:fee:${code}`,
  /** The cost of bonus credit given for choosing store credit or an exchange. */
  bonusExpense: 'expense:credit_bonus',
  /** Store credit spent on a new purchase. */
  creditSpent: 'income:credit_spent',
} as const;

export type Transfer = {
  kind: string;
  debit: string;
  credit: string;
  amount: number;
  currency: string;
  orderId?: string | null;
  returnId?: string | null;
  refundId?: string | null;
  customerId?: string | null;
  memo?: string | null;
};

/** Appends transfers (zero amounts are skipped: nothing moved). Rows are never updated or deleted. */
export async function postTransfers(
  ex: Executor,
  tenantId: string,
  transfers: Transfer[],
  now: Date,
): Promise<void> {
  const rows = transfers
    .filter((t) => t.amount !== 0)
    .map((t) => {
      if (!Number.isSafeInteger(t.amount) || t.amount < 0)
        throw new RangeError(`bad transfer amount ${t.amount}`);
      return {
        tenantId,
        id: newId('led'),
        kind: t.kind,
        debitAccount: t.debit,
        creditAccount: t.credit,
        amount: t.amount,
        currency: t.currency,
        orderId: t.orderId ?? null,
        returnId: t.returnId ?? null,
        refundId: t.refundId ?? null,
        customerId: t.customerId ?? null,
        memo: t.memo ?? null,
        createdAt: now.toISOString(),
      };
    });
  if (rows.length) await ex.insertInto('ledgerEntries').values(rows).execute();
}

/** Σ credits − Σ debits of one account, per currency. */
export async function accountBalances(
  ex: Executor,
  tenantId: string,
  account: string,
): Promise<Map<string, number>> {
  // Credits and debits as two index searches: with `credit = ? or debit = ?` SQLite read every
  // entry of the tenant (an account is never on both sides: ledger_entries_sides).
  const rows = await ex
    .selectFrom((eb) =>
      eb
        .selectFrom('ledgerEntries')
        .select(['currency', 'amount'])
        .where('tenantId', '=', tenantId)
        .where('creditAccount', '=', account)
        .unionAll(
          eb
            .selectFrom('ledgerEntries')
            .select((d) => ['currency', d.neg(d.ref('amount')).as('amount')])
            .where('tenantId', '=', tenantId)
            .where('debitAccount', '=', account),
        )
        .as('moves'),
    )
    .select((eb) => ['currency', eb.fn.sum<number>('amount').as('balance')])
    .groupBy('currency')
    .execute();
  return new Map(rows.map((r) => [r.currency, Number(r.balance)]));
}

/** Every transfer touching an order, oldest first. */
export async function orderEntries(ex: Executor, tenantId: string, orderId: string) {
  return ex
    .selectFrom('ledgerEntries')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('orderId', '=', orderId)
    .orderBy('id')
    .execute();
}
