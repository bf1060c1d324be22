/**
 * The worker's side, independent of where it runs: a `Host` is one engine with its persistence and its active
 * expiry cycle; a `Link` is one page connection to it (a MessagePort-like endpoint) with that page's sessions.
 * worker.ts serves `self` with it; Node tests serve one end of a MessageChannel.
 *
 * The operations a page can ask for are `operations()` below; protocol.ts derives the wire's request and
 * result types from it.
 */
import { expose, transfer, type Endpoint as ComlinkEndpoint } from 'comlink';
import { fromBytes, fromUtf8, toUtf8 } from '../engine/bytes.js';
import { Engine, type EngineOptions } from '../engine/engine.js';
import { BLOCKED } from '../engine/blocking.js';
import { MISCONF } from '../engine/commands/persist.js';
import { NotifyClass } from '../engine/notify.js';
import { err, NO_REPLY, type Reply } from '../engine/reply.js';
import type { Session } from '../engine/session.js';
import { lookupCommand } from '../engine/table.js';
import {
  loadRecords, Persister, type LoadResult, type PersisterEvent, type PersisterOptions,
} from '../persist/persister.js';
import { Store } from '../persist/store.js';
import {
  decodeArgs, encodeReply, isStreamMessage, NEAR_CACHE_COMMANDS, OP_CMD, OP_CLOSE, OP_OPEN,
  type Control, type Durability, type Encoding, type FromWorker, type Op, type OpenRequest, type Opened,
  type OpResult, type PersistenceEvent, type PersistenceStatus, type ToWorker, type WireArg, type WireError,
  type WireFailure, type WireLater, type WireOps, type WireReply, type WorkerStats,
} from './protocol.js';
import { DEFAULT_TRACKING_MAX_KEYS, sendOwed, trackEngine, Tracking, type Tracked } from './tracking.js';
import { Replication, type ReplicationOptions, type ReplyTarget } from '../replication/replication.js';
import { exportRdb, importRdb, type ImportAnswer } from './rdb-io.js';
import { AnswerSpin, MAX_SPIN_MS, Spinner } from './spin.js';
import type { ReplMeta } from '../persist/schema.js';

/**
 * What `serve` exposes the control API on (Comlink's endpoint): a DedicatedWorkerGlobalScope, or a MessagePort.
 */
export type Endpoint = ComlinkEndpoint;

/** A connection's command port, as a Link uses it. */
export interface LinkEndpoint {
  postMessage(message: FromWorker, transfer: Transferable[]): void;
}

export interface HostOptions {
  engine?: EngineOptions;
  /** Flush delay after a change (ms). Default 1000 ('everysec'). */
  flushDelayMs?: number;
  /** Persister timings (retries, `no` mode's idle wait …); tests shorten them. */
  persister?: Pick<PersisterOptions, 'idleMs' | 'maxIdleWaitMs' | 'retryMs' | 'maxBackoffMs'>;
  /** How to open the store (tests inject failures). Default Store.open. */
  openStore?: (name: string) => Promise<Store>;
  /** Where warnings go. Default console.warn. */
  warn?: (message: string) => void;
  /**
   * Sharing the database with the other tabs (replication/): options (tests pass fake locks and channels),
   * or false for a database of this worker alone. Default: on, with navigator.locks and BroadcastChannel.
   */
  replication?: Omit<ReplicationOptions, 'name'> | false;
}

/** How long a new tab waits for its first sync before it serves what it loaded. */
const FIRST_SYNC_WAIT_MS = 3000;

// ---- the host: one engine -------------------------------------------------------------------------------------

export class Host {
  readonly links = new Set<Link>();
  /** The other tabs (null: this worker's database is its own). */
  repl: Replication | null = null;
  private expiryTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  private constructor(
    readonly engine: Engine,
    readonly persister: Persister,
    /** What happened while starting (told to the page with `ready`). */
    readonly startEvents: PersistenceEvent[],
    private readonly load: LoadResult,
    /** Durability 'memory': nothing stored, by design. */
    private readonly memory: boolean,
    private readonly warn: (message: string) => void,
  ) {}

