import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { spreadsheetCsv } from './csv.ts';

describe('spreadsheetCsv', () => {
  it('writes cells a spreadsheet would run as text, and leaves numbers alone', () => {
    const csv = spreadsheetCsv(
      [
        {
          name: '=HYPERLINK("http://evil.example","click")',
          sku: '=1+2',
          category: '@sum(1+1)',
          amount: -12.5,
        },
        { name: '+cmd', sku: '-2+3', category: '\tx', amount: 3 },
        { name: 'María García', sku: 'TEE-1', category: 'tops', amount: 0 },
      ],
      ['name', 'sku', 'category', 'amount'],
    );
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const rows = parse(csv.slice(1), { columns: true }) as Record<string, string>[];
    expect(rows[0]).toEqual({
      name: `'=HYPERLINK("http://evil.example","click")`,
      sku: "'=1+2",
      category: "'@sum(1+1)",
      amount: '-12.5',
    });
    expect(rows[1]).toEqual({ name: "'+cmd", sku: "'-2+3", category: "'\tx", amount: '3' });
    expect(rows[2]!.name).toBe('María García');
  });
});
