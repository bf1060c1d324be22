/**
 * Crash recovery, in Chromium on a persistent on-disk profile: a burst of writes, the browser process killed
 * (SIGKILL to its process group) at a random point, then relaunched on the same profile and the stored data
 * read back:
 * - `always`: every write whose promise resolved is there;
 * - `everysec`: what is there is a prefix of the writes in order, missing at most about the last second.
 * Several kill points per mode; the seed of the random points is printed (TABHIVE_KILL_SEED replays a run).
 * Bounded for CI: three kill points per mode, bursts of a few seconds at most.
 */
import { expect, test } from '@playwright/test';
import { launch, seeded, tempProfile, type TestWindow } from './persistence-kit.js';

interface Ack {
  /** Writes w:<from> … w:<to> resolved … */
  from: number;
  to: number;
  /** … at this time (ms since the epoch, the page's clock, the same machine's as ours). */
  at: number;
}

interface Burst {
  durability: 'always' | 'everysec';
  /** Writes issued together per round (one tick: one batch, one transaction in `always`). */
  group: number;
  /** Pause between rounds. */
  pauseMs: number;
}

const KILL_POINTS = 3;
const seed = Number(process.env.TABHIVE_KILL_SEED || Date.now() % 1_000_000);

/** Run a burst, kill the browser during it, relaunch and read back what is stored. */
async function crashDuringBurst(baseURL: string, burst: Burst, killAfterMs: number) {
  const profile = await tempProfile();
  const name = 'crash';
  try {
    const first = await launch(profile.dir, baseURL);
    const acks: Ack[] = [];
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    await first.page.exposeFunction('__acked', (from: number, to: number, at: number) => acks.push({ from, to, at }));
    await first.page.exposeFunction('__started', () => started());
    // Never settles: it writes until the browser dies under it.
    void first.page
      .evaluate(
        async ({ name, durability, group, pauseMs }) => {
          const w = window as unknown as TestWindow & {
            __acked(from: number, to: number, at: number): void;
            __started(): void;
          };
          const db = await w.tabhive.createClient({ name, durability });
          void w.__started();
          for (let i = 0; ; i += group) {
            const sets: Promise<unknown>[] = [];
            for (let j = i; j < i + group; j++) sets.push(db.set(`w:${j}`, String(j)));
            await Promise.all(sets);
            void w.__acked(i, i + group - 1, Date.now());
            if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
          }
        },
        { name, durability: burst.durability, group: burst.group, pauseMs: burst.pauseMs },
      )
      .catch(() => {});
    await running;
    await new Promise((r) => setTimeout(r, killAfterMs));
    const killedAt = Date.now();
    const acked = acks.slice();
    await first.kill();

    const second = await launch(profile.dir, baseURL);
    try {
      const back = await second.page.evaluate(async (name) => {
        const db = await (window as unknown as TestWindow).tabhive.createClient({ name });
        const keys = (await db.sendCommand(['KEYS', 'w:*'])) as string[];
        const values = keys.length > 0 ? ((await db.sendCommand(['MGET', ...keys])) as string[]) : [];
        return { keys, values, status: { ...db.persistence } };
      }, name);
      return { acked, killedAt, ...back };
    } finally {
      await second.close();
    }
  } finally {
    await profile.remove();
  }
}

/**
 * How many writes are stored, once checked to be w:0 … w:n-1 exactly (a prefix of the writes, in order), each
 * holding its own index. Checked in plain code and asserted once: thousands of `expect` steps would be slow.
 */
function storedPrefix(keys: string[], values: string[]): number {
  const wrong: string[] = [];
  keys.forEach((k, i) => {
    if (values[i] !== k.slice(2)) wrong.push(`${k} holds ${values[i]}`);
  });
  const idx = keys.map((k) => Number(k.slice(2))).sort((a, b) => a - b);
  idx.forEach((v, i) => {
    if (v !== i) wrong.push(`w:${i} missing while w:${v} is stored`);
  });
  expect(wrong.slice(0, 5), 'the stored writes are a prefix of the writes, in order, with their values').toEqual([]);
  return idx.length;
}

test.describe('a killed browser', () => {
  test.describe.configure({ timeout: 90_000 });

  test("'always': every acknowledged write is there after a crash", async ({ baseURL }) => {
    const rnd = seeded(seed);
    test.info().annotations.push({ type: 'seed', description: String(seed) });
    for (let point = 0; point < KILL_POINTS; point++) {
      const killAfter = Math.round(200 + rnd() * 1300);
      const r = await crashDuringBurst(
        baseURL!,
        { durability: 'always', group: 10, pauseMs: 0 },
        killAfter,
      );
      const n = storedPrefix(r.keys, r.values);
      const lastAcked = r.acked.length > 0 ? r.acked[r.acked.length - 1].to : -1;
      test.info().annotations.push({
        type: `kill point ${point + 1}`,
        description: `after ${killAfter} ms: ${lastAcked + 1} writes acknowledged, ${n} stored`,
      });
      expect(lastAcked, 'writes were acknowledged before the kill').toBeGreaterThan(0);
      expect(n, 'every acknowledged write is stored').toBeGreaterThanOrEqual(lastAcked + 1);
      expect(r.status.corrupt).toBe(0);
    }
  });

  test("'everysec': a crash leaves a prefix of the writes, missing at most about the last second", async ({
    baseURL,
  }) => {
    const rnd = seeded(seed + 1);
    test.info().annotations.push({ type: 'seed', description: String(seed) });
    for (let point = 0; point < KILL_POINTS; point++) {
      const killAfter = Math.round(1200 + rnd() * 1300);
      const r = await crashDuringBurst(
        baseURL!,
        { durability: 'everysec', group: 10, pauseMs: 5 },
        killAfter,
      );
      const n = storedPrefix(r.keys, r.values);
      const lastAcked = r.acked.length > 0 ? r.acked[r.acked.length - 1].to : -1;
      // The first acknowledged write that is missing, and how long before the kill it was acknowledged.
      const firstLost = r.acked.find((a) => a.to >= n);
      const lostWindow = firstLost === undefined ? 0 : r.killedAt - firstLost.at;
      test.info().annotations.push({
        type: `kill point ${point + 1}`,
        description:
          `after ${killAfter} ms: ${lastAcked + 1} writes acknowledged, ${n} stored; ` +
          `lost the writes of the last ${lostWindow} ms`,
      });
      expect(n, 'something was flushed before the kill').toBeGreaterThan(0);
      // "About a second": the flush delay (1 s) plus the time the flush itself takes, with room for a loaded CI.
      expect(lostWindow, 'writes lost span at most about the last second').toBeLessThanOrEqual(1800);
      expect(r.status.corrupt).toBe(0);
    }
  });
});