  /**
   * Make the engine, load it from IndexedDB (unless durability is 'memory') and start the expiry cycle. When
   * IndexedDB cannot be used the engine starts empty in memory (what is on disk stays as it was), and says so.
   */
  static async start(name: string, durability: Durability, opts: HostOptions = {}): Promise<Host> {
    const warn = opts.warn ?? ((m: string) => console.warn(m));
    let engine = new Engine(opts.engine);
    const events: PersistenceEvent[] = [];
    let store: Store | null = null;
    let load: LoadResult = { loaded: 0, expired: 0, corrupt: 0, problems: [] };
    let unavailable: string | undefined;
    let meta: ReplMeta | null = null;
    if (durability !== 'memory') {
      try {
        store = await (opts.openStore ?? ((n: string) => Store.open(n)))(name);
        // The meta first: the keys read after it are at least as new as the offset it gives (a sync
        // from there replays at worst what the keys already hold, which is harmless).
        meta = await store.readMeta();
        load = loadRecords(engine, await store.loadAll());
      } catch (e) {
        store?.close();
        store = null;
        meta = null;
        engine = new Engine(opts.engine);
        load = { loaded: 0, expired: 0, corrupt: 0, problems: [] };
        unavailable = `IndexedDB unavailable (${describe(e)}); data is kept in memory only`;
        warn(`tabhive: ${unavailable}`);
        events.push({ type: 'memory-only', message: unavailable });
      }
      if (load.corrupt > 0) {
        const message =
          `${load.corrupt} stored record(s) of '${name}' were damaged and not loaded; they were left in ` +
          `IndexedDB (${load.problems.join('; ')}${load.corrupt > load.problems.length ? '; …' : ''})`;
        warn(`tabhive: ${message}`);
        events.push({ type: 'corrupt', message });
      }
    }
    let host: Host | null = null;
    const persister = new Persister(engine, store, {
      ...opts.persister,
      mode: durability === 'memory' ? undefined : durability,
      delayMs: opts.flushDelayMs,
      unavailable,
      load,
      onEvent: (ev) => host?.persistenceEvent(ev),
    });
    host = new Host(engine, persister, events, load, durability === 'memory', warn);
    host.scheduleExpiry();
    if (opts.replication !== false) {
      const h = host;
      const repl = new Replication(
        {
          engine,
          persister,
          get changes() {
            return h.changes;
          },
          ackGate: (write) => h.ackGate(write),
          flushLocal: () => persister.flush(persister.fsync === 'always'),
        },
        { name, warn, ...opts.replication },
      );
      host.repl = repl;
      repl.onDeposed = (adopt) => {
        for (const l of h.links) for (const [sid, s] of l.sessions) adopt(l, sid, s);
      };
      repl.start(meta);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([repl.ready, new Promise<void>((r) => (timer = setTimeout(r, FIRST_SYNC_WAIT_MS)))]);
      clearTimeout(timer);
    }
    return host;
  }

  /** Where persistence stands now. */
  get status(): PersistenceStatus {
    const p = this.persister;
    const s: PersistenceStatus = {
      durability: this.memory ? 'memory' : p.fsync,
      persistent: p.persistent,
      loaded: this.load.loaded,
      expired: this.load.expired,
      corrupt: this.load.corrupt,
    };
    const reason = p.unavailableReason;
    if (reason !== null) s.reason = reason;
    const failure = p.failure;
    if (failure !== null) s.writeError = failure;
    return s;
  }

  /** Changes made so far (a counter): a command that moved it changed data. */
  get changes(): number {
    return this.persister.changes;
  }

  /**
   * appendfsync always: null when replies may leave now, else a promise of whether every change so far is
   * stored (see Persister.ackGate).
   */
  ackGate(write: boolean): Promise<boolean> | null {
    return this.persister.ackGate(write);
  }

  /** The persister reports: warn where it matters, and tell every page. */
  private persistenceEvent(ev: PersisterEvent): void {
    if (ev.type === 'memory-only' || ev.type === 'write-failed') this.warn(`tabhive: ${ev.message}`);
    this.broadcast({ t: 'status', status: this.status, event: ev });
  }

  /** Sessions open across all links. */
  get sessionCount(): number {
    let n = 0;
    for (const l of this.links) n += l.sessions.size;
    return n;
  }

  /** Write every change so far to IndexedDB (on a replica tab: have the leader write everything so far). */
  flush(): Promise<void> {
    if (this.repl !== null && this.repl.forwarding) return this.repl.flushRemote();
    return this.persister.flush(this.persister.fsync === 'always');
  }

  /** Stop the expiry cycle, flush and close the store (tests; a worker is simply terminated). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.expiryTimer !== null) clearTimeout(this.expiryTimer);
    try {
      await this.persister.close();
    } finally {
      this.repl?.stop();
    }
  }

  broadcast(m: FromWorker): void {
    for (const l of this.links) l.post(m, []);
  }

  /** Redis's serverCron runs the active expiry cycle `hz` times a second (hz clamped to 1..500). */
  private scheduleExpiry(): void {
    if (this.stopped) return;
    const hz = Math.min(500, Math.max(1, this.engine.config.hz));
    this.expiryTimer = setTimeout(() => {
      this.engine.activeExpireCycle();
      this.scheduleExpiry();
    }, 1000 / hz);
  }
}

// ---- a link: one page connection ------------------------------------------------------------------------------

/** A command held behind a blocked one of its session, and the ticket its reply will carry. */
interface Held {
  /** The command, decoded (binary strings). */
  argv: string[];
  bytes: boolean;
  ticket: number;
}

