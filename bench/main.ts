/**
 * The in-page half of `npm run bench` (scripts/bench.mjs drives it): `window.benchApi` opens subjects
 * (subjects.ts) and runs one workload on one subject at a time, so the driver can interleave subjects and
 * repetitions as it likes. Every workload answers named series of numbers (µs per operation, or one figure per
 * run); the driver pools the measured repetitions and computes medians and percentiles.
 *
 * Workloads (issue 7's numbering):
 *   serial — 1: awaited SETs then awaited GETs, each timed;
 *   burst  — 2: n SETs fired without awaiting then Promise.all, then n GETs the same way (µs per op);
 *   bulk   — 3: one bulk write of n pairs: acknowledged, and stored on disk (tabhive: + flush());
 *   zipf   — 5: awaited reads and writes over `keys` keys, Zipfian (s = 0.99), seeded;
 *   sizes  — 6: awaited SETs then GETs of one value size;
 *   hot    — the same cached key read n times, awaited (tabhive's near-cache).
 * Long tasks (8) are counted during every workload from the PerformanceObserver's `longtask` entries.
 */
import { subject, type Store } from './subjects.js';

type Series = Record<string, number[]>;

declare global {
  interface Window {
    benchApi: typeof api;
  }
}

const stores = new Map<string, Store>();
const populated = new Set<string>();

const longTasks: PerformanceEntry[] = [];
try {
  new PerformanceObserver((list) => longTasks.push(...list.getEntries())).observe({ type: 'longtask', buffered: true });
} catch {
  // No Long Tasks API here: counted as none.
}

function makeValue(size: number, salt = 0): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let s = '';
  for (let i = 0; i < size; i++) s += alphabet[(i * 7 + 3 + salt) % alphabet.length];
  return s;
}

/** Long tasks that started within [from, to] (performance.now() ms). */
function tasksBetween(from: number, to: number): { count: number; ms: number } {
  let count = 0;
  let ms = 0;
  for (const t of longTasks) {
    if (t.startTime >= from && t.startTime <= to) {
      count++;
      ms += t.duration;
    }
  }
  return { count, ms };
}

/** A seeded generator (mulberry32): the same sequence every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` key indexes in [0, n), Zipfian with exponent s. */
function zipfian(n: number, s: number, count: number, random: () => number): Int32Array {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / Math.pow(i + 1, s);
  const out = new Int32Array(count);
  for (let j = 0; j < count; j++) {
    const u = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    out[j] = lo;
  }
  return out;
}

/** tabhive's near-cache hits so far (null for other subjects, or with the near-cache off). */
async function nearHits(store: Store): Promise<number | null> {
  const info = await store.info?.();
  const client = info?.client as { nearCache: boolean; hits: number } | undefined;
  return client?.nearCache ? client.hits : null;
}

function check(got: unknown, want: string, what: string): void {
  if (got !== want) throw new Error(`${what}: expected a ${want.length}-byte value, got ${JSON.stringify(got)?.slice(0, 80)}`);
}

/** Pairs for n keys of one value. */
function pairsOf(prefix: string, n: number, value: string): [string, string][] {
  const out = new Array<[string, string]>(n);
  for (let i = 0; i < n; i++) out[i] = [`${prefix}${i}`, value];
  return out;
}

/** Write many pairs in the subject's bulk form, in chunks (one 100,000-pair MSET is one 100 MB message). */
async function fill(store: Store, pairs: [string, string][], chunk = 10_000): Promise<void> {
  for (let i = 0; i < pairs.length; i += chunk) await store.setMany(pairs.slice(i, i + chunk));
  await store.flush?.();
}

