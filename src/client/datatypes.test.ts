/**
 * The data-type families' typed methods (commands/{list,hash,set,zset,sort}.ts) against the real worker code over
 * a MessageChannel: arguments as node-redis v4 takes them, replies as it shapes them — the same inside
 * multi().exec(), under RESP3 and with withBytes().
 */
import { describe, expect, it } from 'vitest';
import { testClient } from '../../test/client-worker.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('lists', () => {
  it('push, pop, range and friends', async () => {
    const { db } = await testClient();
    expect(await db.rPush('l', ['a', 'b', 'c'])).toBe(3);
    expect(await db.lPush('l', 'z')).toBe(4);
    expect(await db.lPushX('none', 'x')).toBe(0);
    expect(await db.rPushX('l', ['d', 'e'])).toBe(6);
    expect(await db.lRange('l', 0, -1)).toEqual(['z', 'a', 'b', 'c', 'd', 'e']);
    expect(await db.lLen('l')).toBe(6);
    expect(await db.lIndex('l', -1)).toBe('e');
    expect(await db.lIndex('l', 99)).toBe(null);
    expect(await db.lInsert('l', 'BEFORE', 'b', 'a')).toBe(7);
    expect(await db.lInsert('l', 'AFTER', 'nope', 'x')).toBe(-1);
    expect(await db.lPos('l', 'a')).toBe(1);
    expect(await db.lPos('l', 'a', { RANK: -1 })).toBe(2);
    expect(await db.lPos('l', 'nope')).toBe(null);
    expect(await db.lPosCount('l', 'a', 0)).toEqual([1, 2]);
    expect(await db.lPosCount('l', 'a', 0, { MAXLEN: 2 })).toEqual([1]);
    expect(await db.lRem('l', 0, 'a')).toBe(2);
    expect(await db.lSet('l', 0, 'y')).toBe('OK');
    await expect(db.lSet('l', 99, 'y')).rejects.toThrow('ERR index out of range');
    expect(await db.lTrim('l', 0, 3)).toBe('OK');
    expect(await db.lRange('l', 0, -1)).toEqual(['y', 'b', 'c', 'd']);
    expect(await db.lPop('l')).toBe('y');
    expect(await db.rPop('l')).toBe('d');
    expect(await db.lPopCount('l', 5)).toEqual(['b', 'c']);
    expect(await db.lPop('l')).toBe(null);
    expect(await db.lPopCount('l', 2)).toBe(null);
    expect(await db.rPopCount('l', 2)).toBe(null);
  });

  it('moves and multi-key pops', async () => {
    const { db } = await testClient();
    await db.rPush('src', ['1', '2', '3']);
    expect(await db.lMove('src', 'dst', 'LEFT', 'RIGHT')).toBe('1');
    expect(await db.rPopLPush('src', 'dst')).toBe('3');
    expect(await db.lRange('dst', 0, -1)).toEqual(['3', '1']);
    expect(await db.lMove('empty', 'dst', 'LEFT', 'LEFT')).toBe(null);
    expect(await db.lmPop(['empty', 'dst'], 'RIGHT', { COUNT: 5 })).toEqual(['dst', ['1', '3']]);
    expect(await db.lmPop('empty', 'LEFT')).toBe(null);
    await expect(db.lmPop([], 'LEFT')).rejects.toThrow("ERR wrong number of arguments for 'lmpop' command");
  });
});

