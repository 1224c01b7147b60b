import type { ColumnType, Generated } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';

export interface CustomersTable {
  tenantId: string;
  id: string;
  email: string;
  name: string;
  createdAt: string;
  phone: string | null;
  locale: string | null;
  timeZone: string | null;
  /** The currency the customer reads amounts in (purchasing agents convert for display). */
  displayCurrency: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface OrdersTable {
  tenantId: string;
  id: string;
  externalId: string;
  orderNumber: string;
  currency: string;
  placedAt: string;
  deliveredAt: string | null;
  customerId: string;
  shippingAmount: number;
  discountAmount: number;
  taxAmount: number;
  totalAmount: number;
  requestHash: string;
  createdAt: string;
  updatedAt: string;
}

export interface OrderLinesTable {
  tenantId: string;
  id: string;
  orderId: string;
  externalId: string;
  position: number;
  sku: string;
  title: string;
  category: string;
  quantity: number;
  unitPrice: number;
  discountAmount: number;
  taxAmount: number;
  returnedQuantity: Generated<number>;
  /** Purchasing agents: the upstream seller and their order number, and where the line is. */
  seller: ColumnType<string | null, string | null | undefined, string | null>;
  sellerOrderRef: ColumnType<string | null, string | null | undefined, string | null>;
  stage: ColumnType<string | null, string | null | undefined, string | null>;
  stageAt: ColumnType<string | null, string | null | undefined, string | null>;
  domesticDeliveredAt: ColumnType<string | null, string | null | undefined, string | null>;
  qcAt: ColumnType<string | null, string | null | undefined, string | null>;
  storageExpiresAt: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface OrderEventsTable {
  tenantId: string;
  id: string;
  orderId: string;
  at: string;
  actorType: string;
  actorId: string | null;
  /** JSON: MoneyChange[] (field, before, after). */
  changes: unknown;
}

/** The itemised fees of an order (purchasing agents): service fee, shipping legs, insurance… */
export interface OrderFeesTable {
  tenantId: string;
  orderId: string;
  position: number;
  kind: string;
  amount: number;
  /** The line the fee belongs to; null when it is shared across the order's lines. */
  orderLineId: string | null;
}

/** The orders and their customers (snake_case in SQL, camelCase here). */
export type OrdersTables = {
  customers: CustomersTable;
  orders: OrdersTable;
  orderLines: OrderLinesTable;
  orderEvents: OrderEventsTable;
  orderFees: OrderFeesTable;
};

/** The tables this module owns, by the names queries use. */
export const TABLES = [
  'customers',
  'orders',
  'orderLines',
  'orderEvents',
  'orderFees',
] as const satisfies readonly (keyof Database)[];

// The orders tables join the application's database type.
declare module '../../platform/db/schema.ts' {
  interface Database extends OrdersTables {}
}
