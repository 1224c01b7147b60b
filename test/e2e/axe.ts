import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's WCAG 2.x A/AA rules on the current page; the violations, described ([] when clean). */
export async function axe(page: Page) {
  await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async () => {
    const result = await (
      window as unknown as {
        axe: { run: (ctx: Document, o: unknown) => Promise<{ violations: Record<string, unknown>[] }> };
      }
    ).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: (v.nodes as { target: unknown; html: string }[])
        .map((n) => ({ target: n.target, html: n.html.slice(0, 160) }))
        .slice(0, 5),
    }));
  });
}
