/**
 * Notification templates per event × locale — the built-in copy (templates/<locale>.ts) made
 * into subject, text, HTML and SMS — and the tiny placeholder renderer that fills them.
 * Pure: no I/O. Tenants may override subject/text/html/sms; `templateProblems` is the gate
 * those overrides pass before they are saved.
 */
import { assertMinorUnits, formatMoneyFor } from '../../platform/money.ts';
import { smsSegments } from './sms.ts';
import {
  LOCALES,
  type Locale,
  OPTIONAL_VARS,
  REQUIRED_VARS,
  type TemplateField,
} from './template-vocabulary.ts';
import type { Copy, Paragraph } from './templates/copy.ts';
import { en } from './templates/en.ts';
import { es } from './templates/es.ts';
import { NOTIFY_EVENTS, type NotifyEvent } from './templates/notify-events.ts';
import { zhCN } from './templates/zh-CN.ts';

export { NOTIFY_EVENTS, type NotifyEvent } from './templates/notify-events.ts';
export { LOCALES, type Locale, OPTIONAL_VARS, REQUIRED_VARS };

/** `html` is a body fragment only: the layout in render-email.ts wraps it. */
/** The texts of one event in one language, field by field. */
export type TemplateSet = Record<TemplateField, string>;

export type TemplateVars = {
  shopName: string;
  customerName: string;
  rmaNumber: string;
  orderNumber: string;
  trackingUrl: string;
  unsubscribeUrl: string;
  status?: string;
  /** Already formatted, see `formatAmount`. */
  refundAmount?: string;
  /** Already formatted list, one item per line. */
  items?: string;
  explanation?: string;
  /** Staff message text. */
  message?: string;
  carrier?: string;
  trackingNumber?: string;
  /** Already formatted, see `formatDate`. */
  deadline?: string;
  /** Digest: formatted list of updates, one per line. */
  changes?: string;
} & Record<string, string | undefined>;

const KNOWN_VARS: ReadonlySet<string> = new Set<string>([...REQUIRED_VARS, ...OPTIONAL_VARS]);

// Whitespace inside the braces is tolerated because tenants type these by hand.
const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;
const ANY_PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/** Names of the `{{placeholders}}` a template uses, in order of first appearance. */
export function templateVariables(template: string): string[] {
  const names = new Set<string>();
  for (const m of template.matchAll(PLACEHOLDER)) names.add(m[1]!);
  return [...names];
}

/**
 * Fills `{{name}}` placeholders. One pass, so a value that itself contains `{{…}}` is never
 * expanded: customer-typed text cannot pull other variables (or anything else) in.
 * Missing values render as empty. In html mode values are escaped, newlines become `<br>`,
 * and a `…Url` value that is not http(s)/mailto renders as empty: the escaping keeps it
 * inside its attribute, but only the scheme check keeps `javascript:` out of an href.
 */
export function renderTemplate(template: string, vars: TemplateVars, mode: 'text' | 'html'): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    // hasOwn: `{{constructor}}` must not find Object.prototype.constructor.
    const raw = Object.hasOwn(vars, name) ? vars[name] : undefined;
    if (raw === undefined || raw === null) return '';
    const value = String(raw);
    if (mode === 'text') return value;
    if (name.endsWith('Url') && !/^(https?:|mailto:)/i.test(value.trim())) return '';
    return escapeHtml(value).replace(/\r?\n/g, '<br>');
  });
}

/** Escapes the five characters that matter in HTML text and quoted attributes. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const MAX_SMS_SEGMENTS = 3;

/**
 * What is wrong with a (tenant) template: unknown or malformed placeholders, unbalanced
 * braces, an empty or multi-line subject, script in the HTML fragment, SMS copy longer
 * than three segments. Empty list = fine.
 */
