/**
 * The shape of the built-in copy (templates/<locale>.ts). Each email body is a list of
 * paragraphs; text and HTML are derived from the same list (templates.ts) so the two parts
 * cannot drift apart. A paragraph is either plain copy (escaped and wrapped in <p> for HTML) or
 * a {text, html} pair where the HTML needs a link. Each paragraph that uses an optional variable
 * holds nothing else that matters, because the renderer drops it when that variable is missing.
 */
export type Paragraph = string | { text: string; html: string };
export type Copy = { subject: string; body: Paragraph[]; sms: string };

const LINK_STYLE = 'color:#1a56db;text-decoration:underline;';
/** A link to the return's tracking page, for a paragraph's HTML. */
export const link = (label: string) => `<a href="{{trackingUrl}}" style="${LINK_STYLE}">${label}</a>`;
/** A variable's text set apart as a quote (the staff member's message), for a paragraph's HTML. */
export const quote = (name: string) =>
  `<p style="margin:0 0 16px;padding:12px 16px;border-left:4px solid #c3cad5;background:#f6f7f9;">{{${name}}}</p>`;
