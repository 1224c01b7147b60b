import { type ChildProcess, spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, cliWorkspace } from './helpers/cli-workspace.ts';
import { apiClient } from './helpers/test-app.ts';

const cli = cliWorkspace('returnflow-cli-');
const { env, run } = cli;

/** Starts `returnflow serve` and resolves with the URL and demo key it prints. */
function serve(): Promise<{ child: ChildProcess; url: string; apiKey: string | null; output: () => string }> {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: env({ PORT: '0' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const url = /running at (http:\/\/\S+)/.exec(out)?.[1];
      if (url && /logins:[\s\S]*\n\n/.test(out)) {
        clearTimeout(timer);
        resolve({ child, url, apiKey: /API key:\s+(\S+)/.exec(out)?.[1] ?? null, output: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe('returnflow CLI', () => {
  it('serves the demo on an empty database, and keeps data across a restart', async () => {
    let kept = '';
    let count = 0;
    const first = await serve();
    try {
      expect(first.apiKey).toMatch(/^rf_/);
      expect(first.output()).toMatch(/admin\s+admin@demo\.returnflow\.local/);
      // Where uploaded files go is part of the start-up line.
      expect(first.output()).toMatch(/\(database: \w+; files: \/\S+\)/);
      const api = apiClient(first.url, first.apiKey!);
      const demo = await api.get('/api/v1/returns?limit=100');
      expect(demo.status).toBe(200);
      const statuses = new Set(demo.body.data.map((r: { status: string }) => r.status));
      for (const s of [
        'awaiting_shipment',
        'in_transit',
        'received',
        'inspected',
        'refunded',
        'closed',
        'needs_review',
        'rejected',
        'cancelled',
      ]) {
        expect(statuses, s).toContain(s);
      }
      kept = demo.body.data[0].id;
      count = demo.body.data.length;
      // The second demo tenant: a purchasing agent with lines at every stage and seller claims.
      const paKey = /Demo purchasing agent[\s\S]*?API key:\s+(\S+)/.exec(first.output())?.[1];
      expect(paKey).toMatch(/^rf_/);
      const pa = apiClient(first.url, paKey!);
      const stages = new Set<string>();
      for (let n = 2001; n <= 2008; n++) {
        const o = await pa.get(`/api/v1/orders/by-number/DG-${n}`);
        for (const l of (await pa.get(`/api/v1/orders/${o.body.id}/stages`)).body.lines) stages.add(l.stage);
      }
      for (const s of [
        'paid',
        'purchasing',
        'purchased',
        'seller_shipped',
        'qc_passed',
        'stored',
        'shipped_international',
        'delivered',
        'cancelled',
        'returned_to_seller',
      ]) {
        expect(stages, s).toContain(s);
      }
      const claims = (await pa.get('/api/v1/seller-claims')).body.items.map(
        (c: { status: string }) => c.status,
      );
      expect(claims).toEqual(expect.arrayContaining(['draft', 'sent', 'refunded']));
      expect((await pa.get('/api/v1/seller-claims?atRisk=true')).body.items.length).toBeGreaterThan(0);
    } finally {
      await stop(first.child);
    }
    const second = await serve();
    try {
      const api = apiClient(second.url, second.apiKey!);
      const again = await api.get('/api/v1/returns?limit=100');
      expect(again.body.data.length).toBe(count);
      expect((await api.get(`/api/v1/returns/${kept}`)).status).toBe(200);
    } finally {
      await stop(second.child);
    }
  }, 120_000);

  it('migrates, then says the database is up to date', () => {
    // Through the real command once: what `npx returnflow migrate` prints and its exit status.
    const r = cli.spawn(['migrate']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('database is up to date');
  });

  it('creates a tenant and prints its credentials as JSON', async () => {
    const r = await run(['tenants', 'create', '--name', 'CLI Shop', '--kind', 'purchasing_agent', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim());
    expect(Object.keys(out).sort()).toEqual([
      'adminEmail',
      'adminPassword',
      'apiKey',
      'handle',
      'portalUrl',
      'tenantId',
    ]);
    expect(out.apiKey).toMatch(/^rf_/);
    expect(out.handle).toBe('cli-shop');
    expect(out.portalUrl).toMatch(/\/s\/cli-shop\/returns$/);
    // A second shop of the same name gets the next free handle; a chosen one is checked.
    const twin = JSON.parse(
      (await run(['tenants', 'create', '--name', 'CLI Shop', '--kind', 'merchant', '--json'])).stdout,
    );
    expect(twin.handle).toBe('cli-shop-2');
    const chosen = await run([
      'tenants',
      'create',
      '--name',
      'X',
      '--kind',
      'merchant',
      '--handle',
      'Bad Handle',
    ]);
    expect(chosen.status).toBe(1);
    expect(chosen.stderr).toMatch(/^returnflow: The shop handle must be 2 to 40 lowercase letters/);
    const taken = await run([
      'tenants',
      'create',
      '--name',
      'X',
      '--kind',
      'merchant',
      '--handle',
      'cli-shop',
    ]);
    expect(taken.stderr).toContain('The shop handle "cli-shop" is taken');
    const list = await run(['tenants', 'list', '--json']);
    expect(JSON.parse(list.stdout).find((t: { id: string }) => t.id === out.tenantId).kind).toBe(
      'purchasing_agent',
    );
  });

  it('stops with one clear line on a bad configuration value or command', async () => {
    for (const [args, extra, text] of [
      [['migrate'], { PORT: 'eighty' }, 'PORT must be a whole number'],
      [['migrate'], { DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must start with file:'],
      [
        ['tenants', 'create', '--name', 'X', '--kind', 'shop'],
        {},
        '--kind merchant or --kind purchasing_agent',
      ],
      [['frobnicate'], {}, 'unknown command'],
      [['tenants', 'list', '--colour'], {}, "Unknown option '--colour'"],
      [['seed', '--synthetic', '--orders'], {}, "Option '--orders <value>' argument missing"],
    ] as const) {
      const r = await run([...args], { ...extra });
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(text);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
