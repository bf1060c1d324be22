/**
 * Cross-tab floor (workload 7): a raw BroadcastChannel ping between two pages. Page B (`?role=b`) answers every
 * ping with a pong; page A (`?role=a&n=…`) sends n pings one after the other and times each round trip. One way
 * is half a round trip. tabhive has no figure here yet: each tab runs an engine of its own until tabs share one
 * (the multi-tab issue).
 */
declare global {
  interface Window {
    xtabResult?: { oneWayUs: number[] };
    xtabReady?: boolean;
  }
}

const q = new URLSearchParams(location.search);
const ch = new BroadcastChannel(`tabhive-bench-${q.get('run') ?? ''}`);

if (q.get('role') === 'b') {
  ch.onmessage = (ev: MessageEvent<{ t: string; i: number }>) => {
    if (ev.data.t === 'ping') ch.postMessage({ t: 'pong', i: ev.data.i });
    if (ev.data.t === 'hello') ch.postMessage({ t: 'here', i: 0 });
  };
  window.xtabReady = true;
} else {
  const n = Number(q.get('n') ?? 200);
  let waiting: ((i: number) => void) | null = null;
  ch.onmessage = (ev: MessageEvent<{ t: string; i: number }>) => waiting?.(ev.data.i);
  const next = () => new Promise<number>((r) => (waiting = r));
  void (async () => {
    // B is there once it answers.
    for (;;) {
      const here = next();
      ch.postMessage({ t: 'hello', i: 0 });
      const got = await Promise.race([here, new Promise<number>((r) => setTimeout(() => r(-1), 100))]);
      if (got === 0) break;
    }
    const oneWayUs: number[] = [];
    for (let i = 1; i <= n; i++) {
      const pong = next();
      const t0 = performance.now();
      ch.postMessage({ t: 'ping', i });
      await pong;
      oneWayUs.push(((performance.now() - t0) * 1000) / 2);
    }
    window.xtabResult = { oneWayUs };
  })();
}

export {};
