import { auc, brierScore, type CalibrationBin, calibration } from './stats.ts';

/**
 * Return-risk model: L2-regularised logistic regression over standardised features, fitted by
 * Newton's method (IRLS), validated on a time-based holdout. Pure and deterministic: the same
 * history gives the same weights. See docs/analytics.md for the features and why.
 */

/** One order line, in order of `placedAt`. Indices point into the caller's customer and SKU lists. */
export type RiskLine = {
  placedAt: number;
  customer: number;
  sku: number;
  category: string;
  unitPrice: number;
  quantity: number;
  /** Line discount ÷ line value, 0…1. */
  discountShare: number;
  sizeVariant: boolean;
  /** Whether any unit of the line was returned (as known at training time). */
  returned: boolean;
};

/** A return line, in order of `requestedAt`. */
export type RiskReturnEvent = { requestedAt: number; customer: number; sku: number; reason: string };

export type FeatureSpec = {
  categories: string[];
  reasons: string[];
  /** Share of lines returned in the training period: the prior every smoothed rate starts from. */
  globalRate: number;
  /** The tenant's reason mix in the training period, aligned with `reasons`. */
  reasonShares: number[];
};

/** Pseudo-counts of the smoothed rates: a customer's first orders say little, a SKU's first dozen too. */
const CUSTOMER_PRIOR = 3;
const SKU_PRIOR = 20;
const REASON_PRIOR = 5;

/** Size-variant SKUs end in a size: -XS … -XXL, or a two-digit (shoe) size. */
const SIZE_SUFFIX = /-(XXS|XS|S|M|L|XL|XXL|XXXL|[2-5]XL|\d{2}(\.5)?)$/i;
export function isSizeVariant(sku: string): boolean {
  return SIZE_SUFFIX.test(sku);
}

export function featureNames(spec: FeatureSpec): string[] {
  return [
    ...spec.categories.map((c) => `category=${c}`),
    'log_price',
    'log_quantity',
    'discount_share',
    'size_variant',
    'customer_past_return_rate',
    'customer_is_new',
    'sku_past_return_rate',
    ...spec.reasons.map((r) => `sku_reason_share=${r}`),
  ];
}

/** Running facts a feature may use: only returns requested, and lines placed, before the order. */
export type History = {
  customerLines: Map<number, number>;
  customerReturns: Map<number, number>;
  skuLines: Map<number, number>;
  skuReturns: Map<number, number>;
  skuReasons: Map<number, number[]>;
};

export function emptyHistory(): History {
  return {
    customerLines: new Map(),
    customerReturns: new Map(),
    skuLines: new Map(),
    skuReturns: new Map(),
    skuReasons: new Map(),
  };
}

/** The feature vector of one line given what was known when it was ordered. */
export function featuresOf(
  line: Omit<RiskLine, 'returned' | 'placedAt'>,
  h: History,
  spec: FeatureSpec,
  out: Float64Array = new Float64Array(featureNames(spec).length),
): Float64Array {
  let j = 0;
  for (const c of spec.categories) out[j++] = line.category === c ? 1 : 0;
  out[j++] = Math.log1p(line.unitPrice / 100);
  out[j++] = Math.log(Math.max(1, line.quantity));
  out[j++] = Math.min(1, Math.max(0, line.discountShare));
  out[j++] = line.sizeVariant ? 1 : 0;
  const cl = h.customerLines.get(line.customer) ?? 0;
  const cr = h.customerReturns.get(line.customer) ?? 0;
  out[j++] = (cr + CUSTOMER_PRIOR * spec.globalRate) / (cl + CUSTOMER_PRIOR);
  out[j++] = cl === 0 ? 1 : 0;
  const sl = h.skuLines.get(line.sku) ?? 0;
  const sr = h.skuReturns.get(line.sku) ?? 0;
  out[j++] = (sr + SKU_PRIOR * spec.globalRate) / (sl + SKU_PRIOR);
  const mix = h.skuReasons.get(line.sku);
  spec.reasons.forEach((_, r) => {
    out[j++] = ((mix?.[r] ?? 0) + REASON_PRIOR * spec.reasonShares[r]!) / (sr + REASON_PRIOR);
  });
  return out;
}

export function recordReturn(h: History, e: RiskReturnEvent, spec: FeatureSpec) {
  h.customerReturns.set(e.customer, (h.customerReturns.get(e.customer) ?? 0) + 1);
  h.skuReturns.set(e.sku, (h.skuReturns.get(e.sku) ?? 0) + 1);
  const r = spec.reasons.indexOf(e.reason);
  if (r >= 0) {
    const mix = h.skuReasons.get(e.sku) ?? new Array<number>(spec.reasons.length).fill(0);
    mix[r]!++;
    h.skuReasons.set(e.sku, mix);
  }
}

