/**
 * Blocking commands (BLPOP & co.): clients waiting on keys, served first blocked, first served.
 *
 * Rules (Redis 7.0's blocked.c):
 * - a handler first tries to serve at once; only when nothing is there does it call `Ctx.block`, which inside
 *   EXEC (or MULTI) answers the timeout reply at once instead of blocking;
 * - a blocked session waits in a FIFO queue on every key it named; when a command changes one of those keys
 *   (every change reaches Engine.signalModifiedKey), the key is marked ready, and after that command (after
 *   EXEC as a whole for a transaction) the waiters are served in order while the key can serve them;
 * - a served waiter leaves every queue; serving may make other keys ready (BLMOVE's push), so this loops;
 * - timeouts run on the engine's timer, and answer the command's timeout reply (a null array for BLPOP).
 */
import { Ctx } from './ctx.js';
import { CommandError } from './errors.js';
import type { Db } from './keyspace.js';
import type { Reply } from './reply.js';
import type { Session } from './session.js';

/** Tries to serve a blocked command from `key`: its reply, or undefined when the key can't serve it yet. */
export type Serve = (c: Ctx, key: string) => Reply | undefined;

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const defaultTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

interface Waiter {
  session: Session;
  db: Db;
  keys: string[];
  argv: readonly string[];
  start: number;
  serve: Serve;
  timeoutReply: Reply;
  timer: unknown;
  done: boolean;
}

/** A unique reply value: "this command blocked; its reply comes later through session.onUnblock". */
export const BLOCKED = Object.freeze({ k: 'blocked' }) as unknown as Reply;

const slot = (db: Db, key: string) => `${db.id}\0${key}`;

export class Blocking {
  private readonly queues = new Map<string, Waiter[]>();
  private readonly ready = new Set<string>();
  private readonly readyKeys = new Map<string, { db: Db; key: string }>();

  constructor(
    private readonly run: (s: Session, argv: readonly string[], start: number) => Ctx,
    private readonly timers: Timers,
  ) {}

  /** Number of blocked sessions (INFO blocked_clients). */
  get count(): number {
    let n = 0;
    const seen = new Set<Session>();
    for (const q of this.queues.values()) for (const w of q) if (!seen.has(w.session)) (seen.add(w.session), n++);
    return n;
  }

  /** Block `c`'s session on `keys` for `timeoutMs` (0 = forever). */
  block(c: Ctx, keys: string[], timeoutMs: number, serve: Serve, timeoutReply: Reply): Reply {
    const w: Waiter = {
      session: c.session, db: c.db, keys, argv: c.argv, start: c.args.i, serve, timeoutReply, timer: null,
      done: false,
    };
    for (const k of new Set(keys)) {
      const s = slot(c.db, k);
      let q = this.queues.get(s);
      if (q === undefined) this.queues.set(s, (q = []));
      q.push(w);
    }
    if (timeoutMs > 0) w.timer = this.timers.set(() => this.finish(w, w.timeoutReply), timeoutMs);
    c.session.blocked = w;
    return BLOCKED;
  }

  /** A key changed: if anyone waits on it, serve them after the current command. */
  signal(db: Db, key: string): void {
    if (this.queues.size === 0) return; // the common case: nobody blocked, no key string to build
    const s = slot(db, key);
    if (this.queues.has(s) && !this.ready.has(s)) {
      this.ready.add(s);
      this.readyKeys.set(s, { db, key });
    }
  }

  /** Serve waiters of every ready key, in blocking order. Called by the engine after each top-level command. */
  serveReady(): void {
    while (this.ready.size > 0) {
      const batch = [...this.ready];
      this.ready.clear();
      for (const s of batch) {
        const { key } = this.readyKeys.get(s)!;
        this.readyKeys.delete(s);
        const q = this.queues.get(s);
        if (q === undefined) continue;
        for (const w of [...q]) {
          if (w.done) continue;
          const c = this.run(w.session, w.argv, w.start);
          let r: Reply | undefined;
          try {
            r = w.serve(c, key);
          } catch (e) {
            if (!(e instanceof CommandError)) throw e;
            r = undefined; // e.g. the key now holds another type: keep waiting, as Redis does
          }
          if (r === undefined) break;
          this.finish(w, r);
        }
      }
    }
  }

  /** Drop a session's wait without replying (the connection closed). */
  cancel(session: Session): void {
    const w = session.blocked;
    if (w instanceof Object && (w as Waiter).keys !== undefined) this.detach(w as Waiter);
  }

  /** CLIENT UNBLOCK: answer with the timeout reply (or `reply`). True when it was blocked. */
  unblock(session: Session, reply?: Reply): boolean {
    const w = session.blocked as Waiter | null;
    // Only key waiters can be unblocked; a deferred reply (Ctx.defer) is not a wait on keys.
    if (w === null || typeof w !== 'object' || w.done) return false;
    this.finish(w, reply ?? w.timeoutReply);
    return true;
  }

  private finish(w: Waiter, r: Reply): void {
    if (w.done) return;
    this.detach(w);
    w.session.onUnblock(r);
  }

  private detach(w: Waiter): void {
    w.done = true;
    if (w.timer !== null) this.timers.clear(w.timer);
    w.session.blocked = null;
    for (const k of new Set(w.keys)) {
      const s = slot(w.db, k);
      const q = this.queues.get(s);
      if (q === undefined) continue;
      const i = q.indexOf(w);
      if (i >= 0) q.splice(i, 1);
      if (q.length === 0) this.queues.delete(s);
    }
  }
}
