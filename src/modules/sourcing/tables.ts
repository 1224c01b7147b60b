import type { Generated } from 'kysely';
import type { Database, Json } from '../../platform/db/schema.ts';

export interface LineStageEventsTable {
  tenantId: string;
  id: string;
  orderId: string;
  orderLineId: string;
  fromStage: string | null;
  toStage: string;
  /** When the step happened (a scan, a QC photo), which may be before it was recorded. */
  at: string;
  actor: string;
  note: string | null;
  createdAt: string;
}

export interface SellerClaimsTable {
  tenantId: string;
  id: string;
  returnId: string;
  orderId: string;
  orderLineId: string;
  kind: 'cancellation' | 'return';
  seller: string;
  platformOrderRef: string | null;
  currency: string;
  amountExpected: number;
  amountRecovered: Generated<number>;
  deadlineAt: string | null;
  status: 'draft' | 'sent' | 'accepted' | 'refused' | 'refunded' | 'expired' | 'cancelled';
  messageEn: string;
  messageZh: string;
  note: string | null;
  warnedAt: string | null;
  version: Generated<number>;
  createdAt: string;
  updatedAt: string;
}

export interface FxRatesTable {
  tenantId: string;
  base: string;
  quote: string;
  /** YYYY-MM-DD: the day the rate is for. */
  rateDate: string;
  /** Units of `quote` per one unit of `base`, as an exact decimal string. */
  rate: string;
  source: string | null;
  createdAt: string;
}

export interface WalletWithdrawalsTable {
  tenantId: string;
  id: string;
  customerId: string;
  currency: string;
  amount: number;
  status: 'requested' | 'paid' | 'cancelled';
  refunds: Json;
  fx: Json | null;
  createdAt: string;
}

/** Tables of the purchasing-agent part (snake_case in SQL, camelCase here). */
export type SourcingTables = {
  lineStageEvents: LineStageEventsTable;
  sellerClaims: SellerClaimsTable;
  fxRates: FxRatesTable;
  walletWithdrawals: WalletWithdrawalsTable;
};

/** The tables this module owns, by the names queries use. */
export const TABLES = [
  'sellerClaims',
  'lineStageEvents',
  'fxRates',
  'walletWithdrawals',
] as const satisfies readonly (keyof Database)[];

// The purchasing-agent tables join the application's database type.
declare module '../../platform/db/schema.ts' {
  interface Database extends SourcingTables {}
}
