import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliWorkspace } from './helpers/cli-workspace.ts';

const cli = cliWorkspace('returnflow-analytics-cli-');
const run = (args: string[]) => cli.run(args);

function file(name: string, text: string) {
  const path = join(cli.dataDir, name);
  writeFileSync(path, text);
  return path;
}

describe('returnflow import', () => {
  it('imports CSV files with a progress line, once, and names bad rows', async () => {
    const tenant = JSON.parse(
      (await run(['tenants', 'create', '--name', 'CSV Shop', '--kind', 'merchant', '--json'])).stdout,
    );
    const orders = file(
      'orders.csv',
      'order_external_id,order_number,placed_at,delivered_at,currency,customer_email,line_external_id,sku,title,category,quantity,unit_price,channel\n' +
        'O1,#1,2025-05-01T10:00:00Z,2025-05-03,USD,a@example.com,1,JKT-M,"Jacket, rain",apparel,1,12900,web\n' +
        'O1,#1,2025-05-01T10:00:00Z,2025-05-03,USD,a@example.com,2,TEE-L,Tee,apparel,2,2500,web\n' +
        'O2,#2,2025-05-02,,USD,b@example.com,1,MUG,Mug,home,1,900,shop\n',
    );
    const returns = file(
      'returns.csv',
      'status,return_external_id,order_external_id,line_external_id,quantity,reason_code,note,requested_at,resolved_at,refunded_amount\n' +
        'refunded,R1,O1,1,1,defective,拉链坏了,2025-05-10,2025-05-14,12900\n',
    );
    const first = await run([
      'import',
      '--tenant',
      tenant.tenantId,
      '--orders',
      orders,
      '--returns',
      returns,
    ]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      /Imported 2 orders \(3 lines\) and 1 returns in [\d.]+ s: 3 created, 0 already there/,
    );
    // Not a terminal: plain progress lines, one at least at the end of each phase.
    expect(first.stderr).toMatch(/writing orders: 2\/2 \(100%/);
    expect(first.stderr).toMatch(/writing returns: 1\/1 \(100%/);

    const again = await run([
      'import',
      '--tenant',
      tenant.tenantId,
      '--orders',
      orders,
      '--returns',
      returns,
    ]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('0 created, 3 already there');

    const bad = file(
      'bad.csv',
      'order_external_id,order_number,placed_at,currency,customer_email,line_external_id,sku,title,category,quantity,unit_price\n' +
        'O9,#9,2025-05-01,USD,c@example.com,1,X,X,misc,1,100\n' +
        'O9,#9,2025-05-01,USD,c@example.com,2,Y,Y,misc,many,100\n',
    );
    const failed = await run(['import', '--tenant', tenant.tenantId, '--orders', bad]);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('orders row 3: quantity must be a whole number above 0');
    expect(failed.stderr).toContain('nothing was imported');

    expect((await run(['import', '--tenant', 'ten_nope', '--orders', orders])).stderr).toContain(
      'no tenant ten_nope',
    );
  });
});

describe('returnflow seed --synthetic', () => {
  const today = new Date().toISOString().slice(0, 10);

  it('creates a tenant, imports a history ending today, and opens the planted issues as alerts', async () => {
    // A year of a shop's size the detector can read: about 55 orders a day.
    const r = await run(['seed', '--synthetic', '--orders', '20000', '--seed', '9', '--planted', '2']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Tenant "Synthetic Store" created: ten_/);
    expect(r.stdout).toMatch(/Imported 20000 orders/);
    expect(r.stdout).toMatch(new RegExp(`History from \\d{4}-\\d\\d-\\d\\d to ${today} in tenant ten_`));
    const planted = r.stdout
      .split('Planted issues:')[1]!
      .split('Early warning')[0]!
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/)[0]!);
    expect(planted).toHaveLength(2);
    expect(r.stdout).toMatch(new RegExp(`Early warning as of ${today}: \\d+ open alert\\(s\\)`));
    const alerts = r.stdout.split('open alert(s).')[1]!.split('Sign in at')[0]!;
    for (const sku of planted) expect(alerts, sku).toContain(sku);
    expect(r.stdout).toMatch(/Sign in at http:\/\/\S+\/console\/login as admin\+\w+@returnflow\.local/);
    expect(r.stderr).toMatch(/generating: 20000\/20000/);
  });

  it('takes --start and --end, and refuses impossible or future dates in one line', async () => {
    const r = await run([
      'seed',
      '--synthetic',
      '--orders',
      '300',
      '--planted',
      '0',
      '--start',
      '2025-01-01',
      '--end',
      '2025-03-31',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('History from 2025-01-01 to 2025-03-31');
    for (const [args, text] of [
      [['--start', '2025-02-30'], '--start must be a date as YYYY-MM-DD'],
      [['--end', '2999-01-01'], '--end cannot be after today'],
      [['--start', '2025-03-01', '--end', '2025-03-05'], 'at least 14 days'],
    ] as const) {
      const bad = await run(['seed', '--synthetic', '--orders', '10', ...args]);
      expect(bad.status).toBe(1);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
      expect(bad.stderr).toContain(text);
    }
  });
});
