import { afterEach, describe, expect, it, vi } from 'vitest';
import { testEngine } from '../../test/helpers.js';
import { BLOCKED } from './blocking.js';
import type { Reply } from './reply.js';

function waiter(t: ReturnType<typeof testEngine>) {
  const s = t.engine.createSession();
  const got: Reply[] = [];
  s.onUnblock = (r) => got.push(r);
  return { s, got };
}

describe('blocking commands', () => {
  afterEach(() => vi.useRealTimers());

  it('serves waiters first blocked, first served, one element each', () => {
    const t = testEngine();
    const a = waiter(t);
    const b = waiter(t);
    const c = waiter(t);
    expect(t.on(a.s, 'BLPOP', 'q', '0')).toBe(BLOCKED);
    expect(t.on(b.s, 'BLPOP', 'q', '0')).toBe(BLOCKED);
    expect(t.on(c.s, 'BRPOP', 'other', 'q', '0')).toBe(BLOCKED);
    expect(t.cmd('RPUSH', 'q', '1', '2')).toBe(2);
    expect(a.got).toEqual([['q', '1']]);
    expect(b.got).toEqual([['q', '2']]);
    expect(c.got).toEqual([]);
    t.cmd('RPUSH', 'other', 'x');
    expect(c.got).toEqual([['other', 'x']]);
    expect(t.cmd('EXISTS', 'q', 'other')).toBe(0);
  });

  it('a served waiter leaves every queue it was in', () => {
    const t = testEngine();
    const a = waiter(t);
    const b = waiter(t);
    t.on(a.s, 'BLPOP', 'k1', 'k2', '0');
    t.on(b.s, 'BLPOP', 'k2', '0');
    t.cmd('RPUSH', 'k1', 'x');
    t.cmd('RPUSH', 'k2', 'y');
    expect(a.got).toEqual([['k1', 'x']]);
    expect(b.got).toEqual([['k2', 'y']]);
  });

  it('BLMOVE chains: the push it makes wakes the next waiter', () => {
    const t = testEngine();
    const a = waiter(t);
    const b = waiter(t);
    t.on(a.s, 'BLMOVE', 'src', 'mid', 'LEFT', 'LEFT', '0');
    t.on(b.s, 'BLPOP', 'mid', '0');
    t.cmd('LPUSH', 'src', 'v');
    expect(a.got).toEqual(['v']);
    expect(b.got).toEqual([['mid', 'v']]);
  });

  it('times out with a null array, on fake time, and a closed session leaves the queue', () => {
    vi.useFakeTimers();
    const t = testEngine();
    const a = waiter(t);
    const b = waiter(t);
    t.on(a.s, 'BLPOP', 'q', '1.5');
    t.on(b.s, 'BLPOP', 'q', '0');
    vi.advanceTimersByTime(1499);
    expect(a.got).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(a.got).toEqual([{ k: 'nullarr' }]);
    t.engine.closeSession(b.s);
    t.cmd('RPUSH', 'q', 'x');
    expect(b.got).toEqual([]);
    expect(t.cmd('LLEN', 'q')).toBe(1);
  });

  it('does not block inside MULTI', () => {
    const t = testEngine();
    t.cmd('MULTI');
    t.cmd('BLPOP', 'q', '0');
    expect(t.cmd('EXEC')).toEqual([{ k: 'nullarr' }]);
  });
});
