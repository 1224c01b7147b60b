import type { Generated } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';

export interface RefundsTable {
  tenantId: string;
  id: string;
  returnId: string;
  orderId: string;
  amount: number;
  currency: string;
  provider: string;
  providerRef: string | null;
  status: 'pending' | 'succeeded' | 'failed';
  createdAt: string;
  attempt: Generated<number>;
  method: Generated<'original_payment' | 'store_credit'>;
  bonusAmount: Generated<number>;
  idempotencyKey: string | null;
  failureCode: string | null;
  failureMessage: string | null;
  settledAt: string | null;
  customerId: string | null;
}

export interface OrderPaymentsTable {
  tenantId: string;
  orderId: string;
  provider: string;
  paymentRef: string | null;
  currency: string;
  capturedAmount: number;
  refundedAmount: Generated<number>;
}

/** One balanced transfer: `amount` leaves `debitAccount` and reaches `creditAccount`. */
export interface LedgerEntriesTable {
  tenantId: string;
  id: string;
  kind: string;
  debitAccount: string;
  creditAccount: string;
  amount: number;
  currency: string;
  orderId: string | null;
  returnId: string | null;
  refundId: string | null;
  customerId: string | null;
  memo: string | null;
  createdAt: string;
}

export interface CreditBalancesTable {
  tenantId: string;
  customerId: string;
  currency: string;
  balance: number;
}

export interface ProviderAccountsTable {
  tenantId: string;
  provider: string;
  sealedConfig: string;
  webhookToken: string;
  createdAt: string;
  updatedAt: string;
}

/** The refunds, the payments they go back to, the ledger and store credit (snake_case in SQL, camelCase here). */
export type RefundsTables = {
  refunds: RefundsTable;
  orderPayments: OrderPaymentsTable;
  ledgerEntries: LedgerEntriesTable;
  creditBalances: CreditBalancesTable;
  providerAccounts: ProviderAccountsTable;
};

/** The tables this module owns, by the names queries use. */
export const TABLES = [
  'refunds',
  'orderPayments',
  'ledgerEntries',
  'creditBalances',
  'providerAccounts',
] as const satisfies readonly (keyof Database)[];

// The refunds tables join the application's database type.
declare module '../../platform/db/schema.ts' {
  interface Database extends RefundsTables {}
}
