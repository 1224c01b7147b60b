import { formatMoneyFor } from '../../platform/money.ts';

/** What a claim message says, from the claim and its line. */
export type ClaimFacts = {
  kind: 'cancellation' | 'return';
  platformOrderRef: string | null;
  title: string;
  quantity: number;
  reasonCode: string;
  reasonLabel: string;
  amount: number;
  currency: string;
  qcAt: string | null;
  /** The warehouse's QC photos of the line: the message says they are attached only if there are some. */
  qcPhotos: number;
  deadlineAt: string | null;
  sellerFault: boolean;
};

/** How sellers on Chinese platforms read the common reasons. */
const REASONS_ZH: Record<string, string> = {
  changed_mind: '买家不想要了',
  no_reason: '七天无理由退货',
  wrong_size: '尺码不合适',
  not_as_described: '商品与描述不符',
  wrong_item: '卖家发错货',
  defective: '商品存在质量问题',
  qc_failed: '仓库质检不合格',
  damaged: '商品破损',
};

const dateZh = (iso: string) => {
  const d = new Date(iso);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
};
const dateEn = (iso: string) => iso.slice(0, 10);

/** A moment as staff read it in notes and notices: "5 March 2026, 08:00 UTC", never raw ISO. */
export function whenEn(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const date = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(d);
  const time = new Intl.DateTimeFormat('en-GB', { timeStyle: 'short', timeZone: 'UTC' }).format(d);
  return `${date}, ${time} UTC`;
}

/** Where an open claim stood, in words (the note stays true after the claim moves on). */
const OPEN_STATUS_WORDS: Record<string, string> = {
  draft: 'it had not been sent to the seller yet',
  sent: 'it was sent and the seller had not answered',
  accepted: 'the seller had accepted it but not refunded',
};
export const claimStandingEn = (status: string) => OPEN_STATUS_WORDS[status] ?? `it was ${status}`;

/**
 * The message staff paste into the seller's platform, in Simplified Chinese (what the seller
 * reads) and English (what the agent's staff check it against). Pure.
 */
export function claimMessages(f: ClaimFacts): { zh: string; en: string } {
  const ref = f.platformOrderRef ?? '（见附件）';
  const money = formatMoneyFor(f.amount, f.currency, 'zh-CN');
  const reasonZh = REASONS_ZH[f.reasonCode] ?? f.reasonLabel;
  const zh = [
    `您好！订单号：${ref}，商品「${f.title}」共 ${f.quantity} 件。`,
    f.kind === 'cancellation'
      ? `因${reasonZh}，申请取消订单并退款 ${money}，如尚未发货请勿发货。`
      : `因${reasonZh}，申请退货退款 ${money}${f.sellerFault ? '，退货运费由卖家承担' : ''}。`,
    f.qcAt
      ? f.qcPhotos > 0
        ? `仓库质检照片（${f.qcPhotos} 张）拍摄于 ${dateZh(f.qcAt)}，见附件。`
        : `仓库已于 ${dateZh(f.qcAt)} 质检。`
      : '',
    f.deadlineAt ? `本单退货期至 ${dateZh(f.deadlineAt)}，请在此之前处理，谢谢！` : '请尽快处理，谢谢！',
  ].join('');
  const moneyEn = formatMoneyFor(f.amount, f.currency, 'en');
  const en = [
    `Hello! Order ${f.platformOrderRef ?? '(see attachment)'}, item "${f.title}" × ${f.quantity}.`,
    f.kind === 'cancellation'
      ? ` Reason: ${f.reasonLabel}. We ask to cancel and refund ${moneyEn}; please do not ship if not shipped yet.`
      : ` Reason: ${f.reasonLabel}. We ask to return it for a refund of ${moneyEn}${f.sellerFault ? ', return shipping at the seller’s cost' : ''}.`,
    f.qcAt
      ? f.qcPhotos > 0
        ? ` ${f.qcPhotos === 1 ? 'The warehouse QC photo' : `${f.qcPhotos} warehouse QC photos`} taken on ${dateEn(f.qcAt)} ${f.qcPhotos === 1 ? 'is' : 'are'} attached.`
        : ` Our warehouse checked it on ${dateEn(f.qcAt)}.`
      : '',
    f.deadlineAt
      ? ` The return window ends on ${dateEn(f.deadlineAt)}; please handle it before then. Thank you!`
      : ' Please handle it soon. Thank you!',
  ].join('');
  return { zh, en };
}

/** What staff read (inbox, email) and integrations receive (webhook) when a claim is at risk or has expired. */
export function claimStaffNotice(
  claim: {
    id: string;
    returnId: string;
    kind: string;
    seller: string;
    platformOrderRef: string | null;
    currency: string;
    amountExpected: number;
    deadlineAt: string | null;
    status: string;
  },
  step: 'at_risk' | 'expired',
) {
  const money = formatMoneyFor(claim.amountExpected, claim.currency, 'en');
  const ref = claim.platformOrderRef ? ` (order ${claim.platformOrderRef})` : '';
  return {
    eventKey: `seller_claim.${step}:${claim.id}`,
    event: `seller_claim_${step}`,
    title: `${step === 'at_risk' ? 'Seller claim at risk' : 'Seller claim expired'}: ${claim.seller}${ref}`,
    body:
      step === 'at_risk'
        ? `The ${claim.kind} claim for ${money} is not settled (${claimStandingEn(claim.status)}); the seller's window ends ${claim.deadlineAt ? whenEn(claim.deadlineAt) : 'soon'}.`
        : `The seller's window closed ${claim.deadlineAt ? `on ${whenEn(claim.deadlineAt)}` : 'at the deadline'} before the ${claim.kind} claim was settled: ${money} can no longer be recovered.`,
    url: `/console/returns/${claim.returnId}`,
    linkLabel: 'Open the case',
    webhook: { type: `seller_claim.${step}`, data: { claim } },
  };
}