describe('hashes', () => {
  it('hSet takes a field and value, an object, a Map, pairs or a flat array', async () => {
    const { db } = await testClient();
    expect(await db.hSet('h', 'f', 'v')).toBe(1);
    expect(await db.hSet('h', { a: '1', b: 2 })).toBe(2);
    expect(await db.hSet('h', new Map<string | number, string>([['c', '3'], [4, 'four']]))).toBe(2);
    expect(await db.hSet('h', [['d', '4'], ['e', enc('é')]])).toBe(2);
    expect(await db.hSet('h', ['g', '7', 'f', 'w'])).toBe(1);
    expect(await db.hGetAll('h')).toEqual({ f: 'w', a: '1', b: '2', c: '3', 4: 'four', d: '4', e: 'é', g: '7' });
  });

  it('hGetAll gives a record with no prototype: __proto__ and constructor are fields like any other', async () => {
    const { db } = await testClient();
    const fields = Object.create(null) as Record<string, string>;
    fields['__proto__'] = 'p';
    fields['constructor'] = 'c';
    fields['toString'] = 't';
    expect(await db.hSet('h', fields)).toBe(3);
    // An object literal's computed __proto__ key is an own property too.
    expect(await db.hSet('h', { ['__proto__']: 'p2', hasOwnProperty: 'h' })).toBe(1);
    expect((await db.hKeys('h')).sort()).toEqual(['__proto__', 'constructor', 'hasOwnProperty', 'toString']);
    const all = await db.hGetAll('h');
    expect(Object.getPrototypeOf(all)).toBe(null);
    expect(Object.keys(all).sort()).toEqual(['__proto__', 'constructor', 'hasOwnProperty', 'toString']);
    expect(all['__proto__']).toBe('p2');
    expect(all['constructor']).toBe('c');
    expect(all['toString']).toBe('t');
    // A missing hash: an empty record, still without a prototype.
    const none = await db.hGetAll('none');
    expect(Object.keys(none)).toEqual([]);
    expect(Object.getPrototypeOf(none)).toBe(null);
    // The near-cache serves the next read: same shape, a fresh object.
    const again = await db.hGetAll('h');
    expect(again).not.toBe(all);
    expect(again['__proto__']).toBe('p2');
  });

  it('the rest of the family', async () => {
    const { db } = await testClient();
    await db.hSet('h', { a: '1', b: 'hello' });
    expect(await db.hGet('h', 'b')).toBe('hello');
    expect(await db.hGet('h', 'none')).toBe(null);
    expect(await db.hExists('h', 'a')).toBe(true);
    expect(await db.hExists('h', 'z')).toBe(false);
    expect(await db.hSetNX('h', 'a', 'x')).toBe(false);
    expect(await db.hSetNX('h', 'c', 'x')).toBe(true);
    expect(await db.hIncrBy('h', 'a', 10)).toBe(11);
    expect(await db.hIncrBy('h', 'big', 2n ** 62n)).toBe(2n ** 62n);
    expect(await db.hIncrByFloat('h', 'f', 1.5)).toBe('1.5');
    expect(await db.hStrLen('h', 'b')).toBe(5);
    expect(await db.hmGet('h', ['a', 'none', 'b'])).toEqual(['11', null, 'hello']);
    expect(await db.hLen('h')).toBe(5);
    expect((await db.hVals('h')).length).toBe(5);
    expect(await db.hDel('h', ['big', 'f', 'none'])).toBe(2);
    expect(['a', 'b', 'c']).toContain(await db.hRandField('h'));
    expect(await db.hRandField('none')).toBe(null);
    expect((await db.hRandFieldCount('h', 10)).sort()).toEqual(['a', 'b', 'c']);
    expect(await db.hRandFieldCount('h', -5)).toHaveLength(5);
    const rv = await db.hRandFieldCountWithValues('h', 3);
    expect(Object.getPrototypeOf(rv)).toBe(null);
    expect({ ...rv }).toEqual({ a: '11', b: 'hello', c: 'x' });
  });

  it('hScanIterator over a hash of 1,000 fields yields every field once, with its value', async () => {
    const { db } = await testClient();
    const fields = new Map<string, string>();
    for (let i = 0; i < 1000; i++) fields.set(`field:${i}`, `value:${i}`);
    expect(await db.hSet('big', fields)).toBe(1000);
    const first = await db.hScan('big', 0, { COUNT: 10 });
    expect(first.cursor).toBeGreaterThan(0);
    expect(first.tuples[0]).toEqual({ field: expect.stringMatching(/^field:/), value: expect.stringMatching(/^value:/) });
    const seen = new Map<string, string>();
    let n = 0;
    for await (const { field, value } of db.hScanIterator('big', { COUNT: 50 })) {
      seen.set(field, value);
      n++;
    }
    expect(n).toBe(1000);
    expect(seen).toEqual(fields);
    const matched: string[] = [];
    for await (const t of db.hScanIterator('big', { MATCH: 'field:99*' })) matched.push(t.field);
    expect(matched.sort()).toEqual(['field:99', 'field:990', 'field:991', 'field:992', 'field:993', 'field:994',
      'field:995', 'field:996', 'field:997', 'field:998', 'field:999']);
  });

  it('withBytes(): values stay bytes, field names become text', async () => {
    const { db } = await testClient();
    await db.hSet('h', 'f', new Uint8Array([0xff, 0]));
    const all = await db.withBytes().hGetAll('h');
    expect(Object.keys(all)).toEqual(['f']);
    expect(all.f).toEqual(new Uint8Array([0xff, 0]));
    const fields: Uint8Array[] = [];
    await db.hSet('bin', [[new Uint8Array([0xff]), '1'], [new Uint8Array([0xfe]), '2']]);
    for await (const t of db.withBytes().hScanIterator('bin')) fields.push(t.field);
    expect(fields.map((f) => f[0]).sort()).toEqual([0xfe, 0xff]);
  });
});

