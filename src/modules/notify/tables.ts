import type { Generated } from 'kysely';
import type { Database, Json } from '../../platform/db/schema.ts';

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

/** The notifications: settings, templates, deliveries, inbox and webhooks (snake_case in SQL, camelCase here). */
export type NotifyTables = {
  notificationPreferences: NotificationPreferencesTable;
  notificationSettings: NotificationSettingsTable;
  notificationTemplates: NotificationTemplatesTable;
  deliveries: DeliveriesTable;
  inboxItems: InboxItemsTable;
  webhookEndpoints: WebhookEndpointsTable;
  deliveryAttempts: DeliveryAttemptsTable;
};

/** The tables this module owns, by the names queries use. */
export const TABLES = [
  'notificationPreferences',
  'notificationSettings',
  'notificationTemplates',
  'deliveries',
  'inboxItems',
  'webhookEndpoints',
  'deliveryAttempts',
] as const satisfies readonly (keyof Database)[];

// The notify tables join the application's database type.
declare module '../../platform/db/schema.ts' {
  interface Database extends NotifyTables {}
}