export function templateProblems(t: Partial<TemplateSet>): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  for (const field of ['subject', 'text', 'html', 'sms'] as const) {
    const value = t[field];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.trim() === '') {
      add(field, 'must not be empty');
      continue;
    }
    if (value.includes('{{{')) add(field, 'triple braces are not supported: values are always escaped');
    for (const m of value.matchAll(ANY_PLACEHOLDER)) {
      const name = m[1]!.trim();
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) add(field, `invalid placeholder {{${m[1]}}}`);
      else if (!KNOWN_VARS.has(name)) add(field, `unknown variable {{${name}}}`);
    }
    // Single braces are legitimate (CSS in an HTML fragment); only stray doubles are mistakes.
    const rest = value.replace(ANY_PLACEHOLDER, '');
    if (rest.includes('{{') || rest.includes('}}'))
      add(field, 'unbalanced braces: every {{ needs a matching }}');
  }
  if (t.subject !== undefined && /[\r\n]/.test(t.subject)) add('subject', 'must be a single line');
  if (t.html !== undefined) {
    if (/<\s*(script|iframe|object|embed)\b/i.test(t.html) || /\son[a-z]+\s*=/i.test(t.html)) {
      add('html', 'scripts and event handlers are not allowed (mail clients strip them anyway)');
    }
    if (/javascript:/i.test(t.html)) add('html', 'javascript: links are not allowed');
    if (/<\s*(html|head|body)\b/i.test(t.html)) {
      add('html', 'is a body fragment: the layout adds the document, header and footer');
    }
  }
  if (t.sms !== undefined && t.sms.trim() !== '') {
    // Measured without the placeholders: their values are unknown here, and `{` `}` would
    // count double in GSM-7 for text that is never sent.
    const fixed = t.sms.replace(ANY_PLACEHOLDER, '');
    const seg = smsSegments(fixed);
    if (seg.segments > MAX_SMS_SEGMENTS) {
      add('sms', `too long: ${seg.segments} segments before variables (max ${MAX_SMS_SEGMENTS})`);
    }
  }
  return problems;
}

/**
 * Formats minor units as a localized currency amount. The decimal string is built from
 * integers and handed to Intl as a string, which it formats exactly: dividing by 10^exp in
 * floating point turns 9007199254740991 cents into "…409.90".
 *
 * @example formatAmount(123456, 'KWD', 'en') // "KWD 123.456"
 */
export function formatAmount(amount: number, currency: string, locale: Locale): string {
  assertMinorUnits(amount);
  // Intl accepts "jpy", but the exponent table would then miss it and show 2 decimals.
  return formatMoneyFor(amount, currency.toUpperCase(), locale);
}

/**
 * Formats an ISO date or timestamp with dateStyle long ("March 5, 2025", "2025年3月5日").
 * A date-only value ("2025-03-05") is a calendar date and is shown as is; only timestamps
 * are converted to `timeZone` (default UTC), otherwise a deadline would move back a day
 * west of Greenwich.
 */
/** Kept per locale and time zone: a new Intl.DateTimeFormat per date cost more than the rest of rendering. */
const DATE_FORMATS = new Map<string, Intl.DateTimeFormat>();

export function formatDate(iso: string, locale: Locale, timeZone?: string): string {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(iso);
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not an ISO date: ${iso}`);
  const zone = dateOnly ? 'UTC' : (timeZone ?? 'UTC');
  const key = `${locale}|${zone}`;
  let format = DATE_FORMATS.get(key);
  if (!format) {
    // Throws for an unknown zone before anything is kept.
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: zone });
    DATE_FORMATS.set(key, format);
  }
  return format.format(date);
}

// ---------------------------------------------------------------------------------------
// Default copy: one file per locale (templates/en.ts, zh-CN.ts, es.ts), in the shape of
// templates/copy.ts. Text and HTML are derived here from the same paragraphs.

function escapeCopy(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function paragraphHtml(p: Paragraph): string {
  if (typeof p !== 'string') return p.html;
  const html = escapeCopy(p)
    .replace(/\{\{rmaNumber\}\}/g, '<strong>{{rmaNumber}}</strong>')
    .replace(/\n/g, '<br>');
  return `<p>${html}</p>`;
}

function toTemplateSet(c: Copy): TemplateSet {
  return {
    subject: c.subject,
    text: c.body.map((p) => (typeof p === 'string' ? p : p.text)).join('\n\n'),
    html: c.body.map(paragraphHtml).join('\n\n'),
    sms: c.sms,
  };
}

const COPY: Record<Locale, Record<NotifyEvent, Copy>> = { en, 'zh-CN': zhCN, es };

export const DEFAULT_TEMPLATES: Record<NotifyEvent, Record<Locale, TemplateSet>> = Object.fromEntries(
  NOTIFY_EVENTS.map((event) => [
    event,
    Object.fromEntries(LOCALES.map((locale) => [locale, toTemplateSet(COPY[locale][event])])),
  ]),
) as Record<NotifyEvent, Record<Locale, TemplateSet>>;
