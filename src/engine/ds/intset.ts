/**
 * A sorted array of distinct 64-bit integers — what Redis's intset is to a small all-integer set. Values are
 * Int64 (a number, or a bigint beyond 2^53, never both for one value), so `<` and `===` compare them exactly.
 * Lookups are binary searches; insertion and removal move the tail, O(n), as in Redis, whose intsets are
 * bounded by set-max-intset-entries.
 */
import type { Int64 } from '../numbers.js';

export class IntSet {
  private readonly a: Int64[];

  constructor(sorted: Int64[] = []) {
    this.a = sorted;
  }

  get size(): number {
    return this.a.length;
  }

  /** Index of `v`, or -(insertion point) - 1 when absent. */
  private search(v: Int64): number {
    const a = this.a;
    let lo = 0;
    let hi = a.length - 1;
    // Fast paths for appending in order, the common way intsets are filled.
    if (hi >= 0 && v > a[hi]) return -(hi + 1) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const x = a[mid];
      if (x < v) lo = mid + 1;
      else if (x > v) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }

  has(v: Int64): boolean {
    return this.search(v) >= 0;
  }

  /** Add `v`; false when it was already there. */
  add(v: Int64): boolean {
    const i = this.search(v);
    if (i >= 0) return false;
    const at = -i - 1;
    if (at === this.a.length) this.a.push(v);
    else this.a.splice(at, 0, v);
    return true;
  }

  /** Remove `v`; false when it was not there. */
  remove(v: Int64): boolean {
    const i = this.search(v);
    if (i < 0) return false;
    this.a.splice(i, 1);
    return true;
  }

  at(i: number): Int64 {
    return this.a[i];
  }

  /** The values in ascending order (the live array: do not modify). */
  values(): readonly Int64[] {
    return this.a;
  }

  /** Keep only the values for which `keep` says so, in one pass. */
  filter(keep: (v: Int64, i: number) => boolean): void {
    let w = 0;
    for (let r = 0; r < this.a.length; r++) if (keep(this.a[r], r)) this.a[w++] = this.a[r];
    this.a.length = w;
  }

  clone(): IntSet {
    return new IntSet(this.a.slice());
  }
}
