import { formatMoneyFor } from '../../platform/money.ts';

/**
 * The sentences a decision explains itself with, as keys and values, so one decision reads in
 * the customer's language: English is written when the return is decided (and kept, for staff
 * and integrators); Simplified Chinese and Spanish are rendered from the same items on request.
 */
export const EXPLAIN_LOCALES = ['en', 'zh-CN', 'es'] as const;
export type ExplainLocale = (typeof EXPLAIN_LOCALES)[number];

export type Money = { money: number; currency: string };
export type ExplainParams = Record<string, string | number | boolean | string[] | Money>;
export type ExplainItem = { key: ExplainKey; params?: ExplainParams };

type Fmt = {
  q: (title: string) => string;
  list: (items: string[]) => string;
  date: (ms: number) => string;
  money: (m: Money) => string;
};

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** One formatter set per locale: building Intl formatters costs more than formatting (per explanation line). */
const FMT = new Map<ExplainLocale, Fmt>();

function fmtFor(locale: ExplainLocale): Fmt {
  let fmt = FMT.get(locale);
  if (!fmt) {
    fmt = makeFmt(locale);
    FMT.set(locale, fmt);
  }
  return fmt;
}

function makeFmt(locale: ExplainLocale): Fmt {
  if (locale === 'en') {
    return {
      q: (t) => `“${t.trim() || 'this item'}”`,
      list: (q) => (q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} and ${q.at(-1)}`),
      date: (ms) => {
        const d = new Date(ms);
        return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
      },
      // As the pages show money ("$5.95"), so one page never mixes two styles.
      money: (m) => formatMoneyFor(m.money, m.currency, 'en'),
    };
  }
  const list = new Intl.ListFormat(locale, { type: 'conjunction' });
  const date = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return {
    q: (t) => (locale === 'zh-CN' ? `“${t.trim() || '此商品'}”` : `«${t.trim() || 'este artículo'}»`),
    list: (items) => list.format(items),
    date: (ms) => date.format(new Date(ms)),
    money: (m) => formatMoneyFor(m.money, m.currency, locale),
  };
}

type P = ExplainParams;
type Line = (p: P, f: Fmt) => string;
const s = (p: P, k: string) => String(p[k] ?? '');
const n = (p: P, k: string) => Number(p[k] ?? 0);
const m = (p: P, k: string) => p[k] as Money;
const STAGE_NAMES: Record<string, Record<ExplainLocale, string>> = {
  paid: { en: 'paid for', 'zh-CN': '付款', es: 'pagado' },
  purchasing: { en: 'being bought', 'zh-CN': '在采购中', es: 'en compra' },
  purchased: { en: 'bought from the seller', 'zh-CN': '向卖家购买', es: 'comprado al vendedor' },
  seller_shipped: { en: 'shipped by the seller', 'zh-CN': '由卖家发货', es: 'enviado por el vendedor' },
  in_warehouse: { en: 'in our warehouse', 'zh-CN': '到达仓库', es: 'en nuestro almacén' },
  qc_passed: { en: 'through quality check', 'zh-CN': '通过质检', es: 'revisado en control de calidad' },
  qc_failed: { en: 'failed quality check', 'zh-CN': '未通过质检', es: 'rechazado en control de calidad' },
  stored: { en: 'stored in our warehouse', 'zh-CN': '在仓库存放', es: 'guardado en nuestro almacén' },
  shipped_international: { en: 'shipped abroad', 'zh-CN': '国际发货', es: 'enviado al extranjero' },
  delivered: { en: 'delivered', 'zh-CN': '送达', es: 'entregado' },
  cancelled: { en: 'cancelled', 'zh-CN': '取消', es: 'cancelado' },
  returned_to_seller: { en: 'returned to the seller', 'zh-CN': '退回卖家', es: 'devuelto al vendedor' },
};
const stage = (p: P, locale: ExplainLocale) => STAGE_NAMES[s(p, 'stage')]?.[locale] ?? s(p, 'stage');
const titles = (p: P, f: Fmt) => f.list(((p.titles as string[]) ?? []).map(f.q));

const MESSAGES = {
  not_returnable: {
    en: (p, f) => `${f.q(s(p, 'title'))} can't be returned: items in ${s(p, 'category')} are not returnable.`,
    'zh-CN': (p, f) => `${f.q(s(p, 'title'))}无法退货：${s(p, 'category')}类商品不可退货。`,
    es: (p, f) =>
      `${f.q(s(p, 'title'))} no se puede devolver: los artículos de ${s(p, 'category')} no admiten devolución.`,
  },
  window_closed: {
    en: (p, f) =>
      `The ${n(p, 'days')}-day return window for ${f.q(s(p, 'title'))} ended on ${f.date(n(p, 'endsAt'))}.`,
    'zh-CN': (p, f) => `${f.q(s(p, 'title'))}的${n(p, 'days')}天退货期已于${f.date(n(p, 'endsAt'))}结束。`,
    es: (p, f) =>
      `El plazo de devolución de ${n(p, 'days')} días para ${f.q(s(p, 'title'))} terminó el ${f.date(n(p, 'endsAt'))}.`,
  },
  invalid_quantity: {
    en: (p, f) => `Choose at least one ${f.q(s(p, 'title'))} to return.`,
    'zh-CN': (p, f) => `请至少选择一件${f.q(s(p, 'title'))}进行退货。`,
    es: (p, f) => `Elige al menos una unidad de ${f.q(s(p, 'title'))} para devolver.`,
  },
  all_returned: {
    en: (p, f) => `All of ${f.q(s(p, 'title'))} has already been returned.`,
    'zh-CN': (p, f) => `${f.q(s(p, 'title'))}已全部退回。`,
    es: (p, f) => `Ya se han devuelto todas las unidades de ${f.q(s(p, 'title'))}.`,
  },
  only_remaining: {
    en: (p, f) =>
      `Only ${n(p, 'remaining')} of ${f.q(s(p, 'title'))} can still be returned; you asked for ${n(p, 'asked')}.`,
    'zh-CN': (p, f) => `${f.q(s(p, 'title'))}只能再退${n(p, 'remaining')}件；您申请了${n(p, 'asked')}件。`,
    es: (p, f) =>
      `Solo se pueden devolver ${n(p, 'remaining')} de ${f.q(s(p, 'title'))}; has pedido ${n(p, 'asked')}.`,
  },
  unknown_reason: {
    en: (p, f) =>
      `We don't recognise the reason given for ${f.q(s(p, 'title'))}; please pick one from the list.`,
    'zh-CN': (p, f) => `我们无法识别${f.q(s(p, 'title'))}的退货原因，请从列表中选择一个。`,
    es: (p, f) => `No reconocemos el motivo indicado para ${f.q(s(p, 'title'))}; elige uno de la lista.`,
  },
  no_restocking_fault: {
    en: (p, f) =>
      `There is no restocking fee on ${f.q(s(p, 'title'))} because the reason is a fault of ours.`,
    'zh-CN': (p, f) => `${f.q(s(p, 'title'))}不收取重新上架费，因为问题出在我们这边。`,
    es: (p, f) =>
      `No cobramos gastos de reposición por ${f.q(s(p, 'title'))} porque el motivo es responsabilidad nuestra.`,
  },
  restocking_fee: {
    en: (p, f) => `A restocking fee of ${n(p, 'percent')}% of the price applies to ${f.q(s(p, 'title'))}.`,
    'zh-CN': (p, f) => `${f.q(s(p, 'title'))}需收取售价${n(p, 'percent')}%的重新上架费。`,
    es: (p, f) =>
      `Se aplican unos gastos de reposición del ${n(p, 'percent')} % del precio a ${f.q(s(p, 'title'))}.`,
  },
  window_ok: {
    en: (p, f) => {
      const who = p.all
        ? 'Your return is'
        : `${titles(p, f)} ${(p.titles as string[]).length === 1 ? 'is' : 'are'}`;
      return `${who} within the ${n(p, 'days')}-day return window${p.fromOrder ? ', counted from your order date' : ''} (until ${f.date(n(p, 'endsAt'))}).`;
    },
    'zh-CN': (p, f) =>
      `${p.all ? '您的退货' : titles(p, f)}在${n(p, 'days')}天退货期内${p.fromOrder ? '（从下单日起算）' : ''}（截至${f.date(n(p, 'endsAt'))}）。`,
    es: (p, f) =>
      `${p.all ? 'Tu devolución está' : `${titles(p, f)} ${(p.titles as string[]).length === 1 ? 'está' : 'están'}`} dentro del plazo de devolución de ${n(p, 'days')} días${p.fromOrder ? ', contado desde la fecha del pedido' : ''} (hasta el ${f.date(n(p, 'endsAt'))}).`,
  },
  choose_item: {
    en: () => 'Choose at least one item to return.',
    'zh-CN': () => '请至少选择一件商品进行退货。',
    es: () => 'Elige al menos un artículo para devolver.',
  },
  shipping_free_fault: {
    en: () => 'Return shipping is free because the reason is a fault of ours.',
    'zh-CN': () => '退货运费免费，因为问题出在我们这边。',
    es: () => 'El envío de la devolución es gratis porque el motivo es responsabilidad nuestra.',
  },
  shipping_deducted: {
    en: (p, f) =>
      `Return shipping of ${f.money(m(p, 'fee'))} is deducted because the reason is not a fault of ours.`,
    'zh-CN': (p, f) => `将扣除${f.money(m(p, 'fee'))}的退货运费，因为退货原因并非我们的问题。`,
    es: (p, f) =>
      `Se descuentan ${f.money(m(p, 'fee'))} de envío de la devolución porque el motivo no es responsabilidad nuestra.`,
  },
  shipping_free: {
    en: () => 'Return shipping is free.',
    'zh-CN': () => '退货运费免费。',
    es: () => 'El envío de la devolución es gratis.',
  },
  no_shipping_keep: {
    en: () => 'There is no return shipping fee because you keep the items.',
    'zh-CN': () => '无需支付退货运费，因为商品由您保留。',
    es: () => 'No hay gastos de envío de la devolución porque te quedas los artículos.',
  },
  keep_default: {
    en: () => "You don't need to send the items back.",
    'zh-CN': () => '您无需寄回商品。',
    es: () => 'No hace falta que nos envíes los artículos.',
  },
  keep_threshold: {
    en: (p, f) =>
      `You can keep the items: for refunds of ${f.money(m(p, 'limit'))} or less we don't ask for them back.`,
    'zh-CN': (p, f) => `商品可由您保留：退款金额不超过${f.money(m(p, 'limit'))}时，我们不要求寄回。`,
    es: (p, f) =>
      `Puedes quedarte los artículos: para reembolsos de ${f.money(m(p, 'limit'))} o menos no pedimos que los devuelvas.`,
  },
  approved: {
    en: () => 'Your return is approved.',
    'zh-CN': () => '您的退货已获批准。',
    es: () => 'Tu devolución está aprobada.',
  },
  cannot_accept: {
    en: () => "We can't accept this return as requested.",
    'zh-CN': () => '我们无法按您的申请受理此退货。',
    es: () => 'No podemos aceptar esta devolución tal como la has solicitado.',
  },
  team_shortly: {
    en: () => 'A member of our team will look at your request shortly.',
    'zh-CN': () => '我们的团队成员会尽快查看您的申请。',
    es: () => 'Alguien de nuestro equipo revisará tu solicitud en breve.',
  },
  need_photo: {
    en: (p, f) =>
      `We need a photo of ${titles(p, f)} showing the problem; an agent will look at it before we approve the return.`,
    'zh-CN': (p, f) => `我们需要一张显示${titles(p, f)}问题的照片；批准退货前会有客服查看。`,
    es: (p, f) =>
      `Necesitamos una foto de ${titles(p, f)} que muestre el problema; un agente la revisará antes de aprobar la devolución.`,
  },
  all_checked: {
    en: () => 'Every return is checked by our team; an agent will look at yours shortly.',
    'zh-CN': () => '每个退货都由我们的团队审核；客服会尽快查看您的申请。',
    es: () => 'Nuestro equipo revisa todas las devoluciones; un agente verá la tuya en breve.',
  },
  reason_checked: {
    en: (p, f) =>
      `Returns for the reason ${f.list(((p.labels as string[]) ?? []).map(f.q))} are checked by our team; an agent will look at yours shortly.`,
    'zh-CN': (p, f) =>
      `以${f.list(((p.labels as string[]) ?? []).map(f.q))}为原因的退货由我们的团队审核；客服会尽快查看您的申请。`,
    es: (p, f) =>
      `Las devoluciones por el motivo ${f.list(((p.labels as string[]) ?? []).map(f.q))} las revisa nuestro equipo; un agente verá la tuya en breve.`,
  },
  currency_checked: {
    en: (p) =>
      `Returns paid in ${s(p, 'currency')} are checked by our team; an agent will look at yours shortly.`,
    'zh-CN': (p) => `以${s(p, 'currency')}支付的退货由我们的团队审核；客服会尽快查看您的申请。`,
    es: (p) =>
      `Las devoluciones pagadas en ${s(p, 'currency')} las revisa nuestro equipo; un agente verá la tuya en breve.`,
  },
  above_checked: {
    en: (p, f) =>
      `Refunds above ${f.money(m(p, 'max'))} are checked by our team; an agent will look at yours shortly.`,
    'zh-CN': (p, f) => `超过${f.money(m(p, 'max'))}的退款由我们的团队审核；客服会尽快查看您的申请。`,
    es: (p, f) =>
      `Los reembolsos de más de ${f.money(m(p, 'max'))} los revisa nuestro equipo; un agente verá el tuyo en breve.`,
  },
  store_credit_bonus: {
    en: (p, f) =>
      `You get ${f.money(m(p, 'total'))} of store credit, including a bonus of ${f.money(m(p, 'bonus'))}.`,
    'zh-CN': (p, f) =>
      `您将获得${f.money(m(p, 'total'))}的店铺余额，其中包含${f.money(m(p, 'bonus'))}的奖励。`,
    es: (p, f) =>
      `Recibes ${f.money(m(p, 'total'))} de saldo en la tienda, con una bonificación de ${f.money(m(p, 'bonus'))}.`,
  },
  exchange_bonus: {
    en: (p, f) => `Your exchange includes a bonus of ${f.money(m(p, 'bonus'))}.`,
    'zh-CN': (p, f) => `您的换货包含${f.money(m(p, 'bonus'))}的奖励。`,
    es: (p, f) => `Tu cambio incluye una bonificación de ${f.money(m(p, 'bonus'))}.`,
  },
  exchange_due: {
    en: (p, f) => `The new items cost ${f.money(m(p, 'due'))} more; that difference is due from you.`,
    'zh-CN': (p, f) => `新商品贵${f.money(m(p, 'due'))}；差价需由您支付。`,
    es: (p, f) =>
      `Los artículos nuevos cuestan ${f.money(m(p, 'due'))} más; esa diferencia corre de tu cuenta.`,
  },
  keep_needs_approval: {
    en: () => 'Keeping the item instead of sending it back needs our approval; an agent will look at it.',
    'zh-CN': () => '保留商品而不寄回需要我们批准；客服会查看您的申请。',
    es: () =>
      'Quedarte el artículo en lugar de devolverlo necesita nuestra aprobación; un agente lo revisará.',
  },
  // Purchasing agents: what the stage of a line means for a request.
  pa_line_closed: {
    en: (p, f) =>
      `${f.q(s(p, 'title'))} has already been ${stage(p, 'en')}; there is nothing left to return.`,
    'zh-CN': (p, f) => `${f.q(s(p, 'title'))}已${stage(p, 'zh-CN')}，无需再退。`,
    es: (p, f) => `${f.q(s(p, 'title'))} ya está ${stage(p, 'es')}; no queda nada por devolver.`,
  },
  pa_shipped_only_damage: {
    en: (p, f) =>
      `${f.q(s(p, 'title'))} has left our warehouse, so we can only help with damage or loss in transit.`,
    'zh-CN': (p, f) => `${f.q(s(p, 'title'))}已从我们的仓库发出，现在只能处理运输途中的损坏或丢失。`,
    es: (p, f) =>
      `${f.q(s(p, 'title'))} ya salió de nuestro almacén, así que solo podemos ayudarte con daños o pérdidas en el transporte.`,
  },
  pa_seller_window_closed: {
    en: (p, f) =>
      `The seller's ${n(p, 'days')}-day return window for ${f.q(s(p, 'title'))} closed on ${f.date(n(p, 'endsAt'))}, so it can no longer go back to them.`,
    'zh-CN': (p, f) =>
      `${f.q(s(p, 'title'))}的卖家${n(p, 'days')}天退货期已于${f.date(n(p, 'endsAt'))}结束，无法再退回卖家。`,
    es: (p, f) =>
      `El plazo de ${n(p, 'days')} días del vendedor para ${f.q(s(p, 'title'))} terminó el ${f.date(n(p, 'endsAt'))}, así que ya no se le puede devolver.`,
  },
  pa_qc_window_closed: {
    en: (p, f) =>
      `Returns of ${f.q(s(p, 'title'))} had to be asked for within ${n(p, 'days')} days of the QC photos, by ${f.date(n(p, 'endsAt'))}.`,
    'zh-CN': (p, f) =>
      `${f.q(s(p, 'title'))}的退货需在质检照片发出后${n(p, 'days')}天内（${f.date(n(p, 'endsAt'))}前）申请。`,
    es: (p, f) =>
      `La devolución de ${f.q(s(p, 'title'))} debía pedirse en los ${n(p, 'days')} días siguientes a las fotos de control de calidad, antes del ${f.date(n(p, 'endsAt'))}.`,
  },
  pa_cancel_before_purchase: {
    en: (p, f) =>
      `We had not bought ${f.q(s(p, 'title'))} yet, so it is cancelled and everything you paid for it comes back at once.`,
    'zh-CN': (p, f) => `我们尚未购买${f.q(s(p, 'title'))}，因此已取消，您为它支付的全部费用将立即退还。`,
    es: (p, f) =>
      `Aún no habíamos comprado ${f.q(s(p, 'title'))}, así que se cancela y te devolvemos al momento todo lo que pagaste por él.`,
  },
  pa_seller_cancellation: {
    en: (p, f) =>
      `${f.q(s(p, 'title'))} is already ${stage(p, 'en')}, so we are asking the seller to cancel; your refund follows their confirmation.`,
    'zh-CN': (p, f) =>
      `${f.q(s(p, 'title'))}已${stage(p, 'zh-CN')}，我们正在请卖家取消；卖家确认后即为您退款。`,
    es: (p, f) =>
      `${f.q(s(p, 'title'))} ya está ${stage(p, 'es')}, así que pedimos al vendedor que cancele; el reembolso llega cuando lo confirme.`,
  },
  pa_return_to_seller: {
    en: (p, f) =>
      `${f.q(s(p, 'title'))} is in our warehouse and goes back to the seller, who accepts it until ${f.date(n(p, 'endsAt'))}.`,
    'zh-CN': (p, f) =>
      `${f.q(s(p, 'title'))}在我们的仓库中，将退回卖家；卖家接受退货至${f.date(n(p, 'endsAt'))}。`,
    es: (p, f) =>
      `${f.q(s(p, 'title'))} está en nuestro almacén y vuelve al vendedor, que lo acepta hasta el ${f.date(n(p, 'endsAt'))}.`,
  },
  pa_return_to_seller_pending: {
    en: (p, f) => `${f.q(s(p, 'title'))} goes back to the seller from our warehouse.`,
    'zh-CN': (p, f) => `${f.q(s(p, 'title'))}将从我们的仓库退回卖家。`,
    es: (p, f) => `${f.q(s(p, 'title'))} vuelve al vendedor desde nuestro almacén.`,
  },
  pa_qc_failed: {
    en: (p, f) =>
      `${f.q(s(p, 'title'))} failed our quality check, so it goes back to the seller at no cost to you.`,
    'zh-CN': (p, f) => `${f.q(s(p, 'title'))}未通过我们的质检，将退回卖家，您无需承担任何费用。`,
    es: (p, f) =>
      `${f.q(s(p, 'title'))} no pasó nuestro control de calidad, así que vuelve al vendedor sin coste para ti.`,
  },
  pa_transit_insured: {
    en: (p, f) =>
      `${f.q(s(p, 'title'))} was insured: an agent checks the damage or loss and refunds the item and its international shipping.`,
    'zh-CN': (p, f) => `${f.q(s(p, 'title'))}已投保：客服核实损坏或丢失后，将退还商品及国际运费。`,
    es: (p, f) =>
      `${f.q(s(p, 'title'))} estaba asegurado: un agente revisa el daño o la pérdida y te reembolsa el artículo y su envío internacional.`,
  },
  pa_transit_uninsured: {
    en: (p, f) =>
      `${f.q(s(p, 'title'))} was not insured: an agent checks the damage or loss; international shipping is not refunded.`,
    'zh-CN': (p, f) => `${f.q(s(p, 'title'))}未投保：客服将核实损坏或丢失情况；国际运费不予退还。`,
    es: (p, f) =>
      `${f.q(s(p, 'title'))} no estaba asegurado: un agente revisa el daño o la pérdida; el envío internacional no se reembolsa.`,
  },
  pa_return_shipping_customer: {
    en: (p, f) =>
      `Sending it back to the seller costs ${f.money(m(p, 'fee'))}, taken from the refund because the seller is not at fault.`,
    'zh-CN': (p, f) => `退回卖家的运费${f.money(m(p, 'fee'))}将从退款中扣除，因为问题不在卖家。`,
    es: (p, f) =>
      `Devolverlo al vendedor cuesta ${f.money(m(p, 'fee'))}, que se descuentan del reembolso porque el vendedor no tiene la culpa.`,
  },
  pa_return_shipping_seller: {
    en: () => 'The seller is at fault, so sending it back costs you nothing.',
    'zh-CN': () => '问题在卖家，退回运费由卖家承担，您无需支付。',
    es: () => 'El vendedor tiene la culpa, así que devolverlo no te cuesta nada.',
  },
  pa_over_quota: {
    en: (p, f) =>
      `This is more than your ${n(p, 'quota')} free returns this month, so a fee of ${f.money(m(p, 'fee'))} applies.`,
    'zh-CN': (p, f) =>
      `本月您的免费退货次数（${n(p, 'quota')}次）已用完，需收取${f.money(m(p, 'fee'))}的费用。`,
    es: (p, f) =>
      `Superas tus ${n(p, 'quota')} devoluciones gratuitas de este mes, así que se aplica una tarifa de ${f.money(m(p, 'fee'))}.`,
  },
  pa_frequent_returns: {
    en: () => 'An agent looks at this request because of the number of recent returns without a reason.',
    'zh-CN': () => '由于近期无理由退货较多，此申请将由客服审核。',
    es: () => 'Un agente revisará esta solicitud por el número de devoluciones recientes sin motivo.',
  },
  pa_refund_to_wallet: {
    en: () =>
      'The refund goes to your wallet, where you can spend it or withdraw it to your original payment method.',
    'zh-CN': () => '退款将进入您的钱包，可用于消费，也可提现至原支付方式。',
    es: () =>
      'El reembolso va a tu monedero, donde puedes gastarlo o retirarlo a tu método de pago original.',
  },
  /** The shop's own words (custom rules, agents' notes): shown as written, in every language. */
  text: { en: (p) => s(p, 'text'), 'zh-CN': (p) => s(p, 'text'), es: (p) => s(p, 'text') },
  /** A shop rule's message followed by "Your return is approved." in the customer's language. */
  text_approved: {
    en: (p) => `${s(p, 'text')} Your return is approved.`,
    'zh-CN': (p) => `${s(p, 'text')} 您的退货已获批准。`,
    es: (p) => `${s(p, 'text')} Tu devolución está aprobada.`,
  },
} satisfies Record<string, Record<ExplainLocale, Line>>;

export type ExplainKey = keyof typeof MESSAGES;

export function explainText(item: ExplainItem, locale: ExplainLocale = 'en'): string {
  const fmt = fmtFor(locale);
  return MESSAGES[item.key][locale](item.params ?? {}, fmt);
}

/** Picks a supported language from a tag such as "es-MX" or "zh"; English otherwise. */
export function explainLocale(tag: string | undefined | null): ExplainLocale {
  if (!tag) return 'en';
  if ((EXPLAIN_LOCALES as readonly string[]).includes(tag)) return tag as ExplainLocale;
  const lang = tag.toLowerCase().split(/[-_]/)[0];
  return lang === 'zh' ? 'zh-CN' : lang === 'es' ? 'es' : 'en';
}
