import type { Services } from '../main.ts';
import type { LineStage } from '../modules/sourcing/stages.ts';

const DAY = 86_400_000;

export type PurchasingAgentDemo = {
  tenantId: string;
  name: string;
  handle: string;
  apiKey: string;
  users: { email: string; password: string; role: string }[];
};

type Plan = {
  lines: {
    sku: string;
    title: string;
    price: number;
    qty: number;
    seller: string;
    path: [LineStage, number][];
  }[];
  /** A return filed once the lines are where they are, and what happens to its claim. */
  ret?: { line: number; reason: string; claim?: 'send' | 'refund' | 'accept' };
};

/** An order of the demo with an item in the warehouse and nothing returned: what `npm start` names. */
export const PA_TRY_ORDER = { number: 'DG-2007', email: 'emma.jones@example.com' } as const;

const SELLERS = ['Hangzhou Down Co.', 'Jingdezhen Kiln', 'Yiwu Bags Factory', 'Shenzhen Gadget Mall'];

/** Orders with lines at every stage, and returns for each kind of stage decision. */
const PLANS: Plan[] = [
  {
    lines: [
      {
        sku: 'TEA-SET-6',
        title: 'Celadon tea set (6 cups)',
        price: 18_800,
        qty: 1,
        seller: SELLERS[1]!,
        path: [],
      },
      {
        sku: 'FAN-SILK',
        title: 'Silk folding fan',
        price: 3_500,
        qty: 2,
        seller: SELLERS[2]!,
        path: [['purchasing', 0.2]],
      },
    ],
    ret: { line: 0, reason: 'changed_mind' },
  },
  {
    lines: [
      {
        sku: 'DOWN-JKT-L',
        title: 'Down jacket, L',
        price: 39_900,
        qty: 1,
        seller: SELLERS[0]!,
        path: [['purchased', 1]],
      },
      {
        sku: 'PWR-BANK-20K',
        title: 'Power bank 20,000 mAh',
        price: 12_900,
        qty: 1,
        seller: SELLERS[3]!,
        path: [
          ['purchased', 2],
          ['seller_shipped', 1],
        ],
      },
    ],
    ret: { line: 0, reason: 'changed_mind' },
  },
  {
    lines: [
      {
        sku: 'TOTE-CNV',
        title: 'Canvas tote bag',
        price: 4_900,
        qty: 3,
        seller: SELLERS[2]!,
        path: [
          ['purchased', 6],
          ['seller_shipped', 5],
          ['in_warehouse', 5],
          ['qc_passed', 4],
          ['stored', 4],
        ],
      },
    ],
    ret: { line: 0, reason: 'changed_mind', claim: 'send' },
  },
  {
    lines: [
      {
        sku: 'KETTLE-CLAY',
        title: 'Yixing clay kettle',
        price: 26_800,
        qty: 1,
        seller: SELLERS[1]!,
        path: [
          ['purchased', 5],
          ['seller_shipped', 4],
          ['in_warehouse', 3],
          ['qc_failed', 2],
        ],
      },
    ],
  },
  {
    lines: [
      {
        sku: 'EARBUDS-X',
        title: 'Wireless earbuds',
        price: 15_900,
        qty: 1,
        seller: SELLERS[3]!,
        path: [
          ['purchased', 6],
          ['seller_shipped', 5],
          ['in_warehouse', 4],
          ['qc_passed', 3],
        ],
      },
    ],
    ret: { line: 0, reason: 'defective', claim: 'refund' },
  },
  {
    lines: [
      {
        sku: 'SCARF-CASH',
        title: 'Cashmere scarf',
        price: 22_000,
        qty: 1,
        seller: SELLERS[0]!,
        path: [
          ['purchased', 20],
          ['in_warehouse', 16],
          ['qc_passed', 15],
          ['stored', 15],
          ['shipped_international', 9],
        ],
      },
      {
        sku: 'VASE-BLUE',
        title: 'Blue-and-white vase',
        price: 36_600,
        qty: 1,
        seller: SELLERS[1]!,
        path: [
          ['purchased', 20],
          ['in_warehouse', 16],
          ['qc_passed', 15],
          ['shipped_international', 9],
          ['delivered', 2],
        ],
      },
    ],
    ret: { line: 1, reason: 'damaged_in_transit' },
  },
  {
    lines: [
      {
        sku: 'LAMP-PAPER',
        title: 'Paper lantern lamp',
        price: 8_800,
        qty: 2,
        seller: SELLERS[2]!,
        path: [
          ['purchased', 3],
          ['seller_shipped', 2],
          ['in_warehouse', 1],
          ['qc_passed', 1],
        ],
      },
      {
        // Paid for and not yet bought: a customer may still cancel it outright.
        sku: 'INK-SET',
        title: 'Calligraphy ink set',
        price: 5_600,
        qty: 1,
        seller: SELLERS[1]!,
        path: [],
      },
    ],
  },
  {
    lines: [
      {
        sku: 'MUG-ENAMEL',
        title: 'Enamel camping mug',
        price: 2_900,
        qty: 2,
        seller: SELLERS[2]!,
        path: [['purchased', 2]],
      },
    ],
    ret: { line: 0, reason: 'changed_mind', claim: 'accept' },
  },
];

/**
 * A purchasing agent buying in CNY for customers who read USD or EUR: orders at every stage,
 * an instant cancellation, a cancellation waiting for the seller, returns to sellers (one
 * claim at risk, one recovered), a failed QC with its automatic return, a damage claim.
 */
