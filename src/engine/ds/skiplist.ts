/**
 * A skiplist with span counts — the sorted set's order, as Redis's zskiplist (t_zset.c).
 *
 * Elements are ordered by (score, member bytes): members are binary strings, so JS `<` is byte order. Each
 * forward link carries its span (how many level-0 steps it jumps), so a descent sums spans into a rank:
 * insert, delete, rank, element-by-rank and the first/last element of a score or lex range are all
 * O(log n) expected; walking on from there is O(1) per element, forwards (`next[0]`) or backwards
 * (`backward`).
 *
 * Rules the code keeps:
 * - scores are never NaN (callers refuse NaN before it gets here); -0 and 0 compare equal, as in C;
 * - a node keeps its identity for its whole life in the set, across score changes (the sorted set's dict
 *   maps member → node and its SCAN cursor uses the node's insertion sequence), so a score update moves the
 *   node object rather than making a new one;
 * - levels are drawn with p = 1/4 (Redis's ZSKIPLIST_P) from a private xorshift generator: deterministic,
 *   and independent of the engine's seeded random so that data-structure shape never perturbs command
 *   randomness in tests.
 */

/** Redis's ZSKIPLIST_MAXLEVEL. Levels drawn from 32 random bits stop at 17, which covers 4^16 elements. */
const MAX_LEVEL = 32;

export class ZNode {
  /** Level-i successor; null at the end. `next.length` is the node's level. */
  readonly next: (ZNode | null)[];
  /** Level-i span: how many level-0 steps `next[i]` is ahead (0 for a null link at the list's top). */
  readonly span: number[];
  backward: ZNode | null = null;
  /** Insertion sequence and liveness for the set's OrderedDict (SCAN cursors, random picks). */
  seq = 0;
  dead = false;

  constructor(
    readonly ele: string,
    public score: number,
    level: number,
  ) {
    this.next = new Array<ZNode | null>(level).fill(null);
    this.span = new Array<number>(level).fill(0);
  }

  /** The member, under the name SCAN helpers use for a slot's key. */
  get key(): string {
    return this.ele;
  }
}

/** A score interval; `minex`/`maxex` make an end open (`(1.5`). */
export interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

/** One end of a lex interval: `kind` -1 is `-` (below every string), 1 is `+` (above every string). */
export interface LexBound {
  kind: -1 | 0 | 1;
  s: string;
  /** Open end (`(a`); `-` and `+` are open, as in Redis. */
  ex: boolean;
}

export interface LexRange {
  min: LexBound;
  max: LexBound;
}

export const scoreGteMin = (v: number, r: ScoreRange): boolean => (r.minex ? v > r.min : v >= r.min);
export const scoreLteMax = (v: number, r: ScoreRange): boolean => (r.maxex ? v < r.max : v <= r.max);

/** Whether the interval can hold any score at all (Redis's zslIsInRange's first test). */
export function scoreRangeEmpty(r: ScoreRange): boolean {
  return r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
}

/** Redis's sdscmplex between two bounds: `-` and `+` are below and above every string, and equal to themselves. */
function cmpBounds(a: LexBound, b: LexBound): number {
  if (a.kind !== 0 && a.kind === b.kind) return 0;
  if (a.kind === -1 || b.kind === 1) return -1;
  if (a.kind === 1 || b.kind === -1) return 1;
  return a.s < b.s ? -1 : a.s > b.s ? 1 : 0;
}

export function lexGteMin(v: string, r: LexRange): boolean {
  const m = r.min;
  if (m.kind !== 0) return m.kind < 0;
  return m.ex ? v > m.s : v >= m.s;
}

export function lexLteMax(v: string, r: LexRange): boolean {
  const m = r.max;
  if (m.kind !== 0) return m.kind > 0;
  return m.ex ? v < m.s : v <= m.s;
}

export function lexRangeEmpty(r: LexRange): boolean {
  const c = cmpBounds(r.min, r.max);
  return c > 0 || (c === 0 && (r.min.ex || r.max.ex));
}

/** Strictly before (score, ele) in the set's order. */
const before = (n: ZNode, score: number, ele: string): boolean =>
  n.score < score || (n.score === score && n.ele < ele);

let rngState = 0x2545f491;

/** 1 + the number of leading pairs of zero bits of a random word: level k+1 with probability 4^-k. */
function randomLevel(): number {
  let x = rngState;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  rngState = x;
  return 1 + (Math.clz32(x) >> 1);
}

