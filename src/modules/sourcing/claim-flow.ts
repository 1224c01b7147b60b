import { OPEN_CLAIM_STATUSES } from './queries.ts';
import type { SellerClaimsTable } from './tables.ts';

export const CLAIM_ACTIONS = ['send', 'accept', 'refuse', 'refund', 'cancel'] as const;
export type ClaimAction = (typeof CLAIM_ACTIONS)[number];
export type ClaimStatus = SellerClaimsTable['status'];

/** Where each claim action may start, and where it leads. */
export const CLAIM_FLOW: Record<ClaimAction, { from: ClaimStatus[]; to: ClaimStatus }> = {
  send: { from: ['draft'], to: 'sent' },
  accept: { from: ['draft', 'sent'], to: 'accepted' },
  refuse: { from: ['draft', 'sent'], to: 'refused' },
  refund: { from: ['sent', 'accepted'], to: 'refunded' },
  cancel: { from: ['draft', 'sent'], to: 'cancelled' },
};
export const OPEN: ClaimStatus[] = [...OPEN_CLAIM_STATUSES];
