import type { OrderRow, PlantedIssue, ReturnRow, SyntheticHistory } from './history-rows.ts';

/**
 * A realistic, deterministic order and return history for demos, tests and benchmarks. Pure:
 * the same options give the same rows. What it models (each a knob the detectors must see through):
 * category base rates, weekly and yearly seasonality, pricier items returned more, size variants,
 * serial returners, a reason mix per category, notes in English, Simplified Chinese and Spanish,
 * and `planted` SKUs whose rate of one reason jumps ×5 from an onset day in the second half.
 */
export function generateSyntheticHistory(opts: {
  orders: number;
  seed?: number;
  start?: string;
  days?: number;
  planted?: number;
  /**
   * Where the planted issues begin: `'second-half'` (default; a detector's history sees the
   * baseline and the change) or `'recent'`, 5 to 8 weeks before the last day, so that detection
   * as of the last day still sees them as new (what a demo ending today needs).
   */
  onset?: 'second-half' | 'recent';
  onProgress?: (done: number, total: number) => void;
}): SyntheticHistory {
  const rnd = mulberry32(opts.seed ?? 1);
  const days = opts.days ?? 365;
  const start = Date.parse(`${opts.start ?? '2025-01-01'}T00:00:00Z`);
  if (!Number.isFinite(start)) throw new Error(`start must be YYYY-MM-DD, got ${opts.start}`);
  const total = Math.max(0, Math.floor(opts.orders));
  const catalog = buildCatalog(rnd, total);
  const issues = plantIssues(rnd, catalog, opts.planted ?? 3, start, days, opts.onset ?? 'second-half');
  const plantedBySku = new Map(issues.map((p) => [p.sku, p]));
  const customers = Math.max(10, Math.round(total / 3));
  // About 1.5% of customers return far more than anyone else.
  const serial = new Set<number>();
  for (let i = 0; i < Math.max(1, Math.round(customers * 0.015)); i++)
    serial.add(Math.floor(rnd() * customers));

  const perDay = allocateOrdersToDays(total, days, start);
  const popularity = cumulative(catalog.map((p) => p.popularity));
  const orders: OrderRow[] = [];
  const returns: ReturnRow[] = [];
  const periodEnd = start + days * DAY;
  let n = 0;
  for (let d = 0; d < days; d++) {
    for (let k = 0; k < perDay[d]!; k++) {
      n++;
      const placed = start + d * DAY + Math.floor(rnd() * DAY);
      const delivered = placed + (2 + Math.floor(rnd() * 5)) * DAY + Math.floor(rnd() * 8 * HOUR);
      const customer = Math.floor(skewed(rnd) * customers);
      const currency = rnd() < 0.85 ? 'USD' : 'EUR';
      const orderExternalId = `SO-${String(n).padStart(7, '0')}`;
      const lineCount = pickWeighted(rnd, LINE_COUNT_WEIGHTS) + 1;
      const chosen = new Set<number>();
      for (let li = 0; li < lineCount; li++) {
        const p = pickCumulative(rnd, popularity);
        if (chosen.has(p)) continue;
        chosen.add(p);
        const product = catalog[p]!;
        const sku = product.sizes
          ? `${product.sku}-${product.sizes[pickWeighted(rnd, SIZE_WEIGHTS)]}`
          : product.sku;
        const quantity = 1 + pickWeighted(rnd, QUANTITY_WEIGHTS);
        const unitPrice = currency === 'USD' ? product.price : Math.round(product.price * 0.92);
        const lineExternalId = String(li + 1);
        orders.push({
          orderExternalId,
          orderNumber: `#${100000 + n}`,
          placedAt: iso(placed),
          deliveredAt: iso(delivered),
          currency,
          customerEmail: `customer${customer}@example.com`,
          sku,
          title: product.title,
          category: product.category,
          lineExternalId,
          quantity,
          unitPrice,
        });

        // Will this line come back, and why?
        const cat = CATEGORIES[product.category]!;
        const priceEffect = (product.price / cat.medianPrice) ** 0.35;
        const customerEffect = serial.has(customer) ? 4 : 1;
        const month = new Date(placed).getUTCMonth();
        const seasonEffect = month === 11 ? 1.25 : 1; // gifts bought in December come back in January
        const baseRate = Math.min(0.9, cat.rate * priceEffect * customerEffect * seasonEffect);
        const issue = plantedBySku.get(sku);
        const issueActive = issue && placed >= Date.parse(`${issue.onset}T00:00:00Z`);
        let reasonCode: string | null = null;
        let phraseNote: string | null = null;
        if (rnd() < baseRate) {
          reasonCode = REASONS[pickWeighted(rnd, cat.reasonWeights)]!;
        } else if (issueActive) {
          // The planted defect: its reason's rate goes up ×5 (four more shares on top of the base;
          // ×10 for a recent onset, which has only weeks to show).
          const share =
            cat.reasonWeights[(REASONS as readonly string[]).indexOf(issue.reasonCode)]! /
            sum(cat.reasonWeights);
          if (rnd() < (cat.rate * priceEffect * share * issue.extraShares) / (1 - baseRate)) {
            reasonCode = issue.reasonCode;
            phraseNote = plantedNote(rnd, issue);
          }
        }
        if (reasonCode === null) continue;
        const requested = delivered + Math.floor((1 + rnd() * 3 + -Math.log(1 - rnd()) * 4) * DAY);
        if (requested >= periodEnd) continue;
        const returnedQty = quantity === 1 ? 1 : 1 + Math.floor(rnd() * quantity);
        const { status, resolvedAt } = outcomeOf(rnd, requested, periodEnd);
        const refunded =
          status === 'refunded' || status === 'closed'
            ? Math.round(unitPrice * returnedQty * (rnd() < 0.15 ? 0.9 : 1))
            : null;
        returns.push({
          returnExternalId: `R-${orderExternalId}-${lineExternalId}`,
          orderExternalId,
          lineExternalId,
          quantity: returnedQty,
          reasonCode,
          note: phraseNote ?? noteFor(rnd, reasonCode, product.noun),
          requestedAt: iso(requested),
          resolvedAt: resolvedAt === null ? null : iso(resolvedAt),
          status,
          refundedAmount: refunded,
        });
      }
      if (opts.onProgress && (n % 5000 === 0 || n === total)) opts.onProgress(n, total);
    }
  }
  // The files of a real shop list returns in the order they were requested.
  returns.sort((a, b) => (a.requestedAt < b.requestedAt ? -1 : a.requestedAt > b.requestedAt ? 1 : 0));
  const planted = issues.map(({ en: _en, zh: _zh, extraShares: _x, ...p }) => p);
  return { orders, returns, planted };
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** mulberry32: a tiny, fast, seedable PRNG with a full 2^32 period; good enough for test data. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REASONS = [
  'wrong_size',
  'changed_mind',
  'not_as_described',
  'defective',
  'damaged',
  'wrong_item',
  'arrived_late',
] as const;

type Category = {
  rate: number;
  weight: number;
  medianPrice: number;
  /** Weights over REASONS, in that order. */
  reasonWeights: number[];
  nouns: string[];
  sized: boolean;
  prefix: string;
};

const CATEGORIES: Record<string, Category> = {
  apparel: {
    rate: 0.24,
    weight: 40,
    medianPrice: 4500,
    reasonWeights: [45, 20, 15, 8, 4, 5, 3],
    nouns: ['jacket', 'dress', 'shirt', 'jeans', 'hoodie', 'coat', 'skirt', 'sweater'],
    sized: true,
    prefix: 'APP',
  },
  shoes: {
    rate: 0.17,
    weight: 15,
    medianPrice: 7900,
    reasonWeights: [50, 15, 12, 10, 5, 5, 3],
    nouns: ['sneakers', 'boots', 'sandals', 'loafers'],
    sized: true,
    prefix: 'SHO',
  },
  electronics: {
    rate: 0.09,
    weight: 20,
    medianPrice: 12900,
    reasonWeights: [0, 25, 20, 35, 10, 6, 4],
    nouns: ['headphones', 'speaker', 'charger', 'keyboard', 'smartwatch', 'camera'],
    sized: false,
    prefix: 'ELE',
  },
  home: {
    rate: 0.045,
    weight: 15,
    medianPrice: 3900,
    reasonWeights: [0, 30, 20, 10, 30, 6, 4],
    nouns: ['lamp', 'vase', 'mug set', 'cushion', 'blanket', 'frying pan'],
    sized: false,
    prefix: 'HOM',
  },
  beauty: {
    rate: 0.05,
    weight: 10,
    medianPrice: 2500,
    reasonWeights: [0, 40, 25, 10, 15, 6, 4],
    nouns: ['serum', 'lipstick', 'moisturizer', 'shampoo'],
    sized: false,
    prefix: 'BEA',
  },
};

const SIZES = ['M', 'L', 'S', 'XL', 'XS'];
const SHOE_SIZES = ['41', '42', '40', '43', '39'];
/** Sizes sell unevenly; the first (most common) size is where an issue is planted. */
const SIZE_WEIGHTS = [32, 26, 20, 14, 8];
const ADJECTIVES = ['Classic', 'Urban', 'Alpine', 'Coastal', 'Everyday', 'Pro', 'Lite', 'Heritage', 'Nova'];
const LINE_COUNT_WEIGHTS = [45, 30, 15, 10];
const QUANTITY_WEIGHTS = [85, 11, 4];

type Product = {
  sku: string;
  title: string;
  category: string;
  noun: string;
  price: number;
  popularity: number;
  sizes: string[] | null;
};

function buildCatalog(rnd: () => number, orders: number): Product[] {
  // Enough products that most see few sales (as in a real catalogue), a few see many.
  const count = Math.max(15, Math.min(3000, Math.round(orders / 40)));
  const names = Object.keys(CATEGORIES);
  const weights = names.map((c) => CATEGORIES[c]!.weight);
  const products: Product[] = [];
  const perCategory = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    // The first products cover every category, so small histories have all of them.
    const category = i < names.length ? names[i]! : names[pickWeighted(rnd, weights)]!;
    const cat = CATEGORIES[category]!;
    const k = (perCategory.get(category) ?? 0) + 1;
    perCategory.set(category, k);
    const noun = pick(rnd, cat.nouns);
    // Log-normal prices around the category's median, rounded to .99 / .00 endings.
    const price = Math.max(
      199,
      Math.round((cat.medianPrice * Math.exp(gaussian(rnd) * 0.5)) / 100) * 100 - 1,
    );
    products.push({
      sku: `${cat.prefix}-${String(k).padStart(4, '0')}`,
      title: `${pick(rnd, ADJECTIVES)} ${noun}`,
      category,
      noun,
      price,
      // Zipf-like popularity: a few best sellers, a long tail.
      popularity: 1 / (1 + i) ** 0.8,
      sizes: cat.sized ? (category === 'shoes' ? SHOE_SIZES : SIZES) : null,
    });
  }
  // Shuffle popularity so best sellers are spread over categories.
  for (let i = products.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const a = products[i]!.popularity;
    products[i]!.popularity = products[j]!.popularity;
    products[j]!.popularity = a;
  }
  return products;
}

