/**
 * The in-page half of `npm run bench:persist` (scripts/bench-persist.mjs drives it): tabhive's persistence side
 * by side with raw IndexedDB doing the same I/O, in one run, on the runner's on-disk profile.
 *
 * - flush: 10,000 changed keys written by one `flush()` vs one raw readwrite transaction putting the same
 *   10,000 records (built beforehand: the floor is the I/O alone);
 * - cold start: a new worker up to the first GET answered, with 100,000 keys stored, vs a raw `getAll` of the
 *   same records (database opened included);
 * - always burst: 1,000 concurrent SETs with durability 'always' (how many transactions INFO's rdb_saves
 *   counts), vs one raw 'strict' commit of one record and of 1,000 records.
 *
 * Query parameters: reps (5), keys (10000), cold (100000), burst (1000), size (value bytes, 100).
 */
import { createClient } from '../src/client/index.js';
import { makeRecord, type StoredRecord } from '../src/persist/schema.js';

interface Stat {
  medianMs: number;
  minMs: number;
  maxMs: number;
  samplesMs: number[];
}

export interface PersistBenchResult {
  params: Record<string, number>;
  userAgent: string;
  flush: { tabhive: Stat; raw: Stat };
  coldStart: { tabhive: Stat; raw: Stat };
  always: { burst: Stat; commitsPerBurst: number[]; strictOne: Stat; strictBulk: Stat };
}

declare global {
  interface Window {
    persistResult?: PersistBenchResult;
    persistError?: string;
  }
}

const q = new URLSearchParams(location.search);
const num = (name: string, dflt: number) => {
  const v = Number(q.get(name) ?? dflt);
  return Number.isInteger(v) && v > 0 ? v : dflt;
};
const P = { reps: num('reps', 5), keys: num('keys', 10_000), cold: num('cold', 100_000), burst: num('burst', 1000), size: num('size', 100) };

const log = (s: string) => {
  document.getElementById('log')!.textContent += `\n${s}`;
};

function stat(samples: number[]): Stat {
  const s = [...samples].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  return { medianMs: r(s[s.length >> 1]), minMs: r(s[0]), maxMs: r(s[s.length - 1]), samplesMs: samples.map(r) };
}

function value(i: number, rep: number): string {
  const head = `${rep}:${i}:`;
  return head + 'v'.repeat(Math.max(0, P.size - head.length));
}

function rawOpen(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open(name, 1);
    r.onupgradeneeded = () => r.result.createObjectStore('keys', { keyPath: ['db', 'key'] });
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function rawPut(db: IDBDatabase, records: StoredRecord[], durability: IDBTransactionDurability): Promise<void> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction('keys', 'readwrite', { durability });
    const os = tx.objectStore('keys');
    for (const r of records) os.put(r);
    tx.commit();
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error);
  });
}

function deleteDb(name: string): Promise<void> {
  return new Promise((resolve) => {
    const r = indexedDB.deleteDatabase(name);
    r.onsuccess = r.onerror = r.onblocked = () => resolve();
  });
}

async function flushBench() {
  const db = await createClient({ name: 'bench-flush' });
  await db.sendCommand(['FLUSHALL']);
  await db.flush();
  await deleteDb('bench-raw-flush');
  const raw = await rawOpen('bench-raw-flush');
  const tabhive: number[] = [];
  const floor: number[] = [];
  for (let rep = 0; rep <= P.reps; rep++) {
    // tabhive: 10,000 keys changed, then one flush writes them.
    const sets: Promise<unknown>[] = [];
    for (let i = 0; i < P.keys; i++) sets.push(db.set(`k:${i}`, value(i, rep)));
    await Promise.all(sets);
    let t = performance.now();
    await db.flush();
    const th = performance.now() - t;
    // The floor: the same records (as tabhive stores them), one transaction.
    const records: StoredRecord[] = [];
    for (let i = 0; i < P.keys; i++) {
      records.push(makeRecord({ db: 0, key: `k:${i}`, type: 0, value: value(i, rep), expireAt: 0 }));
    }
    t = performance.now();
    await rawPut(raw, records, 'default');
    const fl = performance.now() - t;
    if (rep > 0) {
      // The first round warms both up.
      tabhive.push(th);
      floor.push(fl);
    }
    log(`flush rep ${rep}: tabhive ${th.toFixed(1)} ms, raw put ${fl.toFixed(1)} ms`);
  }
  raw.close();
  await db.quit();
  return { tabhive: stat(tabhive), raw: stat(floor) };
}

