/**
 * The page's end of the wire (protocol.ts): one worker, the operations queued this tick, the batches in flight,
 * and the near-cache (near-cache.ts) its clients share.
 *
 * Rules:
 * - the worker is opened through its Comlink control API (`Control.open`); commands then ride the worker's own
 *   port beside Comlink's messages (`direct`: a MessagePort round trip costs more), never through Comlink;
 * - auto-pipelining: every operation issued in one tick (before the microtask queue drains) leaves in ONE
 *   `batch` message; the worker answers each batch in one message, in order; no listener is added per call;
 * - near-cache: a message's invalidations are applied before anything else in it; a read is answered from the
 *   cache only while no other command of this page is unanswered (see near-cache.ts);
 * - every call is tracked here until settled: when the worker dies — crash (`error` event), undecodable reply
 *   (`messageerror`), fatal start-up error, or termination, which only the Web Lock it holds tells — every
 *   pending call rejects and later calls reject at once;
 * - a worker serves one database; clients of the same name in one page share it (see createClient), and it is
 *   terminated once its last session closed and the final flush was answered.
 */
import { transfer, wrap, type Endpoint, type Remote } from 'comlink';
import { ClientClosedError, RdbFileError, ReplyError, WorkerError } from './errors.js';
import { binary, MISS, NearCache, type Slot } from './near-cache.js';
import {
  decodeOps, encodeCmd, encodeOp, isStreamMessage, keyId, skipOp,
  type BatchView, type Control, type Durability, type FromWorker, type Op, type OpResult, type PersistenceEvent,
  type PersistenceStatus, type ToWorker, type WireArg, type WireLater, type WireOps, type WireReply, type WorkerStats,
} from '../worker/protocol.js';
import type { ImportAnswer, ImportSummary } from '../worker/rdb-io.js';
import { MAX_SPIN_MS, ReplySpin, Spinner } from '../worker/spin.js';

/** The part of a Worker (or MessagePort, in tests) the connection uses: the control API's endpoint. */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (ev: Event) => void): void;
  removeEventListener(type: 'message' | 'error' | 'messageerror', listener: (ev: Event) => void): void;
  /** MessagePort: deliver queued messages. */
  start?(): void;
  /** Told each batch the page posts on the command port, as operations (tests and tools watch the wire so). */
  tap?(batch: BatchView): void;
}

/** What the connection listens to: the worker, and the command port. */
interface Listenable {
  addEventListener(type: string, listener: (ev: Event) => void): void;
  removeEventListener(type: string, listener: (ev: Event) => void): void;
}

interface Waiter {
  resolve(v: unknown): void;
  reject(e: Error): void;
  /** Session id the call belongs to (0: the connection's own), so `disconnect()` can reject its own. */
  owner: number;
  /** Turns the wire reply into the method's result. */
  map: ((r: WireReply) => unknown) | undefined;
  done: boolean;
  /** A tracked near-cache read: the slot its reply is stored in, and the reply's id there. */
  fill: Slot | null;
  sub: string;
  /** A command that is not a near-cache read: while unanswered, reads bypass the near-cache. */
  counted: boolean;
}

/** A session's near-cache state in the page. */
export interface NearState {
  /** Its reads use the near-cache. */
  on: boolean;
  /** NearCacheState as last told by the worker: the db its reads run in, -1 while they are not plain. */
  db: number;
  /** Its calls waiting for a `later` reply (blocked, or held behind a blocked one). */
  laters: number;
  hits: number;
  misses: number;
}

/** One session as the page's clients see it; shared by a client and its views (`withBytes()`). */
export interface SessionState {
  readonly sid: number;
  closed: boolean;
  /** Near-cache state; absent for sessions that never read through it (pub/sub). */
  near?: NearState;
}

/** A batch sent and not yet answered. */
interface Inflight {
  id: number;
  waiting: Waiter[];
  /** Its commands that are not near-cache reads. */
  untracked: number;
  /** performance.now() when sent: a cached value's TTL counts from here. */
  sentAt: number;
}

