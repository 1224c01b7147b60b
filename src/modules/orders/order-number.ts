import { type ExpressionBuilder, sql } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';

/**
 * The numbers a person may mean when they type one: any case (`dg-2002`), with or without the
 * shop's leading `#`. Lowered, as `matchesOrderNumber` compares them.
 */
export function orderNumberCandidates(typed: string): string[] {
  const n = typed.trim().toLowerCase();
  if (!n) return [];
  return [...new Set([n, n.startsWith('#') ? n.slice(1) : `#${n}`])].filter(Boolean);
}

/** `orders.order_number` is one of what was typed, whatever its case (indexed on lower()). */
export function matchesOrderNumber(typed: string) {
  const candidates = orderNumberCandidates(typed);
  return (eb: ExpressionBuilder<Database, 'orders'>) =>
    candidates.length === 0
      ? // Matches nothing; a literal, since SQLite cannot bind a boolean.
        sql<boolean>`1 = 0`
      : eb(sql<string>`lower(${eb.ref('orders.orderNumber')})`, 'in', candidates);
}
