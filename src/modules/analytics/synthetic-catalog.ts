import { gaussian, pick, pickWeighted } from './synthetic-random.ts';

/** The synthetic shop's catalogue: its categories with their return rates and reason mix, and products. */

export const REASONS = [
  'wrong_size',
  'changed_mind',
  'not_as_described',
  'defective',
  'damaged',
  'wrong_item',
  'arrived_late',
] as const;

export type Category = {
  rate: number;
  weight: number;
  medianPrice: number;
  /** Weights over REASONS, in that order. */
  reasonWeights: number[];
  nouns: string[];
  sized: boolean;
  prefix: string;
};

export const CATEGORIES: Record<string, Category> = {
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
export const SIZE_WEIGHTS = [32, 26, 20, 14, 8];
const ADJECTIVES = ['Classic', 'Urban', 'Alpine', 'Coastal', 'Everyday', 'Pro', 'Lite', 'Heritage', 'Nova'];
export const LINE_COUNT_WEIGHTS = [45, 30, 15, 10];
export const QUANTITY_WEIGHTS = [85, 11, 4];

export type Product = {
  sku: string;
  title: string;
  category: string;
  noun: string;
  price: number;
  popularity: number;
  sizes: string[] | null;
};

export function buildCatalog(rnd: () => number, orders: number): Product[] {
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
