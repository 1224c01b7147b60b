/**
 * What a customer's browser downloads for the returns portal (`/s/HANDLE/returns`): the scripts
 * and styles index.html names, and the portal's route chunk with everything it imports, fetched
 * from the real static server as identity, gzip and brotli. See docs/BENCHMARKS.md.
 *
 *   node bin/build-web.js && node bin/run-ts.js bench/web-transfer.ts
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import Fastify from 'fastify';
import { WEB_DIST_DIR } from '../src/main.ts';
import { registerWeb } from '../src/platform/http/web.ts';

const assets = join(WEB_DIST_DIR, 'assets');
const html = readFileSync(join(WEB_DIST_DIR, 'index.html'), 'utf8');
const files = new Set<string>();
for (const m of html.matchAll(/(?:src|href)="\/assets\/([^"]+\.(?:js|css))"/g)) files.add(m[1]!);
const route = [
  ...readFileSync(join(assets, [...files].find((f) => /^index-.*\.js$/.test(f))!), 'utf8').matchAll(
    /returns-route-[\w-]+\.js/g,
  ),
][0]?.[0];
if (!route) throw new Error('no returns-route chunk named in the entry bundle');
// The route chunk and what it imports statically (`from"./x.js"`, `import"./x.js"`), transitively.
const queue = [route];
while (queue.length) {
  const f = queue.pop()!;
  if (files.has(f) && f !== route) continue;
  files.add(f);
  if (!f.endsWith('.js')) continue;
  for (const m of readFileSync(join(assets, f), 'utf8').matchAll(
    /(?:from|import)\s*"\.\/([^"]+\.(?:js|css))"/g,
  )) {
    if (!files.has(m[1]!)) queue.push(m[1]!);
  }
}

const app = Fastify();
await registerWeb(app, { distDir: WEB_DIST_DIR });
await app.listen({ port: 0, host: '127.0.0.1' });
const port = (app.server.address() as { port: number }).port;

function transferred(path: string, acceptEncoding: string | null) {
  return new Promise<{ bytes: number; encoding: string }>((resolve, reject) => {
    const headers = acceptEncoding ? { 'accept-encoding': acceptEncoding } : {};
    request(`http://127.0.0.1:${port}${path}`, { headers }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
      });
      res.on('end', () =>
        resolve({ bytes, encoding: String(res.headers['content-encoding'] ?? 'identity') }),
      );
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

const kinds = [
  ['identity', null],
  ['gzip', 'gzip'],
  ['br', 'gzip, deflate, br'],
] as const;
const totals = { js: [0, 0, 0], css: [0, 0, 0] };
for (const f of [...files].sort()) {
  const kind = f.endsWith('.css') ? 'css' : 'js';
  for (const [i, [want, header]] of kinds.entries()) {
    const r = await transferred(`/assets/${f}`, header);
    // A file of a few bytes is not stored compressed (it would grow): identity is the answer then.
    if (r.encoding !== want && r.encoding !== 'identity')
      throw new Error(`${f}: ${want} answered ${r.encoding}`);
    totals[kind][i]! += r.bytes;
  }
}
await app.close();

const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;
console.log(`portal (/s/HANDLE/returns): ${files.size} files`);
console.log('      identity     gzip        br');
for (const kind of ['js', 'css'] as const) {
  console.log(`${kind.padEnd(5)} ${totals[kind].map((n) => kB(n).padStart(9)).join('  ')}`);
}
const all = [0, 1, 2].map((i) => totals.js[i]! + totals.css[i]!);
console.log(`total ${all.map((n) => kB(n).padStart(9)).join('  ')}`);
