import type { ColumnType, Generated } from 'kysely';

/**
 * Table shapes, camelCase here and snake_case in SQL (CamelCasePlugin). Timestamps are ISO-8601
 * UTC strings on both engines (timestamptz on PostgreSQL is parsed back to ISO text).
 * JSON columns are jsonb on PostgreSQL and text on SQLite: read them with `parseJson`.
 */
export type Json = ColumnType<unknown, string, string>;

export interface OutboxTable {
  id: string;
  tenantId: string;
  topic: string;
  dedupeKey: string;
  payload: Json;
  status: 'pending' | 'done' | 'dead';
  attempts: Generated<number>;
  availableAt: string;
  lockedUntil: string | null;
  lastError: string | null;
  createdAt: string;
  doneAt: string | null;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  requestHash: string;
  statusCode: number | null;
  responseBody: string | null;
  /** What the request created or changed, linked in its transaction (see linkIdempotentWrite). */
  resourceId: string | null;
  createdAt: string;
}

/** The platform's own tables; each module adds its own (see its `tables.ts`). */
export interface PlatformTables {
  outbox: OutboxTable;
  idempotencyKeys: IdempotencyKeysTable;
}

/** The tables the platform owns, by the names queries use. */
export const PLATFORM_TABLES = ['outbox', 'idempotencyKeys'] as const;

/**
 * Every table the application's queries see. The platform declares only its own two (outbox and
 * idempotency keys); every module table comes from the module that owns it, which adds it here
 * from its `tables.ts` (a TypeScript module augmentation,
 * `declare module '…/platform/db/schema.ts' { interface Database extends TheirTables {} }`), and
 * hands its migrations to the composition root (src/database.ts). An augmentation applies only
 * when its file is in the program, so src/database.ts imports every module's `tables.ts`.
 */
export interface Database extends PlatformTables {}

/** JSON columns come back as text from SQLite and as objects from PostgreSQL. */
export function parseJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