export interface ConnectionOptions {
  name: string;
  durability: Durability;
  endpoint: WorkerLike;
  /** Stop the worker for good (Worker.terminate; closing the port in tests). */
  terminate: () => void;
  /** Told once the connection is over (shut down or failed), to forget it. */
  onGone?: (c: Connection) => void;
  /**
   * Keep the page's thread and the worker's awake up to this long (ms) around a round trip (worker/spin.ts).
   * 0: never.
   */
  spinMs?: number;
}

export class Connection {
  status!: PersistenceStatus;
  /** Why the connection is dead; every call rejects with it. */
  failure: Error | null = null;
  /** Shut down on purpose after the last session closed. */
  closed = false;
  /** Open sessions. */
  refs = 0;
  private readonly sessions = new Map<number, SessionState>();
  readonly name: string;
  readonly durability: Durability;
  private readonly ep: WorkerLike;
  /** The control API (Comlink) and the command port it handed over (null: the worker's own port carries them). */
  private api!: Remote<Control>;
  private port: MessagePort | null = null;
  /** Rejecters of control calls in flight: Comlink never settles them if the worker dies. */
  private readonly controlCalls = new Set<(e: Error) => void>();
  /** The near-cache of this connection's clients; null until a client asks for one. */
  cache: NearCache | null = null;
  /** Commands other than near-cache reads queued or in flight: while any, reads bypass the near-cache. */
  private untracked = 0;
  private queuedUntracked = 0;
  /** Batches and operations sent. */
  batchesSent = 0;
  opsSent = 0;
  private nextSid = 1;
  private nextBatch = 1;
  /** This tick's operations, flat (protocol.ts, WireOps), and their callers. */
  private wire: WireOps = [];
  private waiting: Waiter[] = [];
  private readonly inflight: Inflight[] = [];
  /** Calls whose reply comes in a `later` message (blocked commands), by ticket. */
  private readonly later = new Map<number, Waiter>();
  /** `later` replies that came before their batch's replies (served within that batch), by ticket. */
  private readonly early = new Map<number, WireReply>();
  /** What happened to persistence while the worker started (told to every persistence listener first). */
  startEvents: PersistenceEvent[] = [];
  private readonly persistenceListeners = new Set<(e: PersistenceEvent, s: PersistenceStatus) => void>();
  /** Listeners of out-of-band pushes (pub/sub messages), by session. */
  private readonly pushListeners = new Map<number, Set<(r: WireReply) => void>>();
  private scheduled = false;
  /** Spinning while a batch is in flight (worker/spin.ts, ReplySpin); null: never. */
  readonly spinMs: number;
  private readonly spin: ReplySpin | null;
  /** Round trips spun for. */
  get spins(): number {
    return this.spin?.spinner.spins ?? 0;
  }
  private lockWatch: AbortController | null = null;
  private readonly unlisten: (() => void)[] = [];

  private constructor(private readonly opts: ConnectionOptions) {
    this.name = opts.name;
    this.durability = opts.durability;
    this.ep = opts.endpoint;
    this.spinMs = opts.spinMs !== undefined && opts.spinMs > 0 ? Math.min(opts.spinMs, MAX_SPIN_MS) : 0;
    this.spin =
      this.spinMs > 0
        ? new ReplySpin(new Spinner(() => this.inflight.length === 0 || this.failure !== null), this.spinMs)
        : null;
  }

