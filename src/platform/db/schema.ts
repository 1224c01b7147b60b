import type { ColumnType, Generated } from 'kysely';

/**
 * Table shapes, camelCase here and snake_case in SQL (CamelCasePlugin). Timestamps are ISO-8601
 * UTC strings on both engines (timestamptz on PostgreSQL is parsed back to ISO text).
 * JSON columns are jsonb on PostgreSQL and text on SQLite: read them with `parseJson`.
 */
type Json = ColumnType<unknown, string, string>;

export type TenantKind = 'merchant' | 'purchasing_agent';

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

export interface TenantsTable {
  id: string;
  name: string;
  /** Names the customer portal: `/s/HANDLE/returns` (set for every tenant since 0011). */
  handle: string;
  kind: TenantKind;
  rmaSeq: Generated<number>;
  createdAt: string;
}

export interface ApiKeysTable {
  tenantId: string;
  id: string;
  prefix: string;
  secretHash: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface UsersTable {
  tenantId: string;
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'supervisor' | 'agent' | 'warehouse';
  passwordHash: string;
  createdAt: string;
}

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

export interface PoliciesTable {
  tenantId: string;
  version: number;
  document: Json;
  createdAt: string;
  createdBy: string;
}

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

export interface ProviderAccountsTable {
  tenantId: string;
  provider: string;
  sealedConfig: string;
  webhookToken: string;
  createdAt: string;
  updatedAt: string;
}

export interface CreditBalancesTable {
  tenantId: string;
  customerId: string;
  currency: string;
  balance: number;
}

export interface OutboxTable {
  id: string;
  tenantId: string;
  topic: string;
  dedupeKey: string;
  payload: Json;
  status: 'pending' | 'done' | 'dead';
  attempts: Generated<number>;
  availableAt: string;
  lockedUntil: string | null;
  lastError: string | null;
  createdAt: string;
  doneAt: string | null;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  requestHash: string;
  statusCode: number | null;
  responseBody: string | null;
  /** What the request created or changed, linked in its transaction (see linkIdempotentWrite). */
  resourceId: string | null;
  createdAt: string;
}

export interface NotificationPreferencesTable {
  tenantId: string;
  customerId: string;
  channel: 'email' | 'sms' | 'in_app';
  category: string;
  enabled: number;
  updatedAt: string;
}

export interface NotificationSettingsTable {
  tenantId: string;
  settings: Json;
  sealedSms: string | null;
  updatedAt: string;
}

export interface NotificationTemplatesTable {
  tenantId: string;
  event: string;
  locale: string;
  template: Json;
  updatedAt: string;
}

export type DeliveryStatus =
  | 'queued'
  | 'digest_pending'
  | 'sending'
  | 'sent'
  | 'stored'
  | 'delivered'
  | 'failed'
  | 'bounced'
  | 'dead'
  | 'suppressed';

export interface DeliveriesTable {
  tenantId: string;
  id: string;
  eventKey: string;
  event: string;
  channel: 'email' | 'sms' | 'in_app' | 'webhook';
  recipient: string;
  returnId: string | null;
  customerId: string | null;
  status: DeliveryStatus;
  content: Json;
  attempts: Generated<number>;
  providerId: string | null;
  lastError: string | null;
  digestKey: string | null;
  sendAfter: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface InboxItemsTable {
  tenantId: string;
  id: string;
  recipientType: 'customer' | 'user';
  recipientId: string;
  returnId: string | null;
  event: string;
  title: string;
  body: string;
  url: string | null;
  readAt: string | null;
  createdAt: string;
}

export interface WebhookEndpointsTable {
  tenantId: string;
  id: string;
  url: string;
  description: string | null;
  events: Json;
  sealedSecret: string;
  sealedPreviousSecret: string | null;
  previousSecretExpiresAt: string | null;
  active: Generated<number>;
  createdAt: string;
  updatedAt: string;
}

export interface DeliveryAttemptsTable {
  tenantId: string;
  id: string;
  deliveryId: string;
  attempt: number;
  outcome: string;
  statusCode: number | null;
  response: string | null;
  durationMs: number;
  createdAt: string;
}

export interface SessionsTable {
  idHash: string;
  tenantId: string;
  userId: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
  userAgent: string | null;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  lockedUntil: string | null;
  updatedAt: string;
}

export interface PasswordResetsTable {
  tokenHash: string;
  tenantId: string;
  userId: string;
  expiresAt: string;
  usedAt: string | null;
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

export interface MacrosTable {
  tenantId: string;
  id: string;
  name: string;
  body: string;
  action: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The core tables; each later module adds its own (see its `tables.ts`). */
export interface CoreTables {
  tenants: TenantsTable;
  apiKeys: ApiKeysTable;
  users: UsersTable;
  customers: CustomersTable;
  orders: OrdersTable;
  orderLines: OrderLinesTable;
  orderEvents: OrderEventsTable;
  policies: PoliciesTable;
  returns: ReturnsTable;
  returnLines: ReturnLinesTable;
  returnEvents: ReturnEventsTable;
  refunds: RefundsTable;
  idempotencyKeys: IdempotencyKeysTable;
  orderPayments: OrderPaymentsTable;
  ledgerEntries: LedgerEntriesTable;
  creditBalances: CreditBalancesTable;
  outbox: OutboxTable;
  providerAccounts: ProviderAccountsTable;
  notificationPreferences: NotificationPreferencesTable;
  notificationSettings: NotificationSettingsTable;
  notificationTemplates: NotificationTemplatesTable;
  deliveries: DeliveriesTable;
  inboxItems: InboxItemsTable;
  webhookEndpoints: WebhookEndpointsTable;
  deliveryAttempts: DeliveryAttemptsTable;
  sessions: SessionsTable;
  loginThrottle: LoginThrottleTable;
  passwordResets: PasswordResetsTable;
  customerSessions: CustomerSessionsTable;
  evidence: EvidenceTable;
  macros: MacrosTable;
}

/**
 * Every table the application's queries see. The platform knows only the core tables; a module
 * with tables of its own adds them here from its `tables.ts` (a TypeScript module augmentation,
 * `declare module '…/platform/db/schema.ts' { interface Database extends TheirTables {} }`), and
 * hands its migrations to the composition root (src/database.ts).
 */
export interface Database extends CoreTables {}

/** JSON columns come back as text from SQLite and as objects from PostgreSQL. */
export function parseJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
