/**
 * Session storage for a PWA that survives reloads and browser restarts: a hash for the session's fields and a
 * list for its cart, both with a sliding idle timeout — every visit renews their EXPIRE, so a session lasts
 * as long as it is used, and Redis's expiry ends it after `idleSeconds` without a visit. tabhive keeps both in
 * IndexedDB; `saved()` resolves once what was written is there.
 */
import type { TabhiveClient } from '../../src/client/index.js';

export interface SessionOptions {
  /** The session's key (its cart is `<key>:cart`). Default 'session:demo'. */
  key?: string;
  /** Idle timeout in seconds. Default 1800. */
  idleSeconds?: number;
  /** Clock (ms). Default Date.now. */
  now?: () => number;
}

export interface SessionState {
  fields: Map<string, string>;
  cart: string[];
  visits: number;
  startedAt: number;
  lastSeen: number;
  /** Seconds until it expires without another visit. */
  ttl: number;
}

export interface Session {
  readonly key: string;
  /** A visit: counts it, renews the idle timeout, and returns the state. */
  visit(): Promise<SessionState>;
  read(): Promise<SessionState>;
  set(field: string, value: string): Promise<void>;
  addToCart(item: string): Promise<void>;
  removeFromCart(index: number): Promise<void>;
  /** Ends the session now. */
  end(): Promise<void>;
  /** Resolves once everything written so far is in IndexedDB. */
  saved(): Promise<void>;
}

/** Field names the session keeps for itself. */
const OWN = new Set(['visits', 'startedAt', 'lastSeen']);

export function openSession(db: TabhiveClient, options: SessionOptions = {}): Session {
  const key = options.key ?? 'session:demo';
  const cartKey = `${key}:cart`;
  const idle = options.idleSeconds ?? 1800;
  const now = options.now ?? Date.now;

  /** Commands in one MULTI, then the idle timeout renewed on both keys; resolves with EXEC's replies. */
  async function tx(...cmds: (string | number)[][]): Promise<unknown[]> {
    const all = [['MULTI'], ...cmds, ['EXPIRE', key, idle], ['EXPIRE', cartKey, idle], ['EXEC']];
    const replies = await Promise.all(all.map((c) => db.sendCommand(c)));
    const exec = replies[replies.length - 1] as unknown[] | null;
    const failed = exec?.find((r) => r instanceof Error);
    if (failed) throw failed;
    return exec ?? [];
  }

  async function read(): Promise<SessionState> {
    const [flat, cart, ttl] = await Promise.all([
      db.sendCommand(['HGETALL', key]) as Promise<string[]>,
      db.sendCommand(['LRANGE', cartKey, '0', '-1']) as Promise<string[]>,
      db.ttl(key),
    ]);
    const all = new Map<string, string>();
    for (let i = 0; i < flat.length; i += 2) all.set(flat[i], flat[i + 1]);
    const fields = new Map([...all].filter(([f]) => !OWN.has(f)));
    return {
      fields,
      cart,
      visits: Number(all.get('visits') ?? 0),
      startedAt: Number(all.get('startedAt') ?? 0),
      lastSeen: Number(all.get('lastSeen') ?? 0),
      ttl,
    };
  }

  return {
    key,
    async visit() {
      const t = now();
      await tx(['HINCRBY', key, 'visits', 1], ['HSETNX', key, 'startedAt', t], ['HSET', key, 'lastSeen', t]);
      return read();
    },
    read,
    async set(field, value) {
      if (OWN.has(field)) throw new Error(`session: '${field}' is kept by the session itself`);
      await tx(['HSET', key, field, value]);
    },
    async addToCart(item) {
      await tx(['RPUSH', cartKey, item]);
    },
    async removeFromCart(index) {
      // Mark the element, then remove the mark: LREM by value would take the first equal item, not this one.
      const mark = `\u0000removed:${now()}:${Math.random()}`;
      await tx(['LSET', cartKey, index, mark], ['LREM', cartKey, 1, mark]);
    },
    async end() {
      await db.del(key, cartKey);
    },
    saved: () => db.flush(),
  };
}
