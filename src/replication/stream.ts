/**
 * The replication stream's two ends over one engine: on the leader, `Capture` turns what commands changed
 * into stream entries; on a replica, `applyOps` puts entries into the keyspace. `Backlog` keeps the latest
 * entries for partial resync (a tab that joins or falls behind) and for a candidate leader catching up.
 *
 * Rules:
 * - the leader's changes are learnt from the engine's one signal path (signalModifiedKey, signalFlushedDb),
 *   the same that feeds WATCH, persistence and near-cache tracking, so nothing that changes data is missed;
 * - an entry is built when it is cut (end of the task that made the changes), from the keyspace as it then is:
 *   a key changed twice in one task travels once, with its final state;
 * - applying is idempotent (puts of whole values, deletes, db clears), so an entry applied twice, or entries
 *   replayed over a snapshot that already holds them, leave the same keyspace;
 * - applying goes through the engine's signals too (near-cache invalidation, persistence marks on a replica
 *   that may become leader), but fires no keyspace events: the leader fired them where the command ran.
 */
import type { Engine } from '../engine/engine.js';
import { reviveValue, serializeValue, type Db, type Entry as KeyEntry } from '../engine/keyspace.js';
import { Session } from '../engine/session.js';
import { lookupCommand } from '../engine/table.js';
import { PROPAGATED, type Applied, type Entry, type StreamOp } from './protocol.js';

/** The session a replica runs stream commands on: its own, in no client list. */
const streamSessions = new WeakMap<Engine, Session>();
function streamSession(engine: Engine): Session {
  let s = streamSessions.get(engine);
  if (s === undefined) streamSessions.set(engine, (s = new Session(engine.dbs[0], engine.now())));
  return s;
}

/**
 * Tabs share one database, so they share its configuration: every CONFIG SET at the leader travels in the
 * stream (encodings, maxmemory and its policy, notify-keyspace-events, appendfsync …), and a full sync carries
 * every parameter, so a tab that takes over leads with the same settings. A replica stores them but acts on
 * none that only a leader acts on (it evicts nothing, writes nothing).
 */
function replicated(name: string): boolean {
  return !NOT_REPLICATED.has(name);
}

/** Parameters of one worker, not of the database. */
const NOT_REPLICATED = new Set(['databases', 'port', 'cluster-enabled']);

export function putOp(db: number, e: KeyEntry): StreamOp {
  return [0, db, e.key, e.type, serializeValue(e), e.expireAt, e.raw ? 1 : 0];
}

/** What became of one key in the current task: the commands that changed it, or null (send its state). */
interface KeyLog {
  cmds: string[][] | null;
  /** The engine's id of the last command logged (a command may signal its key more than once). */
  lastId: number;
}

/** Leader side: collects the keys and dbs changed since the last cut. */
export class Capture {
  private readonly keys = new Map<Db, Map<string, KeyLog>>();
  private readonly cleared = new Set<Db>();
  private config: [string, string][] = [];
  private reqs: Applied[] = [];
  private any = false;
  /** Called once per task with changes pending (the owner cuts an entry then). */
  onPending: () => void = () => {};
  enabled = false;

  constructor(private readonly engine: Engine) {
    engine.onKeyModified((db, key) => {
      // A db emptied in this task travels whole (its state at the cut): nothing to log for its keys.
      if (!this.enabled || this.cleared.has(db)) {
        if (this.enabled) this.mark();
        return;
      }
      let m = this.keys.get(db);
      if (m === undefined) this.keys.set(db, (m = new Map()));
      const argv = engine.currentArgv;
      const id = engine.currentId;
      const e = db.dict.get(key);
      const asCommand =
        argv !== null && engine.currentDb === db && argv.length > 1 && argv[1] === key &&
        e !== undefined && e.expireAt === 0 && PROPAGATED.has(argv[0].toLowerCase());
      let log = m.get(key);
      if (log === undefined) m.set(key, (log = { cmds: asCommand ? [] : null, lastId: 0 }));
      if (log.cmds !== null) {
        if (!asCommand) log.cmds = null;
        else if (log.lastId !== id) {
          log.cmds.push(argv!.slice());
          log.lastId = id;
        }
      }
      this.mark();
    });
    engine.onDbFlushed((db) => {
      if (!this.enabled) return;
      for (const d of db === null ? engine.dbs : [db]) {
        this.cleared.add(d);
        this.keys.delete(d);
      }
      this.mark();
    });
    engine.config.onChange((name) => {
      if (!this.enabled || !replicated(name)) return;
      this.config.push([name, engine.config.get(name) ?? '']);
      this.mark();
    });
  }

  private mark(): void {
    if (this.any) return;
    this.any = true;
    this.onPending();
  }

  get pending(): boolean {
    return this.any;
  }

  /** A forwarded command changed data: its id and reply travel with the entry that holds its effects. */
  applied(a: Applied): void {
    this.reqs.push(a);
  }

  /** Drop what was collected (a tab stepping down). */
  reset(): void {
    this.keys.clear();
    this.cleared.clear();
    this.config = [];
    this.reqs = [];
    this.any = false;
  }

