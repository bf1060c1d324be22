import { describe, expect, it } from 'vitest';
import { testEngine } from '../../../test/helpers.js';

const OK = { k: 'simple', s: 'OK' };
const QUEUED = { k: 'simple', s: 'QUEUED' };
const NULL_ARRAY = { k: 'nullarr' };

describe('MULTI / EXEC / DISCARD', () => {
  it('queues and runs in order, run-time errors do not roll back', () => {
    const t = testEngine();
    expect(t.cmd('MULTI')).toEqual(OK);
    expect(t.cmd('SET', 'a', 'x')).toEqual(QUEUED);
    expect(t.cmd('INCR', 'a')).toEqual(QUEUED);
    expect(t.cmd('SET', 'b', '1')).toEqual(QUEUED);
    const r = t.cmd('EXEC') as unknown[];
    expect(r[0]).toEqual(OK);
    expect(r[1]).toEqual({ k: 'err', msg: 'ERR value is not an integer or out of range' });
    expect(r[2]).toEqual(OK);
    expect(t.cmd('GET', 'b')).toBe('1');
  });
  it('a queue-time error aborts EXEC', () => {
    const t = testEngine();
    t.cmd('MULTI');
    expect(t.cmd('GET')).toEqual({ k: 'err', msg: "ERR wrong number of arguments for 'get' command" });
    t.cmd('SET', 'a', '1');
    expect(t.cmd('EXEC')).toEqual({ k: 'err', msg: 'EXECABORT Transaction discarded because of previous errors.' });
    expect(t.cmd('GET', 'a')).toBe(null);
  });
  it('nesting, EXEC/DISCARD without MULTI, WATCH inside MULTI', () => {
    const t = testEngine();
    expect(t.cmd('EXEC')).toEqual({ k: 'err', msg: 'ERR EXEC without MULTI' });
    expect(t.cmd('DISCARD')).toEqual({ k: 'err', msg: 'ERR DISCARD without MULTI' });
    t.cmd('MULTI');
    expect(t.cmd('MULTI')).toEqual({ k: 'err', msg: 'ERR MULTI calls can not be nested' });
    expect(t.cmd('WATCH', 'a')).toEqual({ k: 'err', msg: 'ERR WATCH inside MULTI is not allowed' });
    t.cmd('SET', 'a', '1');
    expect(t.cmd('EXEC')).toEqual([OK]);
    t.cmd('MULTI');
    t.cmd('SET', 'a', '2');
    expect(t.cmd('DISCARD')).toEqual(OK);
    expect(t.cmd('GET', 'a')).toBe('1');
  });
});

describe('WATCH', () => {
  it('is broken by a write from another session, not by a read', () => {
    const t = testEngine();
    const other = t.engine.createSession();
    t.cmd('SET', 'a', '1');
    t.cmd('WATCH', 'a');
    t.on(other, 'GET', 'a');
    t.cmd('MULTI');
    t.cmd('SET', 'a', '2');
    expect(t.cmd('EXEC')).toEqual([OK]);
    t.cmd('WATCH', 'a');
    t.on(other, 'SET', 'a', '3');
    t.cmd('MULTI');
    t.cmd('SET', 'a', '4');
    expect(t.cmd('EXEC')).toEqual(NULL_ARRAY);
    expect(t.cmd('GET', 'a')).toBe('3');
  });
  it('is broken by expiry of a key live at WATCH time', () => {
    const t = testEngine();
    t.cmd('SET', 'a', '1', 'PX', 100);
    t.cmd('WATCH', 'a');
    t.clock.t += 200;
    t.cmd('MULTI');
    t.cmd('SET', 'b', '1');
    expect(t.cmd('EXEC')).toEqual(NULL_ARRAY);
  });
  it('is broken by FLUSHDB only when the key existed, and by SWAPDB', () => {
    const t = testEngine();
    t.cmd('WATCH', 'missing');
    t.cmd('FLUSHDB');
    t.cmd('MULTI');
    t.cmd('PING');
    expect(t.cmd('EXEC')).toEqual([{ k: 'simple', s: 'PONG' }]);
    t.cmd('SET', 'a', '1');
    t.cmd('WATCH', 'a');
    t.cmd('FLUSHALL');
    t.cmd('MULTI');
    expect(t.cmd('EXEC')).toEqual(NULL_ARRAY);
    t.cmd('SELECT', '1');
    t.cmd('SET', 'x', '1');
    t.cmd('SELECT', '0');
    t.cmd('WATCH', 'x');
    t.cmd('SWAPDB', '0', '1');
    t.cmd('MULTI');
    expect(t.cmd('EXEC')).toEqual(NULL_ARRAY);
  });
  it('UNWATCH and EXEC clear the watches', () => {
    const t = testEngine();
    t.cmd('WATCH', 'a');
    t.cmd('UNWATCH');
    t.cmd('SET', 'a', '1');
    t.cmd('MULTI');
    expect(t.cmd('EXEC')).toEqual([]);
    t.cmd('WATCH', 'a');
    t.cmd('MULTI');
    t.cmd('EXEC');
    t.cmd('SET', 'a', '2');
    t.cmd('MULTI');
    expect(t.cmd('EXEC')).toEqual([]);
  });
});
