import type { DispatchPayload, Rendered, ReturnContext } from './channels/channel.ts';
import { renderEmail } from './render-email.ts';
import type { NotifySettings } from './settings.ts';
import {
  DEFAULT_TEMPLATES,
  formatAmount,
  formatDate,
  LOCALES,
  type Locale,
  type NotifyEvent,
  renderTemplate,
  type TemplateSet,
  type TemplateVars,
} from './templates.ts';
import { signUnsubscribe } from './unsubscribe-token.ts';

/** Notifications that announce a decision: their explanation is the decision's, in the reader's language. */
const DECISION_EVENTS: ReadonlySet<string> = new Set([
  'return_approved',
  'return_approved_no_parcel',
  'return_needs_review',
  'return_rejected',
]);

/** The words of a return's notifications: their variables, language and rendered texts. */
export function createReturnTexts(deps: {
  settings: NotifySettings;
  publicUrl: () => string;
  unsubscribeKey: Buffer;
}) {
  function varsFor(
    ctx: ReturnContext,
    locale: Locale,
    channel: 'email' | 'sms' | 'in_app',
    shopName: string,
    p: DispatchPayload,
  ): TemplateVars {
    const base = deps.publicUrl();
    return {
      shopName,
      customerName: ctx.customer.name || ctx.customer.email.split('@')[0]!,
      rmaNumber: ctx.rmaNumber,
      orderNumber: ctx.orderNumber,
      trackingUrl: `${base}/t/${ctx.trackingToken}`,
      unsubscribeUrl: `${base}/u/${signUnsubscribe(deps.unsubscribeKey, { tenantId: ctx.tenantId, customerId: ctx.customer.id, channel })}`,
      status: (p.status ?? ctx.status).replaceAll('_', ' '),
      refundAmount: formatAmount(ctx.customerTotal, ctx.currency, locale),
      items: ctx.items.map((i) => `${i.quantity} × ${i.title}`).join('\n'),
      explanation:
        (DECISION_EVENTS.has(p.event) ? ctx.explanations?.[locale] : undefined) ?? p.note ?? ctx.note ?? '',
      message: p.note ?? ctx.note ?? '',
      ...(ctx.shipBy ? { deadline: formatDate(ctx.shipBy, locale) } : {}),
      carrier: ctx.shipment?.carrier ?? '',
      trackingNumber: ctx.shipment?.trackingNumber ?? '',
    };
  }

  /** The customer's chosen language, else the one the return was filed in, else the shop's. */
  function localeOf(ctx: ReturnContext, fallback: Locale): Locale {
    const l = ctx.customer.locale ?? ctx.locale ?? null;
    if (l && (LOCALES as readonly string[]).includes(l)) return l as Locale;
    // "zh" or "es-MX" still find their language.
    const lang = l?.split('-')[0];
    return (LOCALES.find((x) => x.split('-')[0] === lang) ?? fallback) as Locale;
  }

  /** One event's texts in one language: the shop's override where it has one, else the default. */
  async function render(
    tenantId: string,
    event: NotifyEvent,
    locale: Locale,
    vars: TemplateVars,
    known?: Partial<TemplateSet> | null,
  ): Promise<Rendered> {
    // One dispatch renders the same event and language for every channel: read the override once.
    const override =
      known !== undefined ? known : await deps.settings.templateOverride(tenantId, event, locale);
    return renderWith(event, locale, vars, override ?? undefined);
  }

  return { varsFor, localeOf, render };
}

export type ReturnTexts = ReturnType<typeof createReturnTexts>;

/** Renders an event's email and SMS with an override; a blank field means the default, never empty. */
export function renderWith(
  event: NotifyEvent,
  locale: Locale,
  vars: TemplateVars,
  override: Partial<TemplateSet> | undefined,
): Rendered {
  const email = renderEmail(event, locale, vars, override);
  const sms = renderTemplate(
    override?.sms?.trim() ? override.sms : DEFAULT_TEMPLATES[event][locale].sms,
    vars,
    'text',
  );
  return { ...email, sms };
}
