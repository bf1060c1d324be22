/**
 * The worker's side, independent of where it runs: a `Host` is one engine with its persistence and its active
 * expiry cycle; a `Link` is one page connection to it (a MessagePort-like endpoint) with that page's sessions.
 * worker.ts serves `self` with it; Node tests serve one end of a MessageChannel.
 *
 * The operations a page can ask for are `operations()` below; protocol.ts derives the wire's request and
 * result types from it.
 */
import { Engine, type EngineOptions } from '../engine/engine.js';
import { BLOCKED } from '../engine/blocking.js';
import { err, NO_REPLY, type Reply } from '../engine/reply.js';
import type { Session } from '../engine/session.js';
import { loadRecords, Persister } from '../persist/persister.js';
import { Store } from '../persist/store.js';
import {
  decodeArgs, encodeReply,
  type Durability, type Encoding, type FromWorker, type Op, type OpResult, type PersistenceStatus, type ToWorker,
  type WireArg, type WireFailure, type WireLater, type WireReply,
} from './protocol.js';

/** The part of a MessagePort / DedicatedWorkerGlobalScope the host uses. */
export interface Endpoint {
  postMessage(message: FromWorker, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (ev: MessageEvent<ToWorker>) => void): void;
  /** MessagePort: deliver queued messages (implicit with onmessage, needed with addEventListener). */
  start?(): void;
}

export interface HostOptions {
  engine?: EngineOptions;
  /** Flush delay after a change (ms). Default 1000 ('everysec'). */
  flushDelayMs?: number;
  /** How to open the store (tests inject failures). Default Store.open. */
  openStore?: (name: string) => Promise<Store>;
  /** Where warnings go. Default console.warn. */
  warn?: (message: string) => void;
}

// ---- the host: one engine -------------------------------------------------------------------------------------

export class Host {
  readonly links = new Set<Link>();
  private expiryTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  private constructor(
    readonly engine: Engine,
    readonly status: PersistenceStatus,
    private readonly persister: Persister,
  ) {}

  /** Make the engine, load it from IndexedDB (unless durability is 'memory') and start the expiry cycle. */
  static async start(name: string, durability: Durability, opts: HostOptions = {}): Promise<Host> {
    const warn = opts.warn ?? ((m: string) => console.warn(m));
    let engine = new Engine(opts.engine);
    const status: PersistenceStatus = { durability, persistent: false, loaded: 0 };
    let store: Store | null = null;
    if (durability !== 'memory') {
      try {
        store = await (opts.openStore ?? ((n: string) => Store.open(n)))(name);
        const res = loadRecords(engine, await store.loadAll());
        status.loaded = res.loaded;
        status.persistent = true;
        if (res.failed > 0) {
          warn(`tabhive: ${res.failed} stored key(s) of '${name}' could not be read; they were left in IndexedDB`);
        }
      } catch (e) {
        store?.close();
        store = null;
        // Start empty, and write nothing: what is on disk stays as it was.
        engine = new Engine(opts.engine);
        status.reason = `IndexedDB unavailable (${describe(e)}); data is kept in memory only`;
        warn(`tabhive: ${status.reason}`);
      }
    }
    let host: Host | null = null;
    const persister = new Persister(engine, store, {
      delayMs: opts.flushDelayMs,
      onDetach: (why) => {
        status.persistent = false;
        status.reason = `IndexedDB connection lost (${why}); data is kept in memory only from now on`;
        warn(`tabhive: ${status.reason}`);
        host?.broadcast({ t: 'status', status: { ...status } });
      },
    });
    host = new Host(engine, status, persister);
    host.scheduleExpiry();
    return host;
  }

  /** Sessions open across all links. */
  get sessionCount(): number {
    let n = 0;
    for (const l of this.links) n += l.sessions.size;
    return n;
  }

  /** Write every change so far to IndexedDB. */
  flush(): Promise<void> {
    return this.persister.flush();
  }

