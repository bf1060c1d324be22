/**
 * The shape of a differential case. A case runs on a fresh server state (FLUSHALL, SELECT 0, RESP2) on both
 * redis-server and tabhive, command by command, and every reply must be identical — error text included —
 * unless `cmp` says how else to compare.
 *
 * Arguments are *binary strings* (each char one byte; see src/engine/bytes.ts): write '\xff' for the byte
 * 0xff, and `u8('é')` for the UTF-8 bytes of a text.
 */
import { fromUtf8 } from '../../src/engine/bytes.js';

export type Compare =
  | 'exact' // default: identical replies
  | 'set' // an array whose order does not matter (KEYS, SMEMBERS …); nested arrays compared exactly
  | 'ttl' // an integer within ±1 of Redis's (TTL, PTTL after a relative expire …) ; for PTTL within ±50
  | 'type' // only the reply's type must match (RANDOMKEY, TIME, SRANDMEMBER …)
  | 'scan' // a SCAN-family reply: [cursor, items]; compared by the union of items over a full iteration
  | 'ignore'; // run on both, compare nothing (setup steps whose reply differs by design)

export interface Step {
  args: string[];
  cmp?: Compare;
  /**
   * Which connection runs it (default 0). Connections other than 0 open on first use, on the same fresh
   * server, so cases can show what one client sees of another's writes (WATCH, pub/sub, blocking).
   */
  conn?: number;
  /** Send without waiting for the reply (a blocking command); a later `read` step on that connection gets it. */
  noWait?: boolean;
  /** Send nothing: read the next reply or push on `conn` (`{t:'timeout'}` after 1 s when there is none). */
  read?: boolean;
  /** Send nothing: every push that arrives on `conn` until it is quiet for 50 ms. */
  drain?: boolean;
  /**
   * Send nothing: wait this many ms of real time. Only for what real servers can show no other way (a key's
   * TTL running out between two commands); unit tests use fake time instead.
   */
  pauseMs?: number;
}

export type StepLike = string[] | Step;

export interface Case {
  name: string;
  steps: StepLike[];
  /** Run with HELLO 3 first. */
  resp3?: boolean;
}

/** UTF-8 bytes of a JS string, as a binary string. */
export const u8 = (s: string): string => fromUtf8(s);

/** Build a step with a comparison mode. */
export const step = (cmp: Compare, ...args: string[]): Step => ({ args, cmp });

/** Run on connection `conn`. */
export const on = (conn: number, ...args: string[]): Step => ({ args, conn });
/** Send on `conn` without waiting for the reply (BLPOP …). */
export const send = (conn: number, ...args: string[]): Step => ({ args, conn, noWait: true });
/** Read the next reply or push on `conn`. */
export const read = (conn: number): Step => ({ args: [], conn, read: true });
/** Every push waiting on `conn` (events another connection caused). */
export const drain = (conn: number): Step => ({ args: [], conn, drain: true });

/**
 * Keyspace-event steps: (P)SUBSCRIBE runs on connection 1, every other step on connection 0 followed by a
 * drain of connection 1, so each command's events are compared right after it.
 */
export function eventSteps(steps: StepLike[]): Step[] {
  const out: Step[] = [];
  for (const s of steps) {
    const st: Step = Array.isArray(s) ? { args: s } : s;
    if (/^p?subscribe$/i.test(st.args[0] ?? '')) out.push({ ...st, conn: 1 });
    else out.push(st, drain(1));
  }
  return out;
}

/** Let real time pass on both servers (expiry between two steps). */
export const pause = (ms: number): Step => ({ args: [], pauseMs: ms });
