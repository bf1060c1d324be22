/**
 * A session is one client's connection state: the selected db, the protocol version, and (as later layers
 * add them) its MULTI queue, WATCHed keys and subscriptions. The RESP server makes one per TCP connection,
 * the worker one per page client (and per `duplicate()`).
 */
import type { Db } from './keyspace.js';
import type { Reply } from './reply.js';

let nextId = 1;

export class Session {
  readonly id = nextId++;
  db: Db;
  /** 2 or 3 (HELLO). */
  resp: 2 | 3 = 2;
  /** CLIENT SETNAME. */
  name = '';
  readonly createdAt: number;
  lastCommand = '';
  lastInteraction: number;
  closed = false;
  /** Peer address for CLIENT LIST / INFO (the RESP server fills it). */
  addr = '';
  /**
   * Out-of-band delivery (pub/sub messages, invalidations): set by the transport. Replies to commands are
   * returned by Engine.execute, never pushed.
   */
  push: (r: Reply) => void = () => {};

  constructor(db: Db, now: number) {
    this.db = db;
    this.createdAt = now;
    this.lastInteraction = now;
  }
}
