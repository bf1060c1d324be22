/**
 * The measurements of bench/pubsub-multi.ts, run the same way in Node (worker code over a MessageChannel) and in
 * a page (a real Worker): they only need a client. A benchmark, not a test: figures, no verdicts.
 *
 * - PUBLISH → listener: one subscriber; the time from calling `publish()` to the listener being called, one
 *   message at a time (latency), and for a burst published in one tick (per message);
 * - MULTI of 100 commands vs the same 100 pipelined: one `multi()…exec()` transaction, the same commands with
 *   `execAsPipeline()`, and as 100 separate calls in one tick (auto-pipelined by the client).
 */

/** What the measurements use of a client (TabhiveClient's shape). */
export interface BenchClient {
  publish(channel: string, message: string): Promise<number>;
  subscribe(channel: string, listener: (message: string, channel: string) => unknown): Promise<void>;
  incr(key: string): Promise<unknown>;
  set(key: string, value: string): Promise<unknown>;
  multi(): { incr(key: string): unknown; set(key: string, value: string): unknown; exec(): Promise<unknown>; execAsPipeline(): Promise<unknown> };
  duplicate(): BenchClient;
  quit(): Promise<unknown>;
}

export interface BenchRow {
  workload: string;
  samples: number;
  medianUs: number;
  p99Us: number;
  meanUs: number;
}

function row(workload: string, us: number[]): BenchRow {
  const s = [...us].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  const r = (x: number) => Math.round(x * 10) / 10;
  return { workload, samples: s.length, medianUs: r(q(0.5)), p99Us: r(q(0.99)), meanUs: r(mean) };
}

export async function measure(db: BenchClient, opts: { n?: number; burst?: number; batches?: number } = {}): Promise<BenchRow[]> {
  const n = opts.n ?? 2000;
  const burst = opts.burst ?? 1000;
  const batches = opts.batches ?? 300;
  const now = () => performance.now();
  const rows: BenchRow[] = [];
  const publisher = db.duplicate();

  // PUBLISH → listener, one at a time.
  {
    let wake: (() => void) | null = null;
    await db.subscribe('bench:latency', () => {
      const w = wake;
      wake = null;
      w?.();
    });
    const us: number[] = [];
    for (let i = 0; i < n + 200; i++) {
      const got = new Promise<void>((r) => (wake = r));
      const t0 = now();
      void publisher.publish('bench:latency', 'hello');
      await got;
      if (i >= 200) us.push((now() - t0) * 1000);
    }
    rows.push(row('PUBLISH → listener, one message at a time (µs)', us));
  }

  // PUBLISH → listener, a burst published in one tick: per message, until the last one arrived.
  {
    let left = 0;
    let done: (() => void) | null = null;
    await db.subscribe('bench:burst', () => {
      if (--left === 0) done?.();
    });
    const us: number[] = [];
    for (let rep = 0; rep < 22; rep++) {
      left = burst;
      const all = new Promise<void>((r) => (done = r));
      const t0 = now();
      for (let i = 0; i < burst; i++) void publisher.publish('bench:burst', 'hello');
      await all;
      if (rep >= 2) us.push(((now() - t0) * 1000) / burst);
    }
    rows.push(row(`PUBLISH → listener, ${burst} in one tick, per message (µs)`, us));
  }

  // 100 commands: MULTI/EXEC vs execAsPipeline vs 100 calls in one tick.
  const cmds = 100;
  const variants: [string, () => Promise<unknown>][] = [
    [
      `MULTI of ${cmds} (multi().exec()), per transaction (µs)`,
      () => {
        const m = db.multi();
        for (let i = 0; i < cmds; i++) if (i % 2) m.incr(`bench:n${i % 10}`); else m.set(`bench:k${i}`, 'v');
        return m.exec();
      },
    ],
    [
      `the same ${cmds} with execAsPipeline(), per batch (µs)`,
      () => {
        const m = db.multi();
        for (let i = 0; i < cmds; i++) if (i % 2) m.incr(`bench:n${i % 10}`); else m.set(`bench:k${i}`, 'v');
        return m.execAsPipeline();
      },
    ],
    [
      `the same ${cmds} as separate calls in one tick, per batch (µs)`,
      () => {
        const ps: Promise<unknown>[] = [];
        for (let i = 0; i < cmds; i++) ps.push(i % 2 ? db.incr(`bench:n${i % 10}`) : db.set(`bench:k${i}`, 'v'));
        return Promise.all(ps);
      },
    ],
  ];
  const samples = variants.map(() => [] as number[]);
  for (let rep = 0; rep < batches + 20; rep++) {
    // Rotate the order so that none always runs first.
    for (let j = 0; j < variants.length; j++) {
      const k = (j + rep) % variants.length;
      const t0 = now();
      await variants[k][1]();
      if (rep >= 20) samples[k].push((now() - t0) * 1000);
    }
  }
  variants.forEach(([name], k) => rows.push(row(name, samples[k])));
  await publisher.quit();
  return rows;
}
