/**
 * WATCH: which sessions watch which keys, and the rule that breaks them.
 *
 * Rules (Redis 7.0's multi.c): a watch breaks on any change to the key — a write by any session (including
 * the watcher itself), expiry (active, lazy, or the key being logically expired at EXEC when it was not at
 * WATCH), FLUSHDB/FLUSHALL when the key existed, SWAPDB when it existed in either db — and on nothing else.
 */
import type { Db } from './keyspace.js';
import type { Session } from './session.js';

const slot = (db: Db, key: string) => `${db.id}\0${key}`;

export class Watches {
  private readonly byKey = new Map<string, Set<Session>>();

  get size(): number {
    return this.byKey.size;
  }

  watch(s: Session, db: Db, key: string, now: number): void {
    const k = slot(db, key);
    if (s.watching.has(k)) return;
    const e = db.dict.get(key);
    s.watching.set(k, { db, key, expired: e !== undefined && e.expireAt !== 0 && e.expireAt <= now });
    let set = this.byKey.get(k);
    if (set === undefined) this.byKey.set(k, (set = new Set()));
    set.add(s);
  }

  unwatchAll(s: Session): void {
    for (const k of s.watching.keys()) {
      const set = this.byKey.get(k);
      if (set === undefined) continue;
      set.delete(s);
      if (set.size === 0) this.byKey.delete(k);
    }
    s.watching.clear();
    s.dirtyCas = false;
  }

  /** A key changed. */
  touch(db: Db, key: string): void {
    if (this.byKey.size === 0) return;
    const k = slot(db, key);
    const set = this.byKey.get(k);
    // A session may have dropped its watches without us (RESET clears session state only): check it still watches.
    if (set !== undefined) for (const s of set) if (s.watching.has(k)) s.dirtyCas = true;
  }

  /**
   * A db is about to be emptied (FLUSHDB/FLUSHALL) or swapped: break watches on keys that exist in it now or,
   * for SWAPDB, in the db that replaces it.
   */
  touchDb(db: Db, replacedWith: Db | null): void {
    if (this.byKey.size === 0) return;
    for (const set of this.byKey.values()) {
      for (const s of set) {
        for (const w of s.watching.values()) {
          if (w.db !== db) continue;
          if (db.dict.has(w.key) || (replacedWith !== null && replacedWith.dict.has(w.key))) s.dirtyCas = true;
        }
      }
    }
  }

  /** At EXEC: a watched key that was live at WATCH and is logically expired now breaks the transaction. */
  expiredSinceWatch(s: Session, now: number): boolean {
    for (const w of s.watching.values()) {
      if (w.expired) continue;
      const e = w.db.dict.get(w.key);
      if (e !== undefined && e.expireAt !== 0 && e.expireAt <= now) return true;
    }
    return false;
  }
}