const ISSUES: Record<string, { reasonCode: string; phrases: string[]; en: string[]; zh: string[] }[]> = {
  apparel: [
    {
      reasonCode: 'defective',
      phrases: ['zipper broke', '拉链坏了'],
      en: [
        'The zipper broke after two days.',
        'zipper broke the first time I wore it',
        'Zipper broke, cannot close it.',
      ],
      zh: ['拉链坏了，拉不上。', '穿了一次拉链坏了', '拉链坏了，质量太差'],
    },
    {
      reasonCode: 'defective',
      phrases: ['seam ripped', '开线了'],
      en: ['The seam ripped at the shoulder.', 'seam ripped after one wash'],
      zh: ['肩膀那里开线了', '洗了一次就开线了'],
    },
  ],
  shoes: [
    {
      reasonCode: 'defective',
      phrases: ['sole came off', '鞋底脱胶'],
      en: ['The sole came off after a week.', 'sole came off on the left shoe'],
      zh: ['鞋底脱胶了', '穿了一周鞋底脱胶'],
    },
  ],
  electronics: [
    {
      reasonCode: 'defective',
      phrases: ['battery drains', '电池不耐用'],
      en: ['The battery drains in an hour.', 'battery drains overnight even when off'],
      zh: ['电池不耐用，一小时就没电', '电池不耐用，充不满'],
    },
    {
      reasonCode: 'defective',
      phrases: ['screen flickers', '屏幕闪烁'],
      en: ['The screen flickers constantly.', 'screen flickers when charging'],
      zh: ['屏幕闪烁，看不清', '充电时屏幕闪烁'],
    },
  ],
  home: [
    {
      reasonCode: 'damaged',
      phrases: ['arrived cracked', '到货有裂痕'],
      en: ['It arrived cracked on the side.', 'arrived cracked, the box was fine'],
      zh: ['到货有裂痕', '收到时到货有裂痕，包装完好'],
    },
  ],
  beauty: [
    {
      reasonCode: 'not_as_described',
      phrases: ['caused a rash', '过敏起疹子'],
      en: ['It caused a rash on my face.', 'caused a rash within a day'],
      zh: ['用了以后过敏起疹子', '过敏起疹子了'],
    },
  ],
};

