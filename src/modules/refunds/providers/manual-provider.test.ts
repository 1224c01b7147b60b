import { describe, expect, it } from 'vitest';
import { createManualProvider } from './manual-provider.ts';

const request = (idempotencyKey: string) => ({
  paymentRef: 'bank-transfer-42',
  amount: 1250,
  currency: 'EUR',
  idempotencyKey,
});

describe('manual provider', () => {
  it('records the refund as succeeded with an id derived from the idempotency key', async () => {
    const provider = createManualProvider();
    const result = await provider.refund(request('refund:ret_1:1'));
    expect(provider.id).toBe('manual');
    expect(result).toEqual({
      status: 'succeeded',
      providerRefundId: expect.stringMatching(/^manual_[0-9a-f]{24}$/),
    });
  });

  it('answers the same id for the same key, across provider instances', async () => {
    const a = await createManualProvider().refund(request('refund:ret_1:1'));
    const b = await createManualProvider().refund(request('refund:ret_1:1'));
    expect(a).toEqual(b);
  });

  it('answers different ids for different keys', async () => {
    const provider = createManualProvider();
    const a = await provider.refund(request('refund:ret_1:1'));
    const b = await provider.refund(request('refund:ret_1:2'));
    expect(a).not.toEqual(b);
  });

  it('rejects an amount that is not an integer of minor units', async () => {
    await expect(createManualProvider().refund({ ...request('k'), amount: 12.5 })).rejects.toThrow(
      RangeError,
    );
  });
});
