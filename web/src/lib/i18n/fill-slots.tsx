import { createElement, Fragment, type ReactNode } from 'react';

/**
 * A translated sentence with React nodes in its `{name}` places (a bold amount, a command, a
 * link), so the word order stays the translator's rather than being glued together in code.
 */
export function fillSlots(text: string, slots: Record<string, ReactNode>): ReactNode {
  const parts = text.split(/(\{\w+\})/).map((part) => {
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    return name !== undefined && name in slots ? slots[name] : part;
  });
  // Spread as children, not an array: positional children need no keys.
  return createElement(Fragment, null, ...parts);
}
