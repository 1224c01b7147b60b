#!/usr/bin/env node
// Builds the web app (web/ -> dist/web/) when dist/web is missing or older than its sources, so
// `npm start` and the browser tests always serve the current pages; a no-op in a few
// milliseconds otherwise. `--force` builds regardless.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const webDir = join(root, 'web');
const outDir = join(root, 'dist', 'web');
const stamp = join(outDir, 'index.html');

/** The newest modification time under `path` (files only, node_modules skipped). */
function newest(path) {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    max = Math.max(max, newest(join(path, name)));
  }
  return max;
}

function isStale() {
  const built = statSync(stamp, { throwIfNoEntry: false });
  if (!built) return true;
  // The lock file stands for the dependencies: an upgraded React or Mantine means a new bundle.
  // src/platform/money.ts is shared with the browser (the one exponent table and formatter).
  const inputs = [webDir, join(root, 'package-lock.json'), join(root, 'src', 'platform', 'money.ts')];
  return Math.max(...inputs.map(newest)) > built.mtimeMs;
}

const force = process.argv.includes('--force');
if (!force && !isStale()) {
  process.exit(0);
}

const started = Date.now();
console.log('returnflow: building the web app (web/ -> dist/web/) …');
// Vitest runs this with NODE_ENV=test, which would make Vite bundle React's development build.
process.env.NODE_ENV = 'production';
const { build } = await import('vite');
// Build beside the live folder and swap it in, so a server (or a concurrent build) never sees a
// half-written dist/web.
const tmp = join(root, 'dist', `.web-${process.pid}`);
try {
  await build({
    configFile: join(webDir, 'vite.config.ts'),
    mode: 'production',
    logLevel: 'warn',
    build: { outDir: tmp, emptyOutDir: true },
  });
  rmSync(outDir, { recursive: true, force: true });
  renameSync(tmp, outDir);
} finally {
  if (existsSync(tmp)) rmSync(tmp, { recursive: true, force: true });
}
console.log(`returnflow: web app built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
