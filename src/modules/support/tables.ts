import type { Database } from '../../platform/db/schema.ts';

export interface MacrosTable {
  tenantId: string;
  id: string;
  name: string;
  body: string;
  action: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The support macros (snake_case in SQL, camelCase here). */
export type SupportTables = {
  macros: MacrosTable;
};

/** The tables this module owns, by the names queries use. */
export const TABLES = ['macros'] as const satisfies readonly (keyof Database)[];

// The support tables join the application's database type.
declare module '../../platform/db/schema.ts' {
  interface Database extends SupportTables {}
}
