/**
 * Clients on the real worker code (src/worker/host.ts) over a Node MessageChannel — the same structured-clone
 * wire as a Worker — for the client's unit tests (src/client/*.test.ts). In-memory databases unless asked.
 */
import { afterEach } from 'vitest';
import { serve, type Endpoint, type HostOptions } from '../src/worker/host.js';
import type { BatchView, ToWorker } from '../src/worker/protocol.js';
import type { WorkerLike } from '../src/client/connection.js';
import { createClient, type ClientOptions, type TabhiveClient } from '../src/client/index.js';

export interface TestWorker {
  worker: WorkerLike;
  /** Page → worker messages posted so far: control calls, and batches as operations (the tap). */
  sent: (ToWorker | BatchView)[];
  /** The worker's host, once started (its engine: `(await w.host)!.engine`). */
  host: ReturnType<typeof serve>['host'];
  stop(): Promise<void>;
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});

let seq = 0;

/** A worker serving one end of a MessageChannel; stopped after the test. */
export function testWorker(opts: HostOptions = {}): TestWorker {
  const { port1, port2 } = new MessageChannel();
  const server = serve(port2 as unknown as Endpoint, { flushDelayMs: 3_600_000, ...opts });
  const sent: (ToWorker | BatchView)[] = [];
  const w: TestWorker = {
    sent,
    worker: {
      postMessage(m: ToWorker) {
        // Batches are recorded as operations, by the tap.
        if (m.t !== 'batch') sent.push(m);
        port1.postMessage(m);
      },
      addEventListener: (type, l) => port1.addEventListener(type, l as (ev: Event) => void),
      removeEventListener: (type, l) => port1.removeEventListener(type, l as (ev: Event) => void),
      start: () => port1.start(),
      close: () => port1.close(),
      tap: (m: BatchView) => sent.push(m),
    } as WorkerLike & { close(): void },
    host: server.host,
    stop: async () => {
      await server.stop();
      port1.close();
      port2.close();
    },
  };
  stops.push(w.stop);
  return w;
}

/** A client of a fresh in-memory database on a worker of its own. */
export async function testClient(
  options: Omit<ClientOptions, 'worker'> = {},
  host: HostOptions = {},
): Promise<{ db: TabhiveClient; w: TestWorker }> {
  const w = testWorker(host);
  const db = await createClient({
    name: `client-test-${process.pid}-${++seq}`,
    durability: 'memory',
    ...options,
    worker: w.worker,
  });
  return { db, w };
}

/** The `batch` messages sent so far. */
export function batches(w: TestWorker): BatchView[] {
  return w.sent.filter((m): m is BatchView => m.t === 'batch' && 'ops' in m);
}
