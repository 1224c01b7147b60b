import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Static } from 'typebox';
import type { Clock } from '../../platform/clock.ts';
import { containing, decodeCursor, pageOf } from '../../platform/cursor.ts';
import { type Db, isForeignKeyViolation, isUniqueViolation } from '../../platform/db/database.ts';
import { type Database, parseJson } from '../../platform/db/schema.ts';
import { AppError, notFound, unprocessable } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { isCurrency } from '../../platform/money.ts';
import { type MoneyChange, moneyChanges, type OrderMoney } from './money-changes.ts';
import { matchesOrderNumber } from './order-number.ts';
import { orderTotal } from './order-total.ts';
import type { OrderInput, OrderView, PaymentView } from './schemas.ts';

export type OrderLine = OrderView['lines'][number];
export type Order = OrderView;

type Executor = Kysely<Database>;

/** The refund engine's side of an order: recording its payment, and reading its money. */
export type OrderPayments = {
  recordCapture: (
    ex: Executor,
    p: {
      tenantId: string;
      orderId: string;
      customerId: string;
      currency: string;
      provider: string;
      paymentRef: string | null;
      capturedAmount: number;
    },
    now: Date,
  ) => Promise<void>;
  orderMoney: (
    tenantId: string,
    orderId: string,
    ex?: Executor,
  ) => Promise<Static<typeof PaymentView> | null>;
};

/** Who imported or changed an order, for its event log. */
export type OrderActor = { type: 'api' | 'staff' | 'system'; id: string | null };
const SYSTEM: OrderActor = { type: 'system', id: null };

