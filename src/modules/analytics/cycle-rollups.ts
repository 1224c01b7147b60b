import { type Kysely, sql } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { isPostgres } from './bulk-insert.ts';
import { bucketOf } from './cycle-buckets.ts';

type Executor = Kysely<Database>;

/**
 * Fills the lead-line flag and cycle buckets of facts written before they existed, with the same
 * arithmetic as `factsOf` (the least return-line id of a return leads), a page of returns at a time.
 */
export async function backfillFactBuckets(ex: Executor): Promise<void> {
  let after = { tenantId: '', returnId: '' };
  for (;;) {
    const returns = await ex
      .selectFrom('analyticsReturnFacts')
      .select(['tenantId', 'returnId'])
      .where((eb) =>
        eb.or([
          eb('tenantId', '>', after.tenantId),
          eb.and([eb('tenantId', '=', after.tenantId), eb('returnId', '>', after.returnId)]),
        ]),
      )
      .groupBy(['tenantId', 'returnId'])
      .orderBy('tenantId')
      .orderBy('returnId')
      .limit(2000)
      .execute();
    if (returns.length === 0) return;
    after = returns[returns.length - 1]!;
    const byTenant = new Map<string, string[]>();
    for (const r of returns) byTenant.set(r.tenantId, [...(byTenant.get(r.tenantId) ?? []), r.returnId]);
    for (const [tenantId, ids] of byTenant) {
      const facts = await ex
        .selectFrom('analyticsReturnFacts')
        .select(['returnLineId', 'returnId', 'decisionSecs', 'receivedSecs', 'refundedSecs'])
        .where('tenantId', '=', tenantId)
        .where('returnId', 'in', ids)
        .execute();
      const lead = new Map<string, string>();
      for (const f of facts) {
        const l = lead.get(f.returnId);
        if (l === undefined || f.returnLineId < l) lead.set(f.returnId, f.returnLineId);
      }
      const b = (v: number | null) => (v === null ? null : bucketOf(Number(v)));
      const rows = facts.map((f) => ({
        id: f.returnLineId,
        lead: lead.get(f.returnId) === f.returnLineId ? 1 : 0,
        d: b(f.decisionSecs),
        r: b(f.receivedSecs),
        f: b(f.refundedSecs),
      }));
      if (isPostgres(ex)) {
        await sql`update analytics_return_facts as t set lead = v.lead, decision_bucket = v.d, received_bucket = v.r, refunded_bucket = v.f
          from unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.lead)}::integer[], ${rows.map((r) => r.d)}::integer[], ${rows.map((r) => r.r)}::integer[], ${rows.map((r) => r.f)}::integer[]) as v(id, lead, d, r, f)
          where t.tenant_id = ${tenantId} and t.return_line_id = v.id`.execute(ex);
      } else {
        for (const r of rows) {
          await ex
            .updateTable('analyticsReturnFacts')
            .set({ lead: r.lead, decisionBucket: r.d, receivedBucket: r.r, refundedBucket: r.f })
            .where('tenantId', '=', tenantId)
            .where('returnLineId', '=', r.id)
            .execute();
        }
      }
    }
  }
}
