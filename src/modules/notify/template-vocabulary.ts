/**
 * The words of a notification template that the server and the admin's editor share: its
 * languages, its fields and the placeholders it may use. Pure, and small enough for the browser
 * (src/contract/notify.ts).
 */

export const LOCALES = ['en', 'zh-CN', 'es'] as const;
export type Locale = (typeof LOCALES)[number];

/** What a tenant may rewrite of a template. */
export const TEMPLATE_FIELDS = ['subject', 'text', 'html', 'sms'] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

/** Variables every notification has. */
export const REQUIRED_VARS = [
  'shopName',
  'customerName',
  'rmaNumber',
  'orderNumber',
  'trackingUrl',
  'unsubscribeUrl',
] as const;

/** Variables only some events carry; a paragraph that uses a missing one is left out. */
export const OPTIONAL_VARS = [
  'status',
  'refundAmount',
  'items',
  'explanation',
  'message',
  'carrier',
  'trackingNumber',
  'deadline',
  'changes',
] as const;