  /** Open the database through the worker's control API and wait for it to be loaded. */
  static async open(opts: ConnectionOptions): Promise<Connection> {
    const c = new Connection(opts);
    c.listen(c.ep, 'error', (ev) => c.fail(new WorkerError(`tabhive: the worker failed: ${errorText(ev)}`)));
    c.listen(c.ep, 'messageerror', () => c.fail(new WorkerError('tabhive: a message from the worker could not be read')));
    // The command stream rides the worker's own port (OpenRequest.direct): its messages, those with a `t`, are
    // taken here, before Comlink's listener (added by wrap) would look at them.
    c.listen(c.ep, 'message', (ev) => {
      const m = (ev as MessageEvent<unknown>).data;
      if (!isStreamMessage(m)) return;
      ev.stopImmediatePropagation();
      c.onMessage(m as FromWorker);
    });
    c.api = wrap<Control>(c.ep as unknown as Endpoint);
    const locks = lockManager();
    const lock = locks === undefined ? null : `tabhive-worker:${randomId()}`;
    let opened;
    try {
      opened = await c.control(c.api.open({ name: opts.name, durability: opts.durability, lock, direct: true, spinMs: c.spinMs }));
    } catch (e) {
      const err = e instanceof WorkerError ? e : new WorkerError(e instanceof Error ? e.message : String(e));
      c.fail(err);
      throw err;
    }
    c.status = opened.status;
    c.startEvents = opened.events ?? [];
    const port = opened.port;
    c.port = port;
    if (port !== null) {
      c.listen(port, 'message', (ev) => c.onMessage((ev as MessageEvent<FromWorker>).data));
      c.listen(port, 'messageerror', () => c.fail(new WorkerError('tabhive: a message from the worker could not be read')));
      port.start();
    }
    if (lock !== null && opened.locked) c.watchLock(locks!, lock);
    if (opts.durability !== 'memory') c.flushWhenHidden();
    return c;
  }