async function coldBench() {
  const name = 'bench-cold';
  const db = await createClient({ name });
  await db.sendCommand(['FLUSHALL']);
  for (let from = 0; from < P.cold; from += 10_000) {
    const sets: Promise<unknown>[] = [];
    for (let i = from; i < Math.min(P.cold, from + 10_000); i++) sets.push(db.set(`k:${i}`, value(i, 0)));
    await Promise.all(sets);
  }
  await db.quit();
  const tabhive: number[] = [];
  const floor: number[] = [];
  for (let rep = 0; rep <= P.reps; rep++) {
    // The floor: open the same database and getAll its records.
    let t = performance.now();
    const raw = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open(`tabhive:${name}`);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const n = await new Promise<number>((resolve, reject) => {
      const r = raw.transaction('keys').objectStore('keys').getAll();
      r.onsuccess = () => resolve(r.result.length);
      r.onerror = () => reject(r.error);
    });
    const fl = performance.now() - t;
    raw.close();
    if (n !== P.cold) throw new Error(`expected ${P.cold} records, found ${n}`);
    // tabhive: a new worker, loading everything, up to the first GET answered.
    t = performance.now();
    const c = await createClient({ name });
    const v = await c.get('k:0');
    const th = performance.now() - t;
    if (v !== value(0, 0)) throw new Error(`cold start read ${String(v)}`);
    if ((await c.dbSize()) !== P.cold) throw new Error('cold start lost keys');
    await c.quit();
    if (rep > 0) {
      tabhive.push(th);
      floor.push(fl);
    }
    log(`cold rep ${rep}: tabhive ${th.toFixed(1)} ms, raw getAll ${fl.toFixed(1)} ms`);
  }
  return { tabhive: stat(tabhive), raw: stat(floor) };
}

async function alwaysBench() {
  const db = await createClient({ name: 'bench-always', durability: 'always' });
  await db.sendCommand(['FLUSHALL']);
  await deleteDb('bench-raw-always');
  const raw = await rawOpen('bench-raw-always');
  const saves = async () => Number(/rdb_saves:(\d+)/.exec(String(await db.sendCommand(['INFO', 'persistence'])))![1]);
  const burst: number[] = [];
  const commits: number[] = [];
  const one: number[] = [];
  const bulk: number[] = [];
  for (let rep = 0; rep <= P.reps; rep++) {
    const before = await saves();
    let t = performance.now();
    const sets: Promise<unknown>[] = [];
    for (let i = 0; i < P.burst; i++) sets.push(db.set(`k:${i}`, value(i, rep)));
    await Promise.all(sets);
    const b = performance.now() - t;
    const c = (await saves()) - before;
    t = performance.now();
    await rawPut(raw, [makeRecord({ db: 0, key: 'one', type: 0, value: value(0, rep), expireAt: 0 })], 'strict');
    const o = performance.now() - t;
    const records: StoredRecord[] = [];
    for (let i = 0; i < P.burst; i++) records.push(makeRecord({ db: 0, key: `k:${i}`, type: 0, value: value(i, rep), expireAt: 0 }));
    t = performance.now();
    await rawPut(raw, records, 'strict');
    const bk = performance.now() - t;
    if (rep > 0) {
      burst.push(b);
      commits.push(c);
      one.push(o);
      bulk.push(bk);
    }
    log(`always rep ${rep}: burst ${b.toFixed(1)} ms in ${c} transaction(s); strict commit of 1: ${o.toFixed(1)} ms, of ${P.burst}: ${bk.toFixed(1)} ms`);
  }
  raw.close();
  await db.quit();
  return { burst: stat(burst), commitsPerBurst: commits, strictOne: stat(one), strictBulk: stat(bulk) };
}

async function main() {
  const flush = await flushBench();
  const coldStart = await coldBench();
  const always = await alwaysBench();
  window.persistResult = { params: P, userAgent: navigator.userAgent, flush, coldStart, always };
  log('done');
}

main().catch((e: unknown) => {
  window.persistError = e instanceof Error ? `${e.message}\n${e.stack}` : String(e);
  log(`failed: ${window.persistError}`);
});
