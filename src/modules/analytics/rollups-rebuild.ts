import { type Kysely, sql } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { CELL_KEY, CELL_SUMS, factsOf } from './return-facts.ts';
import { insertFacts, loadSnapshots } from './returns-rollups.ts';
import { dayOf } from './rollup-grains.ts';

type Executor = Kysely<Database>;

/**
 * Throws away a tenant's rollups and facts and builds them again from the orders and returns.
 * The same facts function as the incremental path, and plain SQL aggregates for the sums.
 */
export async function recomputeIn(ex: Executor, tenantId: string): Promise<void> {
  for (const t of [
    'analyticsSalesDaily',
    'analyticsReturnsDaily',
    'analyticsSalesMonthly',
    'analyticsReturnsMonthly',
  ] as const) {
    await ex.deleteFrom(t).where('tenantId', '=', tenantId).execute();
  }
  await ex.deleteFrom('analyticsReturnFacts').where('tenantId', '=', tenantId).execute();

  const day = dayOf(ex, 'o.placedAt');
  await ex
    .insertInto('analyticsSalesDaily')
    .columns(['tenantId', 'day', 'sku', 'currency', 'title', 'category', 'units', 'lines', 'revenue'])
    .expression((eb) =>
      eb
        .selectFrom('orderLines as l')
        .innerJoin('orders as o', (j) =>
          j.onRef('o.tenantId', '=', 'l.tenantId').onRef('o.id', '=', 'l.orderId'),
        )
        .select((s) => [
          'l.tenantId',
          day.as('day'),
          'l.sku',
          'o.currency',
          s.fn.max('l.title').as('title'),
          s.fn.max('l.category').as('category'),
          s.fn.sum<number>('l.quantity').as('units'),
          s.fn.countAll<number>().as('lines'),
          sql<number>`sum(${sql.ref('l.unitPrice')} * ${sql.ref('l.quantity')} - ${sql.ref('l.discountAmount')})`.as(
            'revenue',
          ),
        ])
        .where('l.tenantId', '=', tenantId)
        .groupBy(['l.tenantId', day, 'l.sku', 'o.currency']),
    )
    .execute();

  let after = '';
  for (;;) {
    const page = await ex
      .selectFrom('returns')
      .select('id')
      .where('tenantId', '=', tenantId)
      .where('id', '>', after)
      .orderBy('id')
      .limit(2000)
      .execute();
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    const facts = (
      await loadSnapshots(
        ex,
        tenantId,
        page.map((r) => r.id),
      )
    ).flatMap(factsOf);
    await insertFacts(ex, tenantId, facts);
  }

  await ex
    .insertInto('analyticsReturnsDaily')
    .columns(['tenantId', ...CELL_KEY, 'category', ...CELL_SUMS])
    .expression((eb) =>
      eb
        .selectFrom('analyticsReturnFacts as f')
        .select((s) => {
          const count = (cond: ReturnType<typeof sql<boolean>>) =>
            sql<number>`sum(case when ${cond} then 1 else 0 end)`;
          const total = (col: string) => sql<number>`coalesce(sum(${sql.ref(col)}), 0)`;
          return [
            'f.tenantId',
            'f.day',
            'f.sku',
            'f.reasonCode',
            'f.resolution',
            'f.currency',
            s.fn.max('f.category').as('category'),
            s.fn.countAll<number>().as('lines'),
            total('f.unitsRequested').as('unitsRequested'),
            total('f.unitsReturned').as('unitsReturned'),
            total('f.refundAmount').as('refundAmount'),
            total('f.feeAmount').as('feeAmount'),
            count(sql`${sql.ref('f.decidedBy')} = 'policy'`).as('autoDecided'),
            count(sql`${sql.ref('f.decidedBy')} = 'people'`).as('peopleDecided'),
            total('f.decisionSecs').as('decisionSecs'),
            count(sql`${sql.ref('f.decisionSecs')} is not null`).as('decisionCount'),
            total('f.receivedSecs').as('receivedSecs'),
            count(sql`${sql.ref('f.receivedSecs')} is not null`).as('receivedCount'),
            total('f.refundedSecs').as('refundedSecs'),
            count(sql`${sql.ref('f.refundedSecs')} is not null`).as('refundedCount'),
            count(sql`${sql.ref('f.slaReview')} = 1`).as('slaReviewMet'),
            count(sql`${sql.ref('f.slaReview')} is not null`).as('slaReviewTotal'),
            count(sql`${sql.ref('f.slaInspection')} = 1`).as('slaInspectionMet'),
            count(sql`${sql.ref('f.slaInspection')} is not null`).as('slaInspectionTotal'),
          ];
        })
        .where('f.tenantId', '=', tenantId)
        .groupBy(['f.tenantId', 'f.day', 'f.sku', 'f.reasonCode', 'f.resolution', 'f.currency']),
    )
    .execute();

  // Months from days: the same sums, cut at the month.
  const month = sql<string>`substr(${sql.ref('day')}, 1, 7)`;
  await ex
    .insertInto('analyticsSalesMonthly')
    .columns(['tenantId', 'month', 'sku', 'currency', 'title', 'category', 'units', 'lines', 'revenue'])
    .expression((eb) =>
      eb
        .selectFrom('analyticsSalesDaily')
        .select((s) => [
          'tenantId',
          month.as('month'),
          'sku',
          'currency',
          s.fn.max('title').as('title'),
          s.fn.max('category').as('category'),
          s.fn.sum<number>('units').as('units'),
          s.fn.sum<number>('lines').as('lines'),
          s.fn.sum<number>('revenue').as('revenue'),
        ])
        .where('tenantId', '=', tenantId)
        .groupBy(['tenantId', month, 'sku', 'currency']),
    )
    .execute();
  await ex
    .insertInto('analyticsReturnsMonthly')
    .columns(['tenantId', 'month', 'sku', 'reasonCode', 'resolution', 'currency', 'category', ...CELL_SUMS])
    .expression((eb) =>
      eb
        .selectFrom('analyticsReturnsDaily')
        .select((s) => [
          'tenantId',
          month.as('month'),
          'sku',
          'reasonCode',
          'resolution',
          'currency',
          s.fn.max('category').as('category'),
          ...CELL_SUMS.map((c) => s.fn.sum<number>(c).as(c)),
        ])
        .where('tenantId', '=', tenantId)
        .groupBy(['tenantId', month, 'sku', 'reasonCode', 'resolution', 'currency']),
    )
    .execute();
}
