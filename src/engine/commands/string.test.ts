import { describe, expect, it } from 'vitest';
import { testEngine } from '../../../test/helpers.js';

describe('SET / GET', () => {
  it('sets and gets, binary-safe', () => {
    const { cmd } = testEngine();
    expect(cmd('SET', 'a', 'é')).toEqual({ k: 'simple', s: 'OK' });
    expect(cmd('GET', 'a')).toBe('\xc3\xa9');
    expect(cmd('GET', 'nope')).toBe(null);
  });
  it('expires with PX on fake time', () => {
    const t = testEngine();
    t.cmd('SET', 'a', '1', 'PX', 200);
    t.clock.t += 199;
    expect(t.cmd('GET', 'a')).toBe('1');
    t.clock.t += 1;
    expect(t.cmd('GET', 'a')).toBe(null);
  });
  it('answers arity and unknown commands as Redis', () => {
    const { cmd } = testEngine();
    expect(cmd('GET')).toEqual({ k: 'err', msg: "ERR wrong number of arguments for 'get' command" });
    expect(cmd('FOO', 'a', 'b')).toEqual({
      k: 'err',
      msg: "ERR unknown command 'FOO', with args beginning with: 'a' 'b' ",
    });
    expect(cmd('SET', 'a', 'b', 'EX', '0')).toEqual({ k: 'err', msg: "ERR invalid expire time in 'set' command" });
  });
});