describe('sets', () => {
  it('the family with node-redis shapes', async () => {
    const { db } = await testClient();
    expect(await db.sAdd('s', ['a', 'b', 'c'])).toBe(3);
    expect(await db.sAdd('s', 'a')).toBe(0);
    expect(await db.sAdd('t', ['b', 'c', 'd'])).toBe(3);
    expect(await db.sCard('s')).toBe(3);
    expect(await db.sIsMember('s', 'a')).toBe(true);
    expect(await db.sIsMember('s', 'z')).toBe(false);
    expect(await db.smIsMember('s', ['a', 'z', 'c'])).toEqual([true, false, true]);
    expect((await db.sMembers('s')).sort()).toEqual(['a', 'b', 'c']);
    expect(await db.sDiff(['s', 't'])).toEqual(['a']);
    expect((await db.sInter(['s', 't'])).sort()).toEqual(['b', 'c']);
    expect((await db.sUnion(['s', 't'])).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(await db.sInterCard(['s', 't'])).toBe(2);
    expect(await db.sInterCard(['s', 't'], 1)).toBe(1);
    expect(await db.sDiffStore('d1', ['s', 't'])).toBe(1);
    expect(await db.sInterStore('d2', ['s', 't'])).toBe(2);
    expect(await db.sUnionStore('d3', ['s', 't'])).toBe(4);
    expect(await db.sMove('s', 't', 'a')).toBe(true);
    expect(await db.sMove('s', 't', 'a')).toBe(false);
    expect(await db.sRem('t', ['a', 'z'])).toBe(1);
    expect(['b', 'c']).toContain(await db.sRandMember('s'));
    expect(await db.sRandMemberCount('s', -4)).toHaveLength(4);
    expect(await db.sRandMember('none')).toBe(null);
    expect(['b', 'c']).toContain(await db.sPop('s'));
    expect(await db.sPopCount('s', 5)).toHaveLength(1);
    expect(await db.sPop('s')).toBe(null);
    expect(await db.sPopCount('s', 2)).toEqual([]);
  });

  it('sScanIterator yields every member once', async () => {
    const { db } = await testClient();
    const members = Array.from({ length: 600 }, (_, i) => `m${i}`);
    await db.sAdd('s', members);
    const seen: string[] = [];
    for await (const m of db.sScanIterator('s', { COUNT: 40 })) seen.push(m);
    expect(seen.sort()).toEqual([...members].sort());
    const page = await db.sScan('s', 0, { MATCH: 'm1*' });
    expect(typeof page.cursor).toBe('number');
  });
});

describe('sorted sets', () => {
  it('zAdd takes one member or many, and node-redis’s flags', async () => {
    const { db } = await testClient();
    expect(await db.zAdd('z', { score: 1, value: 'a' })).toBe(1);
    expect(await db.zAdd('z', [{ score: 2, value: 'b' }, { score: 3, value: 'c' }])).toBe(2);
    expect(await db.zAdd('z', { score: 5, value: 'a' }, { NX: true })).toBe(0);
    expect(await db.zScore('z', 'a')).toBe(1);
    expect(await db.zAdd('z', [{ score: 0, value: 'a' }, { score: 9, value: 'd' }], { XX: true, CH: true })).toBe(1);
    expect(await db.zScore('z', 'd')).toBe(null);
    expect(await db.zAdd('z', [{ score: 1, value: 'a' }, { score: 1, value: 'b' }], { GT: true, CH: true })).toBe(1);
    expect(await db.zAdd('z', { score: 10, value: 'c' }, { LT: true, CH: true })).toBe(0);
    expect(await db.zAdd('z', { score: 2.5, value: 'c' }, { INCR: true })).toBe(5.5);
    expect(await db.zAdd('z', { score: 1, value: 'new' }, { INCR: true, XX: true })).toBe(null);
    expect(await db.zAddIncr('z', { score: -0.5, value: 'c' })).toBe(5);
    expect(await db.zAddIncr('z', { score: 1, value: 'c' }, { NX: true })).toBe(null);
    await expect(db.zAdd('z', { score: 1, value: 'a' }, { NX: true, GT: true })).rejects.toThrow(
      'ERR GT, LT, and/or NX options at the same time are not compatible',
    );
    expect(await db.zRangeWithScores('z', 0, -1)).toEqual([
      { value: 'a', score: 1 },
      { value: 'b', score: 2 },
      { value: 'c', score: 5 },
    ]);
  });

  it('scores: ±Infinity both ways, fractions, exponents', async () => {
    const { db } = await testClient();
    await db.zAdd('z', [
      { score: -Infinity, value: 'low' },
      { score: Infinity, value: 'high' },
      { score: 1.5, value: 'mid' },
      { score: 1e21, value: 'huge' },
      { score: -0.1, value: 'neg' },
    ]);
    expect(await db.zScore('z', 'high')).toBe(Infinity);
    expect(await db.zScore('z', 'low')).toBe(-Infinity);
    expect(await db.zScore('z', 'huge')).toBe(1e21);
    expect(await db.zmScore('z', ['low', 'mid', 'none', 'high'])).toEqual([-Infinity, 1.5, null, Infinity]);
    expect(await db.zRangeWithScores('z', 0, -1)).toEqual([
      { value: 'low', score: -Infinity },
      { value: 'neg', score: -0.1 },
      { value: 'mid', score: 1.5 },
      { value: 'huge', score: 1e21 },
      { value: 'high', score: Infinity },
    ]);
    expect(await db.zCount('z', -Infinity, Infinity)).toBe(5);
    expect(await db.zCount('z', '(-inf', '(+inf')).toBe(3);
    expect(await db.zIncrBy('z', 0.25, 'mid')).toBe(1.75);
    expect(await db.zIncrBy('z', Infinity, 'mid')).toBe(Infinity);
    await expect(db.zIncrBy('z', -Infinity, 'mid')).rejects.toThrow('ERR resulting score is not a number (NaN)');
    expect(await db.zRangeByScore('z', 1e21, Infinity)).toEqual(['huge', 'high', 'mid']);
    expect(await db.zPopMax('z')).toEqual({ value: 'mid', score: Infinity });
  });

  it('zRange by index, score and lex, reversed, with LIMIT', async () => {
    const { db } = await testClient();
    await db.zAdd('z', ['a', 'b', 'c', 'd', 'e'].map((value, i) => ({ score: i + 1, value })));
    expect(await db.zRange('z', 0, -1)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await db.zRange('z', 0, 1, { REV: true })).toEqual(['e', 'd']);
    expect(await db.zRange('z', 2, '(4', { BY: 'SCORE' })).toEqual(['b', 'c']);
    expect(await db.zRange('z', -Infinity, Infinity, { BY: 'SCORE', LIMIT: { offset: 1, count: 2 } })).toEqual(['b', 'c']);
    expect(await db.zRange('z', Infinity, 2, { BY: 'SCORE', REV: true, LIMIT: { offset: 1, count: 2 } })).toEqual(['d', 'c']);
    expect(await db.zRange('z', '[b', '(d', { BY: 'LEX' })).toEqual(['b', 'c']);
    expect(await db.zRange('z', '+', '-', { BY: 'LEX', REV: true, LIMIT: { offset: 0, count: 2 } })).toEqual(['e', 'd']);
    expect(await db.zRangeWithScores('z', 4, 100, { BY: 'SCORE' })).toEqual([
      { value: 'd', score: 4 },
      { value: 'e', score: 5 },
    ]);
    expect(await db.zRangeByScore('z', '(1', 3)).toEqual(['b', 'c']);
    expect(await db.zRangeByScoreWithScores('z', 0, 10, { LIMIT: { offset: 3, count: 5 } })).toEqual([
      { value: 'd', score: 4 },
      { value: 'e', score: 5 },
    ]);
    expect(await db.zRangeByLex('z', '-', '[b')).toEqual(['a', 'b']);
    expect(await db.zRevRange('z', 0, 1)).toEqual(['e', 'd']);
    expect(await db.zRevRangeWithScores('z', -1, -1)).toEqual([{ value: 'a', score: 1 }]);
    expect(await db.zRevRangeByScore('z', 3, '-inf')).toEqual(['c', 'b', 'a']);
    expect(await db.zRevRangeByScoreWithScores('z', Infinity, 4)).toEqual([
      { value: 'e', score: 5 },
      { value: 'd', score: 4 },
    ]);
    expect(await db.zRevRangeByLex('z', '(c', '-', { LIMIT: { offset: 0, count: 1 } })).toEqual(['b']);
    expect(await db.zRangeStore('dst', 'z', 2, 4, { BY: 'SCORE' })).toBe(3);
    expect(await db.zRange('dst', 0, -1)).toEqual(['b', 'c', 'd']);
    await expect(db.zRange('z', 0, 1, { LIMIT: { offset: 0, count: 1 } })).rejects.toThrow(
      'ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX',
    );
  });

  it('counts, ranks, removals, pops, random members', async () => {
    const { db } = await testClient();
    await db.zAdd('z', ['a', 'b', 'c', 'd', 'e'].map((value, i) => ({ score: i, value })));
    expect(await db.zCard('z')).toBe(5);
    expect(await db.zLexCount('z', '[b', '+')).toBe(4);
    expect(await db.zRank('z', 'c')).toBe(2);
    expect(await db.zRevRank('z', 'c')).toBe(2);
    expect(await db.zRank('z', 'none')).toBe(null);
    expect(await db.zRem('z', ['a', 'none'])).toBe(1);
    expect(await db.zRemRangeByRank('z', 0, 0)).toBe(1);
    expect(await db.zRemRangeByScore('z', 4, Infinity)).toBe(1);
    expect(await db.zRemRangeByLex('z', '[d', '+')).toBe(1);
    expect(await db.zRange('z', 0, -1)).toEqual(['c']);
    await db.zAdd('p', ['a', 'b', 'c', 'd'].map((value, i) => ({ score: i, value })));
    expect(await db.zPopMin('p')).toEqual({ value: 'a', score: 0 });
    expect(await db.zPopMaxCount('p', 2)).toEqual([
      { value: 'd', score: 3 },
      { value: 'c', score: 2 },
    ]);
    expect(await db.zPopMinCount('p', 5)).toEqual([{ value: 'b', score: 1 }]);
    expect(await db.zPopMin('p')).toBe(null);
    expect(await db.zPopMaxCount('p', 2)).toEqual([]);
    await db.zAdd('m', [{ score: 1, value: 'x' }, { score: 2, value: 'y' }]);
    expect(await db.zmPop(['p', 'm'], 'MAX')).toEqual({ key: 'm', elements: [{ value: 'y', score: 2 }] });
    expect(await db.zmPop(['p', 'none'], 'MIN', { COUNT: 2 })).toBe(null);
    expect(['c']).toContain(await db.zRandMember('z'));
    expect(await db.zRandMember('none')).toBe(null);
    expect(await db.zRandMemberCount('z', -3)).toEqual(['c', 'c', 'c']);
    expect(await db.zRandMemberCountWithScores('z', 2)).toEqual([{ value: 'c', score: 2 }]);
  });

  it('union, intersection and difference with WEIGHTS and AGGREGATE', async () => {
    const { db } = await testClient();
    await db.zAdd('a', [{ score: 1, value: 'x' }, { score: 2, value: 'y' }]);
    await db.zAdd('b', [{ score: 10, value: 'y' }, { score: 20, value: 'z' }]);
    expect(await db.zUnion(['a', 'b'])).toEqual(['x', 'y', 'z']);
    expect(await db.zUnionWithScores(['a', 'b'], { WEIGHTS: [2, 1], AGGREGATE: 'MAX' })).toEqual([
      { value: 'x', score: 2 },
      { value: 'y', score: 10 },
      { value: 'z', score: 20 },
    ]);
    expect(await db.zInter(['a', 'b'])).toEqual(['y']);
    expect(await db.zInterWithScores(['a', 'b'], { AGGREGATE: 'MIN' })).toEqual([{ value: 'y', score: 2 }]);
    expect(await db.zInterWithScores(['a', 'b'], { WEIGHTS: [Infinity, 0] })).toEqual([{ value: 'y', score: Infinity }]);
    expect(await db.zInterCard(['a', 'b'])).toBe(1);
    expect(await db.zInterCard(['a', 'b'], 1)).toBe(1);
    expect(await db.zDiff(['a', 'b'])).toEqual(['x']);
    expect(await db.zDiffWithScores('a')).toEqual([
      { value: 'x', score: 1 },
      { value: 'y', score: 2 },
    ]);
    expect(await db.zUnionStore('u', ['a', 'b'], { WEIGHTS: [1, 0.5] })).toBe(3);
    expect(await db.zScore('u', 'y')).toBe(7);
    expect(await db.zInterStore('i', ['a', 'b'], { AGGREGATE: 'MAX' })).toBe(1);
    expect(await db.zScore('i', 'y')).toBe(10);
    expect(await db.zDiffStore('d', ['b', 'a'])).toBe(1);
    expect(await db.zRange('d', 0, -1)).toEqual(['z']);
  });

  it('zScanIterator yields every member with its score', async () => {
    const { db } = await testClient();
    const members = Array.from({ length: 500 }, (_, i) => ({ score: i / 2, value: `m${i}` }));
    await db.zAdd('z', members);
    await db.zAdd('z', { score: -Infinity, value: 'm0' });
    const seen: { value: string; score: number }[] = [];
    for await (const m of db.zScanIterator('z', { COUNT: 30 })) seen.push(m);
    const expected = [{ score: -Infinity, value: 'm0' }, ...members.slice(1)];
    const byValue = (a: { value: string }, b: { value: string }) => (a.value < b.value ? -1 : 1);
    expect(seen.sort(byValue)).toEqual(expected.sort(byValue));
  });
});

describe('blocking commands', () => {
  it('blPop waits for another client’s push without stalling the other clients of the worker', async () => {
    const { db } = await testClient();
    const waiter = db.duplicate();
    const pusher = db.duplicate();
    let settled = false;
    const popped = waiter.blPop(['q1', 'q2'], 0).then((r) => {
      settled = true;
      return r;
    });
    // Other clients of the same worker are served while blPop waits.
    expect(await db.set('k', 'v')).toBe('OK');
    expect(await pusher.get('k')).toBe('v');
    expect(await db.lLen('q2')).toBe(0);
    expect(settled).toBe(false);
    expect(await pusher.rPush('q2', ['x', 'y'])).toBe(2);
    expect(await popped).toEqual({ key: 'q2', element: 'x' });
    expect(await db.lRange('q2', 0, -1)).toEqual(['y']);
    expect(await waiter.brPop('q2', 0)).toEqual({ key: 'q2', element: 'y' });
  });

  it('the other blocking list commands, served and timed out', async () => {
    const { db } = await testClient();
    const waiter = db.duplicate();
    const moved = waiter.blMove('src', 'dst', 'LEFT', 'RIGHT', 0);
    const popped = waiter.blmPop(0, ['a', 'b'], 'RIGHT', { COUNT: 3 });
    await db.rPush('src', ['1', '2']);
    expect(await moved).toBe('1');
    await db.rPush('b', ['p', 'q']);
    expect(await popped).toEqual(['b', ['q', 'p']]);
    expect(await waiter.brPopLPush('src', 'dst', 0)).toBe('2');
    expect(await db.lRange('dst', 0, -1)).toEqual(['2', '1']);
    expect(await waiter.blPop('none', 0.02)).toBe(null);
    expect(await waiter.blmPop(0.02, 'none', 'LEFT')).toBe(null);
    expect(await waiter.brPopLPush('none', 'dst', 0.02)).toBe(null);
  });

  it('bzPopMin times out with null; bzPopMax / bzmPop are served with scores', async () => {
    const { db } = await testClient();
    expect(await db.bzPopMin('none', 0.02)).toBe(null);
    expect(await db.bzmPop(0.02, ['none', 'none2'], 'MIN')).toBe(null);
    const waiter = db.duplicate();
    const max = waiter.bzPopMax(['z1', 'z2'], 0);
    const mpop = waiter.bzmPop(0, 'z3', 'MIN', { COUNT: 2 });
    await db.zAdd('z2', [{ score: 1, value: 'a' }, { score: Infinity, value: 'b' }]);
    expect(await max).toEqual({ key: 'z2', value: 'b', score: Infinity });
    await db.zAdd('z3', [{ score: -1.5, value: 'x' }, { score: 2, value: 'y' }, { score: 3, value: 'z' }]);
    expect(await mpop).toEqual({ key: 'z3', elements: [{ value: 'x', score: -1.5 }, { value: 'y', score: 2 }] });
    expect(await db.bzPopMin(['z2'], 0)).toEqual({ key: 'z2', value: 'a', score: 1 });
  });
});

describe('SORT', () => {
  it('sorts with BY, GET, LIMIT, DIRECTION, ALPHA; stores; SORT_RO', async () => {
    const { db } = await testClient();
    await db.rPush('ids', ['3', '1', '2']);
    await db.mSet({ w_1: '30', w_2: '10', w_3: '20', n_1: 'one', n_3: 'three' });
    await db.hSet('h_2', 'name', 'two');
    expect(await db.sort('ids')).toEqual(['1', '2', '3']);
    expect(await db.sort('ids', { DIRECTION: 'DESC', LIMIT: { offset: 0, count: 2 } })).toEqual(['3', '2']);
    expect(await db.sort('ids', { BY: 'w_*' })).toEqual(['2', '3', '1']);
    expect(await db.sort('ids', { BY: 'w_*', GET: ['#', 'n_*', 'h_*->name'] })).toEqual([
      '2', null, 'two',
      '3', 'three', null,
      '1', 'one', null,
    ]);
    expect(await db.sort('ids', { BY: 'nosort', GET: 'n_*' })).toEqual(['three', 'one', null]);
    await db.rPush('words', ['pear', 'apple', 'fig']);
    expect(await db.sort('words', { ALPHA: true })).toEqual(['apple', 'fig', 'pear']);
    await expect(db.sort('words')).rejects.toThrow("ERR One or more scores can't be converted into double");
    expect(await db.sortRo('words', { ALPHA: true, DIRECTION: 'DESC' })).toEqual(['pear', 'fig', 'apple']);
    expect(await db.sortStore('ids', 'sorted', { BY: 'w_*', GET: 'n_*' })).toBe(3);
    expect(await db.lRange('sorted', 0, -1)).toEqual(['', 'three', 'one']);
  });
});

describe('in multi() and pipelines', () => {
  it('exec() replies are transformed as the methods transform them', async () => {
    const { db } = await testClient();
    const r = await db
      .multi()
      .lPush('l', ['a', 'b'])
      .zAdd('z', [{ score: 1, value: 'x' }, { score: Infinity, value: 'y' }])
      .zAdd('z', { score: 1, value: 'x' }, { INCR: true })
      .zRangeWithScores('z', 0, -1)
      .zScore('z', 'y')
      .hSet('h', { ['__proto__']: 'p' })
      .hGetAll('h')
      .sIsMember('s', 'm')
      .blPop('l', 0)
      .bzPopMin('none', 0)
      .zPopMin('z')
      .sort('l', { ALPHA: true })
      .exec();
    expect(r).toEqual([
      2,
      2,
      2,
      [{ value: 'x', score: 2 }, { value: 'y', score: Infinity }],
      Infinity,
      1,
      Object.assign(Object.create(null), { ['__proto__']: 'p' }),
      false,
      { key: 'l', element: 'b' },
      null,
      { value: 'x', score: 2 },
      ['a'],
    ]);
    expect(Object.getPrototypeOf(r[6])).toBe(null);
    expect(await db.multi().lPush('l', 'c').lRange('l', 0, -1).zmScore('z', ['y', 'none']).execAsPipeline()).toEqual([
      2,
      ['c', 'a'],
      [Infinity, null],
    ]);
  });
});

describe('other reply forms', () => {
  it('RESP3 (HELLO 3): the same shapes from maps, pairs and doubles', async () => {
    const { db } = await testClient();
    const r3 = db.duplicate();
    await r3.sendCommand(['HELLO', '3']);
    await r3.hSet('h', { ['__proto__']: 'p', f: 'v' });
    const all = await r3.hGetAll('h');
    expect(Object.getPrototypeOf(all)).toBe(null);
    expect({ ...all }).toEqual({ ['__proto__']: 'p', f: 'v' });
    expect(Object.keys(await r3.hRandFieldCountWithValues('h', 2)).sort()).toEqual(['__proto__', 'f']);
    await r3.zAdd('z', [{ score: 1.5, value: 'a' }, { score: Infinity, value: 'b' }]);
    expect(await r3.zAdd('z', { score: 1, value: 'a' }, { INCR: true })).toBe(2.5);
    expect(await r3.zScore('z', 'b')).toBe(Infinity);
    expect(await r3.zmScore('z', ['a', 'none'])).toEqual([2.5, null]);
    expect(await r3.zIncrBy('z', 1, 'a')).toBe(3.5);
    expect(await r3.zRangeWithScores('z', 0, -1)).toEqual([
      { value: 'a', score: 3.5 },
      { value: 'b', score: Infinity },
    ]);
    expect(await r3.zRandMemberCountWithScores('z', -1)).toHaveLength(1);
    expect(await r3.zUnionWithScores('z')).toEqual([
      { value: 'a', score: 3.5 },
      { value: 'b', score: Infinity },
    ]);
    expect((await r3.zScan('z', 0)).members).toHaveLength(2);
    expect(await r3.zPopMin('z')).toEqual({ value: 'a', score: 3.5 });
    await r3.zAdd('z', { score: 0, value: 'c' });
    expect(await r3.zPopMaxCount('z', 1)).toEqual([{ value: 'b', score: Infinity }]);
    expect(await r3.bzPopMin('z', 0)).toEqual({ key: 'z', value: 'c', score: 0 });
    await r3.zAdd('z', { score: 4, value: 'd' });
    expect(await r3.zmPop('z', 'MAX')).toEqual({ key: 'z', elements: [{ value: 'd', score: 4 }] });
    expect((await r3.hScan('h', 0)).tuples).toHaveLength(2);
  });

  it('withBytes(): members as Uint8Array, scores still numbers', async () => {
    const { db } = await testClient();
    const b = db.withBytes();
    await b.zAdd('z', [{ score: 2, value: new Uint8Array([0xff]) }, { score: -Infinity, value: 'x' }]);
    expect(await b.zRangeWithScores('z', 0, -1)).toEqual([
      { value: new Uint8Array([0x78]), score: -Infinity },
      { value: new Uint8Array([0xff]), score: 2 },
    ]);
    expect(await b.zScore('z', new Uint8Array([0xff]))).toBe(2);
    expect(await b.zPopMax('z')).toEqual({ value: new Uint8Array([0xff]), score: 2 });
    await b.rPush('l', new Uint8Array([0xfe]));
    expect(await b.blPop('l', 0)).toEqual({ key: enc('l'), element: new Uint8Array([0xfe]) });
  });
});
