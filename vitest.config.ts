import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { WAIT_MS } from './test/helpers/budget.ts';

export default defineConfig({
  // The web app's unit tests import the server contract as the web build does (web/vite.config.ts).
  resolve: { alias: { '@contract': fileURLToPath(new URL('./src/contract', import.meta.url)) } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    // Budgets for a busy 2-core machine (CI, or two suites side by side); no test asserts a time.
    testTimeout: 4 * WAIT_MS,
    hookTimeout: 4 * WAIT_MS,
    expect: { poll: { timeout: WAIT_MS } },
    pool: 'forks',
    // One worker process runs many files, keeping the imported modules: each test file builds its
    // own app, database and tenant, so nothing carries over but the module cache. Importing the
    // source graph anew for every file cost 140 s of a 512 s SQLite run on 2 CPUs (now 353 s; see
    // docs/DECISIONS.md).
    isolate: false,
    // Vitest's default (one less than the CPUs) is a single worker on a 2-CPU machine; the browser
    // and server tests wait on I/O a good part of the time, so two files at once take 213 s
    // instead of 342 s for the SQLite run on 2 CPUs (docs/DECISIONS.md).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Builds the web app for the browser tests when web/ changed since the last build.
    globalSetup: ['test/global-setup.ts'],
  },
});
