// Every module declares its tables in its tables.ts, which adds them to Database (a module
// augmentation, seen only where that file is in the program); importing them all here puts them
// in every program that reaches this file, and gives TABLE_OWNERS its lists.
import type {} from './modules/analytics/detection-tables.ts';
import { analytics } from './modules/analytics/migrations/0009-analytics.ts';
import { detection } from './modules/analytics/migrations/0010-detection.ts';
import { analyticsReads } from './modules/analytics/migrations/0018-analytics-reads.ts';
import { TABLES as analyticsTables } from './modules/analytics/tables.ts';
import { staffAuth } from './modules/identity/migrations/0005-staff-auth.ts';
import { tenantHandles } from './modules/identity/migrations/0011-tenant-handles.ts';
import { TABLES as identityTables } from './modules/identity/tables.ts';
import { notify } from './modules/notify/migrations/0004-notify.ts';
import { deliveriesByReturn } from './modules/notify/migrations/0019-deliveries-by-return.ts';
import { TABLES as notifyTables } from './modules/notify/tables.ts';
import { orderNumberCaseless } from './modules/orders/migrations/0016-order-number-ci.ts';
import { orderEvents, ordersPlacedIndex } from './modules/orders/migrations/order-events.ts';
import { TABLES as ordersTables } from './modules/orders/tables.ts';
import { TABLES as policyTables } from './modules/policy/tables.ts';
import { ledgerByOrder } from './modules/refunds/migrations/0021-ledger-by-order.ts';
import { TABLES as refundsTables } from './modules/refunds/tables.ts';
import { returnIndexes } from './modules/returns/migrations/0003-return-indexes.ts';
import { portal } from './modules/returns/migrations/0006-portal.ts';
import { returnQuota } from './modules/returns/migrations/0014-return-quota.ts';
import { returnLocale } from './modules/returns/migrations/0015-return-locale.ts';
import { returnReadsInOrder } from './modules/returns/migrations/0020-return-reads-in-order.ts';
import { TABLES as returnsTables } from './modules/returns/tables.ts';
import { sourcing } from './modules/sourcing/migrations/0008-sourcing.ts';
import { TABLES as sourcingTables } from './modules/sourcing/tables.ts';
import { support } from './modules/support/migrations/0007-support.ts';
import { TABLES as supportTables } from './modules/support/tables.ts';
import type { DatabaseConfig } from './platform/config.ts';
import { columnTypes } from './platform/db/column-types.ts';
import { connect, type DatabaseHandle, type MigrationSet } from './platform/db/database.ts';
import { core } from './platform/db/migrations/0001-core.ts';
import { refundEngine } from './platform/db/migrations/0002-refund-engine.ts';
import { idempotencyResults } from './platform/db/migrations/0013-idempotency-results.ts';
import { type Database, PLATFORM_TABLES } from './platform/db/schema.ts';

/** Who owns each table: the module that alone may read and write it (src/table-ownership.test.ts). */
export const TABLE_OWNERS: Record<string, readonly (keyof Database)[]> = {
  platform: PLATFORM_TABLES,
  analytics: analyticsTables,
  identity: identityTables,
  notify: notifyTables,
  orders: ordersTables,
  policy: policyTables,
  refunds: refundsTables,
  returns: returnsTables,
  sourcing: sourcingTables,
  support: supportTables,
};

/**
 * Every migration of the application, in the order they were released. The first ones predate
 * the modules' own migration folders and create tables of several modules at once; since then
 * each module writes its own and it is listed here.
 */
export const migrations: MigrationSet = (dialect) => {
  const t = columnTypes(dialect);
  return {
    '0001-core': core(t),
    '0002-refund-engine': refundEngine(t),
    '0003-return-indexes': returnIndexes(),
    '0004-notify': notify(t),
    '0005-staff-auth': staffAuth(t),
    '0006-portal': portal(t),
    '0007-support': support(t),
    '0008-sourcing': sourcing(t),
    '0009-analytics': analytics(t),
    '0010-detection': detection(t),
    '0011-tenant-handles': tenantHandles(),
    '0012-order-events': orderEvents(t),
    '0013-idempotency-results': idempotencyResults(),
    '0014-return-quota': returnQuota(),
    '0015-return-locale': returnLocale(),
    '0016-order-number-ci': orderNumberCaseless(),
    '0017-orders-placed': ordersPlacedIndex(),
    '0018-analytics-reads': analyticsReads(t),
    '0019-deliveries-by-return': deliveriesByReturn(),
    '0020-return-reads-in-order': returnReadsInOrder(),
    '0021-ledger-by-order': ledgerByOrder(),
  };
};

/** Opens the configured database and brings it up to date with the application's migrations. */
export function connectDatabase(
  config: DatabaseConfig,
  options: { poolSize?: number } = {},
): Promise<DatabaseHandle> {
  return connect(config, { ...options, migrations });
}
