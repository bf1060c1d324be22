/**
 * The engine: keyspace, sessions, the dispatcher and the active expiry cycle. Pure TypeScript — no DOM, no
 * transport — so the same engine runs in the worker, in `tabhive serve` and in Node tests.
 *
 * Rules:
 * - time comes from `options.now` (injectable), never from Date directly;
 * - randomness comes from `options.random`, so tests can seed it;
 * - every change to a key reaches `signalModifiedKey`, every keyspace event `notify`: later layers (WATCH,
 *   persistence, near-cache, replication) hook those two, not the handlers.
 */
import { Blocking, BLOCKED, defaultTimers, type Timers } from './blocking.js';
import { Config } from './config.js';
import { Ctx } from './ctx.js';
import { CommandError, E, wrongArity } from './errors.js';
import { Evictor, EvictResult } from './evict.js';
import { Db, type Entry, type KeyspaceHost } from './keyspace.js';
import { lfuIncr } from './lfu.js';
import { Memory } from './memory.js';
import { fireKeyspaceEvent, NotifyClass } from './notify.js';
import { PubSub } from './pubsub.js';
import { err, QUEUED, type Reply } from './reply.js';
import { Session } from './session.js';
import type { Persistence } from './commands/persist.js';
import { lookupCommand, type CommandSpec } from './table.js';
import { Watches } from './watch.js';

/** Commands that run at once inside MULTI instead of being queued (Redis's multi.c / processCommand). */
const NOT_QUEUED = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

/** What a RESP2 session in subscribe mode may still run (Redis's processCommand). */
/** What MULTI may still run (not queue) while over maxmemory (Redis's processCommand). */
const OOM_IN_MULTI = new Set(['exec', 'discard', 'quit', 'reset']);

const SUBSCRIBE_MODE = new Set([
  'subscribe', 'unsubscribe', 'psubscribe', 'punsubscribe', 'ssubscribe', 'sunsubscribe', 'ping', 'quit', 'reset',
]);

export const DB_COUNT = 16;

export interface EngineOptions {
  now?: () => number;
  random?: () => number;
  config?: Record<string, string>;
  /** Timers for blocking-command timeouts (fake them in tests). */
  timers?: Timers;
  /**
   * The clock (ms, fractional) that times each command for INFO commandstats. Default performance.now(). In a
   * browser performance.now() costs about 0.45 µs — as much as a GET — so the worker passes Date.now: each
   * command then counts 0 or a multiple of 1000 µs, and the sums stay right on average.
   */
  commandClock?: () => number;
}

export interface Stats {
  keyspaceHits: number;
  keyspaceMisses: number;
  expiredKeys: number;
  evictedKeys: number;
  commandsProcessed: number;
  connectionsReceived: number;
  /** Per command (full name, `object|encoding` for subcommands): calls, µs, failed, rejected. */
  commands: Map<string, { calls: number; usec: number; failed: number; rejected: number }>;
  errors: Map<string, number>;
}

export type KeyListener = (db: Db, key: string) => void;
export type DbListener = (db: Db | null) => void;

export class Engine implements KeyspaceHost {
  readonly dbs: Db[] = [];
  readonly config: Config;
  readonly stats: Stats = newStats();
  readonly sessions = new Set<Session>();
  readonly now: () => number;
  readonly random: () => number;
  private readonly commandClock: () => number;
  readonly startedAt: number;
  /** Changes since the last save (INFO rdb_changes_since_last_save). */
  dirty = 0;
  lastSave: number;
  /** Replicas hide expired keys but never delete them (see KeyspaceHost). */
  expireDeletes = true;
  readonly pubsub = new PubSub();
  /**
   * PUBLISH and keyspace events go through here: local delivery, returning the count. The multi-tab layer
   * wraps it to carry messages to other tabs.
   */
  publish: (channel: string, message: string) => number = (ch, msg) => this.pubsub.publish(ch, msg);
  readonly watches = new Watches();
  readonly blocking: Blocking;
  /** Memory accounting: used_memory, MEMORY USAGE / STATS (memory.ts). */
  readonly memory: Memory;
  /** maxmemory eviction (evict.ts). */
  readonly evictor: Evictor;
  /** Where SAVE/BGSAVE write and what INFO persistence reports (commands/persist.ts); null: nowhere. */
  persistence: Persistence | null = null;
  /**
   * Record each modified key in its db's `changed` set, for the persistence layer to drain (it turns this on).
   * Off, nothing is recorded: an engine that stores nothing (`tabhive serve`, durability 'memory') must not
   * keep the name of every key it ever wrote.
   */
  recordChanges = false;
  /**
   * The command running now (innermost: a command EXEC runs, not EXEC), with the db it started in and a
   * number of its own; null between commands (expiry, eviction, serving a blocked client). Key listeners read
   * it to tell which command changed a key (replication propagates some as commands). Three fields, not an
   * object, so that running a command allocates nothing for it.
   */
  currentArgv: readonly string[] | null = null;
  currentDb: Db | null = null;
  /** Numbers calls (a command may signal one key more than once): the current call's, 0 between calls. */
  currentId = 0;
  private callSeq = 0;
  private readonly keyListeners: KeyListener[] = [];
  private readonly dbListeners: DbListener[] = [];

