/**
 * An order-statistic B+tree of (score, member) pairs — the sorted set's order, standing in for Redis's
 * skiplist (t_zset.c) with the same costs and better constants in JS.
 *
 * Elements are ordered by (score, member bytes): members are binary strings, so JS `<` is byte order.
 * Leaves hold up to LEAF_MAX elements inline (a scores array and a members array, so a search touches
 * contiguous memory instead of chasing one pointer per element) and are linked both ways for range walks.
 * Inner nodes hold their children, each child's element count (for ranks), and each child's separator.
 *
 * Costs: insert, delete, rank, element-by-rank and the bounds of a score or lex range are O(log n) (a few
 * binary searches and count sums per level, depth ≈ log_64 n); walking on from an element is O(1) per
 * element either way; deleting a run of k elements is O(k + (k / leaf size + 1) log n).
 *
 * Invariants (checked by `check()` in the tests):
 * - a separator is a lower bound: every element of child i is ≥ separator i and < separator i+1 (separator 0
 *   is unused); separators are set when a node splits and never need to be exact minimums, so deletions
 *   leave them alone;
 * - `cnt[i]` is the number of elements under child i; `length` is the total;
 * - only the root may be smaller than the minimum fill; a leaf or inner node that drops below it merges with a
 *   sibling when the two fit in one node; empty nodes are removed at once;
 * - scores are never NaN (callers refuse NaN); -0 and 0 compare equal, as in C.
 */

const LEAF_MAX = 128;
const LEAF_MIN = 32;
const INNER_MAX = 64;
const INNER_MIN = 16;
/** Deep enough for any size a JS heap holds (16^16 elements at minimum fill). */
const MAX_DEPTH = 16;

class Leaf {
  s: number[] = [];
  e: string[] = [];
  prev: Leaf | null = null;
  next: Leaf | null = null;
}

class Inner {
  kids: (Leaf | Inner)[] = [];
  cnt: number[] = [];
  /** Separator of each child (index 0 unused): its score and member. */
  ks: number[] = [];
  ke: string[] = [];
}

type TreeNode = Leaf | Inner;

/** (s1, e1) < (s2, e2) in the set's order. */
const lt = (s1: number, e1: string, s2: number, e2: string): boolean => s1 < s2 || (s1 === s2 && e1 < e2);

/**
 * A predicate on (score, member) that holds for a prefix of the order: every pair it holds for sorts before
 * every pair it fails for. Range bounds are found as the length of such a prefix.
 */
export type Prefix = (score: number, ele: string) => boolean;

function sum(a: readonly number[], from = 0, to = a.length): number {
  let t = 0;
  for (let i = from; i < to; i++) t += a[i];
  return t;
}

function sizeOf(n: TreeNode): number {
  return n instanceof Leaf ? n.s.length : sum(n.cnt);
}

export class ZTree {
  private root: TreeNode = new Leaf();
  length = 0;
  // The path of the last descent: inner nodes and the child index taken at each depth.
  private readonly pn: Inner[] = new Array<Inner>(MAX_DEPTH);
  private readonly pi: number[] = new Array<number>(MAX_DEPTH).fill(0);
  private depth = 0;
  // Where the last `seek` landed.
  private leaf: Leaf = this.root as Leaf;
  private idx = 0;

  /** A tree of pairs already in order (bulk load: revive, clone, computed results). */
  static fromSorted(scores: readonly number[], eles: readonly string[]): ZTree {
    const t = new ZTree();
    const n = scores.length;
    if (n === 0) return t;
    // Leaves three-quarters full, so a few inserts do not split at once.
    const per = (LEAF_MAX * 3) >> 2;
    let level: TreeNode[] = [];
    let prev: Leaf | null = null;
    for (let i = 0; i < n; i += per) {
      const l = new Leaf();
      const end = Math.min(n, i + per);
      for (let j = i; j < end; j++) {
        l.s.push(scores[j]);
        l.e.push(eles[j]);
      }
      l.prev = prev;
      if (prev !== null) prev.next = l;
      prev = l;
      level.push(l);
    }
    const firstOf = (x: TreeNode): [number, string] => {
      while (x instanceof Inner) x = x.kids[0];
      return [x.s[0], x.e[0]];
    };
    const perInner = (INNER_MAX * 3) >> 2;
    while (level.length > 1) {
      const up: TreeNode[] = [];
      for (let i = 0; i < level.length; i += perInner) {
        const p = new Inner();
        for (let j = i; j < Math.min(level.length, i + perInner); j++) {
          const [s, e] = firstOf(level[j]);
          p.kids.push(level[j]);
          p.cnt.push(sizeOf(level[j]));
          p.ks.push(s);
          p.ke.push(e);
        }
        up.push(p);
      }
      // A last node below the minimum fill takes children from its left neighbour.
      if (up.length > 1) {
        const last = up[up.length - 1] as Inner;
        const before = up[up.length - 2] as Inner;
        if (last.kids.length < INNER_MIN) {
          const move = INNER_MIN - last.kids.length;
          last.kids.unshift(...before.kids.splice(before.kids.length - move));
          last.cnt.unshift(...before.cnt.splice(before.cnt.length - move));
          last.ks.unshift(...before.ks.splice(before.ks.length - move));
          last.ke.unshift(...before.ke.splice(before.ke.length - move));
        }
      }
      level = up;
    }
    t.root = level[0];
    t.length = n;
    return t;
  }

