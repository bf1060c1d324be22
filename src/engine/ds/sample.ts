/**
 * Random sampling shared by HRANDFIELD, SRANDMEMBER, SPOP (and ZRANDMEMBER): distinct picks from an
 * OrderedDict, and the bound on replies built from repeated picks.
 */
import type { OrderedDict } from '../keyspace.js';

/**
 * The longest reply a random-sampling command builds from repeated picks (a negative count). Redis would try
 * to build any size and fail on memory; an engine sharing a browser tab answers "ERR value is out of range"
 * instead of taking the tab down.
 */
export const RANDOM_REPLY_LIMIT = 1 << 22;

/**
 * `count` distinct random items of a dict of `size` (0 < count < size). Close to the whole dict, a partial
 * Fisher–Yates over every item; far from it, random picks until enough distinct ones — the split Redis
 * makes between its CASE 3 and CASE 4, for the same reason (sampling slows down as picks repeat).
 */
export function pickDistinct<V extends { seq: number; dead: boolean }>(
  dict: OrderedDict<V>,
  size: number,
  count: number,
  rnd: () => number,
): V[] {
  if (count * 3 > size) {
    const all = [...dict.values()];
    shuffleHead(all, count, rnd);
    all.length = count;
    return all;
  }
  const seen = new Set<V>();
  while (seen.size < count) seen.add(dict.random(rnd)!);
  return [...seen];
}

/** Distinct random indexes in [0, size) (0 < count < size), by the same split as pickDistinct. */
export function pickDistinctIndexes(size: number, count: number, rnd: () => number): number[] {
  if (count * 3 > size) {
    const all = Array.from({ length: size }, (_, i) => i);
    shuffleHead(all, count, rnd);
    all.length = count;
    return all;
  }
  const seen = new Set<number>();
  while (seen.size < count) seen.add(Math.floor(rnd() * size));
  return [...seen];
}

/** Partial Fisher–Yates: the first `count` items become a uniform random sample, in random order. */
function shuffleHead<T>(a: T[], count: number, rnd: () => number): void {
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rnd() * (a.length - i));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
