/**
 * Where a purchasing agent's order line is, as data. Pure: the service asks it whether a move
 * is allowed and what the move means for the line's clocks.
 */
export const LINE_STAGES = [
  'paid',
  'purchasing',
  'purchased',
  'seller_shipped',
  'in_warehouse',
  'qc_passed',
  'qc_failed',
  'stored',
  'shipped_international',
  'delivered',
  // Where a line ends when it goes back: cancelled with the seller, or returned to them.
  'cancelled',
  'returned_to_seller',
] as const;
export type LineStage = (typeof LINE_STAGES)[number];

/** The main path; qc_passed and qc_failed share a rank (the QC verdict). */
const RANK: Record<LineStage, number> = {
  paid: 0,
  purchasing: 1,
  purchased: 2,
  seller_shipped: 3,
  in_warehouse: 4,
  qc_passed: 5,
  qc_failed: 5,
  stored: 6,
  shipped_international: 7,
  delivered: 8,
  cancelled: 99,
  returned_to_seller: 99,
};

export function isLineStage(s: string): s is LineStage {
  return (LINE_STAGES as readonly string[]).includes(s);
}

/** A line with no recorded stage has been paid for and nothing else. */
export function stageOf(stored: string | null | undefined): LineStage {
  return stored && isLineStage(stored) ? stored : 'paid';
}

/** Before the agent has bought it, a line can be cancelled outright. */
export function beforePurchase(stage: LineStage): boolean {
  return stage === 'paid' || stage === 'purchasing';
}

/** Once on its way abroad, only a damage or loss claim is possible. */
export function shippedAbroad(stage: LineStage): boolean {
  return stage === 'shipped_international' || stage === 'delivered';
}

/**
 * Whether a line may move from one stage to another. Lines move forward along the path and may
 * skip steps (a warehouse that scans and passes QC in one go); a failed QC leads only back to
 * the seller; cancellation is possible until the goods reach the warehouse, a return to the
 * seller from the warehouse until the line ships abroad.
 */
export function canMove(from: LineStage, to: LineStage): boolean {
  if (from === to) return false;
  if (from === 'cancelled' || from === 'returned_to_seller') return false;
  if (to === 'cancelled') return RANK[from] <= RANK.seller_shipped;
  if (to === 'returned_to_seller') return RANK[from] >= RANK.in_warehouse && RANK[from] <= RANK.stored;
  if (from === 'qc_failed') return false;
  return RANK[to] > RANK[from];
}

export function nextStages(from: LineStage): LineStage[] {
  return LINE_STAGES.filter((to) => canMove(from, to));
}

const USUAL_NEXT: Partial<Record<LineStage, LineStage>> = {
  paid: 'purchasing',
  purchasing: 'purchased',
  purchased: 'seller_shipped',
  seller_shipped: 'in_warehouse',
  in_warehouse: 'qc_passed',
  qc_passed: 'stored',
  qc_failed: 'returned_to_seller',
  stored: 'shipped_international',
  shipped_international: 'delivered',
};

/**
 * The step a line normally takes next (null once it is done): the one the warehouse screen
 * offers first. Skipping ahead stays possible, as a deliberate choice.
 */
export function usualNext(from: LineStage): LineStage | null {
  return USUAL_NEXT[from] ?? null;
}

/** A QC verdict is given in the warehouse: both verdicts are the usual next steps there. */
export function usualNextStages(from: LineStage): LineStage[] {
  const next = usualNext(from);
  if (!next) return [];
  return from === 'in_warehouse' ? [next, 'qc_failed'] : [next];
}

/** The clocks a move starts: the domestic delivery scan, the QC time, the storage expiry. */
export function clocksFor(
  to: LineStage,
  at: Date,
  current: { domesticDeliveredAt: string | null; qcAt: string | null },
  storageDays: number,
): { domesticDeliveredAt: string | null; qcAt: string | null; storageExpiresAt?: string } {
  const iso = at.toISOString();
  const reached = (s: LineStage) => RANK[to] >= RANK[s] && RANK[to] < 99;
  const out: { domesticDeliveredAt: string | null; qcAt: string | null; storageExpiresAt?: string } = {
    domesticDeliveredAt: current.domesticDeliveredAt ?? (reached('in_warehouse') ? iso : null),
    qcAt: current.qcAt ?? (reached('qc_passed') ? iso : null),
  };
  if (to === 'stored' || to === 'qc_passed') {
    out.storageExpiresAt = new Date(at.getTime() + storageDays * 86_400_000).toISOString();
  }
  return out;
}