function plantIssues(
  rnd: () => number,
  catalog: Product[],
  count: number,
  start: number,
  days: number,
  onset: 'second-half' | 'recent',
): (PlantedIssue & { en: string[]; zh: string[]; extraShares: number })[] {
  // Planted SKUs are among the better sellers, so a real detector has the volume to see them; a
  // recent onset has only weeks of sales, so it goes to the very best sellers.
  const ranked = [...catalog].sort((a, b) => b.popularity - a.popularity);
  const pool = ranked.slice(0, onset === 'recent' ? count : count * 2 + 2);
  const out: (PlantedIssue & { en: string[]; zh: string[]; extraShares: number })[] = [];
  for (let i = 0; i < count && pool.length > 0; i++) {
    const product = pool.splice(Math.floor(rnd() * pool.length), 1)[0]!;
    const issue = pick(rnd, ISSUES[product.category]!);
    const u = rnd();
    const onsetDay =
      onset === 'recent' ? Math.max(0, days - 56 + Math.floor(u * 21)) : Math.floor(days * (0.55 + u * 0.25));
    out.push({
      // A sized product's issue is planted on its best-selling size (one SKU, as a batch defect is).
      sku: product.sizes ? `${product.sku}-${product.sizes[0]}` : product.sku,
      category: product.category,
      onset: iso(start + onsetDay * DAY).slice(0, 10),
      reasonCode: issue.reasonCode,
      phrases: issue.phrases,
      en: issue.en,
      zh: issue.zh,
      extraShares: onset === 'recent' ? 9 : 4,
    });
  }
  return out;
}

