import type { CacheBus } from '../../platform/cache.ts';
import { liveChannel } from './channels.ts';
import { RESYNC_EVENT, type Realtime } from './hub.ts';

const STALE = 'cache.stale';

/**
 * Cache invalidations carried between processes by the realtime hub: on PostgreSQL a NOTIFY that
 * every process hears (its own included, which only drops an entry twice); on SQLite the one
 * process hears itself. After the hub's LISTEN connection came back, what was published while it
 * was down is lost, so every cache is dropped.
 */
export function realtimeCacheBus(realtime: Realtime): CacheBus {
  return {
    publish(cache, key) {
      void realtime.publish({ channel: liveChannel.caches(), event: STALE, data: { cache, key } });
    },
    subscribe(listener) {
      return realtime.subscribe(liveChannel.caches(), (msg) => {
        if (msg.event === RESYNC_EVENT) return listener(null, null);
        if (msg.event !== STALE) return;
        const data = msg.data as { cache?: unknown; key?: unknown; truncated?: unknown };
        if (typeof data.cache === 'string' && typeof data.key === 'string') listener(data.cache, data.key);
        else listener(null, null);
      });
    },
  };
}
