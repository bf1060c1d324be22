/**
 * What the benchmark compares: tabhive, its peers (idb-keyval, localForage, Dexie) and the floors (a bare
 * postMessage worker holding a Map; raw IndexedDB), each behind one small interface. Every subject opens a
 * database of its own. Adding a subject is one more entry in `subjects`.
 *
 * Libraries are imported when a subject is opened, so a page that measures one (the cold-start page) loads only
 * that one.
 */
import type { EchoRequest, EchoResponse } from './echo-worker.js';
import { ReplySpin, SPIN_MS, Spinner } from '../src/worker/spin.js';

/** A key-value store as the benchmark drives it. */
export interface Store {
  set(key: string, value: string): Promise<unknown>;
  get(key: string): Promise<unknown>;
  /** Write every pair in the subject's bulk form (MSET, setMany, bulkPut, one transaction), acknowledged. */
  setMany(pairs: [string, string][]): Promise<unknown>;
  /** How `setMany` is done, for the table ('MSET', 'setMany' …). */
  bulkName: string;
  /** Resolves once everything written is on disk, where that differs from acknowledged (tabhive: flush()). */
  flush?(): Promise<void>;
  /** Floors only: many sets / gets in one message, answered in one message. */
  batchSet?(keys: string[], value: string): Promise<unknown>;
  batchGet?(keys: string[]): Promise<unknown>;
  /** tabhive: the client's and the worker's counters (near-cache hits, batches, busy time …). */
  info?(): Promise<Record<string, unknown>>;
  /** Read every record at once (raw IndexedDB getAll): the cold-start floor. */
  loadAll?(): Promise<number>;
  close(): Promise<void>;
}

export interface Subject {
  name: string;
  /** 'floor': what the others are divided by. */
  kind: 'tabhive' | 'peer' | 'floor';
  /** Open (creating if needed) database `db`; `fresh` empties it first. */
  open(db: string, fresh: boolean): Promise<Store>;
}

function tabhive(nearCache: boolean): Subject['open'] {
  return async (db, fresh) => {
    const { createClient } = await import('../src/client/index.js');
    // Each subject in a database of its own: two clients of one name would share one worker.
    const c = await createClient({ name: nearCache ? db : `${db}-no-near`, durability: 'everysec', nearCache });
    if (fresh) await c.flushAll();
    return {
      set: (k, v) => c.set(k, v),
      get: (k) => c.get(k),
      setMany: (pairs) => c.mSet(pairs),
      bulkName: 'MSET',
      flush: () => c.flush(),
      info: async () => ({ client: c.stats(), worker: await c.workerStats() }),
      close: async () => {
        await c.quit();
      },
    };
  };
}

/** Promise of an IDB request / transaction. */
function done(r: IDBRequest | IDBTransaction): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (r instanceof IDBTransaction) {
      const t = r;
      t.oncomplete = () => resolve(undefined);
      t.onerror = t.onabort = () => reject(t.error);
    } else {
      const q = r as IDBRequest;
      q.onsuccess = () => resolve(q.result);
      q.onerror = () => reject(q.error);
    }
  });
}

async function rawIdb(db: string, fresh: boolean): Promise<Store> {
  const open = indexedDB.open(`raw-${db}`, 1);
  open.onupgradeneeded = () => open.result.createObjectStore('kv');
  const idb = (await done(open)) as IDBDatabase;
  if (fresh) await done(idb.transaction('kv', 'readwrite').objectStore('kv').clear());
  return {
    // One transaction per write, waited for: what a store without batching pays.
    set: async (k, v) => {
      const t = idb.transaction('kv', 'readwrite');
      t.objectStore('kv').put(v, k);
      await done(t);
      return 'OK';
    },
    get: (k) => done(idb.transaction('kv', 'readonly').objectStore('kv').get(k)),
    setMany: async (pairs) => {
      const t = idb.transaction('kv', 'readwrite');
      const s = t.objectStore('kv');
      for (const [k, v] of pairs) s.put(v, k);
      await done(t);
    },
    bulkName: 'one readwrite transaction',
    loadAll: async () => ((await done(idb.transaction('kv', 'readonly').objectStore('kv').getAll())) as unknown[]).length,
    close: async () => idb.close(),
  };
}

/** The echo worker, spoken to on its own port or (`viaPort`) on a MessagePort handed to it. */
/**
 * The echo worker: on its own port, or (`viaPort`) on a MessagePort; with `awake`, both threads kept awake around
 * a round trip by the rules and budget tabhive's client and worker use (src/worker/spin.ts).
 */
