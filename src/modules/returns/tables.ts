import type { Generated } from 'kysely';
import type { Database, Json } from '../../platform/db/schema.ts';

export interface ReturnsTable {
  tenantId: string;
  id: string;
  rmaNumber: string;
  orderId: string;
  customerId: string;
  status: string;
  resolution: string;
  returnless: number;
  currency: string;
  refundTotal: number;
  decision: Json;
  refundQuote: Json;
  customerNote: string | null;
  trackingToken: string;
  policyVersion: number;
  shipment: Json | null;
  exchange: Json | null;
  fulfillment: Json | null;
  adjustment: Json | null;
  version: Generated<number>;
  createdAt: string;
  updatedAt: string;
  /** 1 when the return uses up one of the customer's free returns this month. */
  quotaCounted: Generated<number>;
  /** The language it was filed in (en, zh-CN, es), null when not known. */
  locale: Generated<string | null>;
}

export interface ReturnLinesTable {
  tenantId: string;
  id: string;
  returnId: string;
  orderLineId: string;
  position: number;
  quantity: number;
  reasonCode: string;
  note: string | null;
  refundAmount: number;
  acceptedQuantity: number | null;
  condition: string | null;
}

export interface ReturnEventsTable {
  tenantId: string;
  id: string;
  returnId: string;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  actorType: 'customer' | 'staff' | 'api' | 'system';
  actorId: string | null;
  note: string | null;
  visibility: 'customer' | 'internal';
  data: Json | null;
  createdAt: string;
}

export interface CustomerSessionsTable {
  idHash: string;
  tenantId: string;
  orderId: string;
  customerId: string;
  createdAt: string;
  expiresAt: string;
}

export interface EvidenceTable {
  tenantId: string;
  id: string;
  orderId: string;
  returnId: string | null;
  orderLineId: string | null;
  contentType: 'image/jpeg' | 'image/png' | 'image/webp';
  size: number;
  sha256: string;
  storageKey: string;
  uploadedBy: string;
  createdAt: string;
}

/** The returns, their lines, history, customer sessions and evidence (snake_case in SQL, camelCase here). */
export type ReturnsTables = {
  returns: ReturnsTable;
  returnLines: ReturnLinesTable;
  returnEvents: ReturnEventsTable;
  customerSessions: CustomerSessionsTable;
  evidence: EvidenceTable;
};

/** The tables this module owns, by the names queries use. */
export const TABLES = [
  'returns',
  'returnLines',
  'returnEvents',
  'customerSessions',
  'evidence',
] as const satisfies readonly (keyof Database)[];

// The returns tables join the application's database type.
declare module '../../platform/db/schema.ts' {
  interface Database extends ReturnsTables {}
}