export class Link implements Tracked, ReplyTarget {
  /** Sessions by the id the page gave them (the page numbers them, so `duplicate()` needs no round trip). */
  readonly sessions = new Map<number, Session>();
  /** Keys this connection's near-cache may hold, and the invalidations owed to it (tracking.ts). */
  readonly tracking: Tracking;
  /** The near-cache state last told for each session (NearCacheState; untold: 0, plain in db 0). */
  private readonly told = new Map<number, number>();
  /** Batches and operations received, and the time spent running them (ms). */
  batches = 0;
  opsReceived = 0;
  busyMs = 0;
  /** Encoding state of the answer being built (a batch's replies or one late reply). */
  enc: Encoding = newEncoding();
  /** Sessions the engine closed while building the current answer (QUIT, CLIENT KILL), told with it. */
  ended: number[] = [];
  private readonly ops: Operations;
  /** Settles when the last batch with asynchronous results has been answered; later answers wait for it. */
  private tail: Promise<void> | null = null;
  /**
   * Sessions blocked on a command (BLPOP …), with the commands they sent since: Redis runs a blocked client's
   * next commands only once it is served or timed out, so do we.
   */
  private readonly held = new Map<number, Held[]>();
  private nextTicket = 1;
  /** While a command runs: its session, and the pushes it made (a SUBSCRIBE's replies are pushes). */
  private capturing: Session | null = null;
  private captured: Reply[] = [];
  /** Sessions whose pushes carry bulk strings as bytes (opened with `pushBytes`: the page's pub/sub listeners). */
  private readonly bytePushes = new Set<number>();

  /** Keeping the worker awake after an answer (spin.ts, AnswerSpin); null: never. */
  private readonly spin: AnswerSpin | null;

  constructor(
    readonly host: Host,
    private readonly ep: LinkEndpoint,
    trackingMaxKeys = DEFAULT_TRACKING_MAX_KEYS,
    counters: { invalidations: number } = { invalidations: 0 },
    spin: { spinner: Spinner; ms: number } | null = null,
  ) {
    this.spin = spin === null || !(spin.ms > 0) ? null : new AnswerSpin(spin.spinner, Math.min(spin.ms, MAX_SPIN_MS));
    this.ops = operations(this);
    this.tracking = new Tracking(trackingMaxKeys, () => queueMicrotask(() => {
      if (this.tracking.owed) this.sendOwed();
    }), counters);
    trackEngine(host.engine, this);
    host.links.add(this);
  }

  /** Post a message, with the invalidations owed to this connection ahead of its content. */
  post(m: FromWorker, transfer: Transferable[]): void {
    this.ep.postMessage(this.tracking.attach(m), transfer);
  }

  sendOwed(): void {
    this.ep.postMessage(this.tracking.attach({ t: 'inv' }), []);
  }

  /**
   * Run a batch's operations (flat: protocol.ts, WireOps) in order and answer them in one message, after any
   * earlier batch's answer.
   */
  batch(id: number, w: WireOps): void {
    const started = performance.now();
    const streak = this.spin?.arrived(started) ?? false;
    this.batches++;
    const results: (OpResult | Promise<OpResult>)[] = [];
    const enc = newEncoding();
    this.enc = enc;
    const ended: number[] = [];
    this.ended = ended;
    let nested: number[] | undefined;
    let pending = false;
    /** Commands that changed data: their replies become MISCONF if the changes cannot be stored (always). */
    let writes: number[] | undefined;
    /** Tracked reads not to be cached; [index, ms to live] of those whose key has a TTL. */
    let nc: number[] | undefined;
    let ttl: number[] | undefined;
    let i = 0;
    for (let p = 0; p < w.length; i++) {
      const code = w[p] as number;
      const sid = Math.floor(code / 16);
      let r: OpResult | Promise<OpResult>;
      switch ((code >> 2) & 3) {
        case OP_CMD: {
          const argc = w[p + 1] as number;
          const argv = new Array<string>(argc);
          for (let j = 0; j < argc; j++) {
            const a = w[p + 2 + j] as WireArg;
            argv[j] = typeof a === 'string' ? fromUtf8(a) : fromBytes(a);
          }
          p += 2 + argc;
          const track = (code & 2) !== 0;
          const s = this.sessions.get(sid);
          if (s === undefined) {
            r = CLOSED_REPLY;
            if (track) (nc ??= []).push(i);
            break;
          }
          const before = this.host.changes;
          const plain = track && this.cacheState(sid, s) >= 0;
          r = this.command(sid, s, argv, (code & 1) !== 0);
          if (this.host.changes !== before && isWriteCommand(s.lastCommand)) (writes ??= []).push(i);
          if (track) {
            const ms = plain ? this.track(s, argv, r) : -1;
            if (ms < 0) (nc ??= []).push(i);
            else if (ms > 0) (ttl ??= []).push(i, ms);
          }
          break;
        }
        case OP_OPEN:
          r = this.ops.open(sid, (code & 1) !== 0);
          p++;
          break;
        case OP_CLOSE:
          r = this.ops.close(sid);
          p++;
          break;
        default:
          r = this.ops.flush();
          p++;
      }
      if (enc.nested) {
        (nested ??= []).push(i);
        enc.nested = false;
      }
      if (r instanceof Promise) pending = true;
      results.push(r);
    }
    this.opsReceived += i;
    this.busyMs += performance.now() - started;
    const st = this.stateNotes();
    const answer = (r: OpResult[]) => {
      const m: FromWorker & { t: 'replies' } = { t: 'replies', id, r };
      if (nested !== undefined) m.nested = nested;
      if (ended.length > 0) m.closed = ended;
      if (nc !== undefined) m.nc = nc;
      if (ttl !== undefined) m.ttl = ttl;
      if (st !== undefined) m.st = st;
      // Other connections learn of this batch's changes before its writer does.
      sendOwed(this.host.engine, this);
      this.post(m, enc.transfer);
      this.spin?.answered(streak);
    };
    // appendfsync always: the replies leave once what the commands changed is stored.
    const gate = this.host.ackGate(writes !== undefined);
    if (!pending && gate === null && this.tail === null) {
      answer(results as OpResult[]);
      return;
    }
    // Asynchronous results (flush) never reject: failures are WireFailure data.
    const all = Promise.all(results);
    this.enqueue(gate, (stored) =>
      all.then((r) => {
        if (!stored && writes !== undefined) for (const i of writes) r[i] = MISCONF_REPLY;
        answer(r);
      }),
    );
  }

