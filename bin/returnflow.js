#!/usr/bin/env node
// Runs the TypeScript sources directly, so there is no build step between `npm install` and
// `npm start` (see docs/DECISIONS.md): compiled on the fly and cached (bin/compiled-src.js).
import { importSrc } from './compiled-src.js';

const { runCli } = await importSrc('src/cli.ts');
const code = await runCli(process.argv.slice(2));
// `serve` answers -1 and keeps running until a signal stops it.
if (code >= 0) process.exit(code);
