import type { Kysely } from 'kysely';
import type { ColumnTypes } from '../../platform/db/column-types.ts';

export function sourcing(_t: ColumnTypes) {
  return {
    async up(_db: Kysely<unknown>) {},
  };
}