  /**
   * Send an answer after every answer before it and, when `gate` is given, once it settled: `send` learns
   * whether the changes it acknowledges were stored.
   */
  private enqueue(gate: Promise<boolean> | null, send: (stored: boolean) => void | Promise<void>): void {
    const tail: Promise<void> = (this.tail ?? Promise.resolve())
      .then(() => gate ?? true)
      .then(send)
      .catch((e: unknown) => console.error('tabhive: internal error', e));
    this.tail = tail;
    void tail.then(() => {
      if (this.tail === tail) this.tail = null;
    });
  }

  /** NearCacheState of a session: its db, or -1 while its reads are not plain. */
  private cacheState(sid: number, s: Session): number {
    if (s.multi !== null || s.blocked !== null || this.held.has(sid)) return -1;
    if (this.host.repl !== null && !this.host.repl.plain(s)) return -1;
    if (s.resp === 2 && this.host.engine.pubsub.subscribed(s)) return -1;
    return s.db.id;
  }

  /** Sessions whose NearCacheState changed since last told, as flat [sid, state] pairs. */
  private stateNotes(): number[] | undefined {
    let out: number[] | undefined;
    this.sessions.forEach((s, sid) => {
      const st = this.cacheState(sid, s);
      if (st === (this.told.get(sid) ?? 0)) return;
      this.told.set(sid, st);
      (out ??= []).push(sid, st);
    });
    return out;
  }

  /**
   * A tracked read of plain session `s` answered `r`: track its key and say how long the page may keep the
   * reply — -1: not at all (an error, a `later`, a command that is no near-cache read, keymiss events wanted,
   * which a cached reply would not fire), 0: until invalidated, else ms (the key's TTL).
   */
  private track(s: Session, argv: string[], r: OpResult): number {
    if (typeof r === 'object' && r !== null && !(r instanceof Uint8Array) && (r as { k?: unknown }).k !== undefined) return -1;
    const engine = this.host.engine;
    if (NEAR_CACHE_COMMANDS.get(s.lastCommand) !== argv.length) return -1;
    if (engine.config.notifyMask & NotifyClass.KeyMiss) return -1;
    const key = argv[1];
    const db = s.db;
    this.tracking.track(db.id, key);
    const e = db.dict.get(key);
    if (e === undefined || e.expireAt === 0) return 0;
    const ms = e.expireAt - engine.now();
    return ms > 0 ? ms : -1;
  }

  /**
   * Run one command for session `sid` (known to exist): its wire reply, or a `later` ticket when it blocked or
   * must wait behind a blocked command of its session.
   */
  command(sid: number, s: Session, argv: string[], bytes: boolean): WireReply | WireLater {
    const held = this.held.get(sid);
    if (held !== undefined) {
      const ticket = this.nextTicket++;
      held.push({ argv, bytes, ticket });
      return { k: 'later', n: ticket };
    }
    return this.dispatch(sid, s, argv, bytes, 0);
  }

