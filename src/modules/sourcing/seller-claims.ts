import { pageById } from '../../platform/cursor.ts';
import { AppError, notFound, unprocessable } from '../../platform/errors.ts';
import { formatMoney } from '../../platform/money.ts';
import type { Actor } from '../returns/service.ts';
import { CLAIM_ACTIONS, CLAIM_FLOW, type ClaimAction, type ClaimStatus, OPEN } from './claim-flow.ts';
import type { SourcingContext } from './sourcing-context.ts';
import { canMove, stageOf } from './stages.ts';

/** Staff's side of the seller claims: listed, read, moved along their flow, and the evidence pack. */
export function createSellerClaims(ctx: SourcingContext) {
  const { deps, db, clock, paPolicy, lineRow, lineView, stageHistory, moveLine, claimRow, claimView } = ctx;
  const { currentStatus, claimEvent, followUp } = ctx;

  return {
    async listClaims(
      tenantId: string,
      q: {
        status?: ClaimStatus;
        seller?: string;
        returnId?: string;
        atRisk?: boolean;
        limit: number;
        cursor?: string;
      },
    ) {
      const now = clock.now();
      let query = db.selectFrom('sellerClaims').selectAll().where('tenantId', '=', tenantId);
      if (q.status) query = query.where('status', '=', q.status);
      if (q.seller) query = query.where('seller', '=', q.seller);
      if (q.returnId) query = query.where('returnId', '=', q.returnId);
      if (q.atRisk) {
        const { pa } = await paPolicy(tenantId);
        query = query
          .where('status', 'in', OPEN)
          .where('deadlineAt', 'is not', null)
          .where(
            'deadlineAt',
            '<=',
            new Date(now.getTime() + pa.claimWarningHours * 3_600_000).toISOString(),
          );
      }
      if (q.cursor) query = query.where('id', '<', q.cursor);
      const rows = await query
        .orderBy('id', 'desc')
        .limit(q.limit + 1)
        .execute();
      const { page, nextCursor } = pageById(rows, q.limit);
      return { items: page.map((c) => claimView(c, now)), nextCursor };
    },

    async getClaim(tenantId: string, id: string) {
      const c = await claimRow(db, tenantId, id);
      if (!c) throw notFound('Claim');
      return claimView(c);
    },

    /**
     * Moves a claim: sent to the seller, accepted, refused, refunded (with the amount
     * recovered), cancelled. An accepted cancellation approves the waiting return (its refund
     * follows); a refunded return claim sends the line back to the seller in its history.
     */
    async actOnClaim(
      tenantId: string,
      id: string,
      action: ClaimAction,
      body: { amountRecovered?: number; note?: string; expectedVersion?: number },
      actor: Actor,
    ) {
      const { pa } = await paPolicy(tenantId);
      await db.transaction().execute(async (trx) => {
        const c = await claimRow(trx, tenantId, id);
        if (!c) throw notFound('Claim');
        if (body.expectedVersion !== undefined && body.expectedVersion !== c.version) {
          throw new AppError(
            409,
            'stale_claim',
            'This claim changed since you loaded it; reload to see what changed.',
            {
              currentVersion: c.version,
              status: c.status,
            },
          );
        }
        const flow = CLAIM_FLOW[action];
        if (!flow.from.includes(c.status)) {
          throw new AppError(
            409,
            'illegal_transition',
            `A claim that is ${c.status} cannot be given "${action}".`,
            {
              status: c.status,
              allowedActions: CLAIM_ACTIONS.filter((a) => CLAIM_FLOW[a].from.includes(c.status)),
            },
          );
        }
        let recovered = c.amountRecovered;
        if (action === 'refund') {
          if (body.amountRecovered === undefined) {
            throw unprocessable(
              'amount_required',
              'Say how much the seller refunded (amountRecovered, minor units).',
            );
          }
          if (body.amountRecovered > c.amountExpected) {
            throw unprocessable(
              'amount_exceeds_expected',
              `The seller refund of ${formatMoney(body.amountRecovered, c.currency)} is more than the ${formatMoney(c.amountExpected, c.currency)} claimed.`,
            );
          }
          recovered = body.amountRecovered;
        }
        const now = clock.now();
        const r = await trx
          .updateTable('sellerClaims')
          .set({
            status: flow.to,
            amountRecovered: recovered,
            note: body.note ?? c.note,
            updatedAt: now.toISOString(),
            version: c.version + 1,
          })
          .where('tenantId', '=', tenantId)
          .where('id', '=', id)
          .where('version', '=', c.version)
          .executeTakeFirst();
        if (r.numUpdatedRows !== 1n) {
          throw new AppError(
            409,
            'stale_claim',
            'This claim changed since you loaded it; reload to see what changed.',
          );
        }
        const money = formatMoney(recovered, c.currency);
        const words: Record<ClaimAction, string> = {
          send: `Claim sent to ${c.seller}.`,
          accept: `${c.seller} accepted the ${c.kind}.`,
          refuse: `${c.seller} refused the ${c.kind}.`,
          refund: `${c.seller} refunded ${money} of ${formatMoney(c.amountExpected, c.currency)}.`,
          cancel: 'Claim cancelled.',
        };
        await claimEvent(
          trx,
          tenantId,
          c,
          `seller_claim_${flow.to}`,
          body.note ? `${words[action]} ${body.note}` : words[action],
          actor,
        );
        const line = await lineRow(trx, tenantId, c.orderId, c.orderLineId);
        const stageActor = `${actor.type}:${actor.id ?? ''}`;
        if (action === 'accept' && c.kind === 'cancellation') {
          if (line && canMove(stageOf(line.stage), 'cancelled')) {
            await moveLine(
              trx,
              tenantId,
              line,
              'cancelled',
              now,
              stageActor,
              'Seller cancelled',
              pa.storageDays,
            );
          }
          if ((await currentStatus(trx, tenantId, c.returnId)) === 'needs_review') {
            await followUp(trx, tenantId, c.returnId, 'approve');
          }
        }
        if (
          action === 'refund' &&
          c.kind === 'return' &&
          line &&
          canMove(stageOf(line.stage), 'returned_to_seller')
        ) {
          await moveLine(
            trx,
            tenantId,
            line,
            'returned_to_seller',
            now,
            stageActor,
            'Returned to the seller',
            pa.storageDays,
          );
        }
      });
      deps.kick();
      return this.getClaim(tenantId, id);
    },

    /** What staff send the seller: the messages, the QC photos with their times, the order remarks. */
    async evidencePack(tenantId: string, id: string, photoUrl: (evidenceId: string) => string) {
      const claim = await this.getClaim(tenantId, id);
      const line = (await lineRow(db, tenantId, claim.orderId, claim.orderLineId))!;
      const photos = await deps.claimPhotos(tenantId, claim);
      const ret = await deps.returns.returnFacts(db, tenantId, claim.returnId);
      if (!ret) throw notFound('Return');
      const notes = ret.lines.filter((l) => l.orderLineId === claim.orderLineId);
      return {
        claim,
        line: lineView(line, (await stageHistory(db, tenantId, [line.id])).get(line.id)),
        rmaNumber: ret.rmaNumber,
        remarks: [ret.customerNote, ...notes.map((n) => n.note)].filter((x): x is string => !!x),
        photos: photos.map((p) => ({ ...p, url: photoUrl(p.id) })),
      };
    },
  };
}

export type SellerClaims = ReturnType<typeof createSellerClaims>;
