import { describe, expect, it } from 'vitest';
import { seeded } from '../../../test/helpers.js';
import { firstInLex, firstInScore, lastInLex, lastInScore, ZTree, type LexRange, type ScoreRange } from './ztree.js';

interface El {
  score: number;
  ele: string;
}

const cmp = (a: El, b: El): number =>
  a.score < b.score ? -1 : a.score > b.score ? 1 : a.ele < b.ele ? -1 : a.ele > b.ele ? 1 : 0;

function lowerBound(model: El[], x: El): number {
  let lo = 0;
  let hi = model.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(model[mid], x) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function all(t: ZTree): El[] {
  const out: El[] = [];
  t.forEach((ele, score) => void out.push({ ele, score }));
  return out;
}

const lexBound = (s: string) =>
  s === '-'
    ? { kind: -1 as const, s: '', ex: true }
    : s === '+'
      ? { kind: 1 as const, s: '', ex: true }
      : { kind: 0 as const, s: s.slice(1), ex: s[0] === '(' };
const lex = (min: string, max: string): LexRange => ({ min: lexBound(min), max: lexBound(max) });

describe('ZTree', () => {
  it('orders by score then member bytes', () => {
    const t = new ZTree();
    const items: El[] = [
      { score: 1, ele: 'b' },
      { score: 1, ele: 'a' },
      { score: 1, ele: '\xff' },
      { score: 1, ele: '\xfe' },
      { score: -Infinity, ele: 'z' },
      { score: Infinity, ele: 'y' },
      { score: 0, ele: 'ab' },
      { score: -0, ele: 'aa' },
      { score: 1, ele: '' },
    ];
    for (const x of items) t.insert(x.score, x.ele);
    t.check();
    expect(all(t).map((x) => x.ele)).toEqual(['z', 'aa', 'ab', '', 'a', 'b', '\xfe', '\xff', 'y']);
    expect(t.rank(1, '\xfe')).toBe(6);
    expect(t.rank(1, 'c')).toBe(-1);
    expect(t.rank(-0, 'ab')).toBe(2);
    expect(t.eleAt(8)).toBe('y');
    expect(t.delete(1, 'nope')).toBe(false);
    expect(t.delete(0, 'aa')).toBe(true);
    t.check();
  });

  it('walks both ways from any rank, across leaves', () => {
    const n = 1000;
    const t = ZTree.fromSorted(
      Array.from({ length: n }, (_, i) => i),
      Array.from({ length: n }, (_, i) => `m${i}`),
    );
    t.check();
    const fwd: string[] = [];
    t.walk(500, false, (e) => void fwd.push(e));
    expect(fwd.length).toBe(500);
    expect(fwd[0]).toBe('m500');
    const back: string[] = [];
    t.walk(500, true, (e) => {
      back.push(e);
      return back.length < 300;
    });
    expect(back[299]).toBe('m201');
  });

  it('builds from sorted data of every size with valid invariants', () => {
    for (const n of [0, 1, 2, 95, 96, 97, 500, 4000, 20000, 70000]) {
      const t = ZTree.fromSorted(
        Array.from({ length: n }, (_, i) => Math.floor(i / 3)),
        Array.from({ length: n }, (_, i) => String(i).padStart(6, '0')),
      );
      t.check();
      expect(t.length).toBe(n);
      if (n > 0) expect(t.rank(Math.floor((n - 1) / 3), String(n - 1).padStart(6, '0'))).toBe(n - 1);
      // Inserting into and deleting from a bulk-built tree keeps it valid.
      t.insert(-1, 'first');
      t.insert(1e9, 'last');
      if (n > 10) t.deleteRange(3, Math.floor(n / 2), () => {});
      t.check();
    }
  });

  it('matches a naive sorted array under seeded random operations', () => {
    const rnd = seeded(42);
    const t = new ZTree();
    const scores = new Map<string, number>();
    let model: El[] = [];
    const remove = (ele: string) => {
      model = model.filter((x) => x.ele !== ele);
    };
    for (let step = 0; step < 40000; step++) {
      const op = rnd();
      const ele = 'm' + Math.floor(rnd() * 3000);
      const score = Math.floor(rnd() * 60) - 30;
      const cur = scores.get(ele);
      if (op < 0.4) {
        if (cur === undefined) {
          t.insert(score, ele);
          model.splice(lowerBound(model, { score, ele }), 0, { score, ele });
        } else {
          t.update(cur, ele, score);
          remove(ele);
          model.splice(lowerBound(model, { score, ele }), 0, { score, ele });
        }
        scores.set(ele, score);
      } else if (op < 0.6) {
        expect(t.delete(cur ?? score, ele)).toBe(cur !== undefined);
        if (cur !== undefined) {
          scores.delete(ele);
          remove(ele);
        }
      } else if (op < 0.7) {
        const r: ScoreRange = { min: score, max: score + Math.floor(rnd() * 10), minex: rnd() < 0.5, maxex: rnd() < 0.5 };
        const inR = model.filter(
          (x) => (r.minex ? x.score > r.min : x.score >= r.min) && (r.maxex ? x.score < r.max : x.score <= r.max),
        );
        const first = firstInScore(t, r);
        const last = lastInScore(t, r);
        expect(first).toBe(inR.length ? model.indexOf(inR[0]) : -1);
        expect(last).toBe(inR.length ? model.indexOf(inR[inR.length - 1]) : -1);
      } else if (op < 0.75 && model.length > 0) {
        // Remove a rank run, sometimes spanning several leaves.
        const a = Math.floor(rnd() * model.length);
        const k = rnd() < 0.2 ? Math.floor(rnd() * 400) : Math.floor(rnd() * 5);
        const gone: string[] = [];
        const removed = t.deleteRange(a, k, (e) => void gone.push(e));
        const want = model.slice(a, a + k);
        expect(removed).toBe(want.length);
        expect(gone).toEqual(want.map((x) => x.ele));
        for (const g of gone) scores.delete(g);
        model.splice(a, want.length);
      } else if (model.length > 0) {
        const i = Math.floor(rnd() * model.length);
        expect(t.rank(model[i].score, model[i].ele)).toBe(i);
        expect(t.eleAt(i)).toBe(model[i].ele);
        expect(t.scoreAt(i)).toBe(model[i].score);
      }
      expect(t.length).toBe(model.length);
      if (step % 4000 === 0) t.check();
    }
    t.check();
    expect(all(t)).toEqual(model);
    // Empty it completely through single deletes and check it still works.
    for (const x of [...model]) expect(t.delete(x.score, x.ele)).toBe(true);
    t.check();
    expect(t.length).toBe(0);
    t.insert(1, 'again');
    t.check();
    expect(all(t)).toEqual([{ score: 1, ele: 'again' }]);
  });

  it('answers lex ranges with -, +, open and closed ends', () => {
    const t = new ZTree();
    for (const e of ['a', 'b', 'c', 'd', 'e', '\xff']) t.insert(0, e);
    const get = (r: LexRange) => {
      const f = firstInLex(t, r);
      const l = lastInLex(t, r);
      if (f < 0) return [];
      const out: string[] = [];
      t.walk(f, false, (e) => {
        out.push(e);
        return out.length < l - f + 1;
      });
      return out;
    };
    expect(get(lex('-', '+'))).toEqual(['a', 'b', 'c', 'd', 'e', '\xff']);
    expect(get(lex('[b', '(d'))).toEqual(['b', 'c']);
    expect(get(lex('(b', '[d'))).toEqual(['c', 'd']);
    expect(get(lex('[e', '+'))).toEqual(['e', '\xff']);
    expect(firstInLex(t, lex('+', '-'))).toBe(-1);
    expect(firstInLex(t, lex('-', '-'))).toBe(-1);
    expect(firstInLex(t, lex('+', '+'))).toBe(-1);
    expect(firstInLex(t, lex('[c', '(c'))).toBe(-1);
    expect(firstInLex(t, lex('[c', '[c'))).toBe(2);
    expect(firstInLex(t, lex('(\xff', '+'))).toBe(-1);
  });

  it('stays valid while a three-level tree shrinks to nothing and grows again', () => {
    const rnd = seeded(3);
    const t = new ZTree();
    const n = 150_000;
    const els: El[] = [];
    for (let i = 0; i < n; i++) {
      const x = { score: Math.floor(rnd() * 1000), ele: 'k' + i };
      els.push(x);
      t.insert(x.score, x.ele);
    }
    t.check();
    // Shuffle, then delete one by one with runs removed by rank now and then.
    for (let i = els.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [els[i], els[j]] = [els[j], els[i]];
    }
    const alive = new Set(els.map((x) => x.ele));
    let k = 0;
    while (t.length > 0) {
      if (rnd() < 0.01) {
        const from = Math.floor(rnd() * t.length);
        t.deleteRange(from, Math.floor(rnd() * 3000), (e) => void alive.delete(e));
      } else {
        while (!alive.has(els[k].ele)) k++;
        expect(t.delete(els[k].score, els[k].ele)).toBe(true);
        alive.delete(els[k].ele);
      }
      if (t.length % 10_000 === 0) t.check();
      expect(t.length).toBe(alive.size);
    }
    t.check();
    for (let i = 0; i < 5000; i++) t.insert(i, 'x' + i);
    t.check();
    expect(t.rank(4999, 'x4999')).toBe(4999);
  });

  for (const size of [10_000, 100_000]) {
    it(`ranks stay consistent with the model at ${size} elements`, () => {
      const rnd = seeded(size);
      const t = new ZTree();
      const els: El[] = [];
      for (let i = 0; i < size; i++) {
        const x = { score: Math.floor(rnd() * size) / 7, ele: 'e' + i };
        els.push(x);
        t.insert(x.score, x.ele);
      }
      // Delete a tenth at random positions.
      for (let i = 0; i < size / 10; i++) {
        const j = Math.floor(rnd() * els.length);
        const x = els[j];
        els[j] = els[els.length - 1];
        els.pop();
        expect(t.delete(x.score, x.ele)).toBe(true);
      }
      const model = [...els].sort(cmp);
      expect(t.length).toBe(model.length);
      for (let i = 0; i < model.length; i += 37) {
        expect(t.rank(model[i].score, model[i].ele)).toBe(i);
        expect(t.eleAt(i)).toBe(model[i].ele);
      }
      let i = 0;
      t.forEach((e) => {
        if (e !== model[i].ele) expect(e).toBe(model[i].ele);
        i++;
      });
      t.check();
    });
  }
});