  // ---- lookups ----------------------------------------------------------------------------------------------

  /** Index of the child of `p` whose range holds (score, ele): the last separator ≤ it, else 0. */
  private route(p: Inner, score: number, ele: string): number {
    const ks = p.ks;
    const ke = p.ke;
    let lo = 0;
    let hi = ks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      const s = ks[mid];
      if (s < score || (s === score && ke[mid] <= ele)) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Descend to the leaf for (score, ele), recording the path; returns the leaf. */
  private descendTo(score: number, ele: string): Leaf {
    let n = this.root;
    let d = 0;
    while (n instanceof Inner) {
      const i = this.route(n, score, ele);
      this.pn[d] = n;
      this.pi[d] = i;
      d++;
      n = n.kids[i];
    }
    this.depth = d;
    return n;
  }

  /** First index in a leaf not before (score, ele). */
  private static lowerBound(l: Leaf, score: number, ele: string): number {
    const s = l.s;
    const e = l.e;
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const x = s[mid];
      if (x < score || (x === score && e[mid] < ele)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** 0-based rank of (score, ele), or -1 when absent. */
  rank(score: number, ele: string): number {
    let n = this.root;
    let r = 0;
    while (n instanceof Inner) {
      const i = this.route(n, score, ele);
      const cnt = n.cnt;
      for (let j = 0; j < i; j++) r += cnt[j];
      n = n.kids[i];
    }
    const i = ZTree.lowerBound(n, score, ele);
    return i < n.s.length && n.s[i] === score && n.e[i] === ele ? r + i : -1;
  }

  /** How many elements the prefix predicate `p` holds for: the rank of the first element it fails for. */
  countPrefix(p: Prefix): number {
    let n = this.root;
    let r = 0;
    while (n instanceof Inner) {
      const ks = n.ks;
      const ke = n.ke;
      let lo = 0;
      let hi = ks.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (p(ks[mid], ke[mid])) lo = mid;
        else hi = mid - 1;
      }
      const cnt = n.cnt;
      for (let j = 0; j < lo; j++) r += cnt[j];
      n = n.kids[lo];
    }
    const s = n.s;
    const e = n.e;
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (p(s[mid], e[mid])) lo = mid + 1;
      else hi = mid;
    }
    return r + lo;
  }

  /** Position the cursor on 0-based rank `rank` (0 ≤ rank < length), recording the path. */
  private seek(rank: number): void {
    let n = this.root;
    let d = 0;
    while (n instanceof Inner) {
      const cnt = n.cnt;
      let i = 0;
      while (rank >= cnt[i]) rank -= cnt[i++];
      this.pn[d] = n;
      this.pi[d] = i;
      d++;
      n = n.kids[i];
    }
    this.depth = d;
    this.leaf = n;
    this.idx = rank;
  }

  scoreAt(rank: number): number {
    this.seek(rank);
    return this.leaf.s[this.idx];
  }

  eleAt(rank: number): string {
    this.seek(rank);
    return this.leaf.e[this.idx];
  }

  /**
   * Visit elements from 0-based rank `from` (which must exist) towards the end, or towards the start when
   * `reverse`, until `f` returns false or the set ends.
   */
  walk(from: number, reverse: boolean, f: (ele: string, score: number) => boolean | void): void {
    this.seek(from);
    let l: Leaf | null = this.leaf;
    let i = this.idx;
    while (l !== null) {
      if (f(l.e[i], l.s[i]) === false) return;
      if (reverse) {
        if (--i < 0) {
          l = l.prev;
          if (l !== null) i = l.s.length - 1;
        }
      } else if (++i >= l.s.length) {
        l = l.next;
        i = 0;
      }
    }
  }

  // ---- updates ----------------------------------------------------------------------------------------------

  /** Insert (score, ele), which must not be present. */
  insert(score: number, ele: string): void {
    const l = this.descendTo(score, ele);
    for (let d = 0; d < this.depth; d++) this.pn[d].cnt[this.pi[d]]++;
    const i = ZTree.lowerBound(l, score, ele);
    if (i === l.s.length) {
      l.s.push(score);
      l.e.push(ele);
    } else {
      l.s.splice(i, 0, score);
      l.e.splice(i, 0, ele);
    }
    this.length++;
    if (l.s.length > LEAF_MAX) this.splitLeaf(l);
  }

  /** Remove (score, ele); false when absent. */
  delete(score: number, ele: string): boolean {
    const l = this.descendTo(score, ele);
    const i = ZTree.lowerBound(l, score, ele);
    if (i >= l.s.length || l.s[i] !== score || l.e[i] !== ele) return false;
    for (let d = 0; d < this.depth; d++) this.pn[d].cnt[this.pi[d]]--;
    l.s.splice(i, 1);
    l.e.splice(i, 1);
    this.length--;
    this.rebalanceLeaf(l);
    return true;
  }

  /**
   * Change the score of the present (score, ele): in place when its neighbours in the leaf keep it in order
   * (Redis's zslUpdateScore fast path), else a delete and an insert.
   */
  update(score: number, ele: string, to: number): void {
    const l = this.descendTo(score, ele);
    const i = ZTree.lowerBound(l, score, ele);
    const s = l.s;
    const e = l.e;
    if (i > 0 && i < s.length - 1 && lt(s[i - 1], e[i - 1], to, ele) && lt(to, ele, s[i + 1], e[i + 1])) {
      s[i] = to;
      return;
    }
    this.delete(score, ele);
    this.insert(to, ele);
  }

  /**
   * Remove `count` elements from 0-based rank `from` on, telling `removed` about each in order. Whole
   * stretches of a leaf go at once.
   */
  deleteRange(from: number, count: number, removed: (ele: string, score: number) => void): number {
    count = Math.min(count, this.length - from);
    let done = 0;
    while (done < count) {
      this.seek(from);
      const l = this.leaf;
      const i = this.idx;
      const k = Math.min(count - done, l.s.length - i);
      const es = l.e.splice(i, k);
      const ss = l.s.splice(i, k);
      for (let j = 0; j < k; j++) removed(es[j], ss[j]);
      for (let d = 0; d < this.depth; d++) this.pn[d].cnt[this.pi[d]] -= k;
      this.length -= k;
      done += k;
      this.rebalanceLeaf(l);
    }
    return done;
  }

  // ---- splitting and merging ---------------------------------------------------------------------------------

  private splitLeaf(l: Leaf): void {
    const r = new Leaf();
    const h = l.s.length >> 1;
    r.s = l.s.splice(h);
    r.e = l.e.splice(h);
    r.next = l.next;
    if (r.next !== null) r.next.prev = r;
    l.next = r;
    r.prev = l;
    this.addChild(this.depth - 1, r, r.s[0], r.e[0], l.s.length, r.s.length);
  }

  /**
   * Put `node` (split off the right of the node the path reaches at depth `level` + 1) after it in its parent,
   * splitting upward as needed. `leftCount`/`rightCount` are the two halves' sizes.
   */
  private addChild(level: number, node: TreeNode, sepS: number, sepE: string, leftCount: number, rightCount: number): void {
    if (level < 0) {
      const p = new Inner();
      p.kids = [this.root, node];
      p.cnt = [leftCount, rightCount];
      p.ks = [0, sepS];
      p.ke = ['', sepE];
      this.root = p;
      return;
    }
    const p = this.pn[level];
    const i = this.pi[level];
    p.kids.splice(i + 1, 0, node);
    p.cnt[i] = leftCount;
    p.cnt.splice(i + 1, 0, rightCount);
    p.ks.splice(i + 1, 0, sepS);
    p.ke.splice(i + 1, 0, sepE);
    if (p.kids.length <= INNER_MAX) return;
    const q = new Inner();
    const h = p.kids.length >> 1;
    q.kids = p.kids.splice(h);
    q.cnt = p.cnt.splice(h);
    q.ks = p.ks.splice(h);
    q.ke = p.ke.splice(h);
    this.addChild(level - 1, q, q.ks[0], q.ke[0], sum(p.cnt), sum(q.cnt));
  }

  /** After a removal from leaf `l` (reached by the recorded path): drop it if empty, merge it if underfull. */
  private rebalanceLeaf(l: Leaf): void {
    const level = this.depth - 1;
    if (level < 0) return; // the root leaf may hold anything
    const p = this.pn[level];
    const i = this.pi[level];
    const n = l.s.length;
    if (n === 0) {
      this.unlinkLeaf(l);
      this.removeChild(level, i);
      return;
    }
    if (n >= LEAF_MIN) return;
    if (i > 0) {
      const left = p.kids[i - 1] as Leaf;
      if (left.s.length + n <= LEAF_MAX) {
        for (let j = 0; j < n; j++) {
          left.s.push(l.s[j]);
          left.e.push(l.e[j]);
        }
        p.cnt[i - 1] += n;
        this.unlinkLeaf(l);
        this.removeChild(level, i);
        return;
      }
    }
    if (i < p.kids.length - 1) {
      const right = p.kids[i + 1] as Leaf;
      const m = right.s.length;
      if (n + m <= LEAF_MAX) {
        for (let j = 0; j < m; j++) {
          l.s.push(right.s[j]);
          l.e.push(right.e[j]);
        }
        p.cnt[i] += m;
        this.unlinkLeaf(right);
        this.removeChild(level, i + 1);
      }
    }
  }

  private unlinkLeaf(l: Leaf): void {
    if (l.prev !== null) l.prev.next = l.next;
    if (l.next !== null) l.next.prev = l.prev;
    l.prev = l.next = null;
  }

  /** Remove child `i` of the inner node at depth `level` of the path, then fix that node's fill. */
  private removeChild(level: number, i: number): void {
    const p = this.pn[level];
    p.kids.splice(i, 1);
    p.cnt.splice(i, 1);
    p.ks.splice(i, 1);
    p.ke.splice(i, 1);
    const n = p.kids.length;
    if (level === 0) {
      if (n === 1) this.root = p.kids[0];
      else if (n === 0) this.root = new Leaf();
      return;
    }
    if (n >= INNER_MIN) return;
    const g = this.pn[level - 1];
    const gi = this.pi[level - 1];
    if (n === 0) {
      this.removeChild(level - 1, gi);
      return;
    }
    if (gi > 0) {
      const left = g.kids[gi - 1] as Inner;
      if (left.kids.length + n <= INNER_MAX) {
        // p's first child gets p's own separator: the one that bounds p from below in g.
        p.ks[0] = g.ks[gi];
        p.ke[0] = g.ke[gi];
        for (let j = 0; j < n; j++) {
          left.kids.push(p.kids[j]);
          left.cnt.push(p.cnt[j]);
          left.ks.push(p.ks[j]);
          left.ke.push(p.ke[j]);
        }
        g.cnt[gi - 1] += g.cnt[gi];
        this.removeChild(level - 1, gi);
        return;
      }
    }
    if (gi < g.kids.length - 1) {
      const right = g.kids[gi + 1] as Inner;
      const m = right.kids.length;
      if (n + m <= INNER_MAX) {
        right.ks[0] = g.ks[gi + 1];
        right.ke[0] = g.ke[gi + 1];
        for (let j = 0; j < m; j++) {
          p.kids.push(right.kids[j]);
          p.cnt.push(right.cnt[j]);
          p.ks.push(right.ks[j]);
          p.ke.push(right.ke[j]);
        }
        g.cnt[gi] += g.cnt[gi + 1];
        this.removeChild(level - 1, gi + 1);
      }
    }
  }

  // ---- whole-tree views -----------------------------------------------------------------------------------------

  /** Every element in order. */
  forEach(f: (ele: string, score: number) => void): void {
    if (this.length > 0) this.walk(0, false, f);
  }

  /**
   * Verify every invariant (tests): order across leaves, leaf links, counts, separator bounds, fill. Throws a
   * description of the first violation.
   */
  check(): void {
    const leaves: Leaf[] = [];
    const visit = (n: TreeNode, lo: [number, string] | null, hi: [number, string] | null, isRoot: boolean): number => {
      if (n instanceof Leaf) {
        if (!isRoot && n.s.length < 1) throw new Error('empty leaf');
        if (n.s.length > LEAF_MAX) throw new Error('leaf over capacity');
        for (let i = 0; i < n.s.length; i++) {
          if (lo && lt(n.s[i], n.e[i], lo[0], lo[1])) throw new Error('element below its separator');
          if (hi && !lt(n.s[i], n.e[i], hi[0], hi[1])) throw new Error('element not below the next separator');
          if (i > 0 && !lt(n.s[i - 1], n.e[i - 1], n.s[i], n.e[i])) throw new Error('leaf out of order');
        }
        leaves.push(n);
        return n.s.length;
      }
      if (n.kids.length > INNER_MAX || (!isRoot && n.kids.length < 1) || (isRoot && n.kids.length < 2)) {
        throw new Error(`inner fill ${n.kids.length}`);
      }
      if (n.cnt.length !== n.kids.length || n.ks.length !== n.kids.length || n.ke.length !== n.kids.length) {
        throw new Error('inner arrays differ in length');
      }
      let total = 0;
      for (let i = 0; i < n.kids.length; i++) {
        const klo: [number, string] | null = i === 0 ? lo : [n.ks[i], n.ke[i]];
        const khi: [number, string] | null = i === n.kids.length - 1 ? hi : [n.ks[i + 1], n.ke[i + 1]];
        const c = visit(n.kids[i], klo, khi, false);
        if (c !== n.cnt[i]) throw new Error(`count ${n.cnt[i]} for a subtree of ${c}`);
        total += c;
      }
      return total;
    };
    const total = visit(this.root, null, null, true);
    if (total !== this.length) throw new Error(`length ${this.length} for ${total} elements`);
    for (let i = 0; i < leaves.length; i++) {
      if (leaves[i].prev !== (i === 0 ? null : leaves[i - 1])) throw new Error('bad prev link');
      if (leaves[i].next !== (i === leaves.length - 1 ? null : leaves[i + 1])) throw new Error('bad next link');
      if (i > 0) {
        const a = leaves[i - 1];
        const b = leaves[i];
        if (!lt(a.s[a.s.length - 1], a.e[a.e.length - 1], b.s[0], b.e[0])) throw new Error('leaves out of order');
      }
    }
  }
}

// ---- ranges ---------------------------------------------------------------------------------------------------

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
  /** Open end (`(a`); `-` and `+` count as open, as in Redis. */
  ex: boolean;
}