  /**
   * Run a command here, or (on a replica tab) send it to the leader: its reply then comes `later`. A read
   * waits while commands of its session are out at the leader (it must see their effects); a blocking one
   * holds its session's next commands, as a blocked client's input waits in Redis.
   */
  private dispatch(sid: number, s: Session, argv: string[], bytes: boolean, ticket: number): WireReply | WireLater {
    const repl = this.host.repl;
    if (repl !== null && repl.forwarding) {
      const how = repl.route(s, argv);
      if (how !== 'local') {
        const n = ticket || this.nextTicket++;
        if (how === 'forward-hold' && !this.held.has(sid)) this.held.set(sid, []);
        repl.forward(this, sid, s, argv, bytes, n);
        return { k: 'later', n };
      }
      if (repl.inflight(s) > 0) {
        const n = ticket || this.nextTicket++;
        this.held.set(sid, [{ argv, bytes, ticket: n }]);
        return { k: 'later', n };
      }
    }
    return this.run(sid, s, argv, bytes, ticket);
  }

  // ---- ReplyTarget: commands this tab forwarded to the leader ----

  forwardedReply(sid: number, s: Session, ticket: number, r: WireReply, closed: boolean): void {
    const ended: number[] = [];
    if (closed && this.sessions.get(sid) === s) {
      const saved = this.ended;
      this.ended = ended;
      this.endSession(sid);
      this.ended = saved;
    }
    this.later(ticket, r, { ...newEncoding(), nested: hasNestedError(r) }, ended, false);
    this.releaseIfIdle(sid, s);
  }

  forwardedPush(sid: number, s: Session, r: WireReply): void {
    if (this.sessions.get(sid) !== s) return;
    // The leader sends pushes with bulk strings as bytes; a session that wants strings gets them decoded.
    this.post({ t: 'push', sid, r: this.bytePushes.has(sid) ? r : bytesToStrings(r) }, []);
  }

  runForwarded(sid: number, s: Session, argv: string[], bytes: boolean, ticket: number): void {
    if (this.sessions.get(sid) !== s) return;
    const saved = { enc: this.enc, ended: this.ended };
    const enc = newEncoding();
    const ended: number[] = [];
    this.enc = enc;
    this.ended = ended;
    try {
      const before = this.host.changes;
      const r = this.run(sid, s, argv, bytes, ticket);
      if (!isLater(r)) this.later(ticket, r, enc, ended, this.host.changes !== before && isWriteCommand(s.lastCommand));
    } finally {
      this.enc = saved.enc;
      this.ended = saved.ended;
    }
    this.releaseIfIdle(sid, s);
  }

  /** Commands held behind forwarded ones run once none of their session is out. */
  private releaseIfIdle(sid: number, s: Session): void {
    if (!this.held.has(sid) || s.blocked !== null) return;
    if (this.host.repl !== null && this.host.repl.inflight(s) > 0) return;
    queueMicrotask(() => this.release(sid, s));
  }

  /** The engine closed session `sid` (QUIT, CLIENT KILL): forget it and tell the page with the current answer. */
  endSession(sid: number): void {
    const s = this.sessions.get(sid);
    if (s === undefined) return;
    this.host.repl?.closeSession(s);
    this.sessions.delete(sid);
    this.held.delete(sid);
    this.bytePushes.delete(sid);
    this.told.delete(sid);
    if (!s.closed) this.host.engine.closeSession(s);
    this.ended.push(sid);
  }

  /** The page closed session `sid`: its blocked and held commands are dropped (the page rejects them). */
  closeSession(sid: number): void {
    const s = this.sessions.get(sid);
    if (s === undefined) return;
    this.host.repl?.closeSession(s);
    this.sessions.delete(sid);
    this.held.delete(sid);
    this.bytePushes.delete(sid);
    this.told.delete(sid);
    this.host.engine.closeSession(s);
  }

  /**
   * A new session: pushes go to the page (or to the command that made them), unblocking answers later. With
   * `pushBytes`, its pushes carry bulk strings as Uint8Array (exact bytes for binary pub/sub messages).
   */
  openSession(sid: number, pushBytes = false): void {
    if (this.sessions.has(sid)) return;
    const s = this.host.engine.createSession();
    if (pushBytes) this.bytePushes.add(sid);
    s.push = (r) => {
      if (this.capturing !== s) this.postPush(sid, s, r);
      else if (this.captured === NONE) this.captured = [r];
      else this.captured.push(r);
    };
    // CLIENT KILL from another session: the transport drops the connection.
    s.onKill = () => this.endSession(sid);
    this.sessions.set(sid, s);
  }

  /** Post one out-of-band push of session `sid`. */
  private postPush(sid: number, s: Session, r: Reply): void {
    const enc = { ...newEncoding(), resp: s.resp, bytes: this.bytePushes.has(sid) };
    this.post({ t: 'push', sid, r: encodeReply(r, enc) }, enc.transfer);
  }

