/**
 * The names of the realtime channels, made in one place so a publisher and a subscriber cannot
 * drift apart. Channels are per tenant or per record id; ids are unguessable, so a channel name
 * alone grants nothing: every SSE route checks that the caller may see the record first.
 */
export const liveChannel = {
  /** A return's tracking page and the console case: status changes. */
  returnUpdates: (returnId: string) => `return:${returnId}`,
  /** Staff-only traffic on a case: who else is viewing it. */
  consoleCase: (returnId: string) => `console:return:${returnId}`,
  /** The tenant's console queues. */
  tenantQueue: (tenantId: string) => `tenant:${tenantId}:queue`,
  /** A customer's in-app inbox. */
  customerInbox: (customerId: string) => `inbox:customer:${customerId}`,
  /** A staff member's notifications. */
  userInbox: (userId: string) => `inbox:user:${userId}`,
  /** Between processes only: a cached value went stale (platform/cache.ts). */
  caches: () => 'caches',
} as const;
