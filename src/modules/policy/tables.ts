import type { Database, Json } from '../../platform/db/schema.ts';

export interface PoliciesTable {
  tenantId: string;
  version: number;
  document: Json;
  createdAt: string;
  createdBy: string;
}

/** The return policies (snake_case in SQL, camelCase here). */
export type PolicyTables = {
  policies: PoliciesTable;
};

/** The tables this module owns, by the names queries use. */
export const TABLES = ['policies'] as const satisfies readonly (keyof Database)[];

// The policy tables join the application's database type.
declare module '../../platform/db/schema.ts' {
  interface Database extends PolicyTables {}
}
