import { describe, expect, it } from 'vitest';
import { type CacheBus, createCaches } from './cache.ts';

/** A bus joining several cache sets in one process, as NOTIFY joins processes. */
function memoryBus() {
  const listeners = new Set<(cache: string | null, key: string | null) => void>();
  const bus: CacheBus = {
    publish: (cache, key) => {
      for (const l of listeners) l(cache, key);
    },
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return {
    bus,
    clearAll: () => {
      for (const l of listeners) l(null, null);
    },
  };
}

function counter(value: () => string | undefined = () => 'v') {
  const c = {
    loads: 0,
    load: async () => {
      c.loads += 1;
      return value();
    },
  };
  return c;
}

describe('a cache', () => {
  it('loads a key once and serves it until the TTL has passed', async () => {
    let t = 0;
    const cache = createCaches({ ttlMs: 1000, now: () => t }).define<string>('policy');
    const c = counter();
    expect(await cache.get('ten_a', c.load)).toBe('v');
    t = 999;
    expect(await cache.get('ten_a', c.load)).toBe('v');
    expect(c.loads).toBe(1);
    t = 1000;
    await cache.get('ten_a', c.load);
    expect(c.loads).toBe(2);
  });

  it('keeps keys apart and does not keep an absent value', async () => {
    const caches = createCaches({ ttlMs: 60_000 });
    const cache = caches.define<string>('keys');
    const missing = counter(() => undefined);
    expect(await cache.get('a', missing.load)).toBeUndefined();
    expect(await cache.get('a', missing.load)).toBeUndefined();
    expect(missing.loads).toBe(2);
    await cache.get('b', counter(() => 'b').load);
    expect(caches.size('keys')).toBe(1);
  });

  it('loads again after an invalidation, in this process and in every other one on the bus', async () => {
    const { bus } = memoryBus();
    const here = createCaches({ ttlMs: 60_000, bus }).define<string>('settings');
    const there = createCaches({ ttlMs: 60_000, bus }).define<string>('settings');
    let value = 'old';
    const c = counter(() => value);
    await here.get('ten_a', c.load);
    await there.get('ten_a', c.load);
    await there.get('ten_b', c.load);
    expect(c.loads).toBe(3);
    value = 'new';
    here.invalidate('ten_a');
    expect(await here.get('ten_a', c.load)).toBe('new');
    expect(await there.get('ten_a', c.load)).toBe('new');
    expect(await there.get('ten_b', c.load)).toBe('old');
    expect(c.loads).toBe(5);
  });

  it('does not store what a load read before an invalidation that came while it ran', async () => {
    const cache = createCaches({ ttlMs: 60_000 }).define<string>('policy');
    let release: () => void = () => {};
    const slow = cache.get('ten_a', () => new Promise<string>((r) => (release = () => r('stale'))));
    cache.invalidate('ten_a');
    release();
    expect(await slow).toBe('stale');
    expect(await cache.get('ten_a', async () => 'fresh')).toBe('fresh');
  });

  it('drops everything when the bus says it may have missed messages', async () => {
    const { bus, clearAll } = memoryBus();
    const caches = createCaches({ ttlMs: 60_000, bus });
    const a = caches.define<string>('a');
    const b = caches.define<string>('b');
    await a.get('k', async () => '1');
    await b.get('k', async () => '2');
    clearAll();
    expect([caches.size('a'), caches.size('b')]).toEqual([0, 0]);
  });

  it('refuses a name defined twice (two modules would invalidate each other)', () => {
    const caches = createCaches({ ttlMs: 1 });
    caches.define('a');
    expect(() => caches.define('a')).toThrow('defined twice');
  });
});