  /** The ops of everything changed since the last cut, from the keyspace as it is now; null if nothing. */
  cut(): { ops: StreamOp[]; reqs: Applied[] } | null {
    if (!this.any) return null;
    this.any = false;
    const ops: StreamOp[] = [];
    for (const [name, value] of this.config) ops.push([3, name, value]);
    const now = this.engine.now();
    for (const db of this.cleared) {
      ops.push([2, db.id]);
      for (const e of db.dict.values()) if (e.expireAt === 0 || e.expireAt > now) ops.push(putOp(db.id, e));
    }
    for (const [db, keys] of this.keys) {
      for (const [key, log] of keys) {
        if (log.cmds !== null) {
          for (const argv of log.cmds) ops.push([4, db.id, argv]);
          continue;
        }
        const e = db.dict.get(key);
        ops.push(e === undefined ? [1, db.id, key] : putOp(db.id, e));
      }
    }
    const reqs = this.reqs;
    this.keys.clear();
    this.cleared.clear();
    this.config = [];
    this.reqs = [];
    return { ops, reqs };
  }
}

/** Every key and the replicated config, as ops a replica applies after clearing everything (full sync). */
export function snapshot(engine: Engine): StreamOp[] {
  const ops: StreamOp[] = [];
  for (const name of engine.config.names()) if (replicated(name)) ops.push([3, name, engine.config.get(name) ?? '']);
  for (const db of engine.dbs) for (const e of db.dict.values()) ops.push(putOp(db.id, e));
  return ops;
}

/** Empty every db, signalling it (WATCH, near-caches, persistence), before a full sync. */
export function clearAll(engine: Engine): void {
  engine.signalFlushedDb(null);
  for (const db of engine.dbs) db.clear();
}

/** Put stream ops into a replica's keyspace (see the rules above). */
export function applyOps(engine: Engine, ops: readonly StreamOp[]): void {
  const now = engine.now();
  for (const op of ops) {
    switch (op[0]) {
      case 0: {
        const [, id, key, type, value, expireAt, raw] = op;
        const db = engine.dbs[id];
        const revived = reviveValue(type, value);
        db.remove(key);
        const e = db.add(key, type, revived, now, true);
        if (expireAt !== 0) db.setExpire(e, expireAt);
        e.raw = raw === 1;
        engine.signalModifiedKey(db, key, 0);
        break;
      }
      case 1: {
        const db = engine.dbs[op[1]];
        if (db.remove(op[2])) engine.signalModifiedKey(db, op[2], 0);
        break;
      }
      case 2: {
        const db = engine.dbs[op[1]];
        engine.signalFlushedDb(db);
        db.clear();
        break;
      }
      case 3:
        // An unknown or refused value (another version's config) is ignored.
        if (replicated(op[1]) && engine.config.get(op[1]) !== op[2]) engine.config.set(op[1], op[2]);
        break;
      case 4: {
        // Run on a session of its own, bypassing what only clients face (OOM, MISCONF): the leader ran it.
        const spec = lookupCommand(op[2][0]);
        if (spec === undefined || !PROPAGATED.has(spec.name)) break;
        const s = streamSession(engine);
        s.db = engine.dbs[op[1]];
        // Arguments start at 1: none of these has subcommands.
        engine.call(s, spec, op[2], 1);
        break;
      }
    }
  }
}

/**
 * The latest entries, by offset, bounded by count and by the ops they hold. `gapAt`: entries up to this
 * offset are unknown (never kept, or dropped), so a sync from before it must be a full one.
 */
export class Backlog {
  private entries: Entry[] = [];
  private ops = 0;
  gapAt = 0;

  constructor(
    private readonly maxEntries = 10_000,
    private readonly maxOps = 200_000,
  ) {}

  /** The offset of the latest entry kept (or the gap). */
  get last(): number {
    return this.entries.length > 0 ? this.entries[this.entries.length - 1].off : this.gapAt;
  }

  push(e: Entry): void {
    this.entries.push(e);
    this.ops += e.ops.length;
    let drop = 0;
    while (
      this.entries.length - drop > 1 &&
      (this.entries.length - drop > this.maxEntries || this.ops > this.maxOps)
    ) {
      this.ops -= this.entries[drop].ops.length;
      this.gapAt = this.entries[drop].off;
      drop++;
    }
    if (drop > 0) this.entries = this.entries.slice(drop);
  }

  /** Everything is unknown up to `off` (a full sync at `off`, a stream not kept). */
  reset(off: number): void {
    this.entries = [];
    this.ops = 0;
    this.gapAt = off;
  }

  /** The entries after `off`, or null when some of them are not kept (a full sync is needed). */
  after(off: number): Entry[] | null {
    if (off < this.gapAt) return null;
    if (off > this.last) return null;
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.entries[mid].off <= off) lo = mid + 1;
      else hi = mid;
    }
    return this.entries.slice(lo);
  }
}

/**
 * Request ids whose effects were applied, with their replies: a retried request (after a failover) is
 * answered from here instead of running twice. Bounded; the oldest go first.
 */
export class AppliedRequests {
  private readonly map = new Map<string, Applied>();

  constructor(private readonly max = 50_000) {}

  add(a: Applied): void {
    const id = `${a[0]}\0${a[1]}`;
    this.map.delete(id);
    this.map.set(id, a);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }

  get(tab: string, seq: number): Applied | undefined {
    return this.map.get(`${tab}\0${seq}`);
  }

  all(): Applied[] {
    return [...this.map.values()];
  }
}
