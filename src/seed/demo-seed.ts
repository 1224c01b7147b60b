import type { Services } from '../main.ts';
import type { CreatedTenant } from '../modules/identity/service.ts';
import type { ReturnAction } from '../modules/returns/state-machine.ts';
import { type PurchasingAgentDemo, seedPurchasingAgentDemo } from './demo-purchasing-agent.ts';

const DAY = 86_400_000;

type DemoLine = {
  sku: string;
  title: string;
  category: string;
  unitPrice: number;
  quantity: number;
  discountAmount?: number;
  taxAmount?: number;
};

const CATALOG: DemoLine[] = [
  { sku: 'JKT-ALP-M', title: 'Alpine shell jacket, M', category: 'outerwear', unitPrice: 18900, quantity: 1 },
  { sku: 'TEE-ORG-L', title: 'Organic cotton tee, L', category: 'tops', unitPrice: 2900, quantity: 3 },
  { sku: 'SNK-TRL-42', title: 'Trail sneakers, EU 42', category: 'shoes', unitPrice: 12900, quantity: 1 },
  {
    sku: 'HDP-NC-01',
    title: 'Noise-cancelling headphones',
    category: 'electronics',
    unitPrice: 24900,
    quantity: 1,
  },
  { sku: 'SCK-MRN-3P', title: 'Merino socks, 3-pack', category: 'accessories', unitPrice: 1900, quantity: 2 },
  { sku: 'BAG-DFL-40', title: 'Duffel bag 40 L', category: 'bags', unitPrice: 8900, quantity: 1 },
  { sku: 'BTL-STL-750', title: 'Steel bottle 750 ml', category: 'accessories', unitPrice: 1200, quantity: 1 },
];

/** Demo orders with nothing returned yet: `#1101` is the one the README and `npm start` name. */
export const FRESH_ORDERS = [
  { number: '#1101', email: 'maria.garcia@example.com', name: 'María García', lines: [0, 1, 4] },
  { number: '#1102', email: 'li.wei@example.com', name: 'Li Wei', lines: [3, 6] },
] as const;

/** What each demo return goes through after it is filed, so every state has an example. */
const SCENARIOS: { lines: number[]; reason: string; actions: ReturnAction[]; note?: string }[] = [
  { lines: [1], reason: 'wrong_size', actions: [] },
  { lines: [0], reason: 'changed_mind', actions: ['ship'] },
  { lines: [2], reason: 'wrong_size', actions: ['ship', 'receive'] },
  { lines: [5], reason: 'not_as_described', actions: ['ship', 'receive', 'inspect'] },
  { lines: [1, 4], reason: 'changed_mind', actions: ['ship', 'receive', 'inspect', 'refund'] },
  { lines: [0], reason: 'arrived_late', actions: ['ship', 'receive', 'inspect', 'refund', 'close'] },
  { lines: [3], reason: 'defective', actions: [], note: 'The left ear cup crackles at any volume.' },
  { lines: [2], reason: 'damaged', actions: ['reject'], note: 'Sole came apart after a week.' },
  { lines: [5], reason: 'changed_mind', actions: ['cancel'] },
  { lines: [6], reason: 'not_as_described', actions: [] },
];

const DEMO_MACROS = [
  {
    name: 'Approve',
    body: 'Hi {{customerName}}, we have approved {{rmaNumber}}; {{refundAmount}} will be refunded once the parcel is back. — {{agentName}}',
    action: 'approve',
  },
  {
    name: 'Ask for a photo',
    body: 'Hi {{customerName}}, could you send us a photo of the problem for {{rmaNumber}}? Reply to this email with it attached. — {{agentName}}',
    action: null,
  },
  {
    name: 'Decline: outside policy',
    body: 'Hi {{customerName}}, we are sorry, but {{rmaNumber}} falls outside our return policy, so we cannot accept it. — {{agentName}}',
    action: 'reject',
  },
];

export type DemoCredentials = CreatedTenant & {
  users: { email: string; password: string; role: string }[];
  /** The second demo tenant: a purchasing agent (line stages, seller claims, wallet). */
  purchasingAgent?: PurchasingAgentDemo;
};

