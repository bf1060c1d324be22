/**
 * What a handler gets: the engine, the calling session, its db, the argv and a cursor over it, and the
 * command's time. Handlers keep Redis's sequence — look up → check type → mutate → reply → signal
 * modified → notify — through the helpers here, so that WATCH, persistence, the near-cache and keyspace
 * events all hang off `modified()` and `notify()` and nothing else.
 */
import { Args } from './args.js';
import { CommandError, E } from './errors.js';
import type { Engine } from './engine.js';
import type { Db, Entry, ObjType } from './keyspace.js';
import type { NotifyClass } from './notify.js';
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
  ) {
    this.args = new Args(argv, start);
    this.now = engine.now();
  }

  get db(): Db {
    return this.session.db;
  }

  /** Entry for reading (lazy expiry, hit/miss stats, access time), checked against `type` when given. */
  read(key: string, type?: ObjType): Entry | undefined {
    const e = this.db.lookupRead(key, this.now);
    if (e !== undefined && type !== undefined && e.type !== type) throw new CommandError(E.WRONGTYPE);
    return e;
  }

  /** Entry for writing (lazy expiry, no stats), checked against `type` when given. */
  write(key: string, type?: ObjType): Entry | undefined {
    const e = this.db.lookupWrite(key, this.now);
    if (e !== undefined && type !== undefined && e.type !== type) throw new CommandError(E.WRONGTYPE);
    return e;
  }

  /** Signal that `key` in this db changed: WATCH, persistence, near-cache invalidation, dirty counter. */
  modified(key: string, db: Db = this.db, changes = 1): void {
    this.engine.signalModifiedKey(db, key, changes);
  }

  /** Fire a keyspace event (the one path to notify.ts). */
  notify(cls: NotifyClass, event: string, key: string, db: Db = this.db): void {
    this.engine.notify(cls, event, key, db.id);
  }
}
