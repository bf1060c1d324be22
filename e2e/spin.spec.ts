/**
 * Keeping threads awake (src/worker/spin.ts) in Chromium: on by default where there are two cores, it spins
 * around serial commands on both sides, stops when they stop, and `spin: false` never spins. Figures, not
 * timings, are asserted: the latency it buys is measured by `npm run bench`, never by a test.
 */
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';

const CLIENT = `/@fs${resolve('src/client/index.ts')}`;

test('serial commands spin on both sides by default, stop spinning when idle, and spin: false never spins', async ({ page }) => {
  await page.goto('/');
  const out = await page.evaluate(async (url: string) => {
    type Client = {
      set(k: string, v: string): Promise<unknown>;
      get(k: string): Promise<unknown>;
      stats(): { spins: number };
      workerStats(): Promise<{ spins: number }>;
      quit(): Promise<unknown>;
    };
    const { createClient } = (await import(url)) as { createClient(o: Record<string, unknown>): Promise<Client> };
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const run = async (spin: boolean | undefined) => {
      const db = await createClient({ name: `spin-e2e-${spin}-${Date.now()}`, durability: 'memory', spin });
      let wrong = 0;
      for (let i = 0; i < 300; i++) {
        await db.set(`k${i}`, `v${i}`);
        if ((await db.get(`k${i}`)) !== `v${i}`) wrong++;
      }
      const page = db.stats().spins;
      const worker = (await db.workerStats()).spins;
      // Idle: no batch, so neither side starts a spin (a control call is not a batch).
      await sleep(50);
      const idlePage = db.stats().spins - page;
      const idleWorker = (await db.workerStats()).spins - worker;
      await db.quit();
      return { page, worker, idlePage, idleWorker, wrong };
    };
    return {
      cores: navigator.hardwareConcurrency,
      byDefault: await run(undefined),
      off: await run(false),
    };
  }, CLIENT);
  expect(out.byDefault.wrong).toBe(0);
  expect(out.off.wrong).toBe(0);
  if (out.cores >= 2) {
    expect(out.byDefault.page).toBeGreaterThan(0);
    // The worker spins when a batch comes within 0.25 ms of its last answer: not on every loaded machine,
    // so its count is reported, not required.
    test.info().annotations.push({ type: 'worker spins', description: String(out.byDefault.worker) });
  } else {
    expect(out.byDefault.page).toBe(0);
  }
  expect(out.byDefault.idlePage).toBe(0);
  expect(out.byDefault.idleWorker).toBe(0);
  expect(out.off).toMatchObject({ page: 0, worker: 0 });
});
