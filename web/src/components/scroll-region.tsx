import type { ReactNode } from 'react';

/**
 * A wide table that scrolls sideways inside its own region on a phone, so the page never does.
 * Named and focusable: a keyboard user can reach and scroll it (WCAG 2.1.1).
 */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (axe scrollable-region-focusable)
    <section className="table-scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
