import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Once per test run, before any test file: build the web app when dist/web is missing or older
 * than web/ (a no-op in milliseconds otherwise), so the browser tests see the current pages.
 */
export default function setup(): void {
  const script = fileURLToPath(new URL('../bin/build-web.js', import.meta.url));
  execFileSync(process.execPath, [script], { stdio: 'inherit' });
}