const workloads = {
  async serial(store: Store, p: { ops: number; size: number }): Promise<Series> {
    const value = makeValue(p.size);
    const set: number[] = [];
    const get: number[] = [];
    for (let i = 0; i < p.ops; i++) {
      const t0 = performance.now();
      await store.set(`s:${i}`, value);
      set.push((performance.now() - t0) * 1000);
    }
    let last: unknown;
    for (let i = 0; i < p.ops; i++) {
      const t0 = performance.now();
      last = await store.get(`s:${i}`);
      get.push((performance.now() - t0) * 1000);
    }
    check(last, value, 'serial GET');
    return { SET: set, GET: get };
  },

  async burst(store: Store, p: { n: number; size: number }): Promise<Series> {
    const value = makeValue(p.size, 1);
    const keys = Array.from({ length: p.n }, (_, i) => `b:${i}`);
    const out: Series = {};
    const ps = new Array<Promise<unknown>>(p.n);
    let t0 = performance.now();
    for (let i = 0; i < p.n; i++) ps[i] = store.set(keys[i], value);
    await Promise.all(ps);
    out.SET = [((performance.now() - t0) * 1000) / p.n];
    t0 = performance.now();
    for (let i = 0; i < p.n; i++) ps[i] = store.get(keys[i]);
    const got = await Promise.all(ps);
    out.GET = [((performance.now() - t0) * 1000) / p.n];
    check(got[p.n - 1], value, 'burst GET');
    if (store.batchSet !== undefined && store.batchGet !== undefined) {
      t0 = performance.now();
      await store.batchSet(keys, value);
      out['SET|one message'] = [((performance.now() - t0) * 1000) / p.n];
      t0 = performance.now();
      const all = (await store.batchGet(keys)) as unknown[];
      out['GET|one message'] = [((performance.now() - t0) * 1000) / p.n];
      check(all[p.n - 1], value, 'burst GET (one message)');
    }
    return out;
  },

  async bulk(store: Store, p: { n: number; size: number; rep: number }): Promise<Series> {
    // A value of its own per repetition: every run really writes.
    const value = makeValue(p.size, p.rep);
    const pairs = pairsOf('m:', p.n, value);
    const from = performance.now();
    await store.setMany(pairs);
    const ack = performance.now();
    await store.flush?.();
    const stored = performance.now();
    await new Promise((r) => setTimeout(r, 0));
    const tasks = tasksBetween(from, stored);
    check(await store.get(`m:${p.n - 1}`), value, 'bulk');
    return {
      'ack ms': [ack - from],
      'stored ms': [stored - from],
      'long tasks': [tasks.count],
      'long task ms': [tasks.ms],
    };
  },

  async zipf(store: Store, p: { ops: number; keys: number; read: number; size: number; name: string; rep: number }): Promise<Series> {
    const value = makeValue(p.size, 2);
    if (!populated.has(p.name)) {
      await fill(store, pairsOf('z:', p.keys, value));
      populated.add(p.name);
    }
    const random = rng(1234 + p.rep);
    const idx = zipfian(p.keys, 0.99, p.ops, random);
    const lat = new Float64Array(p.ops);
    const hitsBefore = await nearHits(store);
    let reads = 0;
    const started = performance.now();
    for (let i = 0; i < p.ops; i++) {
      const k = `z:${idx[i]}`;
      const t0 = performance.now();
      if (random() < p.read) {
        reads++;
        await store.get(k);
      } else await store.set(k, value);
      lat[i] = (performance.now() - t0) * 1000;
    }
    const total = performance.now() - started;
    const out: Series = { 'ops/s': [(p.ops / total) * 1000], latency: Array.from(lat) };
    const hitsAfter = await nearHits(store);
    if (hitsBefore !== null && hitsAfter !== null && reads > 0) out['hit rate'] = [((hitsAfter - hitsBefore) / reads) * 100];
    return out;
  },

  async sizes(store: Store, p: { ops: number; size: number }): Promise<Series> {
    const value = makeValue(p.size, 3);
    const set: number[] = [];
    const get: number[] = [];
    for (let i = 0; i < p.ops; i++) {
      const t0 = performance.now();
      await store.set(`v:${p.size}:${i % 50}`, value);
      set.push((performance.now() - t0) * 1000);
    }
    let last: unknown;
    for (let i = 0; i < p.ops; i++) {
      const t0 = performance.now();
      last = await store.get(`v:${p.size}:${i % 50}`);
      get.push((performance.now() - t0) * 1000);
    }
    check(last, value, 'sizes GET');
    return { SET: set, GET: get };
  },

  async hot(store: Store, p: { n: number }): Promise<Series> {
    const value = makeValue(100, 4);
    await store.set('hot', value);
    await store.get('hot');
    const t0 = performance.now();
    let last: unknown;
    for (let i = 0; i < p.n; i++) last = await store.get('hot');
    const us = ((performance.now() - t0) * 1000) / p.n;
    check(last, value, 'hot GET');
    return { GET: [us] };
  },
};

export type WorkloadName = keyof typeof workloads;

const api = {
  async open(name: string, db: string, fresh = true): Promise<void> {
    if (stores.has(name)) return;
    stores.set(name, await subject(name).open(db, fresh));
  },

  async close(name: string): Promise<void> {
    await stores.get(name)?.close();
    stores.delete(name);
    for (const p of [...populated]) if (p.startsWith(`${name}|`) || p === name) populated.delete(p);
  },

  async run(workload: WorkloadName, name: string, params: Record<string, number>): Promise<Series> {
    const store = stores.get(name);
    if (store === undefined) throw new Error(`subject '${name}' is not open`);
    const from = performance.now();
    const out = await (workloads[workload] as (s: Store, p: unknown) => Promise<Series>)(store, { ...params, name });
    if (!('long tasks' in out)) {
      await new Promise((r) => setTimeout(r, 0));
      const t = tasksBetween(from, performance.now());
      out['long tasks'] = [t.count];
      out['long task ms'] = [t.ms];
    }
    return out;
  },

  /** The subject's own counters, where it has any (tabhive). */
  async info(name: string): Promise<Record<string, unknown> | null> {
    return (await stores.get(name)?.info?.()) ?? null;
  },

  /** Fill database `db` of subject `name` with n keys `c:<i>` of `size` bytes, stored on disk, then close it. */
  async populate(name: string, db: string, n: number, size: number): Promise<void> {
    const store = await subject(name).open(db, true);
    await fill(store, pairsOf('c:', n, makeValue(size, 5)));
    await store.close();
  },

  /** Delete the IndexedDB databases whose names contain `part`. */
  async dropDatabases(part: string): Promise<string[]> {
    const gone: string[] = [];
    for (const d of await indexedDB.databases()) {
      if (d.name === undefined || !d.name.includes(part)) continue;
      await new Promise<void>((resolve) => {
        const r = indexedDB.deleteDatabase(d.name!);
        r.onsuccess = r.onerror = r.onblocked = () => resolve();
      });
      gone.push(d.name);
    }
    return gone;
  },

  timerResolutionUs(): number {
    let best = Infinity;
    for (let i = 0; i < 50; i++) {
      const a = performance.now();
      let b = a;
      while (b === a) b = performance.now();
      best = Math.min(best, b - a);
    }
    return best * 1000;
  },
};

window.benchApi = api;
document.getElementById('log')!.textContent = 'ready';
