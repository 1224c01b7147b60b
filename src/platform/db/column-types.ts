import type { ColumnDataType } from 'kysely';

/** The SQL types that differ between the two engines; one migration source uses these names. */
export type ColumnTypes = {
  int: ColumnDataType;
  money: ColumnDataType;
  time: ColumnDataType;
  json: ColumnDataType;
};

export function columnTypes(dialect: 'sqlite' | 'postgres'): ColumnTypes {
  return dialect === 'postgres'
    ? { int: 'integer', money: 'bigint', time: 'timestamptz', json: 'jsonb' }
    : // SQLite integers are 64-bit whatever the declared type.
      { int: 'integer', money: 'integer', time: 'text', json: 'text' };
}