export function recordLine(h: History, l: { customer: number; sku: number }) {
  h.customerLines.set(l.customer, (h.customerLines.get(l.customer) ?? 0) + 1);
  h.skuLines.set(l.sku, (h.skuLines.get(l.sku) ?? 0) + 1);
}

/**
 * Features for every line, sweeping time forward: before a line's features are taken, every
 * return requested before its order is counted and every earlier order's lines are. Lines of the
 * same moment (one order) do not see each other. No value from the future reaches a row.
 */
export function buildFeatureMatrix(
  lines: readonly RiskLine[],
  events: readonly RiskReturnEvent[],
  spec: FeatureSpec,
): { x: Float64Array; p: number; history: History } {
  const p = featureNames(spec).length;
  const x = new Float64Array(lines.length * p);
  const h = emptyHistory();
  let e = 0;
  let i = 0;
  while (i < lines.length) {
    const t = lines[i]!.placedAt;
    while (e < events.length && events[e]!.requestedAt < t) recordReturn(h, events[e++]!, spec);
    let j = i;
    while (j < lines.length && lines[j]!.placedAt === t) {
      featuresOf(lines[j]!, h, spec, x.subarray(j * p, (j + 1) * p));
      j++;
    }
    for (let k = i; k < j; k++) recordLine(h, lines[k]!);
    i = j;
  }
  while (e < events.length) recordReturn(h, events[e++]!, spec);
  return { x, p, history: h };
}

export type LogisticModel = {
  features: string[];
  mean: number[];
  std: number[];
  /** Weights of the standardised features: comparable in size, the "feature weights" staff see. */
  weights: number[];
  intercept: number;
  spec: FeatureSpec;
};

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Solves A·x = b for a symmetric positive-definite A (Cholesky); A is p×p row-major. */
function solveSpd(a: Float64Array, b: Float64Array, p: number): Float64Array {
  const l = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * p + j]!;
      for (let k = 0; k < j; k++) s -= l[i * p + k]! * l[j * p + k]!;
      l[i * p + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / l[j * p + j]!;
    }
  }
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * p + k]! * y[k]!;
    y[i] = s / l[i * p + i]!;
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < p; k++) s -= l[k * p + i]! * x[k]!;
    x[i] = s / l[i * p + i]!;
  }
  return x;
}

/**
 * Fits the model on rows `[0, n)` of `x` (n × p). Features are standardised with the training
 * rows' mean and standard deviation; `l2` penalises the weights (not the intercept).
 */
export function fitLogistic(
  x: Float64Array,
  y: ArrayLike<number>,
  n: number,
  spec: FeatureSpec,
  options: { l2?: number; iterations?: number } = {},
): LogisticModel {
  const features = featureNames(spec);
  const p = features.length;
  const l2 = options.l2 ?? 1;
  const mean = new Array<number>(p).fill(0);
  const std = new Array<number>(p).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) mean[j]! += x[i * p + j]!;
  for (let j = 0; j < p; j++) mean[j]! /= Math.max(1, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) std[j]! += (x[i * p + j]! - mean[j]!) ** 2;
  for (let j = 0; j < p; j++) std[j] = Math.sqrt(std[j]! / Math.max(1, n)) || 1;

  // Parameters: [intercept, w_1 … w_p] over standardised features.
  const q = p + 1;
  const beta = new Float64Array(q);
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i] ? 1 : 0;
  const base = Math.min(0.999, Math.max(0.001, positives / Math.max(1, n)));
  beta[0] = Math.log(base / (1 - base));
  const z = new Float64Array(q);
  for (let it = 0; it < (options.iterations ?? 25); it++) {
    const hess = new Float64Array(q * q);
    const grad = new Float64Array(q);
    for (let i = 0; i < n; i++) {
      z[0] = 1;
      for (let j = 0; j < p; j++) z[j + 1] = (x[i * p + j]! - mean[j]!) / std[j]!;
      let eta = 0;
      for (let j = 0; j < q; j++) eta += beta[j]! * z[j]!;
      const mu = sigmoid(eta);
      const w = Math.max(mu * (1 - mu), 1e-9);
      const r = (y[i] ? 1 : 0) - mu;
      for (let a = 0; a < q; a++) {
        grad[a]! += z[a]! * r;
        const za = z[a]! * w;
        for (let b = 0; b <= a; b++) hess[a * q + b]! += za * z[b]!;
      }
    }
    for (let a = 1; a < q; a++) {
      grad[a]! -= l2 * beta[a]!;
      hess[a * q + a]! += l2;
    }
    for (let a = 0; a < q; a++) for (let b = a + 1; b < q; b++) hess[a * q + b] = hess[b * q + a]!;
    const step = solveSpd(hess, grad, q);
    let change = 0;
    for (let a = 0; a < q; a++) {
      beta[a]! += step[a]!;
      change = Math.max(change, Math.abs(step[a]!));
    }
    if (change < 1e-8) break;
  }
  return { features, mean, std, weights: Array.from(beta.subarray(1)), intercept: beta[0]!, spec };
}

