import type { Clock } from '../../platform/clock.ts';
import { type Db, isUniqueViolation } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { writeOrders } from './import-orders.ts';
import { type HistoryInput, readHistory } from './import-read.ts';
import {
  failIfProblems,
  type ImportProblem,
  type ImportProgress,
  type ImportResult,
  MAX_PROBLEMS,
} from './import-report.ts';
import { resolveHistory } from './import-resolve.ts';
import { writeReturns } from './import-returns.ts';

export type { ImportProblem, ImportProgress, ImportResult } from './import-report.ts';
export { importedEvents } from './import-returns.ts';

/**
 * Imports a shop's order and return history into the core tables, so analytics and warnings work
 * from day one. Idempotent by external ids; every row is checked before anything is written, and
 * everything is written in one transaction (a bad row anywhere leaves the database as it was).
 * Rows are written directly, not through the orders and returns services: a million lines through
 * the per-order use cases would take hours, and history needs its own dates and states.
 */
export function createHistoryImport(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  async function importHistory(
    tenantId: string,
    input: HistoryInput,
    opts: {
      onProgress?: (p: ImportProgress) => void;
      /** The number of the first data row (2 for a CSV file with a header row; default 1). */
      firstRow?: number;
    } = {},
  ): Promise<ImportResult> {
    const tenant = await db.selectFrom('tenants').select('id').where('id', '=', tenantId).executeTakeFirst();
    if (!tenant) throw notFound('Tenant');
    const problems: ImportProblem[] = [];
    let problemCount = 0;
    const problem = (p: ImportProblem) => {
      problemCount++;
      if (problems.length < MAX_PROBLEMS) problems.push(p);
    };
    const first = opts.firstRow ?? 1;
    const progress = opts.onProgress ?? (() => {});

    // 1. Read and check every row; group lines by order and return.
    const { orders, returns, lineCount } = await readHistory(input, first, progress, problem);
    failIfProblems(problems, problemCount);

    const now = clock.now().toISOString();
    return db
      .transaction()
      .execute(async (trx) => {
        const resolved = await resolveHistory(trx, tenantId, orders, returns, problem);
        const { newOrders, newReturns } = resolved;
        failIfProblems(problems, problemCount);

        // 4. Write: customers, orders and lines, returns with lines and timelines, then the rollups.
        await writeOrders(trx, tenantId, resolved, now, progress);
        await writeReturns(trx, tenantId, orders, resolved, progress);
        return {
          orders: orders.size,
          lines: lineCount,
          returns: returns.size,
          created: newOrders.length + newReturns.length,
          unchanged: orders.size - newOrders.length + (returns.size - newReturns.length),
        };
      })
      .catch((e: unknown) => {
        // Two imports of the same new rows at once: the second one loses on a unique key.
        if (isUniqueViolation(e))
          throw new AppError(
            409,
            'import_conflict',
            'Another import of the same rows ran at the same time; run this one again.',
          );
        throw e;
      });
  }

  return { importHistory };
}

export type HistoryImport = ReturnType<typeof createHistoryImport>;
