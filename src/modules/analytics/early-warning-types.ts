/** What the early-warning detector (early-warning.ts) reads, the options it takes, what it finds. */

export type SkuHistory = {
  sku: string;
  category: string;
  /** Order lines sold per day, index 0 = `start`. */
  sold: ArrayLike<number>;
  /** Return lines requested per day, per kind: `return_rate` (all reasons) and `reason:<code>`. */
  kinds: Map<string, ArrayLike<number>>;
};

export type DetectorInput = {
  /** YYYY-MM-DD of day index 0; the last index is the as-of day. */
  start: string;
  days: number;
  /** Probability that a return is requested k days after the sale (k = 0 … K), summing to 1. */
  lag: ArrayLike<number>;
  skus: SkuHistory[];
  /**
   * Return notes as phrase sets, by SKU and request day (optional). A phrase that suddenly recurs
   * in one SKU's notes, rare before for it and for the shop, is its own kind of finding:
   * `complaints`. Customers name a defect in words before the counts can prove it.
   */
  notes?: { sku: string; day: number; phrases: Set<string> }[];
};

export type DetectorOptions = {
  /** False discovery rate across every SKU × kind tested. */
  q: number;
  /** Recent windows tested (days, ending on the as-of day); the p-value pays a Bonferroni factor for their number. */
  windows: number[];
  /** Days of history before the recent window that make the SKU's own baseline. */
  baselineDays: number;
  /** Fewer returns than this in the recent window is never an alert. */
  minReturns: number;
  /**
   * A SKU × kind is tested only with at least this many returns in its baseline and longest
   * window together. Under "no change" that total says nothing about where the returns fall (the
   * test is conditional on it), so leaving out the rest keeps the false discovery rate
   * (independent filtering) while thousands of SKUs with two returns no longer dilute the family.
   */
  minTotalReturns: number;
  /** The recent rate must exceed both references by at least this factor. */
  minLift: number;
  /** Pseudo-exposure of the category's baseline rate added to the SKU's own (shrinkage). */
  priorExposure: number;
  /**
   * Below this exposure (≈ units sold) of the rest of the category in the window, the category's
   * baseline adjusted by the tenant's change is the reference instead of its recent window.
   */
  minCategoryExposure: number;
  /** An open alert stays open while its q-value is at most this (hysteresis against flapping). */
  keepOpenQ: number;
  /** Days of notes a complaint phrase must recur in. */
  phraseWindow: number;
  /** Notes with the phrase in that window for a `complaints` finding. */
  minPhraseNotes: number;
  /** Notes a SKU needs in its baseline before its new phrases mean anything (a new SKU's are all new). */
  minBaselineNotes: number;
  /** A complaint phrase is rare in the rest of the shop: in at most this share of its notes. */
  maxPhraseShare: number;
};

export type WindowCounts = {
  from: string;
  to: string;
  linesSold: number;
  returned: number;
  exposure: number;
  rate: number;
};

export type Finding = {
  sku: string;
  category: string;
  kind: string;
  /** First day of the excess (CUSUM change-point estimate), YYYY-MM-DD. */
  since: string;
  /** Orders placed from about this day are the ones coming back (since − median lag). */
  affectedOrdersSince: string;
  pValue: number;
  qValue: number;
  /** 1 − q: how sure we are that this is not one of the chance findings among all tests. */
  confidence: number;
  change: { before: number; now: number; lift: number };
  evidence: {
    window: WindowCounts;
    baseline: WindowCounts & { shrunkRate: number };
    reference: {
      scope: 'category' | 'category-baseline' | 'tenant';
      name: string;
      rate: number;
      returned: number;
      exposure: number;
    };
    expectedReturns: number;
    testsRun: number;
    /** Kind `complaints`: the phrase; window, baseline and reference then count return notes
     * (`exposure` = notes, `returned` = notes with the phrase, `rate` = their share). */
    phrase?: string;
  };
};

export type DetectorResult = {
  /** Significant at `q`: new alerts or re-detections. */
  alerts: Finding[];
  /** Still elevated at `keepOpenQ` (a superset of `alerts`): open alerts among these stay open. */
  elevated: Finding[];
  testsRun: number;
};

/** A finding before the false discovery rate is applied; `series` is its SKU's index in the input. */
export type Candidate = Omit<Finding, 'qValue' | 'confidence'> & { series: number };

/** A SKU's exposure and return counts per kind, in one recent window (`r`) and its baseline (`b`). */
export type Sums = { er: number; eb: number; xr: Map<string, number>; xb: Map<string, number> };

/** Day indices of a recent window's start and of its baseline. */
export type WindowBounds = { rFrom: number; bFrom: number; bTo: number };
