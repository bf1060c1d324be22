/**
 * Several "tabs" of one database in one Node process, for tests: each is a worker host (host.ts) served over a
 * MessageChannel with a BroadcastChannel of its own and a view of one fake Web Locks registry
 * (fake-locks.ts); a client is opened on it. `kill()` is a crash: the channel and the locks go at once,
 * nothing is flushed. Call `closeTabs()` after each test.
 */
import { createClient, type TabhiveClient } from '../src/client/index.js';
import type { Channel } from '../src/replication/replication.js';
import { serve, type Endpoint, type Host } from '../src/worker/host.js';
import type { LockRegistry } from './fake-locks.js';

export interface Tab {
  id: string;
  db: TabhiveClient;
  host: Host;
  channel: BroadcastChannel;
  warnings: string[];
  kill(): Promise<void>;
}

/** Short replication timings: heartbeats, takeover, election and sync in tens or hundreds of ms. */
export const TAB_TIMING = { heartbeatMs: 40, leaderTimeoutMs: 400, electionMs: 60, syncTimeoutMs: 400 };

const open = new Set<() => Promise<void>>();
let ids = 0;

export async function openTab(
  name: string,
  reg: LockRegistry,
  opts: { id?: string; durability?: 'always' | 'everysec' } = {},
): Promise<Tab> {
  const id = opts.id ?? `tab${++ids}`;
  const channel = new BroadcastChannel(`tabhive:${name}:repl`);
  const { port1, port2 } = new MessageChannel();
  const warnings: string[] = [];
  const server = serve(port2 as unknown as Endpoint, {
    flushDelayMs: 30,
    warn: (m) => warnings.push(m),
    replication: { tabId: id, locks: reg.for(id), channel: channel as unknown as Channel, ...TAB_TIMING },
  });
  const db = await createClient({
    name, worker: port1 as unknown as Worker, nearCache: true, durability: opts.durability ?? 'everysec',
  });
  const host = (await server.host)!;
  let dead = false;
  const stop = async () => {
    open.delete(stop);
    if (dead) return;
    dead = true;
    await db.disconnect().catch(() => {});
    await server.stop().catch(() => {});
    channel.close();
    port1.close();
    port2.close();
  };
  open.add(stop);
  return {
    id, db, host, channel, warnings,
    async kill() {
      open.delete(stop);
      if (dead) return;
      dead = true;
      channel.close();
      host.persister.setWriter(false);
      reg.kill(id);
      host.repl?.stop();
      port1.close();
      port2.close();
    },
  };
}

/** Close every tab still open (in the reverse order of opening). */
export async function closeTabs(): Promise<void> {
  for (const stop of [...open].reverse()) await stop();
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolve once `cond` holds; throw after `ms`. */
export async function until(cond: () => boolean | Promise<boolean>, ms = 3000): Promise<void> {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > ms) throw new Error('condition not met in time');
    await sleep(10);
  }
}