  /** Stop the expiry cycle, flush and close the store (tests; a worker is simply terminated). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.expiryTimer !== null) clearTimeout(this.expiryTimer);
    await this.persister.close();
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
  args: WireArg[];
  bytes: boolean;
  ticket: number;
}

export class Link {
  /** Sessions by the id the page gave them (the page numbers them, so `duplicate()` needs no round trip). */
  readonly sessions = new Map<number, Session>();
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

  constructor(
    readonly host: Host,
    private readonly ep: Endpoint,
  ) {
    this.ops = operations(this);
    host.links.add(this);
  }

  post(m: FromWorker, transfer: Transferable[]): void {
    this.ep.postMessage(m, transfer);
  }

  /** Run a batch's operations in order and answer them in one message, after any earlier batch's answer. */
  batch(id: number, ops: readonly Op[]): void {
    const results = new Array<OpResult | Promise<OpResult>>(ops.length);
    const enc = newEncoding();
    this.enc = enc;
    const ended: number[] = [];
    this.ended = ended;
    let nested: number[] | undefined;
    let pending = false;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      let r: OpResult | Promise<OpResult>;
      switch (op[0]) {
        case 'cmd':
          r = this.ops.cmd(op[1], op[2], op[3]);
          break;
        case 'open':
          r = this.ops.open(op[1]);
          break;
        case 'close':
          r = this.ops.close(op[1]);
          break;
        case 'flush':
          r = this.ops.flush();
          break;
      }
      if (enc.nested) {
        (nested ??= []).push(i);
        enc.nested = false;
      }
      if (r instanceof Promise) pending = true;
      results[i] = r;
    }
    const answer = (r: OpResult[]) => {
      const m: FromWorker & { t: 'replies' } = { t: 'replies', id, r };
      if (nested !== undefined) m.nested = nested;
      if (ended.length > 0) m.closed = ended;
      this.post(m, enc.transfer);
    };
    if (!pending && this.tail === null) {
      answer(results as OpResult[]);
      return;
    }
    // Asynchronous results (flush) never reject: failures are WireFailure data.
    const tail: Promise<void> = (this.tail ?? Promise.resolve())
      .then(() => Promise.all(results))
      .then(answer);
    this.tail = tail;
    void tail.then(() => {
      if (this.tail === tail) this.tail = null;
    });
  }

  /**
   * Run one command for session `sid` (known to exist): its wire reply, or a `later` ticket when it blocked or
   * must wait behind a blocked command of its session.
   */
  command(sid: number, s: Session, args: WireArg[], bytes: boolean): WireReply | WireLater {
    const held = this.held.get(sid);
    if (held !== undefined) {
      const ticket = this.nextTicket++;
      held.push({ args, bytes, ticket });
      return { k: 'later', n: ticket };
    }
    return this.run(sid, s, args, bytes, 0);
  }

  /** The engine closed session `sid` (QUIT, CLIENT KILL): forget it and tell the page with the current answer. */
  endSession(sid: number): void {
    const s = this.sessions.get(sid);
    if (s === undefined) return;
    this.sessions.delete(sid);
    this.held.delete(sid);
    if (!s.closed) this.host.engine.closeSession(s);
    this.ended.push(sid);
  }

  /** The page closed session `sid`: its blocked and held commands are dropped (the page rejects them). */
  closeSession(sid: number): void {
    const s = this.sessions.get(sid);
    if (s === undefined) return;
    this.sessions.delete(sid);
    this.held.delete(sid);
    this.host.engine.closeSession(s);
  }

  /** A new session: pushes go to the page (or to the command that made them), unblocking answers later. */
  openSession(sid: number): void {
    if (this.sessions.has(sid)) return;
    const s = this.host.engine.createSession();
    s.push = (r) => {
      if (this.capturing === s) this.captured.push(r);
      else this.post({ t: 'push', sid, r: encodeReply(r, { ...newEncoding(), resp: s.resp }) }, []);
    };
    // CLIENT KILL from another session: the transport drops the connection.
    s.onKill = () => this.endSession(sid);
    this.sessions.set(sid, s);
  }

  /** Execute, with `ticket` the reply's ticket when it was held (0: answered in its batch). */
  private run(sid: number, s: Session, args: WireArg[], bytes: boolean, ticket: number): WireReply | WireLater {
    const enc = this.enc;
    const outer = this.capturing;
    const outerCaptured = this.captured;
    this.capturing = s;
    this.captured = [];
    let reply: Reply;
    try {
      reply = this.host.engine.execute(s, decodeArgs(args));
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
      this.held.set(sid, []);
      s.onUnblock = (r) => this.unblocked(sid, s, n, bytes, r);
      return { k: 'later', n };
    }
    if (reply === NO_REPLY) {
      // SUBSCRIBE & co. answer with one push per channel: those pushes are the reply.
      reply = captured;
    } else {
      for (const r of captured) this.post({ t: 'push', sid, r: encodeReply(r, { ...newEncoding(), resp: s.resp }) }, []);
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
    this.later(ticket, encodeReply(r, enc), enc, []);
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
        const r = this.run(sid, s, h.args, h.bytes, h.ticket);
        if (isLater(r)) {
          this.held.get(sid)!.push(...queue.slice(i + 1));
          return;
        }
        this.later(h.ticket, r, enc, ended);
        if (ended.length > 0) return;
      }
    } finally {
      this.enc = saved.enc;
      this.ended = saved.ended;
    }
  }

  private later(n: number, r: WireReply, enc: Encoding, ended: number[]): void {
    const m: FromWorker & { t: 'later' } = { t: 'later', n, r };
    if (enc.nested) m.nested = true;
    if (ended.length > 0) m.closed = ended;
    this.post(m, enc.transfer);
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
    cmd(sid: number, args: WireArg[], bytes: boolean): WireReply | WireLater {
      const s = link.sessions.get(sid);
      if (s === undefined) return { k: 'err', msg: 'ERR tabhive: this client is closed' };
      return link.command(sid, s, args, bytes);
    },

    /** Open session `sid` (a new client or a `duplicate()`). */
    open(sid: number): null {
      link.openSession(sid);
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

function newEncoding(): Encoding {
  return { bytes: false, resp: 2, nested: false, transfer: [] };
}

function isLater(r: WireReply | WireLater): r is WireLater {
  return typeof r === 'object' && r !== null && (r as { k?: unknown }).k === 'later';
}

// ---- serving an endpoint ------------------------------------------------------------------------------------

/**
 * Serve one page connection on `ep`: wait for its `hello`, start the host, then run its batches. Returns a
 * handle to stop it (tests; in a worker, termination does that).
 */
export function serve(ep: Endpoint, opts: HostOptions = {}): { host: Promise<Host | null>; stop(): Promise<void> } {
  let link: Link | null = null;
  let failure: string | null = null;
  const early: { id: number; ops: Op[] }[] = [];
  let resolveHost!: (h: Host | null) => void;
  const hostReady = new Promise<Host | null>((r) => (resolveHost = r));
  let started = false;

  ep.addEventListener('message', (ev) => {
    const m = ev.data;
    if (m.t === 'batch') {
      if (link !== null) link.batch(m.id, m.ops);
      else if (failure !== null) ep.postMessage({ t: 'fatal', message: failure }, []);
      else early.push(m);
      return;
    }
    if (m.t === 'hello') {
      if (started) {
        ep.postMessage({ t: 'fatal', message: 'tabhive: this worker already serves a database' }, []);
        return;
      }
      started = true;
      void (async () => {
        try {
          const locked = m.lock !== null && (await holdLock(m.lock));
          const host = await Host.start(m.name, m.durability, opts);
          link = new Link(host, ep);
          ep.postMessage({ t: 'ready', status: { ...host.status }, locked }, []);
          for (const b of early.splice(0)) link.batch(b.id, b.ops);
          resolveHost(host);
        } catch (e) {
          failure = `tabhive: the worker could not start: ${describe(e)}`;
          ep.postMessage({ t: 'fatal', message: failure }, []);
          resolveHost(null);
        }
      })();
    }
  });
  ep.start?.();

  return {
    host: hostReady,
    async stop() {
      if (!started) return;
      const host = await hostReady;
      await host?.stop();
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
