import { createHash } from 'node:crypto';
import { isForeignKeyViolation, isUniqueViolation } from '../../platform/db/database.ts';
import { AppError, unprocessable } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { loadOrder } from './load-order.ts';
import { moneyChanges, type OrderMoney } from './money-changes.ts';
import { lineValues, totalOf, validateOrder } from './order-input.ts';
import type { Executor, Order, OrderActor, OrdersDeps } from './orders-deps.ts';
import type { OrderInput } from './schemas.ts';

const SYSTEM: OrderActor = { type: 'system', id: null };

/** Creating and importing orders: the upsert by externalId, with its lines, fees and payment. */
export function createUpsertOrder({ db, clock, payments, onChange, hasReturns }: OrdersDeps) {
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
      return { order: (await loadOrder(trx, tenantId, existing.id))!, created: false };
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
      return { order: (await loadOrder(trx, tenantId, orderId))!, created: true };
    }

    const current = (await loadOrder(trx, tenantId, existing.id))!;
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
    return { order: (await loadOrder(trx, tenantId, existing.id))!, created: false };
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
