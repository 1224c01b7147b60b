/**
 * Turns an event's templates into a complete email: subject, plain text and a responsive
 * HTML document. Pure.
 */
import {
  DEFAULT_TEMPLATES,
  escapeHtml,
  type Locale,
  type NotifyEvent,
  OPTIONAL_VARS,
  renderTemplate,
  type TemplateSet,
  type TemplateVars,
  templateVariables,
} from './templates.ts';

export type RenderedEmail = { subject: string; text: string; html: string };

type LayoutCopy = {
  button: string;
  /** Labels before a spelled-out link; the separator is part of the label (no space after ：). */
  trackLine: string;
  reason: string;
  unsubscribe: string;
  unsubscribeLine: string;
  fontFamily: string;
};

const LATIN_FONTS = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

const LAYOUT: Record<Locale, LayoutCopy> = {
  en: {
    button: 'Track your return',
    trackLine: 'Track your return: ',
    reason: "You're receiving this email because you have a return with {{shopName}}.",
    unsubscribe: 'Unsubscribe from these emails',
    unsubscribeLine: 'Unsubscribe: ',
    fontFamily: LATIN_FONTS,
  },
  'zh-CN': {
    button: '查看退货进度',
    trackLine: '查看退货进度：',
    reason: '您收到这封邮件，是因为您在 {{shopName}} 有一笔退货。',
    unsubscribe: '退订此类邮件',
    unsubscribeLine: '退订：',
    // Windows and macOS ship different CJK faces; without them Outlook falls back to SimSun.
    fontFamily: `-apple-system,BlinkMacSystemFont,'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Segoe UI',Roboto,Helvetica,Arial,sans-serif`,
  },
  es: {
    button: 'Seguir mi devolución',
    trackLine: 'Sigue tu devolución: ',
    reason: 'Recibes este correo porque tienes una devolución con {{shopName}}.',
    unsubscribe: 'Darme de baja de estos correos',
    unsubscribeLine: 'Darse de baja: ',
    fontFamily: LATIN_FONTS,
  },
};

const OPTIONAL: ReadonlySet<string> = new Set(OPTIONAL_VARS);

/**
 * Renders `event` in `locale`. `overrides` (a tenant's own subject/text/html) replace the
 * defaults field by field; a blank override counts as none, so an emptied form field in the
 * tenant UI cannot send an empty email.
 */
export function renderEmail(
  event: NotifyEvent,
  locale: Locale,
  vars: TemplateVars,
  overrides?: Partial<TemplateSet>,
): RenderedEmail {
  const defaults = DEFAULT_TEMPLATES[event][locale];
  const pick = (field: 'subject' | 'text' | 'html') => {
    const o = overrides?.[field];
    return typeof o === 'string' && o.trim() !== '' ? o : defaults[field];
  };
  const layout = LAYOUT[locale];

  // A subject is one header line: newlines in a value (a customer name) must not fold it.
  const subject = renderTemplate(pick('subject'), vars, 'text').replace(/\s+/g, ' ').trim();

  let body = renderTemplate(dropUnfilledParagraphs(pick('text'), vars), vars, 'text').trim();
  // An override may forget the link; the customer must still be able to follow the return.
  if (!body.includes(vars.trackingUrl)) body += `\n\n${layout.trackLine}${vars.trackingUrl}`;
  const reason = renderTemplate(layout.reason, vars, 'text');
  // "-- " is the standard signature separator: clients fold or grey out what follows.
  const text = `${body}\n\n-- \n${vars.shopName}\n${reason}\n${layout.unsubscribeLine}${vars.unsubscribeUrl}\n`;

  const fragment = renderTemplate(dropUnfilledParagraphs(pick('html'), vars), vars, 'html');
  const html = htmlDocument({ locale, layout, vars, subject, preheader: preheaderOf(fragment), fragment });
  return { subject, text, html };
}

/**
 * Leaves out every paragraph (blank-line separated) that uses an optional variable the
 * event did not supply, so the copy needs no conditionals: "Tracking number: " never
 * appears without a number.
 */
function dropUnfilledParagraphs(template: string, vars: TemplateVars): string {
  return template
    .split(/\n[ \t]*\n/)
    .filter((block) =>
      templateVariables(block).every((name) => !OPTIONAL.has(name) || (vars[name] ?? '').trim() !== ''),
    )
    .join('\n\n');
}

/**
 * First real paragraph of the HTML body, as plain text: what inboxes show next to the
 * subject. Taken from the HTML (not the text part) so an HTML-only override gets a matching
 * preview.
 */
