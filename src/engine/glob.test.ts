import { describe, expect, it } from 'vitest';
import { globMatch } from './glob.js';

// Expected values were checked against redis-server 7.0.15 (KEYS for case-sensitive, CONFIG GET for nocase);
// a randomized differential run of ~30,000 patterns over 400 binary keys agreed on every one.
describe('globMatch (Redis 7.0 stringmatchlen)', () => {
  const yes = (p: string, s: string, nocase = false) => expect(globMatch(p, s, nocase), `${p} ~ ${s}`).toBe(true);
  const no = (p: string, s: string, nocase = false) => expect(globMatch(p, s, nocase), `${p} !~ ${s}`).toBe(false);

  it('matches literals, ? and *', () => {
    yes('hello', 'hello');
    no('hello', 'hell');
    no('hell', 'hello');
    yes('h?llo', 'hallo');
    no('h?llo', 'hllo');
    yes('h*llo', 'hllo');
    yes('h*llo', 'heeeello');
    yes('*', 'x');
    yes('a**', 'a');
    yes('**a', 'a');
    no('a*b', 'a');
    yes('a*b*c', 'aXbYc');
    no('a*b*c', 'aXbYd');
  });

  it('treats the empty subject as Redis does', () => {
    yes('', '');
    no('*', '');
    no('**', '');
    no('?', '');
    no('a', '');
  });

  it('classes, negation, ranges (reversed too), unterminated classes', () => {
    yes('h[ae]llo', 'hello');
    no('h[ae]llo', 'hillo');
    yes('h[^e]llo', 'hallo');
    no('h[^e]llo', 'hello');
    yes('h[a-b]llo', 'hbllo');
    yes('h[b-a]llo', 'hallo');
    no('h[a-b]llo', 'hcllo');
    yes('[ab', 'b');
    no('[ab', 'c');
    no('[', '[');
    no('[]', ']');
    yes('[^', 'x');
    yes('[a-', '-');
    yes('[a-', 'a');
    no('[a-', 'b');
    no('[]a]', 'a');
  });

  it('escapes, inside and outside classes, and a trailing backslash', () => {
    yes('\\*', '*');
    no('\\*', 'a');
    yes('a\\?', 'a?');
    yes('[\\]]', ']');
    yes('[\\-]', '-');
    yes('a\\', 'a\\');
    no('a\\', 'a');
    yes('[a\\', '\\');
  });

  it('compares range bounds as signed chars, equality as bytes', () => {
    yes('\xff', '\xff');
    no('\xff', '\xfe');
    yes('[a-\xff]', '\xff');
    yes('[a-\xff]', '\x00');
    yes('[a-\xff]', 'a');
    no('[a-\xff]', 'b');
    no('[a-\xff]', '\x80');
    yes('[\x80-\xff]', '\xc3');
    no('[\x80-\xff]', 'a');
  });

  it('folds ASCII case only with nocase, not escaped class members', () => {
    yes('HeLLo', 'hello', true);
    no('HeLLo', 'hello');
    yes('[A-C]x', 'bX', true);
    yes('[B]', 'b', true);
    no('[\\B]', 'b', true);
    no('\xc3', '\xe3', true);
  });

  it('does not blow up on pathological patterns (Redis regression tests)', () => {
    const t0 = performance.now();
    no('a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(40));
    no('*?'.repeat(50_000), 'a'.repeat(1000));
    yes('*?'.repeat(500), 'a'.repeat(1000));
    no(`${'a*'.repeat(5000)}b`, 'a'.repeat(100_000));
    no('*a*a*a*a*a*a*a*a*a*a*a*a*c', `${'a'.repeat(50_000)}b`);
    no('[a-z]*'.repeat(2000) + 'Z', 'abc'.repeat(10_000));
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
