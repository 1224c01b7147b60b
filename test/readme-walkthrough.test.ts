import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

const root = join(import.meta.dirname, '..');
const script = readFileSync(join(root, 'docs', 'walkthrough.sh'), 'utf8');

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

/**
 * The walk-through as a newcomer runs it, bash, curl and node against the real server: as a file,
 * or pasted into an interactive shell (which reads it line by line, heredocs and all).
 */
async function runWalkthrough(how: 'file' | 'pasted') {
  const env = { ...process.env, RF: t.baseUrl, KEY: t.tenant.apiKey };
  // Asynchronous: the server answering the script lives in this process.
  if (how === 'file') {
    const { stdout } = await promisify(execFile)('bash', [join(root, 'docs', 'walkthrough.sh')], {
      cwd: root,
      env,
      timeout: 60_000,
    });
    return stdout;
  }
  return new Promise<string>((resolve, reject) => {
    const child = spawn('bash', ['--norc', '--noprofile', '-i'], { cwd: root, env, timeout: 60_000 });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`bash -i exited ${code}: ${out}`)),
    );
    child.stdin.end(script);
  });
}

describe('the README walk-through', () => {
  it('is docs/walkthrough.sh, word for word', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## API walk-through'));
    const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBe(script);
  });

  it('takes an order to a closed, refunded return, run as a file and then pasted, with fresh ids and keys', async () => {
    const outputs = [await runWalkthrough('file'), await runWalkthrough('pasted')];
    const returnIds: string[] = [];
    for (const out of outputs) {
      expect(out).toMatch(
        /^order #\d+ imported: ord_\w+, total 18095 \(minor units\), jacket line oli_\w+$/m,
      );
      expect(out).toMatch(/^quote: approved, refund total \d+$/m);
      const filed = /^return (RMA-\d+) \((ret_\w+)\) approved: awaiting_shipment$/m.exec(out);
      expect(filed, out).not.toBeNull();
      returnIds.push(filed![2]!);
      expect(out).toMatch(/^ {2}tracking: http:\/\/127\.0\.0\.1:\d+\/t\/\S+$/m);
      // Each action's answer, in order: the states the return went through.
      const states = out.split('\n').filter((l) => /^[a-z_]+$/.test(l));
      expect(states).toEqual(['in_transit', 'received', 'inspected', 'refund_pending', 'refunded', 'closed']);
      expect(out).toMatch(/-> closed$/m);
      expect(out).toMatch(/^tracking view: closed$/m);
    }
    expect(returnIds[0]).not.toBe(returnIds[1]);
    for (const id of returnIds) {
      const r = await t.api.get(`/api/v1/returns/${id}`);
      expect(r.body.status).toBe('closed');
    }
  });
});