export function createOrdersService({
  db,
  clock,
  payments,
  onChange,
  hasReturns,
}: {
  db: Db;
  clock: Clock;
  payments: OrderPayments;
  /**
   * Called in the upsert's transaction before an existing order is changed and after the order
   * is written, so read models (the analytics sales rollups) move by the difference.
   */
  onChange?: (trx: Executor, tenantId: string, orderId: string, phase: 'before' | 'after') => Promise<void>;
  /** Whether any return was filed on the order (the returns module's answer, in the transaction). */
  hasReturns?: (ex: Executor, tenantId: string, orderId: string) => Promise<boolean>;
}) {
  async function load(ex: Executor, tenantId: string, orderId: string): Promise<Order | null> {
    const o = await ex
      .selectFrom('orders')
      .innerJoin('customers', (j) =>
        j.onRef('customers.tenantId', '=', 'orders.tenantId').onRef('customers.id', '=', 'orders.customerId'),
      )
      .select([
        'orders.id',
        'orders.externalId',
        'orders.orderNumber',
        'orders.currency',
        'orders.placedAt',
        'orders.deliveredAt',
        'orders.shippingAmount',
        'orders.discountAmount',
        'orders.taxAmount',
        'orders.totalAmount',
        'orders.createdAt',
        'orders.updatedAt',
        'customers.id as customerId',
        'customers.email as customerEmail',
        'customers.name as customerName',
        'customers.displayCurrency',
      ])
      .where('orders.tenantId', '=', tenantId)
      .where('orders.id', '=', orderId)
      .executeTakeFirst();
    if (!o) return null;
    const lines = await ex
      .selectFrom('orderLines')
      .select([
        'id',
        'externalId',
        'sku',
        'title',
        'category',
        'quantity',
        'unitPrice',
        'discountAmount',
        'taxAmount',
        'returnedQuantity',
        'seller',
        'sellerOrderRef',
        'stage',
        'stageAt',
        'domesticDeliveredAt',
        'qcAt',
        'storageExpiresAt',
      ])
      .where('tenantId', '=', tenantId)
      .where('orderId', '=', orderId)
      .orderBy('position')
      .execute();
    const fees = await ex
      .selectFrom('orderFees')
      .select(['kind', 'amount', 'orderLineId'])
      .where('tenantId', '=', tenantId)
      .where('orderId', '=', orderId)
      .orderBy('position')
      .execute();
    const { customerId, customerEmail, customerName, displayCurrency, ...rest } = o;
    return {
      ...rest,
      customer: { id: customerId, email: customerEmail, name: customerName, displayCurrency },
      lines: lines.map((l) => ({ ...l, returnableQuantity: l.quantity - l.returnedQuantity })),
      fees,
    };
  }

  async function upsertCustomer(ex: Executor, tenantId: string, email: string, name: string, now: string) {
    const normalized = email.trim().toLowerCase();
    const existing = await ex
      .selectFrom('customers')
      .select(['id', 'name'])
      .where('tenantId', '=', tenantId)
      .where('email', '=', normalized)
      .executeTakeFirst();
    if (existing) {
      if (name && existing.name !== name) {
        await ex
          .updateTable('customers')
          .set({ name })
          .where('tenantId', '=', tenantId)
          .where('id', '=', existing.id)
          .execute();
      }
      return existing.id;
    }
    const id = newId('cus');
    await ex
      .insertInto('customers')
      .values({ tenantId, id, email: normalized, name, createdAt: now })
      .execute();
    return id;
  }

  return {
    getOrder: (tenantId: string, orderId: string, ex: Executor = db) => load(ex, tenantId, orderId),

    /** The order with its money (captured, refunded, refundable), as the API shows it. */
    async orderWithPayment(tenantId: string, orderId: string) {
      const order = await load(db, tenantId, orderId);
      if (!order) throw notFound('Order');
      return { ...order, payment: await payments.orderMoney(tenantId, orderId) };
    },

    /**
     * Orders newest placed first (imported history keeps its own dates), by cursor over
     * (placedAt, id); `q` finds an order number (any case, with or without `#`), or part of the
     * customer's email or name.
     */
    async listOrders(tenantId: string, q: { q?: string; limit?: number; cursor?: string }) {
      const limit = q.limit ?? 20;
      let query = db
        .selectFrom('orders')
        .innerJoin('customers', (j) =>
          j
            .onRef('customers.tenantId', '=', 'orders.tenantId')
            .onRef('customers.id', '=', 'orders.customerId'),
        )
        .select([
          'orders.id',
          'orders.externalId',
          'orders.orderNumber',
          'orders.currency',
          'orders.placedAt',
          'orders.deliveredAt',
          'orders.totalAmount',
          'orders.createdAt',
          'orders.updatedAt',
          'customers.id as customerId',
          'customers.email as customerEmail',
          'customers.name as customerName',
        ])
        .where('orders.tenantId', '=', tenantId);
      const text = q.q?.trim().toLowerCase();
      if (text) {
        query = query.where((eb) =>
          eb.or([
            eb(eb.fn('lower', ['orders.orderNumber']), 'like', containing(text.replace(/^#/, ''))),
            eb('customers.email', 'like', containing(text)),
            eb(eb.fn('lower', ['customers.name']), 'like', containing(text)),
          ]),
        );
      }
      if (q.cursor) {
        const c = decodeCursor(q.cursor);
        query = query.where((eb) =>
          eb.or([
            eb('orders.placedAt', '<', c.at),
            eb.and([eb('orders.placedAt', '=', c.at), eb('orders.id', '<', c.id)]),
          ]),
        );
      }
      const rows = await query
        .orderBy('orders.placedAt', 'desc')
        .orderBy('orders.id', 'desc')
        .limit(limit + 1)
        .execute();
      const { page, nextCursor } = pageOf(rows, limit, (o) => [o.placedAt, o.id]);
      return {
        data: page.map(({ customerId, customerEmail, customerName, ...o }) => ({
          ...o,
          customer: { id: customerId, email: customerEmail, name: customerName },
        })),
        nextCursor,
      };
    },

    /**
     * The newest of the tenant's orders with this number (any case, with or without `#`) placed
     * by this email, or undefined: how a customer finds their own order.
     */
    async findCustomerOrder(tenantId: string, orderNumber: string, email: string) {
      return db
        .selectFrom('orders')
        .innerJoin('customers', (j) =>
          j
            .onRef('customers.tenantId', '=', 'orders.tenantId')
            .onRef('customers.id', '=', 'orders.customerId'),
        )
        .select(['orders.tenantId', 'orders.id', 'orders.customerId'])
        .where(matchesOrderNumber(orderNumber))
        .where('customers.email', '=', email.trim().toLowerCase())
        .where('orders.tenantId', '=', tenantId)
        .orderBy('orders.createdAt', 'desc')
        .executeTakeFirst();
    },

    async requireOrderByNumber(tenantId: string, orderNumber: string): Promise<Order> {
      const row = await db
        .selectFrom('orders')
        .select('id')
        .where('tenantId', '=', tenantId)
        .where(matchesOrderNumber(orderNumber))
        .orderBy('createdAt', 'desc')
        .executeTakeFirst();
      const order = row && (await load(db, tenantId, row.id));
      if (!order) throw notFound('Order');
      return order;
    },

    async requireCustomer(tenantId: string, customerId: string) {
      const c = await db
        .selectFrom('customers')
        .select(['id', 'email', 'name', 'phone', 'locale', 'timeZone', 'createdAt'])
        .where('tenantId', '=', tenantId)
        .where('id', '=', customerId)
        .executeTakeFirst();
      if (!c) throw notFound('Customer');
      return c;
    },

    /** Contact details that notifications use; `undefined` leaves a field as it is, `null` clears it. */
    async updateCustomerContact(
      tenantId: string,
      customerId: string,
      contact: { phone?: string | null; locale?: string | null; timeZone?: string | null },
    ) {
      const set = Object.fromEntries(Object.entries(contact).filter(([, v]) => v !== undefined));
      if (Object.keys(set).length) {
        await db
          .updateTable('customers')
          .set(set)
          .where('tenantId', '=', tenantId)
          .where('id', '=', customerId)
          .execute();
      }
      return this.requireCustomer(tenantId, customerId);
    },

    async requireOrder(tenantId: string, orderId: string, ex: Executor = db): Promise<Order> {
      const order = await load(ex, tenantId, orderId);
      if (!order) throw notFound('Order');
      return order;
    },

    /**
     * Creates the order, or — for a known externalId — answers it unchanged when the body is the
     * same, and updates it when the body changed (lines only while nothing has been returned).
     */
    async upsertOrder(
      tenantId: string,
      input: OrderInput,
      actor: OrderActor = SYSTEM,
    ): Promise<{ order: Order; created: boolean }> {
      validateOrder(input);
      const requestHash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
      for (let attempt = 0; ; attempt++) {
        try {
          return await db.transaction().execute((trx) => upsertIn(trx, tenantId, input, requestHash, actor));
        } catch (e) {
          // Two first imports of one order raced; the loser replays as an update.
          if (attempt === 0 && isUniqueViolation(e)) continue;
          throw e;
        }
      }
    },

    /** The order's money changes after its first import, oldest first. */
    async listOrderEvents(tenantId: string, orderId: string) {
      await this.requireOrder(tenantId, orderId);
      const rows = await db
        .selectFrom('orderEvents')
        .selectAll()
        .where('tenantId', '=', tenantId)
        .where('orderId', '=', orderId)
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        at: r.at,
        actor: { type: r.actorType, id: r.actorId },
        changes: parseJson<MoneyChange[]>(r.changes),
      }));
    },

    /**
     * Takes `quantity` units of a line for a return. The guarded UPDATE (and the CHECK
     * constraint behind it) make "returned <= bought" hold under any concurrency: on PostgreSQL
     * the row lock serialises competitors, which re-check the condition after it is released.
     */
    async reserveQuantity(
      ex: Executor,
      tenantId: string,
      lineId: string,
      quantity: number,
    ): Promise<boolean> {
      const r = await ex
        .updateTable('orderLines')
        .set((eb) => ({ returnedQuantity: eb('returnedQuantity', '+', quantity) }))
        .where('tenantId', '=', tenantId)
        .where('id', '=', lineId)
        .where((eb) => eb(eb('returnedQuantity', '+', quantity), '<=', eb.ref('quantity')))
        .executeTakeFirst();
      return r.numUpdatedRows === 1n;
    },

    /**
     * Locks the order's row until the transaction ends (a no-op UPDATE: a row lock on PostgreSQL,
     * the write lock on SQLite), so per-order limits counted inside it hold under concurrency.
     */
    async lockOrder(ex: Executor, tenantId: string, orderId: string): Promise<void> {
      await ex
        .updateTable('orders')
        .set({ id: orderId })
        .where('tenantId', '=', tenantId)
        .where('id', '=', orderId)
        .execute();
    },

    /** Gives units back when a return is rejected or cancelled. */
    async releaseQuantity(ex: Executor, tenantId: string, lineId: string, quantity: number): Promise<void> {
      await ex
        .updateTable('orderLines')
        .set((eb) => ({ returnedQuantity: eb('returnedQuantity', '-', quantity) }))
        .where('tenantId', '=', tenantId)
        .where('id', '=', lineId)
        .execute();
    },

    /** Orders, returns and refunds of one customer, for the policy's customer-history conditions. */
    async customerHistory(ex: Executor, tenantId: string, customerId: string) {
      const bought = await ex
        .selectFrom('orderLines')
        .innerJoin('orders', (j) =>
          j
            .onRef('orders.tenantId', '=', 'orderLines.tenantId')
            .onRef('orders.id', '=', 'orderLines.orderId'),
        )
        .select((eb) => [
          eb.fn.countAll<number>().as('lines'),
          eb.fn.coalesce(eb.fn.sum<number>('orderLines.quantity'), eb.lit(0)).as('units'),
          eb.fn.coalesce(eb.fn.sum<number>('orderLines.returnedQuantity'), eb.lit(0)).as('returned'),
        ])
        .where('orders.tenantId', '=', tenantId)
        .where('orders.customerId', '=', customerId)
        .executeTakeFirstOrThrow();
      const orders = await ex
        .selectFrom('orders')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenantId', '=', tenantId)
        .where('customerId', '=', customerId)
        .executeTakeFirstOrThrow();
      const units = Number(bought.units);
      return { orderCount: Number(orders.n), unitsBought: units, unitsReturned: Number(bought.returned) };
    },
  };

  async function upsertIn(
    trx: Executor,
    tenantId: string,
    input: OrderInput,
    requestHash: string,
    actor: OrderActor,
  ) {
    const now = clock.now().toISOString();
    const existing = await trx
      .selectFrom('orders')
      .select(['id', 'requestHash'])
      .where('tenantId', '=', tenantId)
      .where('externalId', '=', input.externalId)
      .executeTakeFirst();
    if (existing?.requestHash === requestHash) {
      return { order: (await load(trx, tenantId, existing.id))!, created: false };
    }
    if (existing) await onChange?.(trx, tenantId, existing.id, 'before');
    const customerId = await upsertCustomer(
      trx,
      tenantId,
      input.customer.email,
      input.customer.name ?? '',
      now,
    );
    if (input.customer.displayCurrency) {
      await trx
        .updateTable('customers')
        .set({ displayCurrency: input.customer.displayCurrency })
        .where('tenantId', '=', tenantId)
        .where('id', '=', customerId)
        .execute();
    }
    const header = {
      orderNumber: input.orderNumber,
      currency: input.currency,
      placedAt: new Date(input.placedAt).toISOString(),
      deliveredAt: input.deliveredAt ? new Date(input.deliveredAt).toISOString() : null,
      customerId,
      shippingAmount: input.shippingAmount ?? 0,
      discountAmount: input.discountAmount ?? 0,
      taxAmount: input.taxAmount ?? 0,
      totalAmount: totalOf(input),
      requestHash,
      updatedAt: now,
    };
    if (!existing) {
      const orderId = newId('ord');
      await trx
        .insertInto('orders')
        .values({ tenantId, id: orderId, externalId: input.externalId, createdAt: now, ...header })
        .execute();
      await trx
        .insertInto('orderLines')
        .values(
          input.lines.map((l, position) => ({
            tenantId,
            id: newId('oli'),
            orderId,
            position,
            ...lineValues(l),
          })),
        )
        .execute();
      await writeFees(trx, tenantId, orderId, input);
      await recordPayment(trx, tenantId, orderId, customerId, input, header.totalAmount, now);
      await onChange?.(trx, tenantId, orderId, 'after');
      return { order: (await load(trx, tenantId, orderId))!, created: true };
    }

    const current = (await load(trx, tenantId, existing.id))!;
    const linesChanged =
      current.currency !== input.currency ||
      current.totalAmount !== header.totalAmount ||
      current.lines.length !== input.lines.length ||
      input.lines.some((l, i) => {
        const c = current.lines[i];
        const v = lineValues(l);
        return (
          !c ||
          c.externalId !== v.externalId ||
          c.sku !== v.sku ||
          c.quantity !== v.quantity ||
          c.unitPrice !== v.unitPrice ||
          c.discountAmount !== v.discountAmount ||
          c.taxAmount !== v.taxAmount ||
          c.title !== v.title ||
          c.category !== v.category ||
          c.seller !== v.seller ||
          c.sellerOrderRef !== v.sellerOrderRef
        );
      }) ||
      JSON.stringify(current.fees.map((f) => [f.kind, f.amount])) !==
        JSON.stringify((input.fees ?? []).map((f) => [f.kind, f.amount]));
    const before = await payments.orderMoney(tenantId, existing.id, trx);
    const changes = moneyChanges(moneyOf(current, before), {
      ...moneyOf({ ...header, currency: input.currency, lines: input.lines.map(lineValues), fees: [] }, null),
      fees: (input.fees ?? []).map((f) => ({
        kind: f.kind,
        lineExternalId: f.lineExternalId ?? null,
        amount: f.amount,
      })),
      payment: before && {
        provider: input.payment?.provider ?? 'manual',
        reference: input.payment?.reference ?? null,
        capturedAmount: input.payment?.capturedAmount ?? header.totalAmount,
      },
    });
    // Once a return exists, the prices it was quoted on and the payment it refunds are what they
    // were: rewriting them would let a refund pay out what was never paid.
    if (
      (linesChanged || changes.length > 0) &&
      (current.lines.some((l) => l.returnedQuantity > 0) || (await hasReturns?.(trx, tenantId, existing.id)))
    ) {
      throw new AppError(
        409,
        'order_has_returns',
        'This order already has returns, so its lines, amounts, payment and currency can no longer change; only dates and customer details can.',
        { changes },
      );
    }
    if (changes.length > 0) {
      await trx
        .insertInto('orderEvents')
        .values({
          tenantId,
          id: newId('oev'),
          orderId: existing.id,
          at: now,
          actorType: actor.type,
          actorId: actor.id,
          changes: JSON.stringify(changes),
        })
        .execute();
    }
    await trx
      .updateTable('orders')
      .set(header)
      .where('tenantId', '=', tenantId)
      .where('id', '=', existing.id)
      .execute();
    if (linesChanged) {
      // Update lines in place (ids stay stable for integrators), add new ones, drop the missing.
      for (const [position, l] of input.lines.entries()) {
        const match = current.lines.find((c) => c.externalId === l.externalId);
        if (match) {
          await trx
            .updateTable('orderLines')
            .set({ position, ...lineValues(l) })
            .where('tenantId', '=', tenantId)
            .where('id', '=', match.id)
            .execute();
        } else {
          await trx
            .insertInto('orderLines')
            .values({ tenantId, id: newId('oli'), orderId: existing.id, position, ...lineValues(l) })
            .execute();
        }
      }
      const kept = new Set(input.lines.map((l) => l.externalId));
      const dropped = current.lines.filter((c) => !kept.has(c.externalId)).map((c) => c.id);
      if (dropped.length) {
        try {
          await trx
            .deleteFrom('orderLines')
            .where('tenantId', '=', tenantId)
            .where('id', 'in', dropped)
            .execute();
        } catch (e) {
          if (isForeignKeyViolation(e)) {
            throw new AppError(
              409,
              'order_has_returns',
              'A line that has been in a return cannot be removed from the order.',
            );
          }
          throw e;
        }
      }
    }
    if (linesChanged) await writeFees(trx, tenantId, existing.id, input);
    await recordPayment(trx, tenantId, existing.id, customerId, input, header.totalAmount, now);
    await onChange?.(trx, tenantId, existing.id, 'after');
    return { order: (await load(trx, tenantId, existing.id))!, created: false };
  }

  /** Replaces the order's fees; a fee for one line points at that line's id. */
  async function writeFees(trx: Executor, tenantId: string, orderId: string, input: OrderInput) {
    await trx
      .deleteFrom('orderFees')
      .where('tenantId', '=', tenantId)
      .where('orderId', '=', orderId)
      .execute();
    if (!input.fees?.length) return;
    const lines = await trx
      .selectFrom('orderLines')
      .select(['id', 'externalId'])
      .where('tenantId', '=', tenantId)
      .where('orderId', '=', orderId)
      .execute();
    const idOf = new Map(lines.map((l) => [l.externalId, l.id]));
    await trx
      .insertInto('orderFees')
      .values(
        input.fees.map((f, position) => ({
          tenantId,
          orderId,
          position,
          kind: f.kind,
          amount: f.amount,
          orderLineId: f.lineExternalId ? (idOf.get(f.lineExternalId) ?? null) : null,
        })),
      )
      .execute();
  }

  async function recordPayment(
    trx: Executor,
    tenantId: string,
    orderId: string,
    customerId: string,
    input: OrderInput,
    total: number,
    now: string,
  ) {
    const captured = input.payment?.capturedAmount ?? total;
    if (captured > total) {
      throw unprocessable('invalid_order', 'payment.capturedAmount is more than the order total.', [
        { path: 'payment/capturedAmount', message: 'is more than the order total' },
      ]);
    }
    if (input.payment?.provider === 'stripe' && !input.payment.reference) {
      throw unprocessable('invalid_order', 'A Stripe payment needs its reference (pi_… or ch_…).', [
        { path: 'payment/reference', message: 'is required for stripe' },
      ]);
    }
    await payments.recordCapture(
      trx,
      {
        tenantId,
        orderId,
        customerId,
        currency: input.currency,
        provider: input.payment?.provider ?? 'manual',
        paymentRef: input.payment?.reference ?? null,
        capturedAmount: captured,
      },
      new Date(now),
    );
  }
}