export interface LexRange {
  min: LexBound;
  max: LexBound;
}

export const scoreGteMin = (v: number, r: ScoreRange): boolean => (r.minex ? v > r.min : v >= r.min);
export const scoreLteMax = (v: number, r: ScoreRange): boolean => (r.maxex ? v < r.max : v <= r.max);

/** Whether the interval can hold no score at all (Redis's zslIsInRange's first test). */
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

/** 0-based rank of the first element with a score in range, or -1. */
export function firstInScore(t: ZTree, r: ScoreRange): number {
  if (t.length === 0 || scoreRangeEmpty(r)) return -1;
  const i = t.countPrefix((s) => !scoreGteMin(s, r));
  return i < t.length && scoreLteMax(t.scoreAt(i), r) ? i : -1;
}

/** 0-based rank of the last element with a score in range, or -1. */
export function lastInScore(t: ZTree, r: ScoreRange): number {
  if (t.length === 0 || scoreRangeEmpty(r)) return -1;
  const i = t.countPrefix((s) => scoreLteMax(s, r)) - 1;
  return i >= 0 && scoreGteMin(t.scoreAt(i), r) ? i : -1;
}

/** 0-based rank of the first element with a member in the lex range, or -1 (lex ranges assume equal scores). */
export function firstInLex(t: ZTree, r: LexRange): number {
  if (t.length === 0 || lexRangeEmpty(r)) return -1;
  const i = t.countPrefix((_s, e) => !lexGteMin(e, r));
  return i < t.length && lexLteMax(t.eleAt(i), r) ? i : -1;
}

export function lastInLex(t: ZTree, r: LexRange): number {
  if (t.length === 0 || lexRangeEmpty(r)) return -1;
  const i = t.countPrefix((_s, e) => lexLteMax(e, r)) - 1;
  return i >= 0 && lexGteMin(t.eleAt(i), r) ? i : -1;
}
