#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so there is no build step between
// `npm install` and `npm start` (see docs/DECISIONS.md).
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli.ts');
const code = await runCli(process.argv.slice(2));
// `serve` answers -1 and keeps running until a signal stops it.
if (code >= 0) process.exit(code);
