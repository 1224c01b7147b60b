import type {
  OrderRow,
  PlantedIssue,
  ReturnRow,
  SyntheticHistory,
} from '../src/modules/analytics/history-rows.ts';
import { poissonSample, seededRandom } from '../src/modules/analytics/stats.ts';

/**
 * A compact history with one strong planted defect, for the HTTP flows of early warning: a few
 * dozen SKUs selling 0.3–4 lines a day and one planted SKU selling 25, whose defect returns go ×5
 * from `onset` with the planted phrase in their notes. Small enough to import in a second or two;
 * the statistical claims at scale are tested on count series in early-warning.test.ts.
 */
export function plantedHistory(opts: {
  seed: number;
  start?: string;
  days?: number;
  onsetDay?: number;
}): SyntheticHistory & {
  cleanSkus: string[];
} {
  const random = seededRandom(opts.seed);
  const start = Date.parse(`${opts.start ?? '2025-06-01'}T00:00:00Z`);
  const days = opts.days ?? 150;
  const onsetDay = opts.onsetDay ?? 110;
  const DAY = 86_400_000;
  const categories = [
    {
      name: 'outerwear',
      rate: 0.18,
      mix: { wrong_size: 0.55, changed_mind: 0.25, defective: 0.1, damaged: 0.1 },
    },
    { name: 'audio', rate: 0.08, mix: { wrong_size: 0, changed_mind: 0.45, defective: 0.35, damaged: 0.2 } },
    { name: 'kitchen', rate: 0.05, mix: { wrong_size: 0, changed_mind: 0.4, defective: 0.2, damaged: 0.4 } },
  ];
  const notes: Record<string, string[]> = {
    wrong_size: ['Too small, I need a size up.', 'Runs large.', '尺码偏小'],
    changed_mind: ['Changed my mind.', 'Found it cheaper elsewhere.', '不想要了'],
    defective: ['Stopped working after a few days.', 'It is faulty.', '质量有问题'],
    damaged: ['Arrived with a dent.', 'The box was crushed.', '快递压坏了'],
  };
  const skus = Array.from({ length: 36 }, (_, i) => {
    const cat = categories[i % 3]!;
    return {
      sku: `${cat.name.slice(0, 3).toUpperCase()}-${String(i).padStart(3, '0')}`,
      category: cat,
      volume: 0.3 * (4 / 0.3) ** random(),
      price: Math.round(2000 + random() * 12000),
    };
  });
  const plantedSku = { sku: 'OUT-PLANT', category: categories[0]!, volume: 25, price: 8900 };
  skus.push(plantedSku);
  const planted: PlantedIssue = {
    sku: plantedSku.sku,
    category: plantedSku.category.name,
    onset: new Date(start + onsetDay * DAY).toISOString().slice(0, 10),
    reasonCode: 'defective',
    phrases: ['zipper broke', '拉链坏了'],
  };
  const plantedNotes = [
    'The zipper broke after two days.',
    'zipper broke on the first wear',
    '拉链坏了，拉不上',
    '穿了一次拉链坏了',
  ];
  // 2% of customers return four times as often: the risk model should notice.
  const customers = 2500;
  const orders: OrderRow[] = [];
  const returns: ReturnRow[] = [];
  let n = 0;
  for (let d = 0; d < days; d++) {
    for (const s of skus) {
      const count = poissonSample(s.volume, random);
      for (let k = 0; k < count; k++) {
        n++;
        const placed = start + d * DAY + Math.floor(random() * DAY);
        const customer = Math.floor(random() ** 1.5 * customers);
        const serial = customer % 50 === 7;
        const orderExternalId = `FX-${n}`;
        orders.push({
          orderExternalId,
          orderNumber: `#F${n}`,
          placedAt: new Date(placed).toISOString(),
          deliveredAt: new Date(placed + 3 * DAY).toISOString(),
          currency: 'USD',
          customerEmail: `fx${customer}@example.com`,
          lineExternalId: '1',
          sku: s.sku,
          title: s.sku,
          category: s.category.name,
          quantity: 1,
          unitPrice: s.price,
        });
        let reason: string | null = null;
        let note: string | null = null;
        const rate = s.category.rate * (serial ? 4 : 1) * (s.price / 8000) ** 0.4;
        if (random() < rate) {
          let u = random();
          for (const [r, w] of Object.entries(s.category.mix)) {
            u -= w;
            if (u < 0) {
              reason = r;
              break;
            }
          }
          reason ??= 'changed_mind';
          note = random() < 0.6 ? notes[reason]![Math.floor(random() * 3)]! : null;
        } else if (
          s === plantedSku &&
          d >= onsetDay &&
          random() < s.category.rate * s.category.mix.defective * 4
        ) {
          reason = 'defective';
          note = plantedNotes[Math.floor(random() * plantedNotes.length)]!;
        }
        if (!reason) continue;
        const requested = placed + Math.floor((4 + random() * 3 - Math.log(1 - random()) * 4) * DAY);
        if (requested >= start + days * DAY) continue;
        returns.push({
          returnExternalId: `FXR-${n}`,
          orderExternalId,
          lineExternalId: '1',
          quantity: 1,
          reasonCode: reason,
          note,
          requestedAt: new Date(requested).toISOString(),
          resolvedAt: null,
          status: 'submitted',
          refundedAmount: null,
        });
      }
    }
  }
  returns.sort((a, b) => (a.requestedAt < b.requestedAt ? -1 : 1));
  return {
    orders,
    returns,
    planted: [planted],
    cleanSkus: skus.filter((s) => s !== plantedSku).map((s) => s.sku),
  };
}