  constructor(opts: EngineOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.commandClock = opts.commandClock ?? performanceNow;
    this.random = opts.random ?? Math.random;
    this.startedAt = this.now();
    this.lastSave = this.startedAt;
    for (let i = 0; i < DB_COUNT; i++) this.dbs.push(new Db(i, this));
    this.config = new Config(opts.config);
    const timers = opts.timers ?? defaultTimers;
    this.blocking = new Blocking((s, argv, start) => new Ctx(this, s, argv, start), timers);
    this.memory = new Memory(this);
    this.evictor = new Evictor(this, timers);
    // CONFIG SET maxmemory evicts at once, as Redis's updateMaxmemory does.
    this.config.onChange((name) => {
      if (name === 'maxmemory' && this.config.maxmemory !== 0) this.evictor.performEvictions();
    });
  }

  createSession(): Session {
    const s = new Session(this.dbs[0], this.now());
    this.sessions.add(s);
    this.stats.connectionsReceived++;
    return s;
  }

  closeSession(s: Session): void {
    this.blocking.cancel(s);
    this.watches.unwatchAll(s);
    this.pubsub.drop(s);
    s.multi = null;
    s.closed = true;
    this.sessions.delete(s);
  }

  /**
   * Run one command. argv holds binary strings (see bytes.ts); argv[0] is the name in any case.
   * Never throws: every failure is an error reply.
   */
  execute(session: Session, argv: readonly string[]): Reply {
    const now = this.now();
    session.lastInteraction = now;
    if (argv.length === 0) return err('ERR empty command');
    let spec = lookupCommand(argv[0]);
    if (spec === undefined) return this.reject(unknownCommand(argv), undefined, session);
    let start = 1;
    // A container with a handler of its own (COMMAND) runs it when called without a subcommand.
    if (spec.sub !== undefined && (argv.length > 1 || spec.handler === undefined)) {
      if (argv.length === 1) return this.reject(wrongArity(spec.name), spec, session);
      const sub = spec.sub.find((s) => s.name === `${spec!.name}|${argv[1].toLowerCase()}`);
      if (sub === undefined) {
        return this.reject(
          `ERR unknown subcommand '${clip(argv[1], 128)}'. Try ${spec.name.toUpperCase()} HELP.`,
          undefined,
          session,
        );
      }
      spec = sub;
      start = 2;
    }
    if ((spec.arity > 0 && argv.length !== spec.arity) || argv.length < -spec.arity) {
      if (spec.name === 'exec') {
        // Redis's execCommandAbort: a refused EXEC discards the transaction, MULTI or not.
        session.multi = null;
        this.watches.unwatchAll(session);
        return this.reject(`EXECABORT Transaction discarded because of: ${wrongArity(spec.name).slice(4)}`, spec);
      }
      return this.reject(wrongArity(spec.name), spec, session);
    }
    if (session.multi !== null && spec.flags.includes('no_multi')) {
      return this.reject('ERR Command not allowed inside a transaction', spec, session);
    }
    if (this.config.maxmemory !== 0) {
      const oom = this.refuseOnOom(session, spec);
      if (oom !== null) return oom;
    }
    if (this.persistence !== null) {
      const refused = this.refuseOnDiskError(session, spec);
      if (refused !== null) return refused;
    }
    if (session.resp === 2 && this.pubsub.subscribed(session) && !SUBSCRIBE_MODE.has(spec.name.split('|')[0])) {
      return this.reject(
        `ERR Can't execute '${spec.name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
        undefined,
        session,
      );
    }
    session.lastCommand = spec.name;
    if (session.multi !== null && !NOT_QUEUED.has(spec.name.split('|')[0])) {
      session.multi.queue.push({ spec, argv, start });
      return QUEUED;
    }
    const reply = this.call(session, spec, argv, start, now);
    // Waiters on keys this command made ready are served after it, before its caller sees the next reply.
    this.blocking.serveReady();
    return reply;
  }

  /**
   * Redis's maxmemory step of processCommand: evict if over the limit; when that fails, refuse a command
   * flagged denyoom (EXEC counts as such when it queued one) and, inside MULTI, anything but
   * EXEC/DISCARD/QUIT/RESET. An EXEC refused so discards its transaction. null: go on.
   */
  private refuseOnOom(session: Session, spec: CommandSpec): Reply | null {
    if (this.evictor.performEvictions() !== EvictResult.Fail) return null;
    const base = spec.name.split('|')[0];
    const m = session.multi;
    const refuse = spec.flags.includes('denyoom') || (m !== null && !OOM_IN_MULTI.has(base));
    if (base === 'exec' && m !== null && m.queue.some((q) => q.spec.flags.includes('denyoom'))) {
      session.multi = null;
      this.watches.unwatchAll(session);
      return this.reject(`EXECABORT Transaction discarded because of: ${E.OOM}`, spec);
    }
    return refuse ? this.reject(E.OOM, spec, session) : null;
  }

  /**
   * Redis's writeCommandsDeniedByDiskError step of processCommand: while the last save failed (see
   * commands/persist.ts), refuse write commands, an EXEC that queued one (discarding it) and PING. null: go on.
   */
  private refuseOnDiskError(session: Session, spec: CommandSpec): Reply | null {
    const msg = this.persistence!.writeError();
    if (msg === null) return null;
    const m = session.multi;
    if (spec.name === 'exec' && m !== null && m.queue.some((q) => q.spec.flags.includes('write'))) {
      session.multi = null;
      this.watches.unwatchAll(session);
      return this.reject(`EXECABORT Transaction discarded because of: ${msg}`, spec);
    }
    return spec.flags.includes('write') || spec.name === 'ping' ? this.reject(msg, spec, session) : null;
  }

  /** Run a resolved, arity-checked command; `now` is its time when the caller has just read the clock. */
  call(session: Session, spec: CommandSpec, argv: readonly string[], start: number, now?: number): Reply {
    const t0 = this.commandClock();
    let reply: Reply;
    const outerArgv = this.currentArgv;
    const outerDb = this.currentDb;
    const outerId = this.currentId;
    this.currentArgv = argv;
    this.currentDb = session.db;
    this.currentId = ++this.callSeq;
    try {
      reply = spec.handler!(new Ctx(this, session, argv, start, now));
    } catch (e) {
      if (!(e instanceof CommandError)) throw e;
      reply = e.reply;
    } finally {
      this.currentArgv = outerArgv;
      this.currentDb = outerDb;
      this.currentId = outerId;
    }
    const st = commandStats(this.stats, spec.name);
    st.calls++;
    st.usec += Math.round((this.commandClock() - t0) * 1000);
    this.stats.commandsProcessed++;
    if (reply !== null && typeof reply === 'object' && !Array.isArray(reply) && reply.k === 'err') {
      st.failed++;
      this.countError(reply.msg);
    }
    return reply;
  }

  /** A command refused before running: counted, and inside MULTI it dooms the transaction (EXECABORT). */
  private reject(msg: string, spec?: CommandSpec, session?: Session): Reply {
    if (spec) commandStats(this.stats, spec.name).rejected++;
    if (session?.multi) session.multi.aborted = true;
    this.countError(msg);
    return err(msg);
  }

  private countError(msg: string): void {
    const sp = msg.indexOf(' ');
    const code = sp < 0 ? msg : msg.slice(0, sp);
    this.stats.errors.set(code, (this.stats.errors.get(code) ?? 0) + 1);
  }

  // ---- keyspace signals -------------------------------------------------------------------------------

  /** A key changed (or was deleted). The one place WATCH, persistence and caches learn of it. */
  signalModifiedKey(db: Db, key: string, changes = 1): void {
    this.dirty += changes;
    if (this.recordChanges) db.changed.add(key);
    this.watches.touch(db, key);
    this.blocking.signal(db, key);
    for (const l of this.keyListeners) l(db, key);
  }

  /**
   * A whole db changed (FLUSHDB, SWAPDB), or every db when `db` is null (FLUSHALL). Call it while the keys
   * are still there (before emptying); for SWAPDB pass the other db as `replacedWith`.
   */
  signalFlushedDb(db: Db | null, replacedWith: Db | null = null): void {
    for (const d of db === null ? this.dbs : [db]) {
      this.watches.touchDb(d, replacedWith);
      d.rewrite = true;
      d.changed.clear();
    }
    for (const l of this.dbListeners) l(db);
  }

  onKeyModified(l: KeyListener): void {
    this.keyListeners.push(l);
  }

  onDbFlushed(l: DbListener): void {
    this.dbListeners.push(l);
  }

  notify(cls: NotifyClass, event: string, key: string, dbid: number): void {
    const mask = this.config.notifyMask;
    if (mask === 0) return;
    fireKeyspaceEvent(mask, (ch, msg) => void this.publish(ch, msg), cls, event, key, dbid);
  }

  /** KeyspaceHost: a command created a key. */
  added(db: Db, key: string): void {
    if (this.config.notifyMask & NotifyClass.New) this.notify(NotifyClass.New, 'new', key, db.id);
  }

  /** KeyspaceHost: a key was reclaimed by expiry. */
  expired(db: Db, key: string): void {
    this.stats.expiredKeys++;
    this.notify(NotifyClass.Expired, 'expired', key, db.id);
    this.signalModifiedKey(db, key);
  }

  /** KeyspaceHost: a lookup touched an entry (access time; the LFU counter under an LFU policy). */
  touch(e: Entry, now: number): void {
    if (this.config.lfu) {
      const cfg = this.config;
      e.freq = lfuIncr(e.freq, e.atime, now, cfg.getInt('lfu-log-factor'), cfg.getInt('lfu-decay-time'), this.random);
    }
    e.atime = now;
  }

  // ---- active expiry ----------------------------------------------------------------------------------

  /**
   * One active expiry cycle, as Redis's activeExpireCycle: per db, look at up to `perDb` keys with a TTL
   * (resuming where the last cycle stopped) and reclaim the expired ones; repeat on a db while more than
   * 10% of those looked at were expired, within `budgetMs`. Returns how many keys it reclaimed.
   * The worker and the server call it `hz` times a second; tests call it directly with fake time.
   */
  activeExpireCycle(budgetMs = 25, perDb = 20): number {
    if (!this.expireDeletes) return 0;
    const deadline = performanceNow() + budgetMs;
    let reclaimed = 0;
    for (const db of this.dbs) {
      if (db.expires.size === 0) continue;
      for (;;) {
        const now = this.now();
        let looked = 0;
        let expired = 0;
        while (looked < perDb && db.expires.size > 0) {
          if (db.expireIter === null) db.expireIter = db.expires.values();
          const r = db.expireIter.next();
          if (r.done) {
            db.expireIter = null;
            if (looked === 0) continue;
            break;
          }
          const e = r.value;
          if (e.dead || e.expireAt === 0) continue;
          looked++;
          if (db.expireIfNeeded(e, now)) expired++;
        }
        reclaimed += expired;
        if (expired * 10 <= looked || performanceNow() > deadline) break;
      }
      if (performanceNow() > deadline) break;
    }
    return reclaimed;
  }
}

function newStats(): Stats {
  return {
    keyspaceHits: 0,
    keyspaceMisses: 0,
    expiredKeys: 0,
    evictedKeys: 0,
    commandsProcessed: 0,
    connectionsReceived: 0,
    commands: new Map(),
    errors: new Map(),
  };
}

function commandStats(stats: Stats, name: string) {
  let st = stats.commands.get(name);
  if (st === undefined) {
    st = { calls: 0, usec: 0, failed: 0, rejected: 0 };
    stats.commands.set(name, st);
  }
  return st;
}

// The global is read once: in Node `performance` is a lazy getter, and this clock runs twice per command.
const perf = typeof performance !== 'undefined' ? performance : undefined;
const performanceNow: () => number = perf !== undefined ? () => perf.now() : () => Date.now();

/** An argument as Redis's `%.*s` prints it: at most n bytes, and nothing from a NUL byte on (a C string). */
function clip(s: string, n: number): string {
  const z = s.indexOf('\0');
  if (z >= 0 && z < n) n = z;
  return s.length > n ? s.slice(0, n) : s;
}

/** Redis's "unknown command" text: the name and the first arguments, 128 characters in all at most. */
function unknownCommand(argv: readonly string[]): string {
  let args = '';
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += `'${clip(argv[i], 128 - args.length)}' `;
  }
  const msg = `ERR unknown command '${clip(argv[0], 128)}', with args beginning with: ${args}`;
  return msg.replace(/[\r\n]/g, ' ');
}

export { CommandError };
