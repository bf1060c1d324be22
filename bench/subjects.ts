/**
 * What the benchmark measures, as two lists: the stores under test (subjects) and what is done to them
 * (workloads). Adding a peer (idb-keyval, localForage, Dexie …) is one more entry in `subjects`; adding a
 * workload is one more entry in `workloads`. Every subject runs every workload.
 */
import { createClient } from '../src/client/index.js';
import type { EchoRequest, EchoResponse } from './echo-worker.js';

/** A key-value store as the benchmark drives it: one awaited call per operation. */
export interface Store {
  set(key: string, value: string): Promise<unknown>;
  get(key: string): Promise<unknown>;
  close(): Promise<void>;
}

export interface Subject {
  name: string;
  /** The floor the others are divided by (exactly one subject). */
  floor?: boolean;
  open(): Promise<Store>;
}

export interface Workload {
  name: string;
  /** One operation on key number `i`; the runner times each call. */
  op(store: Store, key: string, value: string): Promise<unknown>;
  /** Checked once per repetition on the last operation's result, so a broken store cannot look fast. */
  check?(result: unknown, value: string): boolean;
}

export const workloads: Workload[] = [
  { name: 'SET', op: (s, k, v) => s.set(k, v), check: (r) => r === 'OK' },
  { name: 'GET', op: (s, k) => s.get(k), check: (r, v) => r === v },
];

export const subjects: Subject[] = [
  {
    name: 'tabhive',
    async open() {
      const db = await createClient({ name: 'bench' });
      await db.sendCommand(['FLUSHALL']);
      return {
        set: (k, v) => db.set(k, v),
        get: (k) => db.get(k),
        close: async () => {
          await db.quit();
        },
      };
    },
  },
  {
    name: 'postMessage floor',
    floor: true,
    async open() {
      const worker = new Worker(new URL('./echo-worker.ts', import.meta.url), { type: 'module' });
      const pending = new Map<number, (v: string | null) => void>();
      let next = 0;
      worker.onmessage = (ev: MessageEvent<EchoResponse>) => {
        const resolve = pending.get(ev.data.id);
        pending.delete(ev.data.id);
        resolve?.(ev.data.value);
      };
      const call = (m: EchoRequest) =>
        new Promise<string | null>((resolve) => {
          pending.set(m.id, resolve);
          worker.postMessage(m);
        });
      return {
        set: (key, value) => call({ id: next++, op: 'set', key, value }),
        get: (key) => call({ id: next++, op: 'get', key }),
        close: async () => worker.terminate(),
      };
    },
  },
];
