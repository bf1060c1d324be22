/**
 * What a handler gets: the engine, the calling session, its db, the argv and a cursor over it, and the
 * command's time. Handlers keep Redis's sequence — look up → check type → mutate → reply → signal
 * modified → notify — through the helpers here, so that WATCH, persistence, the near-cache and keyspace
 * events all hang off `modified()` and `notify()` and nothing else.
 */
import { Args } from './args.js';
import { BLOCKED, type Serve } from './blocking.js';
import { NULL_ARRAY, type Reply } from './reply.js';
import { CommandError, E } from './errors.js';
import type { Engine } from './engine.js';
import type { Db, Entry, ObjType } from './keyspace.js';
import { NotifyClass } from './notify.js';
import type { Session } from './session.js';

export class Ctx {
  readonly args: Args;
  /** The command's time in ms, read once: every expiry decision in one command agrees (as Redis's cached mstime). */
  readonly now: number;

  constructor(
    readonly engine: Engine,
    readonly session: Session,
    readonly argv: readonly string[],
    /** Index of the first argument after the (sub)command name. */
    start = 1,
    /** The command's time, when the caller has just read the clock (one read per command, not two). */
    now?: number,
  ) {
    this.args = new Args(argv, start);
    this.now = now ?? engine.now();
  }

  get db(): Db {
    return this.session.db;
  }

  /**
   * Entry for reading (lazy expiry, hit/miss stats, access time unless `touch` is false, a `keymiss` event
   * when absent, as Redis's lookupKeyRead), checked against `type` when given.
   */
  read(key: string, type?: ObjType, touch = true): Entry | undefined {
    const e = this.db.lookupRead(key, this.now, touch);
    if (e === undefined) this.notify(NotifyClass.KeyMiss, 'keymiss', key);
    else if (type !== undefined && e.type !== type) throw new CommandError(E.WRONGTYPE);
    return e;
  }

  /** Entry for writing (lazy expiry, access time, no stats), checked against `type` when given. */
  write(key: string, type?: ObjType): Entry | undefined {
    const e = this.db.lookupWrite(key, this.now);
    if (e !== undefined && type !== undefined && e.type !== type) throw new CommandError(E.WRONGTYPE);
    return e;
  }

  /** Signal that `key` in this db changed: WATCH, persistence, near-cache invalidation, dirty counter. */
  modified(key: string, db: Db = this.db, changes = 1): void {
    this.engine.signalModifiedKey(db, key, changes);
  }

  /**
   * Block the session on `keys` until `serve` can answer from one of them or `timeoutMs` passes (0 = never),
   * as BLPOP does. Inside EXEC nothing blocks: the timeout reply comes at once, as in Redis.
   */
  block(keys: string[], timeoutMs: number, serve: Serve, timeoutReply: Reply = NULL_ARRAY): Reply {
    if (this.session.inExec) return timeoutReply;
    return this.engine.blocking.block(this, keys, timeoutMs, serve, timeoutReply);
  }

  /**
   * Answer later (SAVE waiting for a flush, WAIT …): returns the BLOCKED reply to return from the handler and
   * the function that delivers the real reply. The session holds its later commands until then, as for a
   * blocking command. Inside EXEC nothing may wait: such handlers must answer at once there.
   */
  defer(): { reply: Reply; resolve: (r: Reply) => void } {
    const s = this.session;
    s.blocked = 'deferred';
    let done = false;
    return {
      reply: BLOCKED,
      resolve: (r) => {
        if (done) return;
        done = true;
        s.blocked = null;
        if (!s.closed) s.onUnblock(r);
      },
    };
  }

  /** Fire a keyspace event (the one path to notify.ts). */
  notify(cls: NotifyClass, event: string, key: string, db: Db = this.db): void {
    this.engine.notify(cls, event, key, db.id);
  }
}
