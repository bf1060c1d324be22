/** Keeping a thread awake (spin.ts): a spin stops at its deadline or once idle, and never blocks. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AnswerSpin, defaultSpinMs, ReplySpin, SPIN_MS, Spinner } from './spin.js';

/** Macrotask turns until `cond` holds (at most `max`): no sleeping, the spinner's own turns interleave. */
async function turnsUntil(cond: () => boolean, max = 100_000): Promise<void> {
  for (let i = 0; i < max && !cond(); i++) await new Promise((r) => setImmediate(r));
  expect(cond()).toBe(true);
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('Spinner', () => {
  it('takes turns until idle, letting other tasks run in between', async () => {
    let ticks = 0;
    const s = new Spinner(() => ticks >= 5);
    s.spinUntil(performance.now() + 60_000);
    expect(s.spinning).toBe(true);
    // Another task source keeps running while it spins: this loop would starve if the spinner blocked.
    await turnsUntil(() => {
      ticks++;
      return !s.spinning;
    });
    expect(s.spins).toBe(1);
    expect(s.turns).toBeGreaterThanOrEqual(1);
    s.close();
  });

  it('stops at its deadline', async () => {
    const s = new Spinner(() => false);
    s.spinUntil(performance.now() + 2);
    await turnsUntil(() => !s.spinning);
    const turns = s.turns;
    await turnsUntil(() => true, 50);
    expect(s.turns).toBe(turns);
    s.close();
  });

  it('a past deadline takes no turn; a later one while spinning extends the same spin', async () => {
    const s = new Spinner(() => false);
    s.spinUntil(performance.now() - 1);
    await turnsUntil(() => !s.spinning);
    expect(s.turns).toBe(0);
    s.spinUntil(performance.now() + 1);
    s.spinUntil(performance.now() + 3);
    expect(s.spins).toBe(2);
    await turnsUntil(() => !s.spinning);
    s.close();
  });

  it('close() ends a spin at once', async () => {
    const s = new Spinner(() => false);
    s.spinUntil(performance.now() + 60_000);
    s.close();
    expect(s.spinning).toBe(false);
    await turnsUntil(() => true, 20);
    expect(s.turns).toBeLessThanOrEqual(1);
  });

  it('is on by default only where there are two cores or more', () => {
    vi.stubGlobal('navigator', { hardwareConcurrency: 1 });
    expect(defaultSpinMs()).toBe(0);
    vi.stubGlobal('navigator', { hardwareConcurrency: 8 });
    expect(defaultSpinMs()).toBe(SPIN_MS);
    vi.stubGlobal('navigator', undefined);
    expect(defaultSpinMs()).toBe(0);
  });
});

describe('the rules', () => {
  /** A spinner that records the deadlines asked of it; `now` is the clock the rules read. */
  function fake(): { spinner: Spinner; asked: number[]; setNow(t: number): void } {
    const asked: number[] = [];
    let now = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const spinner = { spinUntil: (t: number) => asked.push(t) } as unknown as Spinner;
    return { spinner, asked, setNow: (t) => (now = t) };
  }
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('page: spins while a reply is awaited, until a reply takes longer than the budget, and again once one is quick', () => {
    const f = fake();
    const r = new ReplySpin(f.spinner, 1);
    r.sent(10);
    expect(f.asked).toEqual([11]);
    f.setNow(10.2);
    r.answered(10); // 0.2 ms: quick
    r.sent(10.3);
    expect(f.asked).toEqual([11, 11.3]);
    f.setNow(15);
    r.answered(10.3); // 4.7 ms: slow
    r.sent(15);
    expect(f.asked).toHaveLength(2);
    f.setNow(15.1);
    r.answered(15);
    r.sent(16);
    expect(f.asked).toEqual([11, 11.3, 17]);
  });

  it('worker: spins after an answer only when the request came within the budget of the answer before', () => {
    const f = fake();
    const a = new AnswerSpin(f.spinner, 1);
    expect(a.arrived(100)).toBe(false); // the first request: nothing answered before
    f.setNow(100.01);
    a.answered(false);
    expect(f.asked).toEqual([]);
    const streak = a.arrived(100.5);
    expect(streak).toBe(true);
    f.setNow(100.51);
    a.answered(streak);
    expect(f.asked).toEqual([101.51]);
    expect(a.arrived(105)).toBe(false); // the page paused: a lone request leaves the thread to park
  });
});