  /** Execute, with `ticket` the reply's ticket when it was held (0: answered in its batch). */
  private run(sid: number, s: Session, argv: string[], bytes: boolean, ticket: number): WireReply | WireLater {
    const enc = this.enc;
    const outer = this.capturing;
    const outerCaptured = this.captured;
    this.capturing = s;
    this.captured = NONE;
    let reply: Reply;
    try {
      reply = this.host.engine.execute(s, argv);
    } catch (e) {
      // A bug in a handler: report it as this command's error and keep serving.
      console.error('tabhive: internal error', e);
      reply = err(`ERR tabhive internal error: ${describe(e)}`);
    }
    const captured = this.captured;
    this.capturing = outer;
    this.captured = outerCaptured;
    if (reply === BLOCKED) {
      const n = ticket || this.nextTicket++;
      if (!this.held.has(sid)) this.held.set(sid, []);
      s.onUnblock = (r) => this.unblocked(sid, s, n, bytes, r);
      return { k: 'later', n };
    }
    if (reply === NO_REPLY) {
      // SUBSCRIBE & co. answer with one push per channel: those pushes are the reply.
      reply = captured === NONE ? [] : captured;
    } else {
      for (let i = 0; i < captured.length; i++) this.postPush(sid, s, captured[i]);
    }
    enc.bytes = bytes;
    enc.resp = s.resp;
    const wire = encodeReply(reply, enc);
    if (s.closeAfterReply || s.closed) this.endSession(sid);
    return wire;
  }

  /**
   * A blocked command was served or timed out: answer its ticket now; run the commands its session sent
   * meanwhile after the current task (the engine may be in the middle of the command that served it).
   */
  private unblocked(sid: number, s: Session, ticket: number, bytes: boolean, r: Reply): void {
    s.onUnblock = () => {};
    const enc = { ...newEncoding(), bytes, resp: s.resp };
    // A blocking pop served changed data for its reply; one that timed out (a null reply) did not.
    const wrote = isWriteCommand(s.lastCommand) && r !== null && !(typeof r === 'object' && 'k' in r && r.k === 'nullarr');
    this.later(ticket, encodeReply(r, enc), enc, [], wrote);
    queueMicrotask(() => this.release(sid, s));
  }

  /** Run the commands held behind a blocked one, until one blocks again. */
  private release(sid: number, s: Session): void {
    const queue = this.held.get(sid);
    if (queue === undefined || this.sessions.get(sid) !== s) return;
    this.held.delete(sid);
    const saved = { enc: this.enc, ended: this.ended };
    try {
      for (let i = 0; i < queue.length; i++) {
        const h = queue[i];
        const enc = newEncoding();
        const ended: number[] = [];
        this.enc = enc;
        this.ended = ended;
        const before = this.host.changes;
        const r = this.dispatch(sid, s, h.argv, h.bytes, h.ticket);
        if (isLater(r)) {
          // Held again (it blocked, it is a blocking command sent to the leader, or a read behind commands
          // still out there): the rest wait behind it. Otherwise it went to the leader: go on.
          const again = this.held.get(sid);
          if (again !== undefined) {
            again.push(...queue.slice(i + 1));
            return;
          }
          continue;
        }
        this.later(h.ticket, r, enc, ended, this.host.changes !== before && isWriteCommand(s.lastCommand));
        if (ended.length > 0) return;
      }
    } finally {
      this.enc = saved.enc;
      this.ended = saved.ended;
    }
  }

  /** Send a `later` reply; `wrote`: its command changed data (appendfsync always holds it until stored). */
  private later(n: number, r: WireReply, enc: Encoding, ended: number[], wrote: boolean): void {
    const m: FromWorker & { t: 'later' } = { t: 'later', n, r };
    if (enc.nested) m.nested = true;
    if (ended.length > 0) m.closed = ended;
    const st = this.stateNotes();
    if (st !== undefined) m.st = st;
    const gate = this.host.ackGate(wrote);
    if (gate === null && this.tail === null) {
      this.post(m, enc.transfer);
      return;
    }
    this.enqueue(gate, (stored) => {
      if (!stored && wrote) this.post({ ...m, r: MISCONF_REPLY }, []);
      else this.post(m, enc.transfer);
    });
  }
}

/**
 * What a page can ask of the worker. The wire's `Op` union is derived from these signatures (protocol.ts), so
 * adding an operation here is the whole change on the worker's side.
 */
export function operations(link: Link) {
  const { host } = link;
  return {
    /**
     * Run one command on session `sid`; with `bytes`, bulk strings come back as Uint8Array. A command that
     * blocks (or waits behind one that did) answers `later`: its reply comes in a `later` message.
     */
    cmd(sid: number, args: WireArg[], bytes: boolean, track?: 1): WireReply | WireLater {
      // `track` (a near-cache read) is handled by Link.batch around this call.
      void track;
      const s = link.sessions.get(sid);
      if (s === undefined) return CLOSED_REPLY;
      return link.command(sid, s, decodeArgs(args), bytes);
    },

    /**
     * Open session `sid` (a new client or a `duplicate()`); with `pushBytes`, its pushes carry bulk strings as
     * Uint8Array (the page's pub/sub sessions).
     */
    open(sid: number, pushBytes?: boolean): null {
      link.openSession(sid, pushBytes === true);
      return null;
    },

    /** Close session `sid`; closing the host's last session flushes persistence, answered once written. */
    close(sid: number): null | Promise<null | WireFailure> {
      link.closeSession(sid);
      return host.sessionCount === 0 ? settle(host.flush()) : null;
    },

    /** Write everything so far to IndexedDB; answered once it is there. */
    flush(): Promise<null | WireFailure> {
      return settle(host.flush());
    },
  };
}

