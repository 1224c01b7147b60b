import { createHash } from 'node:crypto';
import { assertMinorUnits } from '../../../platform/money.ts';
import type { PaymentProvider } from './payment-provider.ts';

/**
 * The operator has already paid the money back by hand (cash, bank transfer); the call only
 * records it. The id derives from the idempotency key so a retried call names the same refund.
 */
export function createManualProvider(): PaymentProvider {
  return {
    id: 'manual',
    async refund(req) {
      assertMinorUnits(req.amount);
      const hash = createHash('sha256').update(req.idempotencyKey, 'utf8').digest('hex').slice(0, 24);
      return { status: 'succeeded', providerRefundId: `manual_${hash}` };
    },
  };
}
