#!/usr/bin/env node
// Builds the web app (web/ -> dist/web/) when dist/web is missing or older than its sources, so
// `npm start` and the browser tests always serve the current pages; a no-op in a few
// milliseconds otherwise. `--force` builds regardless. Text files are also written compressed
// (NAME.br, NAME.gz) for the server to send as they are: compressing once here, at the highest
// levels, costs a second per build instead of CPU on every request.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

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
  // This script itself too: a build made by an older one may lack what it now writes.
  const inputs = [
    webDir,
    join(root, 'package-lock.json'),
    join(root, 'src', 'platform', 'money.ts'),
    fileURLToPath(import.meta.url),
  ];
  return Math.max(...inputs.map(newest)) > built.mtimeMs;
}

/** Files worth compressing: text. Fonts and images under assets/ are compressed already. */
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|map|webmanifest)$/;

/** Writes FILE.br and FILE.gz beside every compressible file under `dir` that they make smaller. */
function precompress(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      precompress(path);
      continue;
    }
    if (!COMPRESSIBLE.test(name)) continue;
    const raw = readFileSync(path);
    const br = brotliCompressSync(raw, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    });
    const gz = gzipSync(raw, { level: constants.Z_BEST_COMPRESSION });
    // A tiny file can grow; the server then falls back to the file itself.
    if (br.length < raw.length) writeFileSync(`${path}.br`, br);
    if (gz.length < raw.length) writeFileSync(`${path}.gz`, gz);
  }
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
  precompress(tmp);
  rmSync(outDir, { recursive: true, force: true });
  renameSync(tmp, outDir);
} finally {
  if (existsSync(tmp)) rmSync(tmp, { recursive: true, force: true });
}
console.log(`returnflow: web app built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
