import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { TABLE_OWNERS } from './database.ts';
import { parseDatabaseUrl } from './platform/config.ts';

/**
 * Each module reads and writes only the tables it declares (its `tables.ts`); what it needs of
 * another module's goes through that module's service. The few places that still run SQL on a
 * foreign table are listed here with their reason, so a new one fails this test until someone
 * decides it is a port worth having (docs/ARCHITECTURE.md, "Who owns what").
 */
type Access = 'read' | 'write';
type Exception = { module: string; table: string; access: Access; files: string[]; why: string };

const FOREIGN_TABLE_EXCEPTIONS: Exception[] = [
  {
    module: 'returns',
    table: 'tenants',
    access: 'write',
    files: ['rma-numbers.ts'],
    why: "the RMA sequence is returns' column on the tenant row (tenants.rma_seq); its row lock orders concurrent filings",
  },
  {
    module: 'returns',
    table: 'orderLines',
    access: 'read',
    files: ['repo.ts', 'console-queries.ts'],
    why: "a return line shows its order line's SKU and title; the console's queue joins them to search and sort",
  },
  {
    module: 'returns',
    table: 'orders',
    access: 'read',
    files: ['console-queries.ts'],
    why: 'the console queue is one query (search, sort, page) over returns with their order number',
  },
  {
    module: 'returns',
    table: 'customers',
    access: 'read',
    files: ['console-queries.ts'],
    why: "the console queue searches and shows the customer's name and email",
  },
  {
    module: 'returns',
    table: 'refunds',
    access: 'read',
    files: ['console-queries.ts'],
    why: "the console queue shows each return's refund status",
  },
  {
    module: 'sourcing',
    table: 'orderLines',
    access: 'write',
    files: ['sourcing-context.ts'],
    why: "a line's purchasing-agent stage is sourcing's own column on the order line (migration 0008)",
  },
  {
    module: 'sourcing',
    table: 'customers',
    access: 'read',
    files: ['wallet.ts'],
    why: "the wallet's display currency is sourcing's own column on the customer (migration 0008)",
  },
  ...['orders', 'orderLines', 'customers', 'returns', 'returnLines', 'returnEvents', 'tenants'].map(
    (table): Exception => ({
      module: 'analytics',
      table,
      access: 'read',
      files: ['*'],
      why: 'the analytics read side aggregates orders and returns in SQL (rollups, detection, risk)',
    }),
  ),
  ...['orders', 'orderLines', 'customers', 'returns', 'returnLines', 'returnEvents'].map(
    (table): Exception => ({
      module: 'analytics',
      table,
      access: 'write',
      files: ['import-orders.ts', 'import-returns.ts'],
      why: 'the history import writes years of orders and returns in bulk statements, not one service call per row',
    }),
  ),
];

const READS = ['selectFrom', 'innerJoin', 'leftJoin', 'rightJoin', 'fullJoin'];
const WRITES = ['insertInto', 'updateTable', 'deleteFrom', 'mergeInto', 'bulkInsert'];
const CALL = new RegExp(`\\b(${[...READS, ...WRITES].join('|')})\\(\\s*(?:\\w+\\s*,\\s*)?'(\\w+)`, 'g');

/** The tables a source file names in Kysely calls (and the bulk insert), with how it uses them. */
function tablesUsed(source: string): { table: string; access: Access }[] {
  return [...source.matchAll(CALL)].map((m) => ({
    table: m[2]!,
    access: WRITES.includes(m[1]!) ? 'write' : 'read',
  }));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'migrations' ? [] : sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

const modulesDir = join(import.meta.dirname, 'modules');
const ownerOf = new Map<string, string>();
for (const [owner, tables] of Object.entries(TABLE_OWNERS)) {
  for (const t of tables) ownerOf.set(t, owner);
}

describe('table ownership', () => {
  it('reads Kysely table names, with reads and writes told apart', () => {
    const found = tablesUsed(
      "db.selectFrom('returns as r').innerJoin('orders as o', j)\n" +
        "trx.updateTable('tenants').set({});\nawait bulkInsert(trx, 'orderLines', COLS, rows);",
    );
    expect(found).toEqual([
      { table: 'returns', access: 'read' },
      { table: 'orders', access: 'read' },
      { table: 'tenants', access: 'write' },
      { table: 'orderLines', access: 'write' },
    ]);
  });

  it('gives every table the migrations create exactly one owner', async () => {
    const { connectDatabase } = await import('./database.ts');
    const handle = await connectDatabase(parseDatabaseUrl('file::memory:'));
    try {
      const rows = await sql<{ name: string }>`
        select name from sqlite_master
        where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'`.execute(handle.db);
      const created = rows.rows.map((r) => r.name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()));
      const declared = Object.values(TABLE_OWNERS).flat();
      expect(new Set(declared).size, 'a table is declared by two owners').toBe(declared.length);
      expect([...created].sort()).toEqual([...declared].sort());
    } finally {
      await handle.close();
    }
  });

  it('keeps each module to its own tables, apart from the listed ports', () => {
    const strays: string[] = [];
    const used = new Set<Exception>();
    for (const module of readdirSync(modulesDir)) {
      for (const file of sourceFiles(join(modulesDir, module))) {
        const name = relative(join(modulesDir, module), file);
        for (const { table, access } of tablesUsed(readFileSync(file, 'utf8'))) {
          const owner = ownerOf.get(table);
          if (owner === module) continue;
          const allowed = FOREIGN_TABLE_EXCEPTIONS.find(
            (e) =>
              e.module === module &&
              e.table === table &&
              (e.access === access || e.access === 'write') &&
              (e.files.includes('*') || e.files.includes(name)),
          );
          if (allowed) used.add(allowed);
          else strays.push(`${module}/${name} ${access}s ${table} (owned by ${owner ?? 'nobody'})`);
        }
      }
    }
    expect(strays, "call the owning module's service, or list a port here with its reason").toEqual([]);
    const stale = FOREIGN_TABLE_EXCEPTIONS.filter((e) => !used.has(e)).map(
      (e) => `${e.module} ${e.access} ${e.table}`,
    );
    expect(stale, 'an exception no code needs any more: remove it').toEqual([]);
  });
});
