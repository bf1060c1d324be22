/**
 * A double-ended queue of binary strings in a ring buffer — the list type's storage.
 *
 * Costs: push and pop at either end O(1) amortized, read or write by index O(1), insert inside
 * O(distance to the nearer end), ranged removal and filtering O(n) in one pass. The capacity is a power of
 * two so an index wraps with a mask; it doubles when full and halves when a quarter full, so a list that
 * grew to a million elements and was popped empty gives its memory back.
 */

const MIN_CAPACITY = 8;

export class Deque {
  private buf: (string | undefined)[];
  private head = 0;
  private len = 0;
  private mask: number;

  constructor(capacity = MIN_CAPACITY) {
    let cap = MIN_CAPACITY;
    while (cap < capacity) cap *= 2;
    this.buf = new Array<string | undefined>(cap);
    this.mask = cap - 1;
  }

  static from(items: readonly string[]): Deque {
    const d = new Deque(items.length);
    for (let i = 0; i < items.length; i++) d.buf[i] = items[i];
    d.len = items.length;
    return d;
  }

  get length(): number {
    return this.len;
  }

  /** Element at 0 ≤ i < length. */
  at(i: number): string {
    return this.buf[(this.head + i) & this.mask] as string;
  }

  /** Overwrite the element at 0 ≤ i < length. */
  set(i: number, v: string): void {
    this.buf[(this.head + i) & this.mask] = v;
  }

  pushBack(v: string): void {
    if (this.len === this.buf.length) this.resize(this.buf.length * 2);
    this.buf[(this.head + this.len) & this.mask] = v;
    this.len++;
  }

  pushFront(v: string): void {
    if (this.len === this.buf.length) this.resize(this.buf.length * 2);
    this.head = (this.head - 1) & this.mask;
    this.buf[this.head] = v;
    this.len++;
  }

  /** Remove and return the first element (the deque must not be empty). */
  popFront(): string {
    const v = this.buf[this.head] as string;
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.len--;
    this.maybeShrink();
    return v;
  }

  /** Remove and return the last element (the deque must not be empty). */
  popBack(): string {
    const i = (this.head + this.len - 1) & this.mask;
    const v = this.buf[i] as string;
    this.buf[i] = undefined;
    this.len--;
    this.maybeShrink();
    return v;
  }

  /** Insert `v` so that it becomes the element at index i (0 ≤ i ≤ length), shifting the nearer side. */
  insert(i: number, v: string): void {
    if (i <= 0) return this.pushFront(v);
    if (i >= this.len) return this.pushBack(v);
    if (this.len === this.buf.length) this.resize(this.buf.length * 2);
    if (i < this.len >> 1) {
      // Shift the first i elements one slot towards the front.
      this.head = (this.head - 1) & this.mask;
      for (let k = 0; k < i; k++) this.set(k, this.at(k + 1));
    } else {
      for (let k = this.len; k > i; k--) this.buf[(this.head + k) & this.mask] = this.at(k - 1);
    }
    this.len++;
    this.set(i, v);
  }

  /** The elements of [start, end] (inclusive, already clamped to the deque), in order or reversed. */
  range(start: number, end: number, reverse = false): string[] {
    const out = new Array<string>(end - start + 1);
    if (reverse) for (let i = end, j = 0; i >= start; i--, j++) out[j] = this.at(i);
    else for (let i = start, j = 0; i <= end; i++, j++) out[j] = this.at(i);
    return out;
  }

  /** Drop `n` elements from the front. */
  dropFront(n: number): void {
    if (n >= this.len) return this.clear();
    for (let k = 0; k < n; k++) {
      this.buf[this.head] = undefined;
      this.head = (this.head + 1) & this.mask;
    }
    this.len -= n;
    this.maybeShrink();
  }

  /** Drop `n` elements from the back. */
  dropBack(n: number): void {
    if (n >= this.len) return this.clear();
    for (let k = 0; k < n; k++) {
      this.len--;
      this.buf[(this.head + this.len) & this.mask] = undefined;
    }
    this.maybeShrink();
  }

  /**
   * Remove elements equal to `v`, at most `limit` of them (0: all), scanning from the front or, when
   * `fromBack`, from the back. One pass, survivors keep their order. Returns how many were removed.
   */
  removeEqual(v: string, limit: number, fromBack: boolean): number {
    const n = this.len;
    let removed = 0;
    if (!fromBack) {
      let w = 0;
      for (let r = 0; r < n; r++) {
        const x = this.at(r);
        if (x === v && (limit === 0 || removed < limit)) {
          removed++;
          continue;
        }
        if (w !== r) this.set(w, x);
        w++;
      }
      if (removed) this.dropBack(removed);
    } else {
      let w = n - 1;
      for (let r = n - 1; r >= 0; r--) {
        const x = this.at(r);
        if (x === v && (limit === 0 || removed < limit)) {
          removed++;
          continue;
        }
        if (w !== r) this.set(w, x);
        w--;
      }
      if (removed) this.dropFront(removed);
    }
    return removed;
  }

  toArray(): string[] {
    return this.len === 0 ? [] : this.range(0, this.len - 1);
  }

  clone(): Deque {
    return Deque.from(this.toArray());
  }

  clear(): void {
    this.buf = new Array<string | undefined>(MIN_CAPACITY);
    this.mask = MIN_CAPACITY - 1;
    this.head = 0;
    this.len = 0;
  }

  private maybeShrink(): void {
    const cap = this.buf.length;
    if (cap > MIN_CAPACITY && this.len <= cap >> 2) this.resize(cap >> 1);
  }

  private resize(cap: number): void {
    const nb = new Array<string | undefined>(cap);
    for (let i = 0; i < this.len; i++) nb[i] = this.buf[(this.head + i) & this.mask];
    this.buf = nb;
    this.mask = cap - 1;
    this.head = 0;
  }
}
