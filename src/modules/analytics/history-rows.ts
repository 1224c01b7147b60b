/**
 * The shape of imported (and synthetic) history: one order row per order line, one return row
 * per returned line. The CSV files of `returnflow import` carry the same columns in snake_case.
 * Times are ISO-8601 (a bare `YYYY-MM-DD` means midnight UTC); amounts are integers in minor units.
 */
export interface OrderRow {
  orderExternalId: string;
  orderNumber: string;
  placedAt: string;
  deliveredAt: string | null;
  currency: string;
  customerEmail: string;
  lineExternalId: string;
  sku: string;
  title: string;
  category: string;
  quantity: number;
  unitPrice: number;
}

export interface ReturnRow {
  returnExternalId: string;
  orderExternalId: string;
  lineExternalId: string;
  quantity: number;
  /** Kept as given, even when the tenant's policy does not list it. */
  reasonCode: string;
  note: string | null;
  requestedAt: string;
  resolvedAt: string | null;
  status: string;
  refundedAmount: number | null;
}

/** Ground truth of a synthetic history: a SKU whose defect rate jumps on `onset`. */
export interface PlantedIssue {
  sku: string;
  category: string;
  /** YYYY-MM-DD, the first day of the raised rate. */
  onset: string;
  reasonCode: string;
  /** Phrases the complaint notes of the planted returns carry (English and Simplified Chinese). */
  phrases: string[];
}

export interface SyntheticHistory {
  orders: OrderRow[];
  returns: ReturnRow[];
  planted: PlantedIssue[];
}
