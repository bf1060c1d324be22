import { describe, expect, it } from 'vitest';
import { seeded } from '../../../test/helpers.js';
import { SkipList, type LexRange, type ScoreRange, type ZNode } from './skiplist.js';

interface El {
  score: number;
  ele: string;
}

const cmp = (a: El, b: El): number =>
  a.score < b.score ? -1 : a.score > b.score ? 1 : a.ele < b.ele ? -1 : a.ele > b.ele ? 1 : 0;

/** Every structural invariant: order, backward links, tail, length, and each non-null span = rank difference. */
function check(zsl: SkipList): void {
  const nodes: ZNode[] = [...zsl.nodes()];
  expect(nodes.length).toBe(zsl.length);
  const rank = new Map<ZNode, number>();
  nodes.forEach((n, i) => rank.set(n, i + 1));
  rank.set(zsl.header, 0);
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    expect(n.backward).toBe(i === 0 ? null : nodes[i - 1]);
    if (i > 0) expect(cmp(nodes[i - 1], n)).toBe(-1);
  }
  expect(zsl.tail).toBe(nodes.length ? nodes[nodes.length - 1] : null);
  for (const n of [zsl.header, ...nodes]) {
    for (let l = 0; l < n.next.length; l++) {
      const f = n.next[l];
      if (f !== null) expect(n.span[l]).toBe(rank.get(f)! - rank.get(n)!);
    }
  }
}

/** Index of the first element of the sorted model not before `x`. */
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