/**
 * The predicate of a descent: true for a prefix of the list (every node it holds for comes before every node
 * it fails for). `rank` is the node's 1-based rank.
 */
export type Prefix = (n: ZNode, rank: number) => boolean;

export class SkipList {
  readonly header = new ZNode('', 0, MAX_LEVEL);
  tail: ZNode | null = null;
  length = 0;
  private level = 1;
  /** Rank of the node the last `descend` stopped at (0 for the header). */
  lastRank = 0;
  // Scratch vectors for insert/delete, reused to keep those paths allocation-free.
  private readonly update: ZNode[] = new Array<ZNode>(MAX_LEVEL);
  private readonly rank: number[] = new Array<number>(MAX_LEVEL).fill(0);

  /** The first element, or null. */
  get first(): ZNode | null {
    return this.header.next[0];
  }

  /** A new node for (score, ele), inserted. The element must not be present. */
  insert(score: number, ele: string): ZNode {
    const x = new ZNode(ele, score, randomLevel());
    this.link(x);
    return x;
  }

  /**
   * Append a node known to sort after every present element (bulk loads from sorted data: revive, clone,
   * store destinations built in order). O(level) instead of a descent.
   */
  append(score: number, ele: string): ZNode {
    const x = new ZNode(ele, score, randomLevel());
    const lvl = x.next.length;
    if (lvl > this.level) {
      for (let i = this.level; i < lvl; i++) this.header.span[i] = this.length;
      this.level = lvl;
    }
    // The last node at each level is found from the top: the predecessor at level i is the last node of
    // level i, reached by walking from the predecessor at level i+1.
    let n = this.header;
    let r = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let f: ZNode | null;
      while ((f = n.next[i]) !== null) {
        r += n.span[i];
        n = f;
      }
      if (i < lvl) {
        n.next[i] = x;
        n.span[i] = this.length + 1 - r;
      } else {
        // A null link's span is the count of nodes after its node, as Redis keeps it; never read for a step.
        n.span[i] = this.length + 1 - r;
      }
    }
    x.backward = this.tail;
    this.tail = x;
    this.length++;
    return x;
  }

  /** Put a detached node (fresh, or unlinked by `unlink`) in its place. */
  private link(x: ZNode): void {
    const update = this.update;
    const rank = this.rank;
    const score = x.score;
    const ele = x.ele;
    let n = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      rank[i] = i === this.level - 1 ? 0 : rank[i + 1];
      let f: ZNode | null;
      while ((f = n.next[i]) !== null && before(f, score, ele)) {
        rank[i] += n.span[i];
        n = f;
      }
      update[i] = n;
    }
    const lvl = x.next.length;
    if (lvl > this.level) {
      for (let i = this.level; i < lvl; i++) {
        rank[i] = 0;
        update[i] = this.header;
        this.header.span[i] = this.length;
      }
      this.level = lvl;
    }
    for (let i = 0; i < lvl; i++) {
      const u = update[i];
      x.next[i] = u.next[i];
      u.next[i] = x;
      x.span[i] = u.span[i] - (rank[0] - rank[i]);
      u.span[i] = rank[0] - rank[i] + 1;
    }
    for (let i = lvl; i < this.level; i++) update[i].span[i]++;
    x.backward = update[0] === this.header ? null : update[0];
    const nx = x.next[0];
    if (nx !== null) nx.backward = x;
    else this.tail = x;
    this.length++;
  }

  /** Fill `update` with each level's last node before (score, ele); returns the level-0 successor. */
  private findUpdate(score: number, ele: string): ZNode | null {
    const update = this.update;
    let n = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f: ZNode | null;
      while ((f = n.next[i]) !== null && before(f, score, ele)) n = f;
      update[i] = n;
    }
    return n.next[0];
  }

  /** Unlink x given the update vector (Redis's zslDeleteNode). */
  private unlinkAt(x: ZNode): void {
    const update = this.update;
    for (let i = 0; i < this.level; i++) {
      const u = update[i];
      if (u.next[i] === x) {
        u.span[i] += x.span[i] - 1;
        u.next[i] = x.next[i];
      } else {
        u.span[i] -= 1;
      }
    }
    const nx = x.next[0];
    if (nx !== null) nx.backward = x.backward;
    else this.tail = x.backward;
    while (this.level > 1 && this.header.next[this.level - 1] === null) this.level--;
    this.length--;
  }

  /** Remove the element (score, ele); returns its node, or null when absent. */
  delete(score: number, ele: string): ZNode | null {
    const x = this.findUpdate(score, ele);
    if (x === null || x.score !== score || x.ele !== ele) return null;
    this.unlinkAt(x);
    return x;
  }

  /**
   * Change a present node's score (Redis's zslUpdateScore): in place when the order is kept, else the same
   * node object is unlinked and linked again at its new place.
   */
  updateScore(x: ZNode, score: number): void {
    const prev = x.backward;
    const nx = x.next[0];
    if ((prev === null || prev.score < score) && (nx === null || nx.score > score)) {
      x.score = score;
      return;
    }
    this.findUpdate(x.score, x.ele);
    this.unlinkAt(x);
    x.score = score;
    this.link(x);
  }

  /** 1-based rank of (score, ele), 0 when absent. */
  getRank(score: number, ele: string): number {
    let n = this.header;
    let r = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let f: ZNode | null;
      while ((f = n.next[i]) !== null && (f.score < score || (f.score === score && f.ele <= ele))) {
        r += n.span[i];
        n = f;
      }
      if (n !== this.header && n.ele === ele) return r;
    }
    return 0;
  }

  /** The node of 1-based rank `rank`, or null when out of range. */
  byRank(rank: number): ZNode | null {
    if (rank < 1 || rank > this.length) return null;
    let n = this.header;
    let r = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let f: ZNode | null;
      while ((f = n.next[i]) !== null && r + n.span[i] <= rank) {
        r += n.span[i];
        n = f;
      }
      if (r === rank) return n;
    }
    return null;
  }

  /**
   * The last node for which `p` holds (the header when none does), its rank left in `lastRank`.
   * O(log n) expected: the descent every range lookup is made of.
   */
  descend(p: Prefix): ZNode {
    let n = this.header;
    let r = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let f: ZNode | null;
      while ((f = n.next[i]) !== null && p(f, r + n.span[i])) {
        r += n.span[i];
        n = f;
      }
    }
    this.lastRank = r;
    return n;
  }

  /** First node with score in range, or null; its rank in `lastRank`. */
  firstInScore(r: ScoreRange): ZNode | null {
    if (scoreRangeEmpty(r) || this.tail === null || !scoreGteMin(this.tail.score, r)) return null;
    const n = this.descend((f) => !scoreGteMin(f.score, r)).next[0];
    this.lastRank++;
    return n !== null && scoreLteMax(n.score, r) ? n : null;
  }

  /** Last node with score in range, or null; its rank in `lastRank`. */
  lastInScore(r: ScoreRange): ZNode | null {
    if (scoreRangeEmpty(r) || this.length === 0 || !scoreLteMax(this.header.next[0]!.score, r)) return null;
    const n = this.descend((f) => scoreLteMax(f.score, r));
    return n !== this.header && scoreGteMin(n.score, r) ? n : null;
  }

  firstInLex(r: LexRange): ZNode | null {
    if (lexRangeEmpty(r) || this.tail === null || !lexGteMin(this.tail.ele, r)) return null;
    const n = this.descend((f) => !lexGteMin(f.ele, r)).next[0];
    this.lastRank++;
    return n !== null && lexLteMax(n.ele, r) ? n : null;
  }

  lastInLex(r: LexRange): ZNode | null {
    if (lexRangeEmpty(r) || this.length === 0 || !lexLteMax(this.header.next[0]!.ele, r)) return null;
    const n = this.descend((f) => lexLteMax(f.ele, r));
    return n !== this.header && lexGteMin(n.ele, r) ? n : null;
  }

  /**
   * Remove the run of nodes that starts after the prefix `skip` and continues while `keep(node, rank)` holds;
   * each removed node is passed to `removed`. Returns how many were removed. O(log n + removed).
   */
  deleteRun(skip: Prefix, keep: Prefix, removed: (n: ZNode) => void): number {
    const update = this.update;
    let n = this.header;
    let r = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let f: ZNode | null;
      while ((f = n.next[i]) !== null && skip(f, r + n.span[i])) {
        r += n.span[i];
        n = f;
      }
      update[i] = n;
    }
    let x = n.next[0];
    let count = 0;
    r++;
    while (x !== null && keep(x, r)) {
      const nx = x.next[0];
      this.unlinkAt(x);
      removed(x);
      count++;
      r++;
      x = nx;
    }
    return count;
  }

  /** Every node in order (tests, serialization). */
  *nodes(): IterableIterator<ZNode> {
    for (let n = this.header.next[0]; n !== null; n = n.next[0]) yield n;
  }
}
