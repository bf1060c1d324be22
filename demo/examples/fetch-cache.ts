/**
 * An offline cache for `fetch`, with a freshness time and stale-while-revalidate, in about sixty lines over
 * tabhive. Each response is a hash `fetch:<url>` { body, status, type, fetchedAt }, and its key expires (PEXPIRE)
 * when the stale window ends, so Redis's expiry is the cache's eviction.
 *
 * - fresh (younger than `ttl`): served from the cache, the network is not asked;
 * - stale (within `staleWhileRevalidate` after that): served from the cache at once, and fetched again in the
 *   background; a failed revalidation keeps the stale copy;
 * - missing or expired: fetched, stored, served. When that fetch fails, the caller gets its error.
 *
 * So within the freshness time a page works offline, and within the stale window it still answers instantly.
 */
import type { TabhiveClient } from '../../src/client/index.js';

export interface FetchCacheOptions {
  /** How long a response is fresh, in ms. */
  ttl: number;
  /** How long after that a stale response is still served while it is fetched again, in ms. */
  staleWhileRevalidate: number;
  /** Key prefix. Default 'fetch:'. */
  prefix?: string;
  /** The network. Default globalThis.fetch. */
  fetch?: (url: string) => Promise<Response>;
  /** The page's clock. Default Date.now. */
  now?: () => number;
  /** Told when a background revalidation ends: the new entry, or the error that kept the stale one. */
  onRevalidated?: (url: string, result: CachedResponse | Error) => void;
}

export interface CachedResponse {
  url: string;
  body: string;
  status: number;
  type: string;
  /** When the network gave it (page clock, ms). */
  fetchedAt: number;
  /** network: just fetched; fresh: from the cache; stale: from the cache while it is fetched again. */
  source: 'network' | 'fresh' | 'stale';
}

export interface FetchCache {
  get(url: string): Promise<CachedResponse>;
  /** Revalidations running now, by URL. */
  readonly revalidating: ReadonlyMap<string, Promise<void>>;
  /** The cache key of a URL. */
  keyOf(url: string): string;
}

export function createFetchCache(db: TabhiveClient, options: FetchCacheOptions): FetchCache {
  const prefix = options.prefix ?? 'fetch:';
  const net = options.fetch ?? ((url: string) => fetch(url));
  const now = options.now ?? Date.now;
  const revalidating = new Map<string, Promise<void>>();
  const keyOf = (url: string) => prefix + url;

  async function load(url: string): Promise<CachedResponse> {
    const res = await net(url);
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    const entry: CachedResponse = {
      url,
      body: await res.text(),
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      fetchedAt: now(),
      source: 'network',
    };
    const key = keyOf(url);
    // One transaction: the entry never exists without its expiry.
    await Promise.all([
      db.sendCommand(['MULTI']),
      db.sendCommand(['DEL', key]),
      db.sendCommand(['HSET', key, 'body', entry.body, 'status', entry.status, 'type', entry.type, 'fetchedAt', entry.fetchedAt]),
      db.sendCommand(['PEXPIRE', key, options.ttl + options.staleWhileRevalidate]),
      db.sendCommand(['EXEC']),
    ]);
    return entry;
  }

  function revalidate(url: string): void {
    if (revalidating.has(url)) return;
    const p = load(url).then(
      (entry) => options.onRevalidated?.(url, entry),
      (e: unknown) => options.onRevalidated?.(url, e instanceof Error ? e : new Error(String(e))),
    ).finally(() => revalidating.delete(url));
    revalidating.set(url, p);
  }

  async function get(url: string): Promise<CachedResponse> {
    const h = (await db.sendCommand(['HGETALL', keyOf(url)])) as string[];
    if (h.length > 0) {
      const f = new Map<string, string>();
      for (let i = 0; i < h.length; i += 2) f.set(h[i], h[i + 1]);
      const fetchedAt = Number(f.get('fetchedAt'));
      const age = now() - fetchedAt;
      const cached = { url, body: f.get('body') ?? '', status: Number(f.get('status')), type: f.get('type') ?? '', fetchedAt };
      if (age < options.ttl) return { ...cached, source: 'fresh' };
      if (age < options.ttl + options.staleWhileRevalidate) {
        revalidate(url);
        return { ...cached, source: 'stale' };
      }
    }
    return load(url);
  }

  return { get, revalidating, keyOf };
}
