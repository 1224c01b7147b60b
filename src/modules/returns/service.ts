import { createNotificationContext } from './notification-context.ts';
import { createRequestReturn } from './request-return.ts';
import { createReturnFacts } from './return-facts.ts';
import { createReturnMessages } from './return-messages.ts';
import { createReturnReads } from './return-reads.ts';
import { createReturnTracking } from './return-tracking.ts';
import { createReturnsContext, type ReturnsDeps } from './returns-context.ts';

/** The console's read side (console-queries.ts), as the support module sees it. */
export type { ConsoleQueries } from './console-queries.ts';
export {
  type Actor,
  type ChangeHooks,
  type EventInput,
  localized,
  type ReturnChange,
  type ReturnsDeps,
} from './returns-context.ts';

/**
 * The returns use cases, one file per sub-flow: filing (request-return.ts), what notifications
 * say (notification-context.ts), staff notes and messages (return-messages.ts), the ports other
 * modules read (return-facts.ts), staff reads (return-reads.ts) and the tracking link
 * (return-tracking.ts), over the timeline writer and view of returns-context.ts.
 */
export function createReturnsService(deps: ReturnsDeps) {
  const ctx = createReturnsContext(deps);
  const reads = createReturnReads(ctx);
  // Spread in the order the methods had when they were one object literal.
  return {
    appendEvent: ctx.appendEvent,
    appendEvents: ctx.appendEvents,
    view: ctx.view,
    ...createRequestReturn(ctx),
    ...createNotificationContext(ctx),
    ...createReturnMessages(ctx, reads),
    ...createReturnFacts(ctx),
    ...reads,
    ...createReturnTracking(ctx),
  };
}

export type ReturnsService = ReturnType<typeof createReturnsService>;