  /** A control call, rejected with the connection's failure if the worker dies first. */
  private control<T>(p: Promise<T>): Promise<T> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      this.controlCalls.add(reject);
      p.then(resolve, reject).finally(() => this.controlCalls.delete(reject));
    });
  }

  /** What the worker reports of itself (control API). */
  workerStats(): Promise<WorkerStats> {
    if (this.closed) return Promise.reject(new ClientClosedError());
    return this.control(this.api.stats());
  }

  /**
   * The whole database as an RDB file (control API; the worker transfers the bytes). It holds what every
   * operation this page issued before the call did (see `barrier`).
   */
  async exportRdb(): Promise<Uint8Array> {
    if (this.closed) throw new ClientClosedError();
    await this.barrier();
    return this.control(this.api.exportRdb());
  }

  /**
   * Replace the whole database with an RDB file's (control API), after every operation this page issued
   * before the call. The bytes travel in a copy of their own, transferred: the caller's array stays usable.
   */
  async importRdb(bytes: Uint8Array): Promise<ImportSummary> {
    if (this.closed) throw new ClientClosedError();
    if (!(bytes instanceof Uint8Array)) throw new TypeError('importRdb: the file must be a Uint8Array');
    // A copy in a buffer of its own (a Node Buffer's slice() would be a view of a shared pool).
    const own = new Uint8Array(bytes);
    await this.barrier();
    let r: ImportAnswer;
    try {
      r = await this.control(this.api.importRdb(transfer(own, [own.buffer])) as Promise<ImportAnswer>);
    } finally {
      // The worker's `flushed` note rides the command stream, which need not arrive before this control
      // reply: nothing cached before the import may answer a read after it.
      this.cache?.flush(-1);
    }
    if (!('k' in r)) return r as ImportSummary;
    if (r.k === 'rdb') throw new RdbFileError(r.message);
    if (r.k === 'err') throw new ReplyError(r.msg);
    throw new WorkerError(r.message);
  }

  /**
   * Control calls leave at once, batches at the end of the tick: a control call that must come after the
   * operations issued before it waits for a `flush` operation queued behind them (batches are answered in
   * order, so theirs have run). Whether that write succeeded does not matter here.
   */
  private async barrier(): Promise<void> {
    try {
      await this.call(['flush'], 0, () => undefined);
    } catch (e) {
      if (this.failure !== null || this.closed) throw e;
    }
  }

  /** Make sure the near-cache holds at least `capacity` entries (clients ask for theirs as they open). */
  useNearCache(capacity: number): void {
    if (this.cache === null) this.cache = new NearCache(capacity);
    else if (capacity > this.cache.capacity) this.cache.resize(capacity);
  }

  /** Queue an operation for this tick's batch; settles with its (mapped) result. */
  call<T>(op: Op, owner: number, map?: (r: WireReply) => T): Promise<T> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new ClientClosedError());
    encodeOp(this.wire, op);
    return this.wait(owner, map, null, '', op[0] === 'cmd');
  }

  /**
   * A near-cache read (near-cache.ts, nearRead): `args` is its command, `sub` its reply id. Answered from the
   * near-cache when the rules allow, else sent — tracked, so that its reply is cached, when the session's
   * reads are plain and nothing else is unanswered.
   */
  read<T>(session: SessionState, args: WireArg[], bytes: boolean, sub: string, map?: (r: WireReply) => T): Promise<T> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new ClientClosedError());
    const sid = session.sid;
    const near = session.near;
    const cache = this.cache;
    if (near === undefined || !near.on || cache === null) {
      encodeCmd(this.wire, sid, args, bytes, false);
      return this.wait(sid, map, null, '', false);
    }
    if (near.db < 0 || near.laters > 0 || this.untracked > 0) {
      near.misses++;
      encodeCmd(this.wire, sid, args, bytes, false);
      return this.wait(sid, map, null, '', false);
    }
    const id = keyId(near.db, binary(args[1]));
    const v = cache.get(id, sub);
    if (v !== MISS) {
      near.hits++;
      const r = v instanceof Uint8Array ? v.slice() : v;
      if (map === undefined) return Promise.resolve(r as T);
      try {
        return Promise.resolve(map(r));
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    }
    near.misses++;
    encodeCmd(this.wire, sid, args, bytes, true);
    return this.wait(sid, map, cache.reserve(id, near.db), sub, false);
  }

  /** The caller of the operation just queued. */
  private wait<T>(
    owner: number,
    map: ((r: WireReply) => T) | undefined,
    fill: Slot | null,
    sub: string,
    counted: boolean,
  ): Promise<T> {
    if (counted) {
      this.untracked++;
      this.queuedUntracked++;
    }
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ resolve: resolve as (v: unknown) => void, reject, owner, map, done: false, fill, sub, counted });
      if (!this.scheduled) {
        this.scheduled = true;
        queueMicrotask(this.send);
      }
    });
  }

  /**
   * A new session, opened in the worker by the returned call. With `pushBytes`, its pushes carry bulk strings as
   * Uint8Array (pub/sub sessions, which decode them per listener). A client's session says with `near` whether
   * its reads use the near-cache.
   */
  openSession(pushBytes = false, near?: boolean): { session: SessionState; opened: Promise<unknown> } {
    const session: SessionState = { sid: this.nextSid++, closed: false };
    if (near !== undefined) session.near = { on: near, db: 0, laters: 0, hits: 0, misses: 0 };
    this.sessions.set(session.sid, session);
    this.refs++;
    return { session, opened: this.call(pushBytes ? ['open', session.sid, true] : ['open', session.sid], 0) };
  }

  /**
   * Close a session: with `flushFirst` (quit) its changes are written before it closes, else (disconnect) its
   * pending calls reject now. Resolves once the worker answered; the last session's close also waits for the
   * final flush (the worker does that), after which the worker is stopped.
   */
  closeSession(session: SessionState, flushFirst: boolean): Promise<void> {
    this.forget(session);
    if (!flushFirst) this.dropCalls(session.sid, new ClientClosedError('The client was disconnected'));
    const flushed = flushFirst ? this.call(['flush'], 0) : Promise.resolve();
    const closed = this.call(['close', session.sid], 0).then(() => {
      // A command still blocked when the session closed gets no reply.
      this.dropCalls(session.sid, new ClientClosedError());
    });
    return Promise.all([flushed, closed]).then(() => {});
  }

  private forget(session: SessionState): void {
    session.closed = true;
    this.pushListeners.delete(session.sid);
    if (this.sessions.delete(session.sid)) this.refs--;
  }

  /** Reject (and drop, if not yet sent) every call of session `sid`. */
  private dropCalls(sid: number, e: Error): void {
    const keepOps: WireOps = [];
    const keepWaiting: Waiter[] = [];
    for (let i = 0, p = 0; i < this.waiting.length; i++) {
      const w = this.waiting[i];
      const end = skipOp(this.wire, p);
      const from = p;
      p = end;
      if (w.owner === sid) {
        settleError(w, e);
        if (w.counted) {
          this.untracked--;
          this.queuedUntracked--;
        }
      } else {
        for (let j = from; j < end; j++) keepOps.push(this.wire[j]);
        keepWaiting.push(w);
      }
    }
    this.wire = keepOps;
    this.waiting = keepWaiting;
    for (const b of this.inflight) for (const w of b.waiting) if (w.owner === sid) settleError(w, e);
    for (const [n, w] of this.later) {
      if (w.owner !== sid) continue;
      this.later.delete(n);
      this.laterDone(w);
      settleError(w, e);
    }
  }

  /** Deliver session `sid`'s out-of-band pushes to `listener` until the returned function is called. */
  onPush(sid: number, listener: (r: WireReply) => void): () => void {
    let set = this.pushListeners.get(sid);
    if (set === undefined) this.pushListeners.set(sid, (set = new Set()));
    const l = (r: WireReply) => listener(r);
    set.add(l);
    return () => {
      set.delete(l);
      if (set.size === 0 && this.pushListeners.get(sid) === set) this.pushListeners.delete(sid);
    };
  }

  /**
   * Tell `listener` about persistence: first the events of the worker's start (damaged records skipped,
   * IndexedDB unusable), then each later one, with the status after it. Until the returned function is called.
   */
  onPersistence(listener: (e: PersistenceEvent, s: PersistenceStatus) => void): () => void {
    const l = (e: PersistenceEvent, s: PersistenceStatus) => listener(e, s);
    this.persistenceListeners.add(l);
    const replay = this.startEvents.slice();
    if (replay.length > 0) {
      queueMicrotask(() => {
        for (const e of replay) if (this.persistenceListeners.has(l)) callListener(() => l(e, this.status));
      });
    }
    return () => void this.persistenceListeners.delete(l);
  }

  /** Reject everything and stop the worker: it is dead or unusable. */
  fail(e: Error): void {
    if (this.failure !== null || this.closed) return;
    this.failure = e;
    for (const reject of this.controlCalls) reject(e);
    this.controlCalls.clear();
    for (const w of this.waiting) settleError(w, e);
    for (const b of this.inflight) for (const w of b.waiting) settleError(w, e);
    for (const w of this.later.values()) settleError(w, e);
    this.wire = [];
    this.waiting = [];
    this.inflight.length = 0;
    this.later.clear();
    this.early.clear();
    this.untracked = this.queuedUntracked = 0;
    this.teardown();
  }

  private readonly send = (): void => {
    this.scheduled = false;
    if (this.waiting.length === 0 || this.failure !== null) return;
    const id = this.nextBatch++;
    const wire = this.wire;
    const waiting = this.waiting;
    const untracked = this.queuedUntracked;
    this.wire = [];
    this.waiting = [];
    this.queuedUntracked = 0;
    const m: ToWorker = { t: 'batch', id, w: wire };
    try {
      if (this.port !== null) this.port.postMessage(m);
      else this.ep.postMessage(m);
    } catch (e) {
      // Nothing left: the batch could not be cloned. Its calls fail, the connection goes on.
      this.untracked -= untracked;
      const err = e instanceof Error ? e : new Error(String(e));
      for (const w of waiting) settleError(w, err);
      return;
    }
    this.batchesSent++;
    this.opsSent += waiting.length;
    this.ep.tap?.({ t: 'batch', id, ops: decodeOps(wire) });
    const sentAt = performance.now();
    this.inflight.push({ id, waiting, untracked, sentAt });
    this.spin?.sent(sentAt);
  };

  private onMessage(m: FromWorker): void {
    // Invalidations first: nothing this message delivers may meet a stale cached value.
    if (m.inv !== undefined || m.flushed !== undefined) this.invalidate(m.inv, m.flushed);
    switch (m.t) {
      case 'replies':
        this.onReplies(m);
        break;
      case 'later':
        if (m.st !== undefined) this.states(m.st);
        this.onLater(m.n, m.r, m.nested, m.closed);
        break;
      case 'push':
        for (const l of this.pushListeners.get(m.sid) ?? []) {
          try {
            l(m.r);
          } catch (e) {
            // A listener's bug is the page's: report it without breaking the connection.
            queueMicrotask(() => {
              throw e;
            });
          }
        }
        break;
      case 'status':
        this.status = m.status;
        if (m.event !== undefined) {
          const e = m.event;
          for (const l of [...this.persistenceListeners]) callListener(() => l(e, m.status));
        }
        break;
      case 'inv':
        break;
    }
  }

  /** The worker invalidated keys (`inv`, key ids) or whole dbs (`flushed`, -1: all). */
  private invalidate(inv: string[] | undefined, flushed: number[] | undefined): void {
    const cache = this.cache;
    if (cache === null) return;
    if (inv !== undefined) for (let i = 0; i < inv.length; i++) cache.invalidate(inv[i]);
    if (flushed !== undefined) for (const db of flushed) cache.flush(db);
  }

  /** NearCacheState notes: [sid, state] pairs. */
  private states(st: number[]): void {
    for (let i = 0; i + 1 < st.length; i += 2) {
      const near = this.sessions.get(st[i])?.near;
      if (near !== undefined) near.db = st[i + 1];
    }
  }

  private onReplies(m: FromWorker & { t: 'replies' }): void {
    const { id, r: results, nested, closed, nc, ttl } = m;
    const batch = this.inflight.shift();
    if (batch === undefined || batch.id !== id) {
      this.fail(new WorkerError(`tabhive: the worker answered batch ${id} out of order`));
      return;
    }
    this.untracked -= batch.untracked;
    this.spin?.answered(batch.sentAt);
    if (m.st !== undefined) this.states(m.st);
    if (nested !== undefined) for (const i of nested) results[i] = reviveNested(results[i] as WireReply) as OpResult;
    const waiting = batch.waiting;
    const cache = this.cache;
    // nc and ttl list indexes in ascending order: walked alongside.
    let ni = 0;
    let ti = 0;
    for (let i = 0; i < waiting.length; i++) {
      const w = waiting[i];
      const r = results[i];
      if (w.fill !== null) {
        let keep = true;
        if (nc !== undefined && nc[ni] === i) {
          ni++;
          keep = false;
        }
        let until = 0;
        if (ttl !== undefined && ttl[ti] === i) {
          until = batch.sentAt + ttl[ti + 1];
          ti += 2;
        }
        if (keep && cache !== null) cache.fill(w.fill, w.sub, r as WireReply, until);
      }
      // A blocked command (or one queued behind it): its reply comes in a `later` message — or came already,
      // when it was served within its own batch.
      if (typeof r === 'object' && r !== null && (r as { k?: unknown }).k === 'later') {
        const n = (r as WireLater).n;
        const early = this.early.get(n);
        this.early.delete(n);
        if (w.done) continue;
        if (early === undefined) {
          this.later.set(n, w);
          const near = this.sessions.get(w.owner)?.near;
          if (near !== undefined) near.laters++;
        } else settle(w, early);
        continue;
      }
      if (!w.done) settle(w, r);
    }
    if (closed !== undefined) this.ended(closed);
    this.maybeShutdown();
  }

  /** A call answered `later` is settled or dropped: its session may read from the near-cache again. */
  private laterDone(w: Waiter): void {
    const near = this.sessions.get(w.owner)?.near;
    if (near !== undefined && near.laters > 0) near.laters--;
  }

  private onLater(n: number, r: WireReply, nested: boolean | undefined, closed: number[] | undefined): void {
    const reply = nested ? (reviveNested(r) as WireReply) : r;
    const w = this.later.get(n);
    if (w === undefined) this.early.set(n, reply);
    else {
      this.later.delete(n);
      this.laterDone(w);
      settle(w, reply);
    }
    if (closed !== undefined) this.ended(closed);
    this.maybeShutdown();
  }

  private maybeShutdown(): void {
    if (this.refs === 0 && this.inflight.length === 0 && this.waiting.length === 0) this.shutdown();
  }

  /** The engine closed these sessions (QUIT, CLIENT KILL): their clients are closed, later calls reject. */
  private ended(sids: number[]): void {
    for (const sid of sids) {
      const session = this.sessions.get(sid);
      if (session === undefined) continue;
      this.forget(session);
      this.dropCalls(sid, new ClientClosedError());
      // The worker flushes when a page closes its last session; a session ended by the engine did not.
      if (this.refs === 0) void this.call(['flush'], 0).catch(() => {});
    }
  }

  /** The last session closed and everything was answered (the final flush included): stop the worker. */
  private shutdown(): void {
    if (this.closed || this.failure !== null) return;
    this.closed = true;
    this.teardown();
  }

  private teardown(): void {
    this.cache?.clear();
    this.spin?.spinner.close();
    this.lockWatch?.abort();
    this.lockWatch = null;
    for (const u of this.unlisten.splice(0)) u();
    try {
      this.port?.close();
    } catch {
      // Already closed.
    }
    try {
      this.opts.terminate();
    } catch {
      // Already gone.
    }
    this.opts.onGone?.(this);
  }

  /** The worker holds lock `name` while it lives: once we are granted it, the worker is gone. */
  private watchLock(locks: LockManager, name: string): void {
    const ac = new AbortController();
    this.lockWatch = ac;
    try {
      locks
        .request(name, { signal: ac.signal }, () => {
          this.fail(new WorkerError('tabhive: the worker stopped (terminated or crashed)'));
        })
        .catch(() => {
          // Aborted by our own shutdown.
        });
    } catch {
      // Locks refused here: a dead worker then shows only through its `error` event.
    }
  }

  /** A page being hidden may be killed without further notice: write what is pending now. */
  private flushWhenHidden(): void {
    const g = globalThis as {
      document?: Document;
      addEventListener?: typeof addEventListener;
      removeEventListener?: typeof removeEventListener;
    };
    if (g.document === undefined || typeof g.addEventListener !== 'function') return;
    const doc = g.document;
    const flush = () => void this.call(['flush'], 0).catch(() => {});
    const onVisibility = () => {
      if (doc.visibilityState === 'hidden') flush();
    };
    g.addEventListener('pagehide', flush);
    doc.addEventListener('visibilitychange', onVisibility);
    this.unlisten.push(() => {
      g.removeEventListener!('pagehide', flush);
      doc.removeEventListener('visibilitychange', onVisibility);
    });
  }

  private listen(ep: Listenable, type: 'message' | 'error' | 'messageerror', l: (ev: Event) => void): void {
    ep.addEventListener(type, l);
    this.unlisten.push(() => ep.removeEventListener(type, l));
  }
}