/** The money of a stored order (with its payment) in the shape `moneyChanges` compares. */
function moneyOf(
  o: Pick<Order, 'currency' | 'shippingAmount' | 'discountAmount' | 'taxAmount' | 'totalAmount'> & {
    lines: (OrderMoney['lines'][number] & { id?: string })[];
    fees: { kind: string; amount: number; orderLineId?: string | null }[];
  },
  payment: { provider: string; paymentRef: string | null; capturedAmount: number } | null,
): OrderMoney {
  const extOf = new Map(o.lines.map((l) => [l.id, l.externalId]));
  return {
    currency: o.currency,
    shippingAmount: o.shippingAmount,
    discountAmount: o.discountAmount,
    taxAmount: o.taxAmount,
    totalAmount: o.totalAmount,
    lines: o.lines.map((l) => ({
      externalId: l.externalId,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      discountAmount: l.discountAmount,
      taxAmount: l.taxAmount,
    })),
    fees: o.fees.map((f) => ({
      kind: f.kind,
      lineExternalId: f.orderLineId ? (extOf.get(f.orderLineId) ?? null) : null,
      amount: f.amount,
    })),
    payment: payment && {
      provider: payment.provider,
      reference: payment.paymentRef,
      capturedAmount: payment.capturedAmount,
    },
  };
}

