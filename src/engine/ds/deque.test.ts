import { describe, expect, it } from 'vitest';
import { seeded } from '../../../test/helpers.js';
import { Deque } from './deque.js';

describe('Deque', () => {
  it('matches an array model under random operations', () => {
    const rnd = seeded(7);
    const d = new Deque();
    let model: string[] = [];
    for (let step = 0; step < 20000; step++) {
      const op = Math.floor(rnd() * 10);
      const v = `v${Math.floor(rnd() * 20)}`;
      switch (op) {
        case 0:
        case 1:
          d.pushBack(v);
          model.push(v);
          break;
        case 2:
        case 3:
          d.pushFront(v);
          model.unshift(v);
          break;
        case 4:
          if (model.length) expect(d.popFront()).toBe(model.shift());
          break;
        case 5:
          if (model.length) expect(d.popBack()).toBe(model.pop());
          break;
        case 6: {
          const i = Math.floor(rnd() * (model.length + 1));
          d.insert(i, v);
          model.splice(i, 0, v);
          break;
        }
        case 7: {
          const limit = Math.floor(rnd() * 3);
          const back = rnd() < 0.5;
          const before = model.length;
          const n = d.removeEqual(v, limit, back);
          let removed = 0;
          if (!back) model = model.filter((x) => !(x === v && (limit === 0 || removed++ < limit)));
          else model = model.reverse().filter((x) => !(x === v && (limit === 0 || removed++ < limit))).reverse();
          expect(n).toBe(before - model.length);
          break;
        }
        case 8: {
          const k = Math.floor(rnd() * 3);
          if (rnd() < 0.5) {
            d.dropFront(k);
            model.splice(0, k);
          } else {
            d.dropBack(k);
            model.splice(Math.max(0, model.length - k), k);
          }
          break;
        }
        case 9:
          if (model.length) {
            const i = Math.floor(rnd() * model.length);
            d.set(i, v);
            model[i] = v;
          }
          break;
      }
      expect(d.length).toBe(model.length);
    }
    expect(d.toArray()).toEqual(model);
    if (model.length > 2) expect(d.range(1, model.length - 2, true)).toEqual(model.slice(1, -1).reverse());
  });

  it('grows to a million and shrinks back', () => {
    const d = new Deque();
    for (let i = 0; i < 1_000_000; i++) d.pushFront(String(i));
    expect(d.at(0)).toBe('999999');
    expect(d.at(999_999)).toBe('0');
    for (let i = 0; i < 999_999; i++) d.popBack();
    expect(d.length).toBe(1);
    expect(d.toArray()).toEqual(['999999']);
  });

  it('round-trips through from/clone', () => {
    const d = Deque.from(['a', 'b', 'c']);
    const c = d.clone();
    d.pushBack('x');
    expect(c.toArray()).toEqual(['a', 'b', 'c']);
    expect(d.toArray()).toEqual(['a', 'b', 'c', 'x']);
  });
});