export type Operations = ReturnType<typeof operations>;

const MISCONF_REPLY: WireError = { k: 'err', msg: MISCONF };
const CLOSED_REPLY: WireError = { k: 'err', msg: 'ERR tabhive: this client is closed' };
/** No pushes captured (shared, never written to: run() replaces it by an array of its own on the first push). */
const NONE: Reply[] = [];

/** isWriteCommand's answers by name: the command table does not change. */
const writeCommands = new Map<string, boolean>();

/** `name` (Session.lastCommand: `set`, `object|encoding` …) is a write command, or EXEC. */
function isWriteCommand(name: string | null | undefined): boolean {
  if (!name) return false;
  let w = writeCommands.get(name);
  if (w === undefined) {
    const bar = name.indexOf('|');
    const spec = bar < 0 ? lookupCommand(name) : lookupCommand(name.slice(0, bar))?.sub?.find((c) => c.name === name);
    w = name === 'exec' || (spec !== undefined && spec.flags.includes('write'));
    writeCommands.set(name, w);
  }
  return w;
}

function newEncoding(): Encoding {
  return { bytes: false, resp: 2, nested: false, transfer: [] };
}

/** A wire reply with its Uint8Array bulk strings decoded from UTF-8, as encodeReply does without `bytes`. */
function bytesToStrings(r: WireReply): WireReply {
  if (r instanceof Uint8Array) return toUtf8(fromBytes(r));
  if (Array.isArray(r)) return r.map(bytesToStrings);
  if (r instanceof Map) {
    const m = new Map<WireReply, WireReply>();
    for (const [k, v] of r) m.set(bytesToStrings(k), bytesToStrings(v));
    return m;
  }
  return r;
}

function hasNestedError(r: WireReply): boolean {
  if (Array.isArray(r)) return r.some((x) => (typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof Uint8Array) && !(x instanceof Map) && (x as { k?: unknown }).k === 'err') || hasNestedError(x));
  if (r instanceof Map) for (const [k, v] of r) if (hasNestedError([k, v])) return true;
  return false;
}

function isLater(r: WireReply | WireLater): r is WireLater {
  return typeof r === 'object' && r !== null && (r as { k?: unknown }).k === 'later';
}

// ---- serving an endpoint ------------------------------------------------------------------------------------

/**
 * Serve the control API (protocol.ts, Control) on `ep` with Comlink: its first `open` starts the host; each
 * `open` gets a command port of its own. Returns a handle to stop it (tests; in a worker, termination does that).
 */