async function echo(viaPort: boolean, awake = false): Promise<Store> {
  const worker = new Worker(new URL('./echo-worker.ts', import.meta.url), { type: 'module' });
  let ch: Worker | MessagePort = worker;
  if (viaPort) {
    const { port1, port2 } = new MessageChannel();
    worker.postMessage({ port: port2 }, [port2]);
    ch = port1;
  }
  const pending = new Map<number, (v: EchoResponse['value']) => void>();
  let next = 0;
  const spin = awake ? new ReplySpin(new Spinner(() => pending.size === 0), SPIN_MS) : null;
  if (awake) worker.postMessage({ spinMs: SPIN_MS });
  let sentAt = 0;
  ch.onmessage = (ev: MessageEvent<EchoResponse>) => {
    spin?.answered(sentAt);
    const resolve = pending.get(ev.data.id);
    pending.delete(ev.data.id);
    resolve?.(ev.data.value);
  };
  const call = (m: EchoRequest) =>
    new Promise<EchoResponse['value']>((resolve) => {
      pending.set(m.id, resolve);
      ch.postMessage(m);
      if (spin !== null) {
        sentAt = performance.now();
        spin.sent(sentAt);
      }
    });
  return {
    set: (key, value) => call({ id: next++, op: 'set', key, value }),
    get: (key) => call({ id: next++, op: 'get', key }),
    setMany: (pairs) => call({ id: next++, op: 'mset', pairs: pairs.flat() }),
    bulkName: 'one message',
    batchSet: (keys, value) => {
      const pairs = new Array<string>(keys.length * 2);
      for (let i = 0; i < keys.length; i++) {
        pairs[2 * i] = keys[i];
        pairs[2 * i + 1] = value;
      }
      return call({ id: next++, op: 'mset', pairs });
    },
    batchGet: (keys) => call({ id: next++, op: 'mget', keys }),
    close: async () => {
      spin?.spinner.close();
      worker.terminate();
    },
  };
}

export const subjects: Subject[] = [
  { name: 'tabhive', kind: 'tabhive', open: tabhive(true) },
  { name: 'tabhive (near-cache off)', kind: 'tabhive', open: tabhive(false) },
  { name: 'postMessage floor', kind: 'floor', open: () => echo(false) },
  { name: 'postMessage floor, threads kept awake', kind: 'floor', open: () => echo(false, true) },
  { name: 'postMessage floor (MessagePort)', kind: 'floor', open: () => echo(true) },
  { name: 'raw IndexedDB', kind: 'floor', open: rawIdb },
  {
    name: 'idb-keyval',
    kind: 'peer',
    async open(db, fresh) {
      const { createStore, set, get, setMany, clear } = await import('idb-keyval');
      const store = createStore(`idbkeyval-${db}`, 'kv');
      if (fresh) await clear(store);
      return {
        set: (k, v) => set(k, v, store),
        get: (k) => get(k, store),
        setMany: (pairs) => setMany(pairs, store),
        bulkName: 'setMany',
        close: async () => {},
      };
    },
  },
  {
    name: 'localForage',
    kind: 'peer',
    async open(db, fresh) {
      const { default: localforage } = await import('localforage');
      const lf = localforage.createInstance({ name: `localforage-${db}`, storeName: 'kv', driver: localforage.INDEXEDDB });
      await lf.ready();
      if (fresh) await lf.clear();
      return {
        set: (k, v) => lf.setItem(k, v),
        get: (k) => lf.getItem(k),
        // No bulk API: one setItem per pair, all in flight at once.
        setMany: (pairs) => Promise.all(pairs.map(([k, v]) => lf.setItem(k, v))),
        bulkName: 'parallel setItem (no bulk API)',
        close: async () => {},
      };
    },
  },
  {
    name: 'Dexie',
    kind: 'peer',
    async open(db, fresh) {
      const { Dexie } = await import('dexie');
      const d = new Dexie(`dexie-${db}`);
      d.version(1).stores({ kv: '' });
      await d.open();
      const kv = d.table<string, string>('kv');
      if (fresh) await kv.clear();
      return {
        set: (k, v) => kv.put(v, k),
        get: (k) => kv.get(k),
        setMany: (pairs) => kv.bulkPut(pairs.map((p) => p[1]), pairs.map((p) => p[0])),
        bulkName: 'bulkPut',
        close: async () => d.close(),
      };
    },
  },
];

export function subject(name: string): Subject {
  const s = subjects.find((x) => x.name === name);
  if (s === undefined) throw new Error(`no subject '${name}'`);
  return s;
}
