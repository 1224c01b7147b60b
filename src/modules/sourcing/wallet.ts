import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { parseJson } from '../../platform/db/schema.ts';
import { notFound, unprocessable } from '../../platform/errors.ts';
import { conversion, type FxConversion, type FxRate, isRate } from '../../platform/fx.ts';
import { linkIdempotentWrite } from '../../platform/idempotency-link.ts';
import { newId } from '../../platform/ids.ts';
import { isCurrency } from '../../platform/money.ts';
import type { RefundsService } from '../refunds/service.ts';
import { latestRate } from './fx.ts';

/**
 * The customer's wallet (the refund engine's store-credit balance) seen in their display
 * currency, FX rates supplied by the tenant, and withdrawals to the original payment method.
 * Every conversion is stored with its rate and the rate's date.
 */
export function createWallet(deps: { db: Db; clock: Clock; refunds: RefundsService }) {
  const { db, clock } = deps;

  async function customer(tenantId: string, customerId: string) {
    const c = await db
      .selectFrom('customers')
      .select(['id', 'displayCurrency'])
      .where('tenantId', '=', tenantId)
      .where('id', '=', customerId)
      .executeTakeFirst();
    if (!c) throw notFound('Customer');
    return c;
  }

  async function convert(tenantId: string, amount: number, from: string, to: string | null) {
    if (!to || to === from) return null;
    const rate = await latestRate(db, tenantId, from, to, clock.now().toISOString().slice(0, 10));
    return rate ? conversion(amount, rate) : null;
  }

  return {
    /** Stores rates (one per pair and day; a second supply for the same day replaces it). */
    async putRates(tenantId: string, rates: (FxRate & { source?: string })[]) {
      const problems = rates.flatMap((r, i) => [
        ...(isCurrency(r.base) ? [] : [{ path: `rates/${i}/base`, message: `unknown currency "${r.base}"` }]),
        ...(isCurrency(r.quote)
          ? []
          : [{ path: `rates/${i}/quote`, message: `unknown currency "${r.quote}"` }]),
        ...(r.base === r.quote ? [{ path: `rates/${i}/quote`, message: 'is the same as base' }] : []),
        ...(isRate(r.rate)
          ? []
          : [{ path: `rates/${i}/rate`, message: 'must be a positive decimal such as "7.1234"' }]),
        ...(Number.isNaN(Date.parse(`${r.rateDate}T00:00:00Z`))
          ? [{ path: `rates/${i}/rateDate`, message: 'is not a date' }]
          : []),
      ]);
      if (problems.length) {
        throw unprocessable(
          'invalid_rates',
          `The rates are not valid: ${problems[0]!.path} ${problems[0]!.message}.`,
          problems,
        );
      }
      const now = clock.now().toISOString();
      await db.transaction().execute(async (trx) => {
        for (const r of rates) {
          await trx
            .deleteFrom('fxRates')
            .where('tenantId', '=', tenantId)
            .where('base', '=', r.base)
            .where('quote', '=', r.quote)
            .where('rateDate', '=', r.rateDate)
            .execute();
          await trx
            .insertInto('fxRates')
            .values({
              tenantId,
              base: r.base,
              quote: r.quote,
              rateDate: r.rateDate,
              rate: r.rate,
              source: r.source ?? null,
              createdAt: now,
            })
            .execute();
        }
      });
      return { stored: rates.length };
    },

    async listRates(tenantId: string, q: { base?: string; quote?: string; limit: number }) {
      let query = db
        .selectFrom('fxRates')
        .select(['base', 'quote', 'rate', 'rateDate', 'source', 'createdAt'])
        .where('tenantId', '=', tenantId);
      if (q.base) query = query.where('base', '=', q.base);
      if (q.quote) query = query.where('quote', '=', q.quote);
      return {
        items: await query
          .orderBy('rateDate', 'desc')
          .orderBy('base')
          .orderBy('quote')
          .limit(q.limit)
          .execute(),
      };
    },

    /** The balance per currency, each with its conversion into the display currency. */
    async wallet(tenantId: string, customerId: string) {
      const c = await customer(tenantId, customerId);
      const credit = await deps.refunds.customerCredit(tenantId, customerId);
      const balances = [];
      for (const b of credit.balances) {
        balances.push({ ...b, display: await convert(tenantId, b.balance, b.currency, c.displayCurrency) });
      }
      const withdrawals = await db
        .selectFrom('walletWithdrawals')
        .selectAll()
        .where('tenantId', '=', tenantId)
        .where('customerId', '=', customerId)
        .orderBy('id', 'desc')
        .limit(50)
        .execute();
      return {
        customerId,
        displayCurrency: c.displayCurrency,
        balances,
        entries: credit.entries,
        withdrawals: withdrawals.map((w) => ({
          id: w.id,
          amount: w.amount,
          currency: w.currency,
          status: w.status,
          fx: w.fx === null ? null : parseJson<FxConversion>(w.fx),
          createdAt: w.createdAt,
        })),
      };
    },

    /**
     * Takes money out of the wallet towards the original payment method: the balance drops at
     * once (guarded, never below zero) and the amount waits as payable until finance marks it
     * paid. The conversion shown to the customer is stored with it.
     */
    async withdraw(tenantId: string, customerId: string, input: { amount: number; currency: string }) {
      const c = await customer(tenantId, customerId);
      const fx = await convert(tenantId, input.amount, input.currency, c.displayCurrency);
      const id = newId('wdr');
      await db.transaction().execute(async (trx) => {
        const now = clock.now();
        await deps.refunds.takeCredit(trx, tenantId, customerId, input, {
          kind: 'wallet_withdrawal',
          to: `payable:withdrawal:${id}`,
          memo: 'Withdrawal to the original payment method',
        });
        await trx
          .insertInto('walletWithdrawals')
          .values({
            tenantId,
            id,
            customerId,
            currency: input.currency,
            amount: input.amount,
            status: 'requested',
            refunds: JSON.stringify([]),
            fx: fx ? JSON.stringify(fx) : null,
            createdAt: now.toISOString(),
          })
          .execute();
        await linkIdempotentWrite(trx, id);
      });
      return this.withdrawal(tenantId, customerId, id);
    },

    /** One withdrawal of the customer's, as `withdraw` answers it. */
    async withdrawal(tenantId: string, customerId: string, id: string) {
      const w = (await this.wallet(tenantId, customerId)).withdrawals.find((x) => x.id === id);
      if (!w) throw notFound('Withdrawal');
      return w;
    },

    /** Finance paid a withdrawal back to the card or account (with the provider's reference). */
    async markWithdrawalPaid(tenantId: string, id: string, reference: string) {
      const r = await db
        .updateTable('walletWithdrawals')
        .set({ status: 'paid', refunds: JSON.stringify([{ reference, paidAt: clock.now().toISOString() }]) })
        .where('tenantId', '=', tenantId)
        .where('id', '=', id)
        .where('status', '=', 'requested')
        .executeTakeFirst();
      if (r.numUpdatedRows !== 1n) {
        const exists = await db
          .selectFrom('walletWithdrawals')
          .select('status')
          .where('tenantId', '=', tenantId)
          .where('id', '=', id)
          .executeTakeFirst();
        if (!exists) throw notFound('Withdrawal');
        throw unprocessable('withdrawal_not_open', `This withdrawal is already ${exists.status}.`);
      }
      return { id, status: 'paid' as const, reference };
    },
  };
}

export type Wallet = ReturnType<typeof createWallet>;