function preheaderOf(fragment: string): string {
  const paragraphs = fragment
    .split(/<\/p>|<br\s*\/?>|\n\s*\n/i)
    .map((p) =>
      decodeEntities(p.replace(/<[^>]*>/g, ''))
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((p) => p !== '');
  // Skip the greeting ("Hi Ana,", "Ana，您好：", "Hola, Ana:"); it says nothing about the news.
  const isGreeting = (p: string) => p.length <= 60 && /[,，:：]$/.test(p);
  const first = paragraphs.find((p) => !isGreeting(p)) ?? paragraphs[0] ?? '';
  return first.length <= 140 ? first : `${first.slice(0, 139)}…`;
}

function decodeEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&');
}

function htmlDocument(a: {
  locale: Locale;
  layout: LayoutCopy;
  vars: TemplateVars;
  subject: string;
  preheader: string;
  fragment: string;
}): string {
  const { locale, layout, vars } = a;
  const font = layout.fontFamily;
  const h = (template: string) => renderTemplate(template, vars, 'html');
  const trackingHref = h('{{trackingUrl}}');
  const unsubscribeHref = h('{{unsubscribeUrl}}');
  const shop = h('{{shopName}}');
  // Bare <p> from templates get margins inline: Gmail and Outlook ignore most <style> rules.
  const fragment = a.fragment.replace(/<p>/g, '<p style="margin:0 0 16px;">');
  // Invisible filler after the preheader keeps inboxes from padding the preview with the
  // first lines of the body.
  const filler = '&#847;&zwnj;&nbsp;'.repeat(40);

  return `<!DOCTYPE html>
<html lang="${locale}" dir="ltr" xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>${escapeHtml(a.subject)}</title>
<style>
:root { color-scheme: light dark; supported-color-schemes: light dark; }
@media only screen and (max-width: 620px) {
  .rf-container { width: 100% !important; }
  .rf-pad { padding-left: 20px !important; padding-right: 20px !important; }
  .rf-button a { display: block !important; }
}
@media (prefers-color-scheme: dark) {
  .rf-bg { background: #111418 !important; }
  .rf-card { background: #1c2026 !important; }
  .rf-fg, .rf-fg p { color: #e6e8eb !important; }
  .rf-fg a { color: #8ab4f8 !important; }
  .rf-muted, .rf-muted a { color: #9aa3ad !important; }
}
</style>
</head>
<body class="rf-bg" style="margin:0;padding:0;width:100%;background:#f3f4f6;-webkit-text-size-adjust:100%;">
<div style="display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all;" aria-hidden="true">${escapeHtml(a.preheader)}${filler}</div>
<table role="presentation" class="rf-bg" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f3f4f6;">
<tr>
<td align="center" style="padding:24px 12px;">
<!--[if mso]><table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->
<table role="presentation" class="rf-container rf-card" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background:#ffffff;border-radius:8px;">
<tr>
<td class="rf-pad rf-fg" style="padding:28px 40px 8px;font-family:${font};font-size:18px;font-weight:bold;line-height:1.4;color:#111827;">${shop}</td>
</tr>
<tr>
<td class="rf-pad rf-fg" style="padding:8px 40px 8px;font-family:${font};font-size:16px;line-height:1.6;color:#1f2933;">
${fragment}
</td>
</tr>
<tr>
<td class="rf-pad rf-button" align="center" style="padding:8px 40px 32px;">
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:0 auto;">
<tr>
<td align="center" bgcolor="#1a56db" style="border-radius:6px;background:#1a56db;">
<a href="${trackingHref}" target="_blank" style="display:inline-block;padding:14px 28px;font-family:${font};font-size:16px;font-weight:bold;line-height:1.2;color:#ffffff;text-decoration:none;border-radius:6px;">${escapeHtml(layout.button)}</a>
</td>
</tr>
</table>
</td>
</tr>
</table>
<table role="presentation" class="rf-container" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;">
<tr>
<td class="rf-pad rf-muted" align="center" style="padding:20px 40px;font-family:${font};font-size:13px;line-height:1.5;color:#6b7280;">
<p style="margin:0 0 8px;">${shop}</p>
<p style="margin:0 0 8px;">${h(layout.reason)}</p>
<p style="margin:0;"><a href="${unsubscribeHref}" target="_blank" style="color:#6b7280;text-decoration:underline;">${escapeHtml(layout.unsubscribe)}</a></p>
</td>
</tr>
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td>
</tr>
</table>
</body>
</html>
`;
}
