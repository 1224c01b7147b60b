import { AppError, notFound, unprocessable } from '../../platform/errors.ts';
import type { Actor } from '../returns/service.ts';
import { type SourcingContext, SYSTEM } from './sourcing-context.ts';
import { canMove, type LineStage, nextStages, stageOf } from './stages.ts';

/** A line's stages: shown per order, and moved by purchases, scans and QC verdicts. */
export function createLineStages(ctx: SourcingContext) {
  const { deps, db, clock, paPolicy, lineRows, lineRow, lineView, stageHistory, moveLine } = ctx;

  return {
    /** The lines of an order with their stages, clocks, history and the moves open to them. */
    async orderStages(tenantId: string, orderId: string) {
      await deps.requireOrder(tenantId, orderId);
      const lines = await lineRows(db, tenantId, orderId);
      const history = await stageHistory(
        db,
        tenantId,
        lines.map((l) => l.id),
      );
      const returns = await deps.returns.returnsByOrderLine(tenantId, orderId);
      return { orderId, lines: lines.map((l) => lineView(l, history.get(l.id), returns.get(l.id))) };
    },

    /**
     * Records that a line reached a stage (a purchase, a scan, a QC verdict). A failed QC files
     * a return for the line's remaining units at once, at no cost to the customer: the offer
     * they see on their tracking page (they may cancel it to keep the item).
     */
    async setStage(
      tenantId: string,
      orderId: string,
      lineId: string,
      input: { stage: LineStage; at?: string; note?: string },
      actor: Actor,
    ) {
      const { pa, policy } = await paPolicy(tenantId);
      const now = clock.now();
      const at = input.at ? new Date(input.at) : now;
      if (at.getTime() > now.getTime() + 5 * 60_000) {
        throw unprocessable('stage_in_future', 'A stage cannot be recorded for a time in the future.');
      }
      let offerFor: { quantity: number } | null = null;
      await db.transaction().execute(async (trx) => {
        const line = await lineRow(trx, tenantId, orderId, lineId);
        if (!line) throw notFound('Order line');
        const from = stageOf(line.stage);
        if (!canMove(from, input.stage)) {
          throw new AppError(
            409,
            'illegal_stage',
            `A line that is ${from.replaceAll('_', ' ')} cannot move to ${input.stage.replaceAll('_', ' ')}.`,
            { stage: from, nextStages: nextStages(from) },
          );
        }
        await moveLine(
          trx,
          tenantId,
          line,
          input.stage,
          at,
          `${actor.type}:${actor.id ?? ''}`,
          input.note ?? null,
          pa.storageDays,
        );
        const left = line.quantity - line.returnedQuantity;
        if (input.stage === 'qc_failed' && left > 0) offerFor = { quantity: left };
      });
      let offer: { returnId: string; rmaNumber: string } | null = null;
      const o = offerFor as { quantity: number } | null;
      if (o) {
        const reason =
          policy.reasons.find((r) => r.code === 'qc_failed') ?? policy.reasons.find((r) => r.merchantFault);
        if (reason) {
          const created = await deps.returns.requestReturn(
            tenantId,
            {
              orderId,
              lines: [
                {
                  orderLineId: lineId,
                  quantity: o.quantity,
                  reasonCode: reason.code,
                  note: input.note ?? 'Failed quality check in the warehouse.',
                },
              ],
              resolution: 'refund',
            },
            SYSTEM,
          );
          offer = { returnId: created.id, rmaNumber: created.rmaNumber };
        }
      }
      const l = (await lineRow(db, tenantId, orderId, lineId))!;
      const returns = (await deps.returns.returnsByOrderLine(tenantId, orderId)).get(lineId);
      return { ...lineView(l, (await stageHistory(db, tenantId, [lineId])).get(lineId), returns), offer };
    },
  };
}

export type LineStages = ReturnType<typeof createLineStages>;
