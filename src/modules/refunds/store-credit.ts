import { unprocessable } from '../../platform/errors.ts';
import { linkIdempotentWrite } from '../../platform/idempotency-link.ts';
import { formatMoney } from '../../platform/money.ts';
import { accountBalances, accounts, postTransfers } from './ledger.ts';
import type { Executor, RefundsDeps } from './refunds-deps.ts';

/** Store credit: a customer's balance and entries, spending it, and taking it out for a wallet. */
export function createStoreCredit(deps: RefundsDeps) {
  const { db, clock } = deps;

  return {
    async customerCredit(tenantId: string, customerId: string) {
      const balances = await accountBalances(db, tenantId, accounts.credit(customerId));
      const account = accounts.credit(customerId);
      const columns = [
        'id',
        'kind',
        'debitAccount',
        'creditAccount',
        'amount',
        'currency',
        'returnId',
        'orderId',
        'memo',
        'createdAt',
      ] as const;
      // Each side from its own index: with `credit = ? or debit = ?` SQLite read every entry of
      // the tenant (an account is never on both sides of one entry).
      const entries = await db
        .selectFrom('ledgerEntries')
        .select(columns)
        .where('tenantId', '=', tenantId)
        .where('creditAccount', '=', account)
        .unionAll(
          db
            .selectFrom('ledgerEntries')
            .select(columns)
            .where('tenantId', '=', tenantId)
            .where('debitAccount', '=', account),
        )
        .orderBy('id', 'desc')
        .limit(200)
        .execute();
      return {
        customerId,
        balances: [...balances].map(([currency, balance]) => ({ currency, balance })),
        entries: entries.map((e) => ({
          id: e.id,
          kind: e.kind,
          amount: e.creditAccount === accounts.credit(customerId) ? e.amount : -e.amount,
          currency: e.currency,
          returnId: e.returnId,
          orderId: e.orderId,
          memo: e.memo,
          createdAt: e.createdAt,
        })),
      };
    },

    /** Spends store credit on a purchase; the guard row refuses to go below zero. */
    async spendCredit(
      tenantId: string,
      customerId: string,
      input: { amount: number; currency: string; reference: string },
    ) {
      await db.transaction().execute(async (trx) => {
        await takeCredit(
          trx,
          tenantId,
          customerId,
          { amount: input.amount, currency: input.currency },
          { kind: 'credit_spent', to: accounts.creditSpent, memo: input.reference },
          clock.now(),
        );
        await linkIdempotentWrite(trx, customerId);
      });
      return this.customerCredit(tenantId, customerId);
    },

    /**
     * Takes credit out of a customer's balance in the caller's transaction (a purchasing agent's
     * wallet withdrawal): never below zero (422 otherwise), and the ledger records where it went.
     */
    takeCredit(
      trx: Executor,
      tenantId: string,
      customerId: string,
      money: { amount: number; currency: string },
      transfer: { kind: string; to: string; memo: string },
    ) {
      return takeCredit(trx, tenantId, customerId, money, transfer, clock.now());
    },
  };
}

/**
 * Takes credit out of a customer's balance in the caller's transaction: the guarded UPDATE never
 * lets it go below zero (422 otherwise), and the ledger records where it went.
 */
async function takeCredit(
  trx: Executor,
  tenantId: string,
  customerId: string,
  money: { amount: number; currency: string },
  transfer: { kind: string; to: string; memo: string },
  now: Date,
): Promise<void> {
  const r = await trx
    .updateTable('creditBalances')
    .set((eb) => ({ balance: eb('balance', '-', money.amount) }))
    .where('tenantId', '=', tenantId)
    .where('customerId', '=', customerId)
    .where('currency', '=', money.currency)
    .where('balance', '>=', money.amount)
    .executeTakeFirst();
  if (r.numUpdatedRows !== 1n) {
    throw unprocessable(
      'insufficient_credit',
      `The customer has less than ${formatMoney(money.amount, money.currency)} of store credit.`,
    );
  }
  await postTransfers(
    trx,
    tenantId,
    [
      {
        kind: transfer.kind,
        debit: accounts.credit(customerId),
        credit: transfer.to,
        amount: money.amount,
        currency: money.currency,
        customerId,
        memo: transfer.memo,
      },
    ],
    now,
  );
}

export async function adjustCreditBalance(
  trx: Executor,
  tenantId: string,
  customerId: string,
  currency: string,
  delta: number,
) {
  await trx
    .insertInto('creditBalances')
    .values({ tenantId, customerId, currency, balance: delta })
    .onConflict((oc) =>
      oc
        .columns(['tenantId', 'customerId', 'currency'])
        .doUpdateSet((eb) => ({ balance: eb('creditBalances.balance', '+', delta) })),
    )
    .execute();
}
