/**
 * Per-process caches of what is read on every request and changes rarely: an API key's tenant,
 * a tenant's current policy, its notification settings and templates. Each cache maps a string
 * key to a value loaded on first use.
 *
 * Freshness, in three layers:
 * - a write in this process calls `invalidate(key)` once it has committed, and the next read loads
 *   again;
 * - other processes hear of that write through the `bus` (on PostgreSQL, NOTIFY through the
 *   realtime hub) and drop their entry too;
 * - a writer that cannot tell us (another process on SQLite, a hand edit of the database) is
 *   bounded by `ttlMs`: no entry is served older than that.
 *
 * A load that started before an invalidation is not stored when it finishes (a generation per
 * key), so a read racing a write cannot put the old value back for a whole TTL.
 */

/** How processes tell each other that a cache entry is stale. */
export type CacheBus = {
  publish(cache: string, key: string): void;
  /** `key` null: everything in that cache (or, with `cache` null too, every cache) may be stale. */
  subscribe(listener: (cache: string | null, key: string | null) => void): () => void;
};

export type Cache<V> = {
  /** The cached value of `key`, or what `load` answers (then kept, unless it is `undefined`). */
  get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined>;
  /** Drops `key` here and in every process on the bus; call it after the write has committed. */
  invalidate(key: string): void;
};

export type Caches = {
  define<V>(name: string): Cache<V>;
  /** Entries held now, per cache: for tests and the bench. */
  size(name: string): number;
};

type Entry<V> = { value: V; at: number };

export function createCaches(opts: { ttlMs: number; bus?: CacheBus; now?: () => number }): Caches {
  const now = opts.now ?? (() => performance.now());
  const stores = new Map<string, { entries: Map<string, Entry<unknown>>; gen: Map<string, number> }>();
  let epoch = 0;

  function drop(name: string | null, key: string | null) {
    if (name === null) {
      epoch += 1;
      for (const s of stores.values()) s.entries.clear();
      return;
    }
    const s = stores.get(name);
    if (!s) return;
    if (key === null) {
      epoch += 1;
      s.entries.clear();
      return;
    }
    s.entries.delete(key);
    s.gen.set(key, (s.gen.get(key) ?? 0) + 1);
  }
  opts.bus?.subscribe(drop);

  return {
    define<V>(name: string): Cache<V> {
      if (stores.has(name)) throw new Error(`cache ${name} is defined twice`);
      const store = { entries: new Map<string, Entry<unknown>>(), gen: new Map<string, number>() };
      stores.set(name, store);
      return {
        async get(key, load) {
          const hit = store.entries.get(key);
          if (hit && now() - hit.at < opts.ttlMs) return hit.value as V;
          const gen = store.gen.get(key) ?? 0;
          const startEpoch = epoch;
          const started = now();
          const value = await load();
          if (value !== undefined && gen === (store.gen.get(key) ?? 0) && startEpoch === epoch) {
            store.entries.set(key, { value, at: started });
          }
          return value;
        },
        invalidate(key) {
          drop(name, key);
          opts.bus?.publish(name, key);
        },
      };
    },
    size: (name) => stores.get(name)?.entries.size ?? 0,
  };
}

/** Caches that keep nothing: every read loads (tools and tests that edit the database behind the app). */
export const noCaches: Caches = {
  define: () => ({ get: (_key, load) => load(), invalidate: () => {} }),
  size: () => 0,
};