function lineValues(l: OrderInput['lines'][number]) {
  return {
    externalId: l.externalId,
    sku: l.sku,
    title: l.title,
    category: (l.category ?? 'general').trim().toLowerCase() || 'general',
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    discountAmount: l.discountAmount ?? 0,
    taxAmount: l.taxAmount ?? 0,
    seller: l.seller ?? null,
    sellerOrderRef: l.sellerOrderRef ?? null,
  };
}

function totalOf(input: OrderInput): number {
  return orderTotal({
    shippingAmount: input.shippingAmount ?? 0,
    discountAmount: input.discountAmount ?? 0,
    taxAmount: input.taxAmount ?? 0,
    lines: input.lines.map((l) => ({
      id: l.externalId,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      discountAmount: l.discountAmount ?? 0,
      taxAmount: l.taxAmount ?? 0,
    })),
    charges: input.fees ?? [],
  });
}

/** Business checks that a JSON schema cannot express; all problems are reported at once. */
function validateOrder(input: OrderInput): void {
  const problems: { path: string; message: string }[] = [];
  if (!isCurrency(input.currency))
    problems.push({ path: 'currency', message: `"${input.currency}" is not an ISO-4217 currency` });
  if (input.deliveredAt && new Date(input.deliveredAt) < new Date(input.placedAt)) {
    problems.push({ path: 'deliveredAt', message: 'is before placedAt' });
  }
  const seen = new Set<string>();
  let net = 0;
  input.lines.forEach((l, i) => {
    if (seen.has(l.externalId))
      problems.push({ path: `lines/${i}/externalId`, message: `"${l.externalId}" appears twice` });
    seen.add(l.externalId);
    const gross = l.unitPrice * l.quantity;
    if (!Number.isSafeInteger(gross))
      problems.push({ path: `lines/${i}`, message: 'unitPrice × quantity is too large' });
    if ((l.discountAmount ?? 0) > gross)
      problems.push({ path: `lines/${i}/discountAmount`, message: 'is more than the line is worth' });
    net += Math.max(0, gross - (l.discountAmount ?? 0));
  });
  if ((input.discountAmount ?? 0) > net)
    problems.push({
      path: 'discountAmount',
      message: 'is more than the lines are worth after their discounts',
    });
  (input.fees ?? []).forEach((f, i) => {
    if (f.lineExternalId && !seen.has(f.lineExternalId))
      problems.push({
        path: `fees/${i}/lineExternalId`,
        message: `no line "${f.lineExternalId}" in this order`,
      });
  });
  const feesTotal = (input.fees ?? []).reduce((a, f) => a + f.amount, 0);
  if (!Number.isSafeInteger(net + (input.shippingAmount ?? 0) + (input.taxAmount ?? 0) + feesTotal)) {
    problems.push({ path: 'lines', message: 'the order total is too large' });
  }
  if (problems.length) {
    throw unprocessable(
      'invalid_order',
      `The order is not consistent: ${problems[0]!.path} ${problems[0]!.message}.`,
      problems,
    );
  }
}

export type OrdersService = ReturnType<typeof createOrdersService>;