function plantedNote(rnd: () => number, issue: { en: string[]; zh: string[] }): string | null {
  const r = rnd();
  if (r < 0.15) return null;
  return r < 0.65 ? pick(rnd, issue.en) : pick(rnd, issue.zh);
}

const NOTES: Record<string, { en: string[]; zh: string[]; es: string[] }> = {
  wrong_size: {
    en: [
      'Too small, I need a size up.',
      'The {noun} runs large.',
      'Does not fit well around the waist.',
      'Ordered my usual size but it is too tight.',
    ],
    zh: ['尺码偏小', '太大了，不合身', '尺寸不合适，想换大一号'],
    es: ['Me queda pequeño.', 'La talla es demasiado grande.'],
  },
  changed_mind: {
    en: [
      'Changed my mind.',
      'Found a better price elsewhere.',
      'No longer need the {noun}.',
      'Bought it as a gift, they did not want it.',
    ],
    zh: ['不想要了', '买重复了', '在别处找到更便宜的'],
    es: ['Ya no lo necesito.', 'Cambié de opinión.'],
  },
  not_as_described: {
    en: [
      'The colour is different from the photos.',
      'Material feels cheaper than described.',
      'The {noun} looks nothing like the picture.',
    ],
    zh: ['颜色和图片不一样', '材质和描述不符', '实物和图片差别很大'],
    es: ['El color no es como en la foto.', 'No es como se describe.'],
  },
  defective: {
    en: [
      'Stopped working after a few days.',
      'The {noun} is faulty.',
      'Does not turn on.',
      'A button is stuck.',
    ],
    zh: ['用了几天就坏了', '质量有问题', '无法开机'],
    es: ['Dejó de funcionar.', 'Viene defectuoso.'],
  },
  damaged: {
    en: ['The box was crushed and the {noun} is scratched.', 'Arrived with a dent.', 'Damaged in shipping.'],
    zh: ['快递压坏了', '收到时有划痕', '包装破损，东西也坏了'],
    es: ['Llegó dañado.', 'La caja venía rota.'],
  },
  wrong_item: {
    en: ['I received a different {noun}.', 'Wrong colour sent.', 'Not what I ordered.'],
    zh: ['发错货了', '颜色发错了'],
    es: ['Me enviaron otro artículo.'],
  },
  arrived_late: {
    en: ['Arrived after the event I needed it for.', 'Took too long to arrive.'],
    zh: ['物流太慢了', '到得太晚了'],
    es: ['Llegó demasiado tarde.'],
  },
};

