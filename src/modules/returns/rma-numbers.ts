import type { Kysely } from 'kysely';
import { prepared } from '../../platform/db/prepared.ts';
import type { Database } from '../../platform/db/schema.ts';

/**
 * The tenant's one RMA sequence: filing a return takes one number, the history import a block,
 * both inside their own transaction so a rolled-back write gives its numbers back. The counter
 * is the returns module's column on the tenant row (`tenants.rma_seq`): the row lock it takes
 * orders concurrent filings without a table of its own.
 */
export async function takeRmaNumbers(
  ex: Kysely<Database>,
  tenantId: string,
  count: number,
): Promise<string[]> {
  if (count === 0) return [];
  const row = await takeSeq.takeFirst(ex, { tenantId, count });
  if (!row) throw new Error(`no tenant ${tenantId}`);
  const last = Number(row.rmaSeq);
  return Array.from({ length: count }, (_, i) => formatRma(last - count + 1 + i));
}

const takeSeq = prepared((db, p: { tenantId: string; count: number }) =>
  db
    .updateTable('tenants')
    .set((eb) => ({ rmaSeq: eb('rmaSeq', '+', p.count) }))
    .where('id', '=', p.tenantId)
    .returning('rmaSeq'),
);

function formatRma(n: number): string {
  return `RMA-${String(n).padStart(6, '0')}`;
}