export function serve(ep: Endpoint, opts: HostOptions = {}): { host: Promise<Host | null>; stop(): Promise<void> } {
  let served: { name: string; durability: Durability; host: Promise<Host> } | null = null;
  let resolveHost!: (h: Host | null) => void;
  const hostReady = new Promise<Host | null>((r) => (resolveHost = r));
  let stopped = false;
  const links: Link[] = [];
  const counters = { invalidations: 0 };
  /** Keeps this worker's thread awake between a page's batches (spin.ts; OpenRequest.spinMs). */
  const spinner = new Spinner(() => stopped);
  /** The connection whose command stream rides `ep` itself (OpenRequest.direct). */
  let direct: Link | null = null;
  // Registered before Comlink's listener: a command message stops here and never reaches Comlink.
  ep.addEventListener('message', (ev) => {
    const m = (ev as MessageEvent<unknown>).data;
    if (!isStreamMessage(m)) return;
    ev.stopImmediatePropagation();
    if (m.t === 'batch' && direct !== null) direct.batch(m.id, m.w);
  });

  const started = async (): Promise<Host> => {
    if (served === null) throw new Error('tabhive: no database was opened');
    return served.host;
  };

  const control: Control = {
    async open(req: OpenRequest): Promise<Opened> {
      if (stopped) throw new Error('tabhive: this worker was closed');
      if (served === null) {
        // performance.now() costs as much as a GET in a browser: commands are timed with Date.now.
        const hostOpts = { ...opts, engine: { commandClock: Date.now, ...opts.engine } };
        const host = Host.start(req.name, req.durability, hostOpts).catch((e: unknown) => {
          throw new Error(`tabhive: the worker could not start: ${describe(e)}`);
        });
        served = { name: req.name, durability: req.durability, host };
        host.then(resolveHost, () => resolveHost(null));
      } else if (served.name !== req.name) {
        throw new Error(`tabhive: this worker already serves database '${served.name}'`);
      } else if (served.durability !== req.durability) {
        throw new Error(`tabhive: database '${req.name}' is served here with durability '${served.durability}'`);
      }
      const [locked, host] = await Promise.all([req.lock !== null && holdLock(req.lock), served.host]);
      let port: MessagePort | null = null;
      const spin = { spinner, ms: req.spinMs ?? 0 };
      if (req.direct === true && direct === null) {
        direct = new Link(host, ep as unknown as LinkEndpoint, req.trackingMaxKeys, counters, spin);
        links.push(direct);
      } else {
        const { port1, port2 } = new MessageChannel();
        const link = new Link(host, port1 as LinkEndpoint, req.trackingMaxKeys, counters, spin);
        links.push(link);
        port1.addEventListener('message', (ev: MessageEvent<ToWorker>) => {
          const m = ev.data;
          if (m.t === 'batch') link.batch(m.id, m.w);
        });
        port1.start();
        port = port2;
      }
      const opened: Opened = { port, status: host.status, locked };
      if (host.startEvents.length > 0) opened.events = host.startEvents;
      return port === null ? opened : transfer(opened, [port]);
    },

    stats(): WorkerStats {
      const empty: PersistenceStatus = { durability: 'memory', persistent: false, loaded: 0, expired: 0, corrupt: 0 };
      const stats: WorkerStats = {
        status: empty, connections: links.length, sessions: 0, keys: 0, commandsProcessed: 0, batches: 0, ops: 0,
        trackedKeys: 0, invalidations: counters.invalidations, busyMs: 0, spins: spinner.spins,
      };
      for (const l of links) {
        stats.sessions += l.sessions.size;
        stats.batches += l.batches;
        stats.ops += l.opsReceived;
        stats.trackedKeys += l.tracking.count;
        stats.busyMs += l.busyMs;
      }
      const host = links[0]?.host;
      if (host !== undefined) {
        stats.status = host.status;
        for (const db of host.engine.dbs) stats.keys += db.size;
        stats.commandsProcessed = host.engine.stats.commandsProcessed;
        if (host.repl !== null) stats.replication = host.repl.status();
      }
      return stats;
    },

    async flush(): Promise<null | WireFailure> {
      return settle((await started()).flush());
    },

    config(set?: Record<string, string>): Record<string, string> | WireError {
      const host = links[0]?.host;
      if (host === undefined) return { k: 'err', msg: 'ERR tabhive: no database was opened' };
      const config = host.engine.config;
      for (const [name, value] of Object.entries(set ?? {})) {
        const reason = config.set(name, value);
        if (reason === null) continue;
        return {
          k: 'err',
          msg: reason.startsWith('Unknown option')
            ? `ERR ${reason}`
            : `ERR CONFIG SET failed (possibly related to argument '${name}') - ${reason}`,
        };
      }
      const out: Record<string, string> = {};
      for (const name of config.names()) out[name] = config.get(name) ?? '';
      return out;
    },

    async exportRdb(): Promise<Uint8Array> {
      const bytes = exportRdb(await started());
      return transfer(bytes, [bytes.buffer]);
    },

    async importRdb(bytes: Uint8Array): Promise<ImportAnswer> {
      return importRdb(await started(), bytes);
    },

    async close(): Promise<void> {
      if (stopped) return;
      stopped = true;
      spinner.close();
      if (served !== null) await (await served.host.catch(() => null))?.stop();
    },
  };
  expose(control, ep);

  return {
    host: hostReady,
    async stop() {
      if (served === null) return;
      await control.close();
    },
  };
}

/**
 * Hold Web Lock `name` for as long as this worker lives; true once held. The page then queues on the same lock:
 * when it is granted, the worker is gone (terminated, crashed, out of memory), which no event reliably tells.
 */
function holdLock(name: string): Promise<boolean> {
  return new Promise<boolean>((held) => {
    try {
      const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
      if (locks === undefined) {
        held(false);
        return;
      }
      locks
        .request(name, () => {
          held(true);
          return new Promise<never>(() => {});
        })
        .catch(() => held(false));
    } catch {
      // Locks refused (an opaque origin): the page then relies on the `error` event alone.
      held(false);
    }
  });
}

function settle(p: Promise<void>): Promise<null | WireFailure> {
  return p.then(
    () => null,
    (e: unknown) => ({ k: 'fail', message: `tabhive: persistence failed: ${describe(e)}` }),
  );
}

function describe(e: unknown): string {
  if (e instanceof Error) return e.name && e.name !== 'Error' ? `${e.name}: ${e.message}` : e.message;
  if (typeof DOMException !== 'undefined' && e instanceof DOMException) return `${e.name}: ${e.message}`;
  return String(e);
}
