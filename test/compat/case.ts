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
