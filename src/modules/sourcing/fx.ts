import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import type { FxRate } from '../../platform/fx.ts';

/** The newest rate for a pair on or before `asOf` (YYYY-MM-DD), or null when none was supplied. */
export async function latestRate(
  ex: Kysely<Database>,
  tenantId: string,
  base: string,
  quote: string,
  asOf: string,
): Promise<FxRate | null> {
  if (base === quote) return null;
  const row = await ex
    .selectFrom('fxRates')
    .select(['base', 'quote', 'rate', 'rateDate'])
    .where('tenantId', '=', tenantId)
    .where('base', '=', base)
    .where('quote', '=', quote)
    .where('rateDate', '<=', asOf)
    .orderBy('rateDate', 'desc')
    .executeTakeFirst();
  return row ?? null;
}