describe('SkipList', () => {
  it('keeps (score, member) order with byte-wise member order and correct spans', () => {
    const zsl = new SkipList();
    const items: El[] = [
      { score: 1, ele: 'b' },
      { score: 1, ele: 'a' },
      { score: 1, ele: '\xff' },
      { score: 1, ele: '\xfe' },
      { score: -Infinity, ele: 'z' },
      { score: Infinity, ele: 'y' },
      { score: 0, ele: 'ab' },
      { score: -0, ele: 'aa' },
    ];
    for (const x of items) zsl.insert(x.score, x.ele);
    check(zsl);
    expect([...zsl.nodes()].map((n) => n.ele)).toEqual(['z', 'aa', 'ab', 'a', 'b', '\xfe', '\xff', 'y']);
    expect(zsl.getRank(1, '\xfe')).toBe(6);
    expect(zsl.getRank(1, 'c')).toBe(0);
    expect(zsl.byRank(8)!.ele).toBe('y');
    expect(zsl.byRank(9)).toBe(null);
    expect(zsl.byRank(0)).toBe(null);
  });

  it('appends in sorted order like inserts', () => {
    const zsl = new SkipList();
    for (let i = 0; i < 5000; i++) zsl.append(i >> 2, String(i).padStart(5, '0'));
    check(zsl);
    for (let i = 0; i < 5000; i += 97) expect(zsl.getRank(i >> 2, String(i).padStart(5, '0'))).toBe(i + 1);
    zsl.insert(-1, 'x');
    zsl.delete(3, '00013');
    check(zsl);
  });

  it('matches a naive sorted array under seeded random operations', () => {
    const rnd = seeded(42);
    const zsl = new SkipList();
    const nodes = new Map<string, ZNode>();
    let model: El[] = [];
    for (let step = 0; step < 20000; step++) {
      const op = rnd();
      const ele = 'm' + Math.floor(rnd() * 800);
      const score = Math.floor(rnd() * 50) - 25;
      const n = nodes.get(ele);
      if (op < 0.45) {
        if (n === undefined) {
          nodes.set(ele, zsl.insert(score, ele));
          model.splice(lowerBound(model, { score, ele }), 0, { score, ele });
        } else {
          zsl.updateScore(n, score);
          model = model.filter((x) => x.ele !== ele);
          model.splice(lowerBound(model, { score, ele }), 0, { score, ele });
        }
      } else if (op < 0.7) {
        if (n !== undefined) {
          expect(zsl.delete(n.score, ele)).toBe(n);
          nodes.delete(ele);
          model = model.filter((x) => x.ele !== ele);
        } else {
          expect(zsl.delete(score, ele)).toBe(null);
        }
      } else if (op < 0.8) {
        const r: ScoreRange = { min: score, max: score + Math.floor(rnd() * 10), minex: rnd() < 0.5, maxex: rnd() < 0.5 };
        const inR = model.filter((x) => (r.minex ? x.score > r.min : x.score >= r.min) && (r.maxex ? x.score < r.max : x.score <= r.max));
        const first = zsl.firstInScore(r);
        expect(first?.ele ?? null).toBe(inR.length ? inR[0].ele : null);
        if (first) expect(zsl.lastRank).toBe(model.indexOf(inR[0]) + 1);
        const last = zsl.lastInScore(r);
        expect(last?.ele ?? null).toBe(inR.length ? inR[inR.length - 1].ele : null);
        if (last) expect(zsl.lastRank).toBe(model.indexOf(inR[inR.length - 1]) + 1);
      } else if (op < 0.85 && model.length > 0) {
        // Remove a rank run.
        const a = 1 + Math.floor(rnd() * model.length);
        const b = Math.min(model.length, a + Math.floor(rnd() * 5));
        const gone: string[] = [];
        const k = zsl.deleteRun((_n, r) => r < a, (_n, r) => r <= b, (x) => gone.push(x.ele));
        expect(k).toBe(b - a + 1);
        expect(gone).toEqual(model.slice(a - 1, b).map((x) => x.ele));
        for (const g of gone) nodes.delete(g);
        model.splice(a - 1, b - a + 1);
      } else if (model.length > 0) {
        const i = Math.floor(rnd() * model.length);
        expect(zsl.getRank(model[i].score, model[i].ele)).toBe(i + 1);
        expect(zsl.byRank(i + 1)!.ele).toBe(model[i].ele);
      }
      if (step % 2000 === 0) check(zsl);
    }
    check(zsl);
    expect([...zsl.nodes()].map((n) => n.ele)).toEqual(model.map((x) => x.ele));
  });

  it('answers lex ranges with -, +, open and closed ends', () => {
    const zsl = new SkipList();
    for (const e of ['a', 'b', 'c', 'd', 'e', '\xff']) zsl.insert(0, e);
    const lex = (min: string, max: string): LexRange => {
      const b = (s: string) =>
        s === '-' ? { kind: -1 as const, s: '', ex: true } : s === '+' ? { kind: 1 as const, s: '', ex: true } : { kind: 0 as const, s: s.slice(1), ex: s[0] === '(' };
      return { min: b(min), max: b(max) };
    };
    const all = (r: LexRange) => {
      const out: string[] = [];
      for (let n = zsl.firstInLex(r); n !== null && (zsl.lastInLex(r), true); n = n.next[0]) {
        out.push(n.ele);
        if (n === zsl.lastInLex(r)) break;
      }
      return out;
    };
    expect(all(lex('-', '+'))).toEqual(['a', 'b', 'c', 'd', 'e', '\xff']);
    expect(all(lex('[b', '(d'))).toEqual(['b', 'c']);
    expect(all(lex('(b', '[d'))).toEqual(['c', 'd']);
    expect(all(lex('[e', '+'))).toEqual(['e', '\xff']);
    expect(zsl.firstInLex(lex('+', '-'))).toBe(null);
    expect(zsl.firstInLex(lex('-', '-'))).toBe(null);
    expect(zsl.firstInLex(lex('+', '+'))).toBe(null);
    expect(zsl.firstInLex(lex('[c', '(c'))).toBe(null);
    expect(zsl.firstInLex(lex('[c', '[c'))!.ele).toBe('c');
  });

  for (const size of [10_000, 100_000]) {
    it(`ranks stay consistent with the model at ${size} elements`, () => {
      const rnd = seeded(size);
      const zsl = new SkipList();
      const els: El[] = [];
      for (let i = 0; i < size; i++) {
        const x = { score: Math.floor(rnd() * size) / 7, ele: 'e' + i };
        els.push(x);
        zsl.insert(x.score, x.ele);
      }
      // Delete a tenth at random positions.
      for (let i = 0; i < size / 10; i++) {
        const j = Math.floor(rnd() * els.length);
        const x = els[j];
        els[j] = els[els.length - 1];
        els.pop();
        expect(zsl.delete(x.score, x.ele)).not.toBe(null);
      }
      const model = [...els].sort(cmp);
      expect(zsl.length).toBe(model.length);
      for (let i = 0; i < model.length; i += 37) {
        expect(zsl.getRank(model[i].score, model[i].ele)).toBe(i + 1);
        expect(zsl.byRank(i + 1)!.ele).toBe(model[i].ele);
      }
      let i = 0;
      for (const n of zsl.nodes()) {
        if (n.ele !== model[i].ele) expect(n.ele).toBe(model[i].ele);
        i++;
      }
      if (size === 10_000) check(zsl);
    });
  }
});
