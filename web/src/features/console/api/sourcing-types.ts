/** Purchasing agents' staff views (src/modules/sourcing/routes.ts), apart from the calls so console-api.ts can name them. */

export type StageEvent = {
  fromStage: string | null;
  toStage: string;
  at: string;
  actor: string;
  note: string | null;
};

export type LineStage = {
  orderLineId: string;
  orderId: string;
  sku: string;
  title: string;
  seller: string | null;
  sellerOrderRef: string | null;
  stage: string;
  stageAt: string | null;
  domesticDeliveredAt: string | null;
  qcAt: string | null;
  storageExpiresAt: string | null;
  nextStages: string[];
  /** The step it normally takes next (both QC verdicts in the warehouse). */
  usualNextStages: string[];
  history: StageEvent[];
  /** Returns filed on the line, newest first. */
  returns: { id: string; rmaNumber: string; status: string }[];
};

export type Claim = {
  id: string;
  returnId: string;
  orderLineId: string;
  kind: string;
  seller: string;
  platformOrderRef: string | null;
  currency: string;
  amountExpected: number;
  amountRecovered: number;
  deadlineAt: string | null;
  hoursLeft: number | null;
  status: string;
  allowedActions: string[];
  messages: { 'zh-CN': string; en: string };
  note: string | null;
  warnedAt: string | null;
  version: number;
};

export type CaseSourcing = {
  lines: LineStage[];
  claims: Claim[];
  risk: {
    returnsThisMonth: number;
    noReasonReturns90d: number;
    freeReturnsPerMonth: number | null;
    noReasonReviewThreshold: number;
    frequentNoReason: boolean;
  };
};

export type EvidencePack = {
  claim: Claim;
  line: LineStage;
  rmaNumber: string;
  remarks: string[];
  photos: { id: string; kind: string; takenAt: string; contentType: string; size: number; url: string }[];
};

export type OrderSummary = {
  id: string;
  orderNumber: string;
  currency: string;
  customer?: { email?: string; name?: string | null } | null;
  placedAt?: string;
};

export type StageResult = LineStage & { offer: { returnId: string; rmaNumber: string } | null };
