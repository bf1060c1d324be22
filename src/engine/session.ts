/**
 * A session is one client's connection state: the selected db, the protocol version, and (as later layers
 * add them) its MULTI queue, WATCHed keys and subscriptions. The RESP server makes one per TCP connection,
 * the worker one per page client (and per `duplicate()`).
 *
 * Layers that keep per-session state of their own (MULTI, pub/sub, tracking, blocking) register a
 * SessionLayer, so that RESET clears their state and CLIENT LIST / INFO report it without this file or the
 * connection family knowing them.
 */
import type { Db } from './keyspace.js';
import type { Reply } from './reply.js';
import type { CommandSpec } from './command.js';

/** A command queued by MULTI, resolved and arity-checked, run by EXEC. */
export interface QueuedCommand {
  spec: CommandSpec;
  argv: readonly string[];
  start: number;
}

let nextId = 1;

export class Session {
  readonly id = nextId++;
  db: Db;
  /** 2 or 3 (HELLO). */
  resp: 2 | 3 = 2;
  /** CLIENT SETNAME ('' when unnamed). */
  name = '';
  readonly createdAt: number;
  lastCommand = '';
  lastInteraction: number;
  closed = false;
  /** Peer address for CLIENT LIST / INFO / KILL ADDR (the transport fills it: `ip:port`). */
  addr = '';
  /** Local address the peer connected to, for CLIENT LIST laddr= and CLIENT KILL LADDR (the transport fills it). */
  laddr = '';
  /** QUIT, CLIENT KILL of oneself: the transport closes the connection once this reply is written. */
  closeAfterReply = false;
  /** CLIENT NO-EVICT ON: exempt from client eviction (flag `e` in CLIENT LIST). */
  noEvict = false;
  /**
   * Out-of-band delivery (pub/sub messages, invalidations): set by the transport. Replies to commands are
   * returned by Engine.execute, never pushed.
   */
  push: (r: Reply) => void = () => {};
  /**
   * Set by the transport: drop this connection now. CLIENT KILL calls it on another session after
   * Engine.closeSession, so the transport must not expect a reply to flush.
   */
  onKill: () => void = () => {};

  // ---- transactions (commands/multi.ts) ----
  /** The MULTI queue, or null outside MULTI. `aborted` once a command was rejected at queue time (EXECABORT). */
  multi: { queue: QueuedCommand[]; aborted: boolean } | null = null;
  /** True while EXEC runs the queue: blocking commands then answer at once instead of blocking. */
  inExec = false;
  /** WATCHed keys, by `<db>\0<key>`; `expired` = the key was already logically expired at WATCH time. */
  readonly watching = new Map<string, { db: Db; key: string; expired: boolean }>();
  /** A watched key was touched: the next EXEC fails (null reply). */
  dirtyCas = false;

  // ---- blocking (blocking.ts) ----
  /** The command this session is blocked on, or null. */
  blocked: unknown = null;
  /**
   * Set by the transport: the reply of a command that blocked (Engine.execute returned BLOCKED) once it is
   * served or times out. The transport holds the session's later commands until then, as Redis does.
   */
  onUnblock: (r: Reply) => void = () => {};

  constructor(db: Db, now: number) {
    this.db = db;
    this.createdAt = now;
    this.lastInteraction = now;
  }
}

/** What CLIENT LIST / CLIENT INFO report of a session beyond the fields above; layers fill their part in. */
export interface ClientInfo {
  /**
   * CLIENT LIST flag letters a layer sets, any order (they are printed in Redis's): P pub/sub, x MULTI,
   * b blocked, t tracking, R broken redirect, B broadcast tracking, d dirty CAS, u unblocked, r READONLY.
   */
  flags: string;
  /** Channel, pattern and shard-channel subscriptions. */
  sub: number;
  psub: number;
  ssub: number;
  /** Commands queued in MULTI; -1 outside MULTI. */
  multi: number;
  /** Bytes of argv queued in MULTI. */
  multiMem: number;
  /** Client tracking redirection id; -1 when tracking is off. */
  redir: number;
}

export interface SessionLayer {
  /** RESET: drop this layer's state for the session, without replies or pushes (Redis's clearClientConnectionState). */
  reset?(s: Session): void;
  /** CLIENT LIST / INFO: add this layer's flags and counters. */
  info?(s: Session, out: ClientInfo): void;
}

const layers: SessionLayer[] = [];

/** Register a layer once, at module load of the family that keeps per-session state. */
export function registerSessionLayer(l: SessionLayer): void {
  if (!layers.includes(l)) layers.push(l);
}

export function sessionLayers(): readonly SessionLayer[] {
  return layers;
}

/** A session's CLIENT LIST state as the layers report it. */
export function clientInfo(s: Session): ClientInfo {
  const out: ClientInfo = { flags: '', sub: 0, psub: 0, ssub: 0, multi: -1, multiMem: 0, redir: -1 };
  for (const l of layers) l.info?.(s, out);
  return out;
}
