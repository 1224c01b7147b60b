// Loads a TypeScript entry point of src/ for bin/returnflow.js, still without a build step: esbuild
// compiles it, with everything it imports, into one JavaScript file under node_modules/.cache/
// returnflow/ (half a second, in a child process), which every later start loads as it is after a
// stat of each of its inputs (a few milliseconds), until one of them changes.
//
// tsx's loader, which this replaces for the server and the CLI, costs more on Node 20: its hooks
// run in a thread of their own that the main thread waits on for each of about 1,000 imports
// (ours, and the small files of typebox and kysely, which the bundle takes in too): 0.6 s of every
// start and 40 MB of memory. tsx remains the fallback when the bundle cannot be made (the reason
// goes to stderr), under a debugger (tsx's maps carry the sources), and RETURNFLOW_TSX=1 asks for it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  realpathSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const self = fileURLToPath(import.meta.url);
const root = realpathSync(join(dirname(self), '..'));
const MARK = '// returnflow-inputs ';
/** What else decides the output: Node's version is esbuild's target. */
const KEY = `node ${process.versions.node}`;

/**
 * Packages compiled into the bundle rather than imported from node_modules: ESM in hundreds of
 * small files, and imported at run time by src/ alone (so there is still one copy of each).
 */
const INLINE = new Set(['typebox', 'kysely']);

/** Imports `entry` (a path from the project root, e.g. `src/cli.ts`) and answers its exports. */
export async function importSrc(entry) {
  const debugging = /--inspect/.test(`${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`);
  if (process.env.RETURNFLOW_TSX !== '1' && !debugging) {
    const out = bundlePath(entry);
    const problem = isCurrent(out) ? null : compileInChild(entry);
    if (!problem) {
      // As under tsx: stack traces name the .ts files and their lines.
      process.setSourceMapsEnabled(true);
      return import(pathToFileURL(out).href);
    }
    process.stderr.write(`returnflow: could not compile ${entry} (${problem}); running it through tsx\n`);
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(join(root, entry)).href);
}

function bundlePath(entry) {
  // Named after the checkout too: checkouts may share a node_modules (a symlink, a workspace).
  const id = createHash('sha256').update(`${root}\0${entry}`).digest('hex').slice(0, 10);
  const name = basename(entry).replace(/\.[cm]?ts$/, '');
  return join(root, 'node_modules', '.cache', 'returnflow', `${name}-${id}.mjs`);
}

/** The first line of a bundle: what it was compiled from, each input with its mtime and size. */
function readManifest(out) {
  let fd;
  try {
    fd = openSync(out, 'r');
  } catch {
    return null;
  }
  try {
    const chunk = Buffer.alloc(1 << 16);
    const parts = [];
    for (let pos = 0; ; ) {
      const n = readSync(fd, chunk, 0, chunk.length, pos);
      if (n === 0) return null;
      const nl = chunk.subarray(0, n).indexOf(10);
      parts.push(Buffer.from(chunk.subarray(0, nl >= 0 ? nl : n)));
      if (nl >= 0) break;
      pos += n;
    }
    const head = Buffer.concat(parts).toString('utf8');
    return head.startsWith(MARK) ? JSON.parse(head.slice(MARK.length)) : null;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

function isCurrent(out) {
  const manifest = readManifest(out);
  if (manifest?.key !== KEY || !Array.isArray(manifest.inputs)) return false;
  for (const [path, mtimeMs, size] of manifest.inputs) {
    const st = statSync(resolve(root, path), { throwIfNoEntry: false });
    if (!st || st.mtimeMs !== mtimeMs || st.size !== size) return false;
  }
  return true;
}

/**
 * Compiles in a process of its own: esbuild and the build's buffers would otherwise stay in the
 * server's memory. Answers null, or why it failed.
 */
function compileInChild(entry) {
  const r = spawnSync(process.execPath, [self, '--compile', entry], { encoding: 'utf8' });
  if (r.status === 0) return null;
  return (r.stderr || r.error?.message || `exit status ${r.status}`).trim().split('\n')[0];
}

/** A package's files are represented by its package.json (rewritten when it is upgraded). */
function inputFile(path) {
  const pkg = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(path);
  return pkg ? `${pkg[1]}/package.json` : path;
}

async function compile(entry) {
  const out = bundlePath(entry);
  // esbuild comes with tsx (and Vite); resolved from tsx's folder so that it is found either way.
  const tsxRequire = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'));
  const esbuild = tsxRequire('esbuild');
  const started = Date.now();
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    // As tsx compiles: for this Node, with function and class names kept (error names are read).
    target: `node${process.versions.node}`,
    keepNames: true,
    sourcemap: 'linked',
    sourcesContent: false,
    tsconfig: join(root, 'tsconfig.json'),
    metafile: true,
    write: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'returnflow-src',
        setup(b) {
          // Packages are imported from node_modules as before, but for the INLINE ones.
          b.onResolve({ filter: /^[^./]/ }, (args) => {
            const name = args.path.split('/', args.path.startsWith('@') ? 2 : 1).join('/');
            return INLINE.has(name) ? undefined : { path: args.path, external: true };
          });
          // import.meta would be the bundle's: each file gets its own URL, folder and path written in.
          b.onLoad({ filter: /\.[cm]?ts$/ }, (args) => {
            if (args.path.includes('/node_modules/')) return undefined;
            let text = readFileSync(args.path, 'utf8');
            if (text.includes('import.meta')) {
              text = text
                .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
                .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
                .replaceAll('import.meta.filename', JSON.stringify(args.path));
              if (/import\.meta\b/.test(text)) {
                throw new Error(
                  `${relative(root, args.path)} uses import.meta beyond url, dirname and filename`,
                );
              }
            }
            return { contents: text, loader: 'ts' };
          });
        },
      },
    ],
  });
  await esbuild.stop();
  const files = new Set(Object.keys(result.metafile.inputs).map(inputFile));
  for (const f of ['tsconfig.json', self, tsxRequire.resolve('esbuild/package.json')])
    files.add(relative(root, f));
  const inputs = [];
  for (const path of files) {
    const st = statSync(resolve(root, path), { throwIfNoEntry: false });
    // Changed while esbuild was reading it: recorded so that the next start compiles again.
    if (st) inputs.push([path, st.mtimeMs >= started ? -1 : st.mtimeMs, st.size]);
  }
  const code = result.outputFiles.find((f) => f.path === out).text;
  const map = JSON.parse(result.outputFiles.find((f) => f.path === `${out}.map`).text);
  // The manifest line comes first, so the code and its map move down a line. Sources by their
  // absolute URL: Node resolves them from the bundle's real path, which a symlink can change.
  map.mappings = `;${map.mappings}`;
  map.sources = map.sources.map((s) => pathToFileURL(resolve(dirname(out), s)).href);
  mkdirSync(dirname(out), { recursive: true });
  // Written aside, then renamed: a process starting meanwhile reads the old file or the new one.
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(map));
  renameSync(tmp, `${out}.map`);
  writeFileSync(tmp, `${MARK}${JSON.stringify({ key: KEY, inputs })}\n${code}`);
  renameSync(tmp, out);
}

if (process.argv[1] === self && process.argv[2] === '--compile') {
  try {
    await compile(process.argv[3]);
  } catch (e) {
    // esbuild's first error with where it is, or what else went wrong (EACCES, …), on one line.
    const first = e?.errors?.[0];
    const at = first?.location
      ? `${first.location.file}:${first.location.line}:${first.location.column}: `
      : '';
    process.stderr.write(`${first ? at + first.text : (e?.message ?? String(e))}\n`);
    process.exit(1);
  }
}