/** Probability of return for one feature vector. */
export function predict(model: LogisticModel, f: ArrayLike<number>): number {
  let eta = model.intercept;
  for (let j = 0; j < model.weights.length; j++) {
    eta += (model.weights[j]! * (f[j]! - model.mean[j]!)) / model.std[j]!;
  }
  return sigmoid(eta);
}

export type RiskEvaluation = {
  auc: number;
  brier: number;
  /** Brier score of always predicting the training rate: the model should beat it. */
  baselineBrier: number;
  calibration: CalibrationBin[];
  positives: number;
  count: number;
};

export function evaluate(
  model: LogisticModel,
  x: Float64Array,
  y: ArrayLike<number>,
  from: number,
  to: number,
): RiskEvaluation {
  const p = model.features.length;
  const pred = new Float64Array(to - from);
  const labels = new Uint8Array(to - from);
  for (let i = from; i < to; i++) {
    pred[i - from] = predict(model, x.subarray(i * p, (i + 1) * p));
    labels[i - from] = y[i] ? 1 : 0;
  }
  const rate = model.spec.globalRate;
  return {
    auc: auc(pred, labels),
    brier: brierScore(pred, labels),
    baselineBrier: brierScore(new Float64Array(pred.length).fill(rate), labels),
    calibration: calibration(pred, labels, 10),
    positives: labels.reduce((s, v) => s + v, 0),
    count: labels.length,
  };
}

export type TrainingResult = {
  model: LogisticModel;
  evaluation: RiskEvaluation;
  trainCount: number;
  testCount: number;
  /** Orders placed before this instant trained; from it on, tested. */
  splitAt: number;
};

/**
 * Trains on the earlier 80% of lines (by order time) and tests on the last 20%. The caller leaves
 * out lines too young to have been returned yet; otherwise recent lines would count as kept.
 */
export function trainRiskModel(
  lines: readonly RiskLine[],
  events: readonly RiskReturnEvent[],
  options: { l2?: number; maxCategories?: number; maxReasons?: number; trainShare?: number } = {},
): TrainingResult {
  const n = lines.length;
  const cut = Math.max(1, Math.min(n - 1, Math.floor(n * (options.trainShare ?? 0.8))));
  const splitAt = lines[cut]?.placedAt ?? 0;
  // The spec (categories, reasons, prior rates) comes from the training period only.
  const catCounts = new Map<string, number>();
  let returned = 0;
  for (let i = 0; i < cut; i++) {
    catCounts.set(lines[i]!.category, (catCounts.get(lines[i]!.category) ?? 0) + 1);
    if (lines[i]!.returned) returned++;
  }
  const reasonCounts = new Map<string, number>();
  let trainEvents = 0;
  for (const e of events) {
    if (e.requestedAt >= splitAt) break;
    reasonCounts.set(e.reason, (reasonCounts.get(e.reason) ?? 0) + 1);
    trainEvents++;
  }
  const top = (m: Map<string, number>, k: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, k)
      .map(([name]) => name)
      .sort();
  const reasons = top(reasonCounts, options.maxReasons ?? 4);
  const spec: FeatureSpec = {
    categories: top(catCounts, options.maxCategories ?? 12),
    reasons,
    globalRate: returned / cut,
    reasonShares: reasons.map((r) => (reasonCounts.get(r) ?? 0) / Math.max(1, trainEvents)),
  };
  const { x } = buildFeatureMatrix(lines, events, spec);
  const y = Uint8Array.from(lines, (l) => (l.returned ? 1 : 0));
  const model = fitLogistic(x, y, cut, spec, { l2: options.l2 ?? 1 });
  return { model, evaluation: evaluate(model, x, y, cut, n), trainCount: cut, testCount: n - cut, splitAt };
}
