import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Once per test run, before any test file: build the web app when dist/web is missing or older
 * than web/ (a no-op in milliseconds otherwise), so the browser tests see the current pages.
 */
export default function setup(): void {
  // For backend-only runs while web/ is mid-edit; CI never sets it.
  if (process.env.RETURNFLOW_SKIP_WEB_BUILD === '1') return;
  const script = fileURLToPath(new URL('../bin/build-web.js', import.meta.url));
  execFileSync(process.execPath, [script], { stdio: 'inherit' });
}