const OPENERS_EN = ['', '', 'Unfortunately, ', 'Sadly ', 'Hi, ', ''];
const CLOSERS_EN = ['', '', ' Please refund.', ' Thanks.', ' Very disappointed.', ''];
const CLOSERS_ZH = ['', '', '，请退款', '，很失望', '。谢谢'];

function noteFor(rnd: () => number, reason: string, noun: string): string | null {
  const set = NOTES[reason];
  const r = rnd();
  if (!set || r < 0.4) return null;
  const lang = r < 0.82 ? 'en' : r < 0.94 ? 'zh' : 'es';
  const body = pick(rnd, set[lang]).replace('{noun}', noun);
  if (lang === 'en') {
    const opener = pick(rnd, OPENERS_EN);
    return `${opener}${opener ? body[0]!.toLowerCase() + body.slice(1) : body}${pick(rnd, CLOSERS_EN)}`;
  }
  return lang === 'zh' ? `${body}${pick(rnd, CLOSERS_ZH)}` : body;
}

/** Final state and when it was reached; returns still young at the period's end are open. */
function outcomeOf(
  rnd: () => number,
  requested: number,
  periodEnd: number,
): { status: string; resolvedAt: number | null } {
  const r = rnd();
  if (r < 0.06) return { status: 'rejected', resolvedAt: requested + Math.floor(rnd() * 2 * DAY) };
  if (r < 0.09) return { status: 'cancelled', resolvedAt: requested + Math.floor(rnd() * 3 * DAY) };
  const resolved = requested + Math.floor((4 + rnd() * 6 + -Math.log(1 - rnd()) * 3) * DAY);
  if (resolved >= periodEnd) {
    const open = ['needs_review', 'awaiting_shipment', 'in_transit', 'received', 'inspected'];
    return { status: pick(rnd, open), resolvedAt: null };
  }
  return { status: rnd() < 0.7 ? 'refunded' : 'closed', resolvedAt: resolved };
}

/** Orders per day: weekends busier, a slow spring and a peak in November and December. */
function allocateOrdersToDays(total: number, days: number, start: number): number[] {
  const weights: number[] = [];
  for (let d = 0; d < days; d++) {
    const date = new Date(start + d * DAY);
    const dow = date.getUTCDay();
    const weekly = dow === 0 || dow === 6 ? 1.3 : dow === 1 ? 1.1 : 0.95;
    const doy = (date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY;
    const yearly = 1 + 0.25 * Math.cos((2 * Math.PI * (doy - 345)) / 365);
    const peak = date.getUTCMonth() === 10 && date.getUTCDate() >= 24 && date.getUTCDate() <= 30 ? 1.6 : 1;
    weights.push(weekly * yearly * peak);
  }
  // Largest remainder: the counts sum exactly to `total`.
  const w = sum(weights);
  const exact = weights.map((x) => (x / w) * total);
  const counts = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  const rest = total - sum(counts);
  for (let i = 0; i < rest; i++) counts[order[i]![1]]! += 1;
  return counts;
}

function sum(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

function cumulative(weights: number[]): number[] {
  const out: number[] = [];
  let acc = 0;
  for (const w of weights) {
    acc += w;
    out.push(acc);
  }
  return out;
}

function pickCumulative(rnd: () => number, cum: number[]): number {
  const x = rnd() * cum[cum.length - 1]!;
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function pickWeighted(rnd: () => number, weights: readonly number[]): number {
  let x = rnd() * sum(weights as number[]);
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i]!;
    if (x < 0) return i;
  }
  return weights.length - 1;
}

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)]!;
}

/** Skewed towards 0: a few customers order often. */
function skewed(rnd: () => number): number {
  return rnd() ** 1.6;
}

function gaussian(rnd: () => number): number {
  const u = 1 - rnd();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
