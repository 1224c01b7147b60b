import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import { isUniqueViolation } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';

type Executor = Kysely<Database>;

/**
 * Refund execution. For now one provider: `manual`, where the operator has paid the money
 * back by hand and the call records it. The ledger and real providers come with the refund engine.
 */
export function createRefundsService({ clock }: { clock: Clock }) {
  return {
    async issueRefund(
      ex: Executor,
      input: {
        tenantId: string;
        returnId: string;
        orderId: string;
        amount: number;
        currency: string;
        reference?: string;
      },
    ): Promise<{ id: string; provider: string; status: 'succeeded' }> {
      const id = newId('ref');
      try {
        await ex
          .insertInto('refunds')
          .values({
            tenantId: input.tenantId,
            id,
            returnId: input.returnId,
            orderId: input.orderId,
            amount: input.amount,
            currency: input.currency,
            provider: 'manual',
            providerRef: input.reference ?? null,
            status: 'succeeded',
            createdAt: clock.now().toISOString(),
          })
          .execute();
      } catch (e) {
        if (isUniqueViolation(e))
          throw new AppError(409, 'already_refunded', 'This return has already been refunded.');
        throw e;
      }
      return { id, provider: 'manual', status: 'succeeded' };
    },
  };
}

export type RefundsService = ReturnType<typeof createRefundsService>;
