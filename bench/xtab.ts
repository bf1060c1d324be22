/**
 * Cross-tab (workload 7), between two pages of one profile. Page B (`?role=b`) answers; page A (`?role=a`) sends
 * n pings one after the other and times each round trip; one way is half a round trip.
 * - `kind=bc`: the floor, a raw BroadcastChannel ping/pong;
 * - `kind=set`: tabhive, SET in A until B sees it — B listens for the keyspace event of key `ping` and answers
 *   by SETting `pong`, which A listens for the same way;
 * - `kind=pub`: tabhive, PUBLISH in A until B's listener runs — B's subscriber on `ping` PUBLISHes on `pong`.
 * Both tabhive kinds cross the leader: one of the two pages leads (the first opened), the other forwards.
 */
import type { TabhiveClient } from '../src/client/index.js';

declare global {
  interface Window {
    xtabResult?: { oneWayUs: number[] };
    xtabReady?: boolean;
  }
}

const q = new URLSearchParams(location.search);
const run = q.get('run') ?? '';
const kind = q.get('kind') ?? 'bc';
const n = Number(q.get('n') ?? 200);

/** A transport: send a ping or pong numbered i; `on` receives the other side's. */
interface Wire {
  send(i: number): Promise<unknown>;
  on(l: (i: number) => void): void;
}

async function wire(side: 'a' | 'b'): Promise<Wire> {
  const out = side === 'a' ? 'ping' : 'pong';
  const inn = side === 'a' ? 'pong' : 'ping';
  if (kind === 'bc') {
    const ch = new BroadcastChannel(`tabhive-bench-${run}`);
    let l: (i: number) => void = () => {};
    ch.onmessage = (ev: MessageEvent<{ t: string; i: number }>) => {
      if (ev.data.t === inn) l(ev.data.i);
    };
    return {
      send: async (i) => ch.postMessage({ t: out, i }),
      on: (f) => (l = f),
    };
  }
  const { createClient } = await import('../src/client/index.js');
  const db: TabhiveClient = await createClient({ name: `xtab-${run}`, durability: 'everysec' });
  let l: (i: number) => void = () => {};
  if (kind === 'set') {
    await db.sendCommand(['CONFIG', 'SET', 'notify-keyspace-events', 'K$']);
    await db.onKeyChange(inn, () => {
      // The event says which key changed; the value is read from this tab's replica (local).
      void db.get(inn).then((v) => l(Number(v)));
    });
    return { send: (i) => db.set(out, String(i)), on: (f) => (l = f) };
  }
  await db.subscribe(inn, (m) => l(Number(m)));
  return { send: (i) => db.publish(out, String(i)), on: (f) => (l = f) };
}

void (async () => {
  if (q.get('role') === 'b') {
    const w = await wire('b');
    w.on((i) => void w.send(i));
    window.xtabReady = true;
    return;
  }
  const w = await wire('a');
  let waiting: ((i: number) => void) | null = null;
  w.on((i) => waiting?.(i));
  const next = (want: number) =>
    new Promise<boolean>((r) => {
      const timer = setTimeout(() => r(false), 200);
      waiting = (i) => {
        if (i !== want) return;
        clearTimeout(timer);
        r(true);
      };
    });
  // B is there once it answers (ping 0 until it does).
  for (;;) {
    const here = next(0);
    await w.send(0);
    if (await here) break;
  }
  const oneWayUs: number[] = [];
  for (let i = 1; i <= n; i++) {
    const pong = next(i);
    const t0 = performance.now();
    await w.send(i);
    if (!(await pong)) throw new Error(`no answer to ping ${i}`);
    oneWayUs.push(((performance.now() - t0) * 1000) / 2);
  }
  window.xtabResult = { oneWayUs };
})();