/** A merchant with orders and a handful of returns in every state; only for an empty database. */
export async function seedDemo(services: Services, now = new Date()): Promise<DemoCredentials> {
  const tenant = await services.identity.createTenant({
    name: 'Demo Outfitters',
    kind: 'merchant',
    adminEmail: 'admin@demo.returnflow.local',
  });
  const users = [{ email: tenant.adminEmail, password: tenant.adminPassword, role: 'admin' }];
  for (const [role, name] of [
    ['agent', 'Ana Agent'],
    ['supervisor', 'Sam Supervisor'],
    ['warehouse', 'Wen Warehouse'],
  ] as const) {
    const email = `${role}@demo.returnflow.local`;
    const password = `${role}-${tenant.adminPassword.slice(0, 10)}`;
    await services.identity.createUser(tenant.tenantId, { email, name, role, password });
    users.push({ email, password, role });
  }

  // A return address (and the explicit ship-by window) for the tracking pages' instructions.
  const { policy } = await services.policies.currentPolicy(tenant.tenantId);
  await services.policies.publishPolicy(
    tenant.tenantId,
    {
      ...policy,
      shipWithinDays: 14,
      returnAddress: {
        name: 'Demo Outfitters Returns',
        lines: ['Unit 4, Riverside Trading Estate', '1200 Harbor Road', 'Oakland, CA 94607', 'United States'],
      },
    },
    'demo-seed',
  );

  const customers = [
    ['maria.garcia@example.com', 'María García'],
    ['li.wei@example.com', 'Li Wei'],
    ['sam.taylor@example.com', 'Sam Taylor'],
    ['aiko.tanaka@example.com', 'Aiko Tanaka'],
  ] as const;
  const actor = { type: 'api' as const, id: 'demo-seed' };
  for (const [i, s] of SCENARIOS.entries()) {
    const [email, name] = customers[i % customers.length]!;
    const placed = new Date(now.getTime() - (6 + i) * DAY);
    const lines = s.lines.map((li, k) => ({ ...CATALOG[li]!, externalId: `L${k + 1}` }));
    const { order } = await services.orders.upsertOrder(tenant.tenantId, {
      externalId: `demo-${1001 + i}`,
      orderNumber: `#${1001 + i}`,
      currency: 'USD',
      placedAt: placed.toISOString(),
      deliveredAt: new Date(placed.getTime() + 4 * DAY).toISOString(),
      customer: { email, name },
      shippingAmount: 795,
      discountAmount: i % 3 === 0 ? 1000 : 0,
      taxAmount: 0,
      lines: lines.map((l) => ({
        ...l,
        discountAmount: l.discountAmount ?? 0,
        taxAmount: Math.round(l.unitPrice * l.quantity * 0.08),
      })),
    });
    const ret = await services.returns.requestReturn(
      tenant.tenantId,
      {
        orderId: order.id,
        resolution: 'refund',
        lines: order.lines.map((l) => ({
          orderLineId: l.id,
          quantity: l.quantity,
          reasonCode: s.reason,
          ...(s.note ? { note: s.note } : {}),
        })),
        ...(s.note ? { customerNote: s.note } : {}),
      },
      { type: 'customer', id: order.customer.id },
    );
    for (const action of s.actions) {
      const current = await services.returns.getReturn(tenant.tenantId, ret.id);
      if (action !== 'reject' && action !== 'cancel' && current.status === 'needs_review') {
        await services.returnActions.performAction(
          tenant.tenantId,
          ret.id,
          'approve',
          { note: 'Looks fine.' },
          actor,
        );
      }
      const body =
        action === 'ship'
          ? { carrier: 'UPS', trackingNumber: `1Z${String(100000 + i * 7919).padStart(8, '0')}` }
          : {};
      await services.returnActions.performAction(tenant.tenantId, ret.id, action, body, actor);
      // Refunds settle through the outbox; let it finish (here, or in the server's own worker
      // when it is running) so the next step finds the return refunded.
      if (action === 'refund') await services.worker.drain(tenant.tenantId);
    }
  }
  // Orders nobody has returned yet, for a newcomer to try the portal with (the README names the first).
  for (const [k, f] of FRESH_ORDERS.entries()) {
    const placed = new Date(now.getTime() - (5 + k) * DAY);
    await services.orders.upsertOrder(tenant.tenantId, {
      externalId: `demo-${f.number.slice(1)}`,
      orderNumber: f.number,
      currency: 'USD',
      placedAt: placed.toISOString(),
      deliveredAt: new Date(placed.getTime() + 3 * DAY).toISOString(),
      customer: { email: f.email, name: f.name },
      shippingAmount: 795,
      discountAmount: 0,
      taxAmount: 0,
      lines: f.lines.map((li, n) => {
        const l = CATALOG[li]!;
        return {
          ...l,
          externalId: `L${n + 1}`,
          discountAmount: 0,
          taxAmount: Math.round(l.unitPrice * l.quantity * 0.08),
        };
      }),
    });
  }
  await services.settings.updateSettings(tenant.tenantId, {
    senderName: 'Demo Outfitters',
    senderEmail: 'returns@demo-outfitters.example',
  });
  for (const m of DEMO_MACROS) await services.macros.create(tenant.tenantId, m);
  const purchasingAgent = await seedPurchasingAgentDemo(services, now);
  return { ...tenant, users, purchasingAgent };
}