/** Run a page's listener; its exception is the page's, reported without breaking the connection. */
function callListener(f: () => void): void {
  try {
    f();
  } catch (e) {
    queueMicrotask(() => {
      throw e;
    });
  }
}

/** Settle a call with its wire result: a Redis error rejects (ReplyError), a failure rejects (WorkerError). */
function settle(w: Waiter, r: unknown): void {
  w.done = true;
  if (typeof r === 'object' && r !== null) {
    const k = (r as { k?: unknown }).k;
    if (k === 'err') {
      w.reject(new ReplyError((r as { msg: string }).msg));
      return;
    }
    if (k === 'fail') {
      w.reject(new WorkerError((r as { message: string }).message));
      return;
    }
  }
  if (w.map === undefined) {
    w.resolve(r);
    return;
  }
  try {
    w.resolve(w.map(r as WireReply));
  } catch (e) {
    w.reject(e instanceof Error ? e : new Error(String(e)));
  }
}

function settleError(w: Waiter, e: Error): void {
  if (w.done) return;
  w.done = true;
  w.reject(e);
}

/** Errors inside an array reply (EXEC) become ReplyError values in place; they do not reject the call. */
function reviveNested(r: WireReply): unknown {
  if (Array.isArray(r)) {
    for (let i = 0; i < r.length; i++) r[i] = reviveNested(r[i]) as WireReply;
    return r;
  }
  if (r instanceof Map) {
    const m = new Map<unknown, unknown>();
    for (const [k, v] of r) m.set(reviveNested(k), reviveNested(v));
    return m;
  }
  if (typeof r === 'object' && r !== null && (r as { k?: unknown }).k === 'err') {
    return new ReplyError((r as { msg: string }).msg);
  }
  return r;
}

function errorText(ev: Event): string {
  const m = (ev as ErrorEvent).message;
  return typeof m === 'string' && m !== '' ? m : 'its script could not be loaded or it crashed';
}

function lockManager(): LockManager | undefined {
  try {
    return (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
  } catch {
    // An opaque origin (sandboxed iframe) may refuse access: do without.
    return undefined;
  }
}

function randomId(): string {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
