/**
 * Notification copy per event × locale, and the tiny placeholder renderer that fills it.
 * Pure: no I/O. Tenants may override subject/text/html/sms; `templateProblems` is the gate
 * those overrides pass before they are saved.
 */
import { assertMinorUnits, formatMoneyFor } from '../../platform/money.ts';
import { smsSegments } from './sms.ts';

export const LOCALES = ['en', 'zh-CN', 'es'] as const;
export type Locale = (typeof LOCALES)[number];

export const NOTIFY_EVENTS = [
  'return_requested',
  'return_approved',
  'return_approved_no_parcel',
  'return_needs_review',
  'return_rejected',
  'return_cancelled',
  'return_in_transit',
  'return_received',
  'return_inspected',
  'refund_started',
  'refund_succeeded',
  'refund_delayed',
  'store_credit_issued',
  'wallet_credited',
  'replacement_shipped',
  'return_closed',
  'staff_message',
  'digest',
] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

/** `html` is a body fragment only: the layout in render-email.ts wraps it. */
export type TemplateSet = { subject: string; text: string; html: string; sms: string };

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
export function formatDate(iso: string, locale: Locale, timeZone?: string): string {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(iso);
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not an ISO date: ${iso}`);
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'long',
    timeZone: dateOnly ? 'UTC' : (timeZone ?? 'UTC'),
  }).format(date);
}

// ---------------------------------------------------------------------------------------
// Default copy. Each email body is a list of paragraphs; text and HTML are derived from
// the same list so the two parts cannot drift apart. A paragraph is either plain copy
// (escaped and wrapped in <p> for HTML) or a {text, html} pair where the HTML needs a link.
// Each paragraph that uses an optional variable holds nothing else that matters, because
// the renderer drops it when that variable is missing.

type Paragraph = string | { text: string; html: string };
type Copy = { subject: string; body: Paragraph[]; sms: string };

const LINK_STYLE = 'color:#1a56db;text-decoration:underline;';
const link = (label: string) => `<a href="{{trackingUrl}}" style="${LINK_STYLE}">${label}</a>`;
const quote = (name: string) =>
  `<p style="margin:0 0 16px;padding:12px 16px;border-left:4px solid #c3cad5;background:#f6f7f9;">{{${name}}}</p>`;

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

const EN: Record<NotifyEvent, Copy> = {
  return_requested: {
    subject: "We've received your return request {{rmaNumber}}",
    body: [
      'Hi {{customerName}},',
      "Thanks for getting in touch. We've received your request to return items from order {{orderNumber}}. Your return number is {{rmaNumber}}.",
      'Items in this return:\n{{items}}',
      "We'll review your request and email you as soon as there's news. There's nothing you need to do right now.",
      {
        text: 'You can follow your return at any time here: {{trackingUrl}}',
        html: `<p>You can follow your return at any time on ${link('your return page')}.</p>`,
      },
    ],
    sms: "{{shopName}}: we've received your return request {{rmaNumber}} and will be in touch soon. Follow it here: {{trackingUrl}}",
  },
  return_approved: {
    subject: 'Good news: your return {{rmaNumber}} is approved',
    body: [
      'Hi {{customerName}},',
      "Good news! We've approved your return {{rmaNumber}} for order {{orderNumber}}.",
      'Items approved for return:\n{{items}}',
      'Please send the items back by {{deadline}}.',
      {
        text: 'Your return page has everything you need to send the package, including the shipping instructions: {{trackingUrl}}',
        html: `<p>Your ${link('return page')} has everything you need to send the package, including the shipping instructions.</p>`,
      },
      'Pack the items securely and keep your shipping receipt until your return is complete.',
    ],
    sms: '{{shopName}}: good news, your return {{rmaNumber}} is approved. Shipping instructions: {{trackingUrl}}',
  },
  return_approved_no_parcel: {
    subject: 'Good news: your return {{rmaNumber}} is approved',
    body: [
      'Hi {{customerName}},',
      "Good news! We've approved your return {{rmaNumber}} for order {{orderNumber}}, and there is nothing for you to send back.",
      '{{explanation}}',
      "We'll let you know as soon as your refund is on its way.",
      {
        text: 'You can follow your return here: {{trackingUrl}}',
        html: `<p>You can follow your return on ${link('your return page')}.</p>`,
      },
    ],
    sms: '{{shopName}}: good news, your return {{rmaNumber}} is approved and there is nothing to send back. Follow it: {{trackingUrl}}',
  },
  return_needs_review: {
    subject: "We're taking a closer look at your return {{rmaNumber}}",
    body: [
      'Hi {{customerName}},',
      'Thanks for your patience. Before we can go ahead, our team needs to take a closer look at your return {{rmaNumber}} for order {{orderNumber}}.',
      '{{explanation}}',
      "This may take a little longer than usual, but you don't need to do anything. We'll email you as soon as we've decided.",
      {
        text: 'In the meantime, you can check the status of your return here: {{trackingUrl}}',
        html: `<p>In the meantime, you can check the status on ${link('your return page')}.</p>`,
      },
    ],
    sms: '{{shopName}}: our team is taking a closer look at your return {{rmaNumber}}. We will update you soon: {{trackingUrl}}',
  },
  return_rejected: {
    subject: "About your return {{rmaNumber}}: we couldn't approve it",
    body: [
      'Hi {{customerName}},',
      "We're sorry, but we couldn't approve your return {{rmaNumber}} for order {{orderNumber}}.",
      "Here's why: {{explanation}}",
      "If you think we got this wrong, or you have any questions, just reply to this email and we'll be glad to help.",
      {
        text: 'You can see the details on your return page: {{trackingUrl}}',
        html: `<p>You can see the details on ${link('your return page')}.</p>`,
      },
    ],
    sms: "{{shopName}}: sorry, we couldn't approve your return {{rmaNumber}}. See why and how to reach us: {{trackingUrl}}",
  },
  return_cancelled: {
    subject: 'Your return {{rmaNumber}} has been cancelled',
    body: [
      'Hi {{customerName}},',
      "Your return {{rmaNumber}} for order {{orderNumber}} has been cancelled, so there's no need to send anything back.",
      '{{explanation}}',
      "Changed your mind, or didn't mean to cancel? You're welcome to start a new return while your order is still eligible.",
      {
        text: 'You can still see the details on your return page: {{trackingUrl}}',
        html: `<p>You can still see the details on ${link('your return page')}.</p>`,
      },
    ],
    sms: '{{shopName}}: your return {{rmaNumber}} has been cancelled. No need to send anything back. Details: {{trackingUrl}}',
  },
  return_in_transit: {
    subject: 'Your return {{rmaNumber}} is on its way to us',
    body: [
      'Hi {{customerName}},',
      'Your package is on its way back to us. Thanks for sending it!',
      'Carrier: {{carrier}}',
      'Tracking number: {{trackingNumber}}',
      "We'll let you know as soon as it arrives.",
      {
        text: 'Follow your return here: {{trackingUrl}}',
        html: `<p>You can follow your return on ${link('your return page')}.</p>`,
      },
    ],
    sms: "{{shopName}}: your return {{rmaNumber}} is on its way to us. We'll let you know when it arrives: {{trackingUrl}}",
  },
  return_received: {
    subject: "We've received your return {{rmaNumber}}",
    body: [
      'Hi {{customerName}},',
      'Your package has arrived safely. Thank you!',
      "Next, we'll check the items in your return {{rmaNumber}}. Once that's done, we'll email you about what happens next.",
      {
        text: 'Follow your return here: {{trackingUrl}}',
        html: `<p>You can follow your return on ${link('your return page')}.</p>`,
      },
    ],
    sms: "{{shopName}}: your return {{rmaNumber}} has arrived. We'll check the items and update you: {{trackingUrl}}",
  },
  return_inspected: {
    subject: "We've checked the items in your return {{rmaNumber}}",
    body: [
      'Hi {{customerName}},',
      "We've finished checking the items in your return {{rmaNumber}}.",
      'Result: {{status}}',
      '{{explanation}}',
      "We're now getting the next step ready, and we'll email you as soon as it's under way.",
      {
        text: 'See the full result on your return page: {{trackingUrl}}',
        html: `<p>See the full result on ${link('your return page')}.</p>`,
      },
    ],
    sms: "{{shopName}}: we've checked the items in your return {{rmaNumber}}. See the result: {{trackingUrl}}",
  },
  refund_started: {
    subject: 'Your refund for return {{rmaNumber}} is on its way',
    body: [
      'Hi {{customerName}},',
      "We've started the refund for your return {{rmaNumber}}.",
      'Refund amount: {{refundAmount}}',
      'It goes back to your original payment method. Depending on your bank, it can take 5 to 10 business days to show up on your statement.',
      {
        text: 'You can follow your refund here: {{trackingUrl}}',
        html: `<p>You can follow your refund on ${link('your return page')}.</p>`,
      },
    ],
    sms: "{{shopName}}: we've started the refund for your return {{rmaNumber}}. Banks can take 5-10 business days. Details: {{trackingUrl}}",
  },
  refund_succeeded: {
    subject: 'Your refund for return {{rmaNumber}} is complete',
    body: [
      'Hi {{customerName}},',
      'Your refund for return {{rmaNumber}} is complete.',
      'Amount refunded: {{refundAmount}}',
      "If you don't see it on your statement yet, please give your bank a few more days. Thanks for shopping with {{shopName}}!",
      {
        text: 'You can see all the details on your return page: {{trackingUrl}}',
        html: `<p>You can see all the details on ${link('your return page')}.</p>`,
      },
    ],
    sms: '{{shopName}}: your refund for return {{rmaNumber}} is complete. Thanks for your patience! Details: {{trackingUrl}}',
  },
  refund_delayed: {
    subject: 'Your refund for return {{rmaNumber}} is taking longer than expected',
    body: [
      'Hi {{customerName}},',
      "We're sorry: your refund for return {{rmaNumber}} is taking longer than we expected.",
      'Refund amount: {{refundAmount}}',
      '{{explanation}}',
      "We're on it, and you don't need to do anything. We'll email you as soon as it goes through.",
      {
        text: 'You can check on your refund here: {{trackingUrl}}',
        html: `<p>You can check on your refund on ${link('your return page')}.</p>`,
      },
    ],
    sms: "{{shopName}}: sorry, your refund for return {{rmaNumber}} is delayed. We're on it, no action needed. Updates: {{trackingUrl}}",
  },
  store_credit_issued: {
    subject: 'Your store credit for return {{rmaNumber}} is ready',
    body: [
      'Hi {{customerName}},',
      "We've added store credit to your account for your return {{rmaNumber}}.",
      'Credit added: {{refundAmount}}',
      "It's ready to use on your next order with {{shopName}}.",
      {
        text: 'You can see the details on your return page: {{trackingUrl}}',
        html: `<p>You can see the details on ${link('your return page')}.</p>`,
      },
    ],
    sms: '{{shopName}}: your store credit for return {{rmaNumber}} is ready to use. Details: {{trackingUrl}}',
  },
  wallet_credited: {
    subject: 'The refund for return {{rmaNumber}} is in your wallet',
    body: [
      'Hi {{customerName}},',
      "We've put the refund for your return {{rmaNumber}} into your wallet with {{shopName}}.",
      'Added to your wallet: {{refundAmount}}',
      'It is there at once: spend it on your next order, or send it back to your original payment method from your return page whenever you like.',
      {
        text: 'Your balance and withdrawals: {{trackingUrl}}',
        html: `<p>See your balance and withdraw it on ${link('your return page')}.</p>`,
      },
    ],
    sms: '{{shopName}}: the refund for your return {{rmaNumber}} is in your wallet. Balance and withdrawals: {{trackingUrl}}',
  },
  replacement_shipped: {
    subject: 'Your replacement for return {{rmaNumber}} has shipped',
    body: [
      'Hi {{customerName}},',
      'Good news: your replacement for return {{rmaNumber}} is on its way!',
      'What we sent:\n{{items}}',
      'Carrier: {{carrier}}',
      'Tracking number: {{trackingNumber}}',
      {
        text: 'Follow it here: {{trackingUrl}}',
        html: `<p>You can follow it on ${link('your return page')}.</p>`,
      },
    ],
    sms: '{{shopName}}: your replacement for return {{rmaNumber}} has shipped. Follow it here: {{trackingUrl}}',
  },
  return_closed: {
    subject: 'Your return {{rmaNumber}} is complete',
    body: [
      'Hi {{customerName}},',
      'Your return {{rmaNumber}} for order {{orderNumber}} is now complete and closed.',
      '{{explanation}}',
      "Thanks for your patience along the way. If anything doesn't look right, just reply to this email.",
      {
        text: 'You can still see the full history of your return here: {{trackingUrl}}',
        html: `<p>You can still see the full history on ${link('your return page')}.</p>`,
      },
    ],
    sms: '{{shopName}}: your return {{rmaNumber}} is complete. Thanks for your patience! Summary: {{trackingUrl}}',
  },
  staff_message: {
    subject: 'A message about your return {{rmaNumber}}',
    body: [
      'Hi {{customerName}},',
      'Our team sent you a message about your return {{rmaNumber}}:',
      { text: '{{message}}', html: quote('message') },
      {
        text: 'You can reply to this email or see the conversation on your return page: {{trackingUrl}}',
        html: `<p>You can reply to this email or see the conversation on ${link('your return page')}.</p>`,
      },
    ],
    sms: '{{shopName}}: you have a new message about your return {{rmaNumber}}. Read it here: {{trackingUrl}}',
  },
  digest: {
    subject: 'Updates on your return {{rmaNumber}}',
    body: [
      'Hi {{customerName}},',
      "Here's what has happened with your return {{rmaNumber}} for order {{orderNumber}}:",
      '{{changes}}',
      {
        text: 'See the latest on your return page: {{trackingUrl}}',
        html: `<p>See the latest on ${link('your return page')}.</p>`,
      },
    ],
    sms: '{{shopName}}: there are new updates on your return {{rmaNumber}}. See them here: {{trackingUrl}}',
  },
};

// Polite 您 throughout, as customer service writes in mainland China. A space separates Han
// characters from a placeholder (the values are Latin: RMA-1042), never a CJK punctuation mark.
// SMS copy opens with the 【signature】 that Chinese carriers expect.
const ZH: Record<NotifyEvent, Copy> = {
  return_requested: {
    subject: '我们已收到您的退货申请（{{rmaNumber}}）',
    body: [
      '{{customerName}}，您好：',
      '感谢您联系我们。我们已收到您对订单 {{orderNumber}} 的退货申请，退货单号为 {{rmaNumber}}。',
      '本次退货的商品：\n{{items}}',
      '我们会尽快审核，一有进展就会发邮件通知您。目前您无需进行任何操作。',
      {
        text: '您可以随时在这里查看退货进度：{{trackingUrl}}',
        html: `<p>您可以随时在${link('退货详情页')}查看进度。</p>`,
      },
    ],
    sms: '【{{shopName}}】我们已收到您的退货申请 {{rmaNumber}}，审核后会尽快通知您。查看进度：{{trackingUrl}}',
  },
  return_approved: {
    subject: '好消息：您的退货（{{rmaNumber}}）已获批准',
    body: [
      '{{customerName}}，您好：',
      '好消息！您订单 {{orderNumber}} 的退货 {{rmaNumber}} 已获批准。',
      '已批准退货的商品：\n{{items}}',
      '请于{{deadline}}前寄回商品。',
      {
        text: '寄件所需的一切（包括寄回说明）都在您的退货详情页：{{trackingUrl}}',
        html: `<p>寄件所需的一切（包括寄回说明）都在您的${link('退货详情页')}。</p>`,
      },
      '请妥善包装商品，并保留寄件凭证，直到退货全部完成。',
    ],
    sms: '【{{shopName}}】好消息！您的退货 {{rmaNumber}} 已获批准。寄回说明：{{trackingUrl}}',
  },
  return_approved_no_parcel: {
    subject: '好消息：您的退货（{{rmaNumber}}）已获批准',
    body: [
      '{{customerName}}，您好：',
      '好消息！订单 {{orderNumber}} 的退货 {{rmaNumber}} 已获批准，您无需寄回任何商品。',
      '{{explanation}}',
      '退款一发出，我们就会通知您。',
      {
        text: '在这里查看退货进度：{{trackingUrl}}',
        html: `<p>您可以在${link('退货详情页')}查看退货进度。</p>`,
      },
    ],
    sms: '【{{shopName}}】好消息，您的退货 {{rmaNumber}} 已获批准，无需寄回商品。查看进度：{{trackingUrl}}',
  },
  return_needs_review: {
    subject: '我们正在进一步审核您的退货（{{rmaNumber}}）',
    body: [
      '{{customerName}}，您好：',
      '感谢您的耐心等待。您订单 {{orderNumber}} 的退货 {{rmaNumber}} 需要我们的团队进一步核实后才能继续处理。',
      '{{explanation}}',
      '这可能比平时多花一点时间，但您无需进行任何操作。我们一有结果就会发邮件通知您。',
      {
        text: '在此期间，您可以在这里查看退货状态：{{trackingUrl}}',
        html: `<p>在此期间，您可以在${link('退货详情页')}查看状态。</p>`,
      },
    ],
    sms: '【{{shopName}}】我们正在进一步审核您的退货 {{rmaNumber}}，有结果会尽快通知您：{{trackingUrl}}',
  },
  return_rejected: {
    subject: '关于您的退货（{{rmaNumber}}）：很抱歉，未能通过审核',
    body: [
      '{{customerName}}，您好：',
      '很抱歉，您订单 {{orderNumber}} 的退货 {{rmaNumber}} 未能通过审核。',
      '原因：{{explanation}}',
      '如果您认为我们的判断有误，或有任何疑问，直接回复这封邮件即可，我们很乐意为您解答。',
      {
        text: '您可以在退货详情页查看具体信息：{{trackingUrl}}',
        html: `<p>您可以在${link('退货详情页')}查看具体信息。</p>`,
      },
    ],
    sms: '【{{shopName}}】很抱歉，您的退货 {{rmaNumber}} 未能通过审核。查看原因及联系方式：{{trackingUrl}}',
  },
  return_cancelled: {
    subject: '您的退货（{{rmaNumber}}）已取消',
    body: [
      '{{customerName}}，您好：',
      '您订单 {{orderNumber}} 的退货 {{rmaNumber}} 已取消，无需再寄回任何商品。',
      '{{explanation}}',
      '如果您改变了主意，或是不小心取消了，只要订单仍在退货期限内，您可以重新发起退货。',
      {
        text: '您仍可在退货详情页查看相关信息：{{trackingUrl}}',
        html: `<p>您仍可在${link('退货详情页')}查看相关信息。</p>`,
      },
    ],
    sms: '【{{shopName}}】您的退货 {{rmaNumber}} 已取消，无需寄回商品。详情：{{trackingUrl}}',
  },
  return_in_transit: {
    subject: '您的退货（{{rmaNumber}}）正在寄回途中',
    body: [
      '{{customerName}}，您好：',
      '您的包裹正在寄回给我们的路上，感谢您寄回商品！',
      '承运商：{{carrier}}',
      '运单号：{{trackingNumber}}',
      '包裹一到，我们就会通知您。',
      {
        text: '在这里跟踪退货进度：{{trackingUrl}}',
        html: `<p>您可以在${link('退货详情页')}跟踪进度。</p>`,
      },
    ],
    sms: '【{{shopName}}】您的退货 {{rmaNumber}} 正在寄回途中，到货后我们会通知您：{{trackingUrl}}',
  },
  return_received: {
    subject: '我们已收到您的退货（{{rmaNumber}}）',
    body: [
      '{{customerName}}，您好：',
      '您的包裹已安全送达，谢谢您！',
      '接下来，我们会检查退货 {{rmaNumber}} 中的商品。检查完成后，我们会发邮件告诉您下一步安排。',
      {
        text: '在这里查看退货进度：{{trackingUrl}}',
        html: `<p>您可以在${link('退货详情页')}查看进度。</p>`,
      },
    ],
    sms: '【{{shopName}}】您的退货 {{rmaNumber}} 已送达，我们检查商品后会通知您：{{trackingUrl}}',
  },
  return_inspected: {
    subject: '您的退货（{{rmaNumber}}）已完成检查',
    body: [
      '{{customerName}}，您好：',
      '我们已检查完您退货 {{rmaNumber}} 中的商品。',
      '检查结果：{{status}}',
      '{{explanation}}',
      '我们正在安排下一步，开始处理后会第一时间发邮件通知您。',
      {
        text: '在退货详情页查看完整结果：{{trackingUrl}}',
        html: `<p>您可以在${link('退货详情页')}查看完整结果。</p>`,
      },
    ],
    sms: '【{{shopName}}】您退货 {{rmaNumber}} 中的商品已检查完毕，查看结果：{{trackingUrl}}',
  },
  refund_started: {
    subject: '您的退货（{{rmaNumber}}）退款已发起',
    body: [
      '{{customerName}}，您好：',
      '我们已为您的退货 {{rmaNumber}} 发起退款。',
      '退款金额：{{refundAmount}}',
      '款项将退回您的原支付方式。视银行而定，可能需要5至10个工作日才会到账。',
      {
        text: '在这里查看退款进度：{{trackingUrl}}',
        html: `<p>您可以在${link('退货详情页')}查看退款进度。</p>`,
      },
    ],
    sms: '【{{shopName}}】您的退货 {{rmaNumber}} 退款已发起，银行到账约需5至10个工作日。详情：{{trackingUrl}}',
  },
  refund_succeeded: {
    subject: '您的退货（{{rmaNumber}}）退款已完成',
    body: [
      '{{customerName}}，您好：',
      '您的退货 {{rmaNumber}} 退款已完成。',
      '退款金额：{{refundAmount}}',
      '如果账单上暂时还看不到这笔款项，请再耐心等几天。感谢您选择 {{shopName}}！',
      {
        text: '在退货详情页查看全部信息：{{trackingUrl}}',
        html: `<p>您可以在${link('退货详情页')}查看全部信息。</p>`,
      },
    ],
    sms: '【{{shopName}}】您的退货 {{rmaNumber}} 退款已完成，感谢您的耐心等待！详情：{{trackingUrl}}',
  },
  refund_delayed: {
    subject: '您的退货（{{rmaNumber}}）退款比预期慢了一些',
    body: [
      '{{customerName}}，您好：',
      '很抱歉，您的退货 {{rmaNumber}} 的退款比我们预期的要慢。',
      '退款金额：{{refundAmount}}',
      '{{explanation}}',
      '我们正在跟进处理，您无需进行任何操作。退款一完成，我们就会发邮件通知您。',
      {
        text: '在这里查看退款进度：{{trackingUrl}}',
        html: `<p>您可以在${link('退货详情页')}查看退款进度。</p>`,
      },
    ],
    sms: '【{{shopName}}】很抱歉，您的退货 {{rmaNumber}} 退款有所延迟。我们正在处理，您无需操作：{{trackingUrl}}',
  },
  store_credit_issued: {
    subject: '您的退货（{{rmaNumber}}）店铺余额已到账',
    body: [
      '{{customerName}}，您好：',
      '我们已将退货 {{rmaNumber}} 对应的店铺余额存入您的账户。',
      '到账金额：{{refundAmount}}',
      '下次在 {{shopName}} 购物时即可使用。',
      {
        text: '在退货详情页查看具体信息：{{trackingUrl}}',
        html: `<p>您可以在${link('退货详情页')}查看具体信息。</p>`,
      },
    ],
    sms: '【{{shopName}}】您的退货 {{rmaNumber}} 对应的店铺余额已到账，可直接使用。详情：{{trackingUrl}}',
  },
  wallet_credited: {
    subject: '您的退货（{{rmaNumber}}）退款已存入钱包',
    body: [
      '{{customerName}}，您好：',
      '我们已将退货 {{rmaNumber}} 的退款存入您在 {{shopName}} 的钱包。',
      '存入钱包：{{refundAmount}}',
      '款项即时到账：您可以用于下一笔订单，也可以随时在退货详情页申请退回原支付方式。',
      {
        text: '查看余额并申请提现：{{trackingUrl}}',
        html: `<p>您可以在${link('退货详情页')}查看余额并申请提现。</p>`,
      },
    ],
    sms: '【{{shopName}}】您的退货 {{rmaNumber}} 退款已存入钱包。查看余额与提现：{{trackingUrl}}',
  },
  replacement_shipped: {
    subject: '您的退货（{{rmaNumber}}）换货已发出',
    body: [
      '{{customerName}}，您好：',
      '好消息！您退货 {{rmaNumber}} 的换货商品已发出。',
      '换货商品：\n{{items}}',
      '承运商：{{carrier}}',
      '运单号：{{trackingNumber}}',
      {
        text: '在这里跟踪进度：{{trackingUrl}}',
        html: `<p>您可以在${link('退货详情页')}跟踪进度。</p>`,
      },
    ],
    sms: '【{{shopName}}】您退货 {{rmaNumber}} 的换货已发出，查看进度：{{trackingUrl}}',
  },
  return_closed: {
    subject: '您的退货（{{rmaNumber}}）已完成',
    body: [
      '{{customerName}}，您好：',
      '您订单 {{orderNumber}} 的退货 {{rmaNumber}} 已全部完成并关闭。',
      '{{explanation}}',
      '感谢您一路以来的耐心。如有任何不对的地方，直接回复这封邮件即可。',
      {
        text: '您仍可在这里查看退货的完整记录：{{trackingUrl}}',
        html: `<p>您仍可在${link('退货详情页')}查看完整记录。</p>`,
      },
    ],
    sms: '【{{shopName}}】您的退货 {{rmaNumber}} 已完成，感谢您的耐心！查看记录：{{trackingUrl}}',
  },
  staff_message: {
    subject: '关于您的退货（{{rmaNumber}}）的新消息',
    body: [
      '{{customerName}}，您好：',
      '我们的团队就您的退货 {{rmaNumber}} 给您发来一条消息：',
      { text: '{{message}}', html: quote('message') },
      {
        text: '您可以直接回复这封邮件，或在退货详情页查看对话：{{trackingUrl}}',
        html: `<p>您可以直接回复这封邮件，或在${link('退货详情页')}查看对话。</p>`,
      },
    ],
    sms: '【{{shopName}}】关于您的退货 {{rmaNumber}}，您有一条新消息，点击查看：{{trackingUrl}}',
  },
  digest: {
    subject: '您的退货（{{rmaNumber}}）有新进展',
    body: [
      '{{customerName}}，您好：',
      '您订单 {{orderNumber}} 的退货 {{rmaNumber}} 有以下新进展：',
      '{{changes}}',
      {
        text: '在退货详情页查看最新情况：{{trackingUrl}}',
        html: `<p>您可以在${link('退货详情页')}查看最新情况。</p>`,
      },
    ],
    sms: '【{{shopName}}】您的退货 {{rmaNumber}} 有新进展，点击查看：{{trackingUrl}}',
  },
};

// Neutral Spanish with tú, understood from Madrid to Mexico City; "Hola, Ana:" is the
// standard letter greeting. á/í/ó/ú are not in GSM-7, so Spanish SMS go out as UCS-2
// (70 chars a segment) and are kept within three segments.
const ES: Record<NotifyEvent, Copy> = {
  return_requested: {
    subject: 'Hemos recibido tu solicitud de devolución {{rmaNumber}}',
    body: [
      'Hola, {{customerName}}:',
      'Gracias por escribirnos. Hemos recibido tu solicitud para devolver artículos del pedido {{orderNumber}}. Tu número de devolución es {{rmaNumber}}.',
      'Artículos de esta devolución:\n{{items}}',
      'Revisaremos tu solicitud y te escribiremos en cuanto haya novedades. Por ahora no tienes que hacer nada.',
      {
        text: 'Puedes seguir tu devolución en cualquier momento aquí: {{trackingUrl}}',
        html: `<p>Puedes seguir tu devolución en cualquier momento en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: recibimos tu solicitud de devolución {{rmaNumber}}. Te escribiremos pronto. Síguela aquí: {{trackingUrl}}',
  },
  return_approved: {
    subject: 'Buenas noticias: hemos aprobado tu devolución {{rmaNumber}}',
    body: [
      'Hola, {{customerName}}:',
      '¡Buenas noticias! Hemos aprobado tu devolución {{rmaNumber}} del pedido {{orderNumber}}.',
      'Artículos aprobados para devolver:\n{{items}}',
      'Envíanos los artículos antes del {{deadline}}.',
      {
        text: 'En la página de tu devolución encontrarás todo lo necesario para enviar el paquete, incluidas las instrucciones de envío: {{trackingUrl}}',
        html: `<p>En ${link('la página de tu devolución')} encontrarás todo lo necesario para enviar el paquete, incluidas las instrucciones de envío.</p>`,
      },
      'Embala bien los artículos y guarda el comprobante de envío hasta que la devolución esté completa.',
    ],
    sms: '{{shopName}}: ¡hemos aprobado tu devolución {{rmaNumber}}! Instrucciones de envío: {{trackingUrl}}',
  },
  return_approved_no_parcel: {
    subject: 'Buenas noticias: hemos aprobado tu devolución {{rmaNumber}}',
    body: [
      'Hola, {{customerName}}:',
      '¡Buenas noticias! Hemos aprobado tu devolución {{rmaNumber}} del pedido {{orderNumber}} y no tienes que enviarnos nada.',
      '{{explanation}}',
      'Te avisaremos en cuanto tu reembolso esté en camino.',
      {
        text: 'Puedes seguir tu devolución aquí: {{trackingUrl}}',
        html: `<p>Puedes seguir tu devolución en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: buenas noticias, hemos aprobado tu devolución {{rmaNumber}} y no tienes que enviar nada. Síguela: {{trackingUrl}}',
  },
  return_needs_review: {
    subject: 'Estamos revisando con más detalle tu devolución {{rmaNumber}}',
    body: [
      'Hola, {{customerName}}:',
      'Gracias por tu paciencia. Antes de continuar, nuestro equipo necesita revisar con más detalle tu devolución {{rmaNumber}} del pedido {{orderNumber}}.',
      '{{explanation}}',
      'Puede tardar un poco más de lo habitual, pero no tienes que hacer nada. Te escribiremos en cuanto tengamos una decisión.',
      {
        text: 'Mientras tanto, puedes consultar el estado de tu devolución aquí: {{trackingUrl}}',
        html: `<p>Mientras tanto, puedes consultar el estado en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: nuestro equipo está revisando tu devolución {{rmaNumber}}. Te avisaremos pronto: {{trackingUrl}}',
  },
  return_rejected: {
    subject: 'Sobre tu devolución {{rmaNumber}}: no hemos podido aprobarla',
    body: [
      'Hola, {{customerName}}:',
      'Lo sentimos, pero no hemos podido aprobar tu devolución {{rmaNumber}} del pedido {{orderNumber}}.',
      'El motivo: {{explanation}}',
      'Si crees que nos hemos equivocado o tienes alguna pregunta, responde a este correo y te ayudaremos con gusto.',
      {
        text: 'Puedes ver los detalles en la página de tu devolución: {{trackingUrl}}',
        html: `<p>Puedes ver los detalles en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: lo sentimos, no pudimos aprobar tu devolución {{rmaNumber}}. Motivo y contacto: {{trackingUrl}}',
  },
  return_cancelled: {
    subject: 'Tu devolución {{rmaNumber}} se ha cancelado',
    body: [
      'Hola, {{customerName}}:',
      'Tu devolución {{rmaNumber}} del pedido {{orderNumber}} se ha cancelado, así que no hace falta que nos envíes nada.',
      '{{explanation}}',
      '¿Has cambiado de opinión o la cancelaste sin querer? Puedes iniciar una nueva devolución mientras tu pedido siga dentro del plazo.',
      {
        text: 'Puedes seguir consultando los detalles en la página de tu devolución: {{trackingUrl}}',
        html: `<p>Puedes seguir consultando los detalles en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: tu devolución {{rmaNumber}} se ha cancelado. No hace falta enviar nada. Detalles: {{trackingUrl}}',
  },
  return_in_transit: {
    subject: 'Tu devolución {{rmaNumber}} ya viene de camino',
    body: [
      'Hola, {{customerName}}:',
      'Tu paquete ya está de camino hacia nosotros. ¡Gracias por enviarlo!',
      'Transportista: {{carrier}}',
      'Número de seguimiento: {{trackingNumber}}',
      'Te avisaremos en cuanto llegue.',
      {
        text: 'Sigue tu devolución aquí: {{trackingUrl}}',
        html: `<p>Puedes seguir tu devolución en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: tu devolución {{rmaNumber}} ya viene de camino. Te avisaremos cuando llegue: {{trackingUrl}}',
  },
  return_received: {
    subject: 'Hemos recibido tu devolución {{rmaNumber}}',
    body: [
      'Hola, {{customerName}}:',
      'Tu paquete ha llegado sin problemas. ¡Gracias!',
      'Ahora revisaremos los artículos de tu devolución {{rmaNumber}}. Cuando terminemos, te escribiremos para contarte los siguientes pasos.',
      {
        text: 'Sigue tu devolución aquí: {{trackingUrl}}',
        html: `<p>Puedes seguir tu devolución en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: tu devolución {{rmaNumber}} ha llegado. Revisaremos los artículos y te avisaremos: {{trackingUrl}}',
  },
  return_inspected: {
    subject: 'Hemos revisado los artículos de tu devolución {{rmaNumber}}',
    body: [
      'Hola, {{customerName}}:',
      'Ya hemos terminado de revisar los artículos de tu devolución {{rmaNumber}}.',
      'Resultado: {{status}}',
      '{{explanation}}',
      'Ahora estamos preparando el siguiente paso y te escribiremos en cuanto esté en marcha.',
      {
        text: 'Consulta el resultado completo en la página de tu devolución: {{trackingUrl}}',
        html: `<p>Consulta el resultado completo en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: ya revisamos los artículos de tu devolución {{rmaNumber}}. Mira el resultado: {{trackingUrl}}',
  },
  refund_started: {
    subject: 'El reembolso de tu devolución {{rmaNumber}} está en camino',
    body: [
      'Hola, {{customerName}}:',
      'Hemos iniciado el reembolso de tu devolución {{rmaNumber}}.',
      'Importe del reembolso: {{refundAmount}}',
      'Lo recibirás en el mismo método de pago que usaste. Según tu banco, puede tardar entre 5 y 10 días hábiles en aparecer en tu cuenta.',
      {
        text: 'Puedes seguir tu reembolso aquí: {{trackingUrl}}',
        html: `<p>Puedes seguir tu reembolso en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: iniciamos el reembolso de tu devolución {{rmaNumber}}. Tu banco puede tardar 5-10 días hábiles. Detalles: {{trackingUrl}}',
  },
  refund_succeeded: {
    subject: 'Se ha completado el reembolso de tu devolución {{rmaNumber}}',
    body: [
      'Hola, {{customerName}}:',
      'El reembolso de tu devolución {{rmaNumber}} se ha completado.',
      'Importe reembolsado: {{refundAmount}}',
      'Si todavía no lo ves en tu cuenta, dale a tu banco unos días más. ¡Gracias por comprar en {{shopName}}!',
      {
        text: 'Puedes ver todos los detalles en la página de tu devolución: {{trackingUrl}}',
        html: `<p>Puedes ver todos los detalles en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: el reembolso de tu devolución {{rmaNumber}} se ha completado. ¡Gracias por tu paciencia! Detalles: {{trackingUrl}}',
  },
  refund_delayed: {
    subject: 'El reembolso de tu devolución {{rmaNumber}} está tardando más de lo previsto',
    body: [
      'Hola, {{customerName}}:',
      'Lo sentimos: el reembolso de tu devolución {{rmaNumber}} está tardando más de lo que esperábamos.',
      'Importe del reembolso: {{refundAmount}}',
      '{{explanation}}',
      'Ya nos estamos ocupando y no tienes que hacer nada. Te escribiremos en cuanto se complete.',
      {
        text: 'Puedes consultar tu reembolso aquí: {{trackingUrl}}',
        html: `<p>Puedes consultar tu reembolso en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: lo sentimos, el reembolso de tu devolución {{rmaNumber}} se está retrasando. Ya nos ocupamos: {{trackingUrl}}',
  },
  store_credit_issued: {
    subject: 'Ya tienes el saldo de tu devolución {{rmaNumber}}',
    body: [
      'Hola, {{customerName}}:',
      'Hemos añadido saldo a tu cuenta por tu devolución {{rmaNumber}}.',
      'Saldo añadido: {{refundAmount}}',
      'Ya puedes usarlo en tu próximo pedido en {{shopName}}.',
      {
        text: 'Puedes ver los detalles en la página de tu devolución: {{trackingUrl}}',
        html: `<p>Puedes ver los detalles en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: ya puedes usar el saldo de tu devolución {{rmaNumber}}. Detalles: {{trackingUrl}}',
  },
  wallet_credited: {
    subject: 'El reembolso de tu devolución {{rmaNumber}} está en tu monedero',
    body: [
      'Hola, {{customerName}}:',
      'Hemos ingresado el reembolso de tu devolución {{rmaNumber}} en tu monedero de {{shopName}}.',
      'Añadido a tu monedero: {{refundAmount}}',
      'Ya está disponible: úsalo en tu próximo pedido o devuélvelo a tu método de pago original cuando quieras desde la página de tu devolución.',
      {
        text: 'Tu saldo y tus retiradas: {{trackingUrl}}',
        html: `<p>Consulta tu saldo y retíralo en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: el reembolso de tu devolución {{rmaNumber}} está en tu monedero. Saldo y retiradas: {{trackingUrl}}',
  },
  replacement_shipped: {
    subject: 'Hemos enviado el reemplazo de tu devolución {{rmaNumber}}',
    body: [
      'Hola, {{customerName}}:',
      '¡Buenas noticias! El reemplazo de tu devolución {{rmaNumber}} ya está en camino.',
      'Lo que te enviamos:\n{{items}}',
      'Transportista: {{carrier}}',
      'Número de seguimiento: {{trackingNumber}}',
      {
        text: 'Síguelo aquí: {{trackingUrl}}',
        html: `<p>Puedes seguirlo en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: hemos enviado el reemplazo de tu devolución {{rmaNumber}}. Síguelo aquí: {{trackingUrl}}',
  },
  return_closed: {
    subject: 'Tu devolución {{rmaNumber}} se ha completado',
    body: [
      'Hola, {{customerName}}:',
      'Tu devolución {{rmaNumber}} del pedido {{orderNumber}} se ha completado y cerrado.',
      '{{explanation}}',
      'Gracias por tu paciencia durante todo el proceso. Si algo no te cuadra, responde a este correo.',
      {
        text: 'Puedes seguir viendo el historial completo de tu devolución aquí: {{trackingUrl}}',
        html: `<p>Puedes seguir viendo el historial completo en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: tu devolución {{rmaNumber}} se ha completado. ¡Gracias por tu paciencia! Resumen: {{trackingUrl}}',
  },
  staff_message: {
    subject: 'Un mensaje sobre tu devolución {{rmaNumber}}',
    body: [
      'Hola, {{customerName}}:',
      'Nuestro equipo te ha enviado un mensaje sobre tu devolución {{rmaNumber}}:',
      { text: '{{message}}', html: quote('message') },
      {
        text: 'Puedes responder a este correo o ver la conversación en la página de tu devolución: {{trackingUrl}}',
        html: `<p>Puedes responder a este correo o ver la conversación en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: tienes un mensaje nuevo sobre tu devolución {{rmaNumber}}. Léelo aquí: {{trackingUrl}}',
  },
  digest: {
    subject: 'Novedades sobre tu devolución {{rmaNumber}}',
    body: [
      'Hola, {{customerName}}:',
      'Esto es lo que ha pasado con tu devolución {{rmaNumber}} del pedido {{orderNumber}}:',
      '{{changes}}',
      {
        text: 'Consulta lo último en la página de tu devolución: {{trackingUrl}}',
        html: `<p>Consulta lo último en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: hay novedades sobre tu devolución {{rmaNumber}}. Consúltalas aquí: {{trackingUrl}}',
  },
};

const COPY: Record<Locale, Record<NotifyEvent, Copy>> = { en: EN, 'zh-CN': ZH, es: ES };

export const DEFAULT_TEMPLATES: Record<NotifyEvent, Record<Locale, TemplateSet>> = Object.fromEntries(
  NOTIFY_EVENTS.map((event) => [
    event,
    Object.fromEntries(LOCALES.map((locale) => [locale, toTemplateSet(COPY[locale][event])])),
  ]),
) as Record<NotifyEvent, Record<Locale, TemplateSet>>;
