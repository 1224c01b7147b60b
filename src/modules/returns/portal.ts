import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { notFound } from '../../platform/errors.ts';
import type { TenantKind } from '../identity/service.ts';
import type { OrdersService } from '../orders/service.ts';
import { assessReturn } from '../policy/evaluate-policy.ts';
import { explainLocale, explainText } from '../policy/explain.ts';
import { RESOLUTIONS } from '../policy/policy-schema.ts';
import type { PolicyService } from '../policy/service.ts';

export const CUSTOMER_COOKIE = 'rf_customer';
export const CUSTOMER_SESSION_TTL_MS = 2 * 3_600_000;

export type CustomerAccess = { tenantId: string; orderId: string; customerId: string };

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * The customer side: an order number and the email it was placed with open a short session for
 * that one order. A wrong number and a wrong email answer the same, so the form cannot be used
 * to learn which orders or addresses exist.
 */
export function createPortal(deps: {
  db: Db;
  clock: Clock;
  orders: OrdersService;
  policies: PolicyService;
  publicUrl: () => string;
  /** The shop whose portal lives at `/s/HANDLE/returns` (identity's tenant by handle). */
  shopByHandle: (handle: string) => Promise<{ id: string } | undefined>;
  /** The shop's name, portal handle and kind (identity's tenant). */
  shop: (tenantId: string) => Promise<{ name: string; handle: string; kind: TenantKind } | undefined>;
}) {
  const { db, clock } = deps;

  async function view(a: CustomerAccess, lang?: string) {
    const locale = explainLocale(lang);
    const order = await deps.orders.requireOrder(a.tenantId, a.orderId);
    const { policy } = await deps.policies.currentPolicy(a.tenantId);
    const tenant = await deps.shop(a.tenantId);
    if (!tenant) throw notFound('Shop');
    const probeReason = policy.reasons.find((r) => !r.evidenceRequired)?.code ?? policy.reasons[0]!.code;
    const now = clock.now();
    // Whether each line could come back at all: the policy's window and category rules for one unit.
    const lines = order.lines.map((l) => {
      const a1 = assessReturn(policy, {
        order: {
          currency: order.currency,
          total: order.totalAmount,
          placedAt: order.placedAt,
          deliveredAt: order.deliveredAt,
          lineCount: order.lines.length,
        },
        lines: [
          {
            orderLineId: l.id,
            sku: l.sku,
            title: l.title,
            category: l.category,
            unitPrice: l.unitPrice,
            boughtQuantity: l.quantity,
            remainingQuantity: l.returnableQuantity,
            quantity: 1,
            reasonCode: probeReason,
            hasEvidence: true,
          },
        ],
        customer: { orderCount: 0, returnCount: 0, returnRate: 0 },
        resolution: 'refund',
        now,
      }).lines[0]!;
      return {
        id: l.id,
        sku: l.sku,
        title: l.title,
        category: l.category,
        quantity: l.quantity,
        returnableQuantity: l.returnableQuantity,
        unitPrice: l.unitPrice,
        eligible: a1.eligible,
        ...(a1.code ? { code: a1.code } : {}),
        ...(a1.reason ? { reason: a1.reasonItem ? explainText(a1.reasonItem, locale) : a1.reason } : {}),
        windowEndsAt: a1.windowEndsAt,
      };
    });
    const returns = await db
      .selectFrom('returns')
      .select(['id', 'rmaNumber', 'status', 'trackingToken', 'createdAt'])
      .where('tenantId', '=', a.tenantId)
      .where('orderId', '=', a.orderId)
      .orderBy('createdAt', 'desc')
      .execute();
    return {
      shop: { name: tenant.name, handle: tenant.handle, kind: tenant.kind },
      order: {
        id: order.id,
        orderNumber: order.orderNumber,
        currency: order.currency,
        placedAt: order.placedAt,
        deliveredAt: order.deliveredAt,
        lines,
      },
      reasons: policy.reasons.map((r) => ({
        code: r.code,
        label: r.label,
        ...(r.labels ? { labels: r.labels } : {}),
        evidenceRequired: r.evidenceRequired,
      })),
      resolutions: policy.resolutions ?? [...RESOLUTIONS],
      storeCreditBonusPercent: policy.storeCreditBonusPercent ?? 0,
      returns: returns.map((r) => ({
        id: r.id,
        rmaNumber: r.rmaNumber,
        status: r.status,
        trackingUrl: `${deps.publicUrl()}/t/${r.trackingToken}`,
        createdAt: r.createdAt,
      })),
    };
  }

  return {
    view,

    /** Opens a session for the order with this number and email; null (→ one generic 404) otherwise. */
    async lookup(input: { shop: string; orderNumber: string; email: string }) {
      // Only the shop's own orders: an order number and email are not unique across shops, and
      // another tenant could create an order with them to take over this shop's customer.
      const shop = await deps.shopByHandle(input.shop);
      if (!shop) return null;
      const row = await deps.orders.findCustomerOrder(shop.id, input.orderNumber, input.email);
      if (!row) return null;
      const id = randomBytes(32).toString('base64url');
      const now = clock.now();
      await db
        .insertInto('customerSessions')
        .values({
          idHash: sha256(id),
          tenantId: row.tenantId,
          orderId: row.id,
          customerId: row.customerId,
          createdAt: now.toISOString(),
          expiresAt: new Date(now.getTime() + CUSTOMER_SESSION_TTL_MS).toISOString(),
        })
        .execute();
      return {
        sessionId: id,
        access: { tenantId: row.tenantId, orderId: row.id, customerId: row.customerId },
      };
    },

    async resolve(cookie: string | undefined): Promise<CustomerAccess> {
      if (!cookie || !/^[A-Za-z0-9_-]{43}$/.test(cookie)) throw notFound('Session');
      const row = await db
        .selectFrom('customerSessions')
        .selectAll()
        .where('idHash', '=', sha256(cookie))
        .executeTakeFirst();
      if (!row || row.expiresAt <= clock.now().toISOString()) {
        throw notFound('Your session');
      }
      return { tenantId: row.tenantId, orderId: row.orderId, customerId: row.customerId };
    },

    async logout(cookie: string | undefined) {
      if (cookie) await db.deleteFrom('customerSessions').where('idHash', '=', sha256(cookie)).execute();
    },
  };
}

export type Portal = ReturnType<typeof createPortal>;
