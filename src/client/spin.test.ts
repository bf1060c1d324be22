/**
 * A client keeping its thread and its worker's awake (`createClient({ spin })`, worker/spin.ts): only around round
 * trips that follow one another closely; an idle page or worker never spins.
 */
import { describe, expect, it } from 'vitest';
import type { Spinner } from '../worker/spin.js';
import { testClient } from '../../test/client-worker.js';

/** Macrotask turns until `cond` holds (at most `max`): no sleeping, the spinner's own turns interleave. */
async function turnsUntil(cond: () => boolean, max = 100_000): Promise<void> {
  for (let i = 0; i < max && !cond(); i++) await new Promise((r) => setImmediate(r));
  expect(cond()).toBe(true);
}

describe('a client that spins', () => {
  it('keeps both threads awake through serial commands, and neither spins once idle', async () => {
    // A generous budget: the rule (quick round trips, requests soon after answers) must hold on a loaded machine.
    const { db } = await testClient({ spin: 50 });
    for (let i = 0; i < 30; i++) expect(await db.set(`k${i}`, 'v')).toBe('OK');
    const page = db.stats().spins;
    const worker = (await db.workerStats()).spins;
    expect(page).toBeGreaterThan(0);
    expect(worker).toBeGreaterThan(0);
    // Idle now: the page stops as soon as nothing is in flight, the worker at its deadline (≤ 50 ms).
    const conn = (db as unknown as { conn: { spin: { spinner: Spinner } } }).conn;
    await turnsUntil(() => !conn.spin.spinner.spinning);
    expect(db.stats().spins).toBe(page);
    expect(await db.get('k0')).toBe('v');
  });

  it('spin: false never spins', async () => {
    const { db } = await testClient({ spin: false });
    for (let i = 0; i < 10; i++) await db.set(`k${i}`, 'v');
    expect(db.stats().spins).toBe(0);
    expect((await db.workerStats()).spins).toBe(0);
  });

  it('a round trip slower than the budget stops the page spinning until one is quick again', async () => {
    const { db } = await testClient({ spin: 0.000001 });
    for (let i = 0; i < 10; i++) await db.set(`k${i}`, 'v');
    // The first batch spins (nothing measured yet); every round trip takes longer than a nanosecond.
    expect(db.stats().spins).toBeLessThanOrEqual(2);
  });

  it('rejects a spin that is not a budget', async () => {
    await expect(testClient({ spin: -1 })).rejects.toThrow(TypeError);
    await expect(testClient({ spin: 'fast' as unknown as number })).rejects.toThrow(TypeError);
  });
});
