#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so there is no build step between
// `npm install` and `npm start` (see docs/DECISIONS.md).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
