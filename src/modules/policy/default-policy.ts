import type { Policy } from './policy-schema.ts';
import { DEFAULT_PURCHASING_AGENT_POLICY } from './purchasing-agent-policy.ts';

/**
 * The policy a new tenant starts with: common practice for a mid-size web shop, meant to be
 * edited. Amounts are in minor units (USD 595 = $5.95, JPY 800 = ¥800).
 */
export function defaultPolicy(): Policy {
  return {
    returnWindowDays: 30,
    categories: {
      // Hygiene: most shops, and several consumer laws, exclude these from change-of-mind returns.
      underwear: { returnable: false },
      swimwear: { returnable: false },
      'gift-cards': { returnable: false },
      electronics: { returnWindowDays: 15, restockingFeePercent: 10 },
    },
    reasons: [
      { code: 'changed_mind', label: 'I changed my mind', merchantFault: false, evidenceRequired: false },
      { code: 'wrong_size', label: 'It doesn’t fit', merchantFault: false, evidenceRequired: false },
      { code: 'arrived_late', label: 'It arrived too late', merchantFault: false, evidenceRequired: false },
      {
        code: 'not_as_described',
        label: 'It isn’t as described',
        merchantFault: true,
        evidenceRequired: false,
      },
      { code: 'damaged', label: 'It arrived damaged', merchantFault: true, evidenceRequired: true },
      { code: 'defective', label: 'It doesn’t work', merchantFault: true, evidenceRequired: true },
      {
        code: 'wrong_item',
        label: 'I received the wrong item',
        merchantFault: true,
        evidenceRequired: false,
      },
    ],
    returnShippingFee: { USD: 595, EUR: 595, GBP: 495, JPY: 800, CNY: 3000 },
    refundShipping: 'merchant_fault',
    autoApprove: {
      enabled: true,
      maxRefundAmount: { USD: 20_000, EUR: 20_000, GBP: 17_500, JPY: 30_000, CNY: 150_000 },
      reasons: [],
    },
    resolutions: ['refund', 'store_credit', 'exchange', 'replacement', 'keep_item'],
    storeCreditBonusPercent: 10,
    shipWithinDays: 14,
    returnlessMaxAmount: { USD: 1_500, EUR: 1_500, GBP: 1_200, JPY: 2_000, CNY: 10_000 },
    rules: [
      {
        id: 'frequent-returner-review',
        description:
          'Serial returners: most of their orders come back. An agent looks before anything is refunded.',
        when: {
          all: [
            { field: 'customer.returnRate', op: 'gt', value: 0.6 },
            { field: 'customer.returnCount', op: 'gte', value: 5 },
          ],
        },
        action: 'review',
        message:
          'Because of the number of recent returns on your account, a member of our team will check this one.',
      },
      {
        id: 'final-sale',
        description: 'Clearance stock is sold with SKUs starting FS-; only faults of ours can be returned.',
        when: {
          all: [
            { field: 'line.sku', op: 'starts_with', value: 'FS-' },
            { field: 'line.merchantFault', op: 'eq', value: false },
          ],
        },
        action: 'reject',
        message: 'Final-sale items can only be returned if they are faulty, damaged or not what you ordered.',
      },
    ],
  };
}

/**
 * A purchasing agent's starting policy: the stage of each line decides (see
 * docs/purchasing-agents.md); refunds go to the wallet; amounts in CNY, the currency goods are
 * bought in. The return window is long because the seller's window and the QC clock govern.
 */
export function purchasingAgentPolicy(): Policy {
  return {
    returnWindowDays: 60,
    categories: {},
    reasons: [
      { code: 'changed_mind', label: 'I changed my mind', merchantFault: false, evidenceRequired: false },
      { code: 'wrong_size', label: 'It doesn’t fit', merchantFault: false, evidenceRequired: false },
      {
        code: 'not_as_described',
        label: 'It isn’t as described',
        merchantFault: true,
        evidenceRequired: false,
      },
      {
        code: 'wrong_item',
        label: 'The seller sent the wrong item',
        merchantFault: true,
        evidenceRequired: false,
      },
      { code: 'defective', label: "It's faulty", merchantFault: true, evidenceRequired: false },
      { code: 'qc_failed', label: 'It failed quality check', merchantFault: true, evidenceRequired: false },
      {
        code: 'damaged_in_transit',
        label: 'It arrived damaged',
        merchantFault: false,
        evidenceRequired: true,
      },
      {
        code: 'lost_in_transit',
        label: 'The parcel was lost',
        merchantFault: false,
        evidenceRequired: false,
      },
    ],
    returnShippingFee: {},
    refundShipping: 'merchant_fault',
    autoApprove: {
      enabled: true,
      maxRefundAmount: { CNY: 200_000, USD: 30_000, EUR: 30_000 },
      reasons: [],
    },
    resolutions: ['refund'],
    returnlessMaxAmount: {},
    rules: [],
    purchasingAgent: structuredClone(DEFAULT_PURCHASING_AGENT_POLICY),
  };
}