export async function seedPurchasingAgentDemo(
  services: Services,
  now = new Date(),
): Promise<PurchasingAgentDemo> {
  const tenant = await services.identity.createTenant({
    name: 'Demo Global Buyers',
    kind: 'purchasing_agent',
    adminEmail: 'admin@agent.returnflow.local',
  });
  const users = [{ email: tenant.adminEmail, password: tenant.adminPassword, role: 'admin' }];
  const warehouse = {
    email: 'warehouse@agent.returnflow.local',
    password: `wh-${tenant.adminPassword.slice(0, 12)}`,
  };
  await services.identity.createUser(tenant.tenantId, {
    email: warehouse.email,
    name: 'Wang Warehouse',
    role: 'warehouse',
    password: warehouse.password,
  });
  users.push({ ...warehouse, role: 'warehouse' });
  for (const [role, name] of [
    ['agent', 'An Agent'],
    ['supervisor', 'Su Supervisor'],
  ] as const) {
    const email = `${role}@agent.returnflow.local`;
    const password = `${role}-${tenant.adminPassword.slice(0, 10)}`;
    await services.identity.createUser(tenant.tenantId, { email, name, role, password });
    users.push({ email, password, role });
  }
  const day = (ago: number) => new Date(now.getTime() - ago * DAY);
  await services.wallet.putRates(tenant.tenantId, [
    {
      base: 'CNY',
      quote: 'USD',
      rate: '0.1387',
      rateDate: day(1).toISOString().slice(0, 10),
      source: 'demo',
    },
    {
      base: 'CNY',
      quote: 'EUR',
      rate: '0.1281',
      rateDate: day(1).toISOString().slice(0, 10),
      source: 'demo',
    },
  ]);
  const customers = [
    ['emma.jones@example.com', 'Emma Jones', 'USD'],
    ['lucas.martin@example.com', 'Lucas Martin', 'EUR'],
    ['carmen.lopez@example.com', 'Carmen López', 'EUR'],
  ] as const;
  const staff = { type: 'staff' as const, id: 'demo-seed' };
  // Follow-ups run through the outbox; wait for them (here or in a running server's worker).
  const drain = () => services.worker.drain(tenant.tenantId);

  for (const [i, plan] of PLANS.entries()) {
    const [email, name, display] = customers[i % customers.length]!;
    const { order } = await services.orders.upsertOrder(tenant.tenantId, {
      externalId: `dg-${2001 + i}`,
      orderNumber: `DG-${2001 + i}`,
      currency: 'CNY',
      placedAt: day(25 - i).toISOString(),
      deliveredAt: null,
      customer: { email, name, displayCurrency: display },
      shippingAmount: 0,
      discountAmount: 0,
      taxAmount: 0,
      lines: plan.lines.map((l, k) => ({
        externalId: `L${k + 1}`,
        sku: l.sku,
        title: l.title,
        category: 'general',
        quantity: l.qty,
        unitPrice: l.price,
        discountAmount: 0,
        taxAmount: 0,
        seller: l.seller,
        sellerOrderRef: `TB-${880_000 + i * 10 + k}`,
      })),
      fees: [
        ...plan.lines.map((_, k) => ({
          kind: 'domestic_shipping' as const,
          amount: 800 + k * 200,
          lineExternalId: `L${k + 1}`,
        })),
        { kind: 'service_fee' as const, amount: 1_500 + i * 100 },
        { kind: 'international_shipping' as const, amount: 9_800 },
        ...(i % 2 === 1 ? [{ kind: 'insurance' as const, amount: 1_200 }] : []),
        { kind: 'payment_fee' as const, amount: 390 },
      ],
    });
    for (const [k, l] of plan.lines.entries()) {
      for (const [stage, ago] of l.path) {
        await services.sourcing.setStage(
          tenant.tenantId,
          order.id,
          order.lines[k]!.id,
          { stage, at: day(ago).toISOString() },
          staff,
        );
      }
    }
    await drain();
    if (!plan.ret) continue;
    const line = order.lines[plan.ret.line]!;
    const ret = await services.returns.requestReturn(
      tenant.tenantId,
      {
        orderId: order.id,
        resolution: 'refund',
        lines: [{ orderLineId: line.id, quantity: line.quantity, reasonCode: plan.ret.reason }],
      },
      { type: 'customer', id: order.customer.id },
    );
    await drain();
    const claims = await services.sourcing.listClaims(tenant.tenantId, { returnId: ret.id, limit: 5 });
    const claim = claims.items[0];
    if (claim && plan.ret.claim) {
      await services.sourcing.actOnClaim(tenant.tenantId, claim.id, 'send', {}, staff);
      if (plan.ret.claim === 'accept') {
        await services.sourcing.actOnClaim(
          tenant.tenantId,
          claim.id,
          'accept',
          { note: 'Seller cancelled.' },
          staff,
        );
      }
      if (plan.ret.claim === 'refund') {
        await services.sourcing.actOnClaim(
          tenant.tenantId,
          claim.id,
          'refund',
          { amountRecovered: claim.amountExpected, note: 'Seller refunded on Taobao.' },
          staff,
        );
      }
    }
    await drain();
  }
  return {
    tenantId: tenant.tenantId,
    name: tenant.name,
    handle: tenant.handle,
    apiKey: tenant.apiKey,
    users,
  };
}
