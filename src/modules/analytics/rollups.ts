/**
 * The daily and monthly rollups the analytics read: sales (sales-rollups.ts), returns
 * (returns-rollups.ts) and the rebuild from scratch (rollups-rebuild.ts).
 */

export { isPostgres } from './bulk-insert.ts';
export {
  applyReturnCells,
  insertFacts,
  loadSnapshots,
  refreshReturns,
} from './returns-rollups.ts';
export { dayOf } from './rollup-grains.ts';
export { recomputeIn } from './rollups-rebuild.ts';
export {
  applySalesCells,
  netSales,
  orderSalesCells,
  type SalesCell,
} from './sales-rollups.ts';
