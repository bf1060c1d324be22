/**
 * Replies: a small typed union, protocol-neutral. The RESP encoder (server/resp.ts) and the worker's wire
 * (worker/protocol.ts) each turn it into their own form.
 *
 * Rules:
 * - the common replies are primitives so that a hot command allocates nothing for its reply:
 *   a binary string is a bulk string, a number or bigint is an integer (bigint only beyond 2^53),
 *   `null` is the null bulk string, an array is an array;
 * - everything else is a plain object tagged by `k`, so it survives structured clone unchanged.
 */

export type Reply = string | number | bigint | null | Reply[] | Tagged;

export type Tagged =
  | SimpleReply
  | ErrorReply
  | DoubleReply
  | MapReply
  | SetReply
  | PushReply
  | NullArrayReply
  | VerbatimReply
  | BoolReply;

/** `+OK` and friends. */
export interface SimpleReply { readonly k: 'simple'; readonly s: string }
/** `-ERR …`: `msg` includes the error code (`ERR`, `WRONGTYPE`, `EXECABORT` …). */
export interface ErrorReply { readonly k: 'err'; readonly msg: string }
/** RESP3 double; a bulk string in RESP2, formatted as Redis 7.0 does (`%.17g`, `inf`, `-inf`). */
export interface DoubleReply { readonly k: 'double'; readonly v: number }
/** RESP3 map, flat `[k1, v1, k2, v2 …]`; a flat array in RESP2. */
export interface MapReply { readonly k: 'map'; readonly v: Reply[] }
/** RESP3 set; an array in RESP2. */
export interface SetReply { readonly k: 'set'; readonly v: Reply[] }
/** RESP3 push (pub/sub messages); an array in RESP2. */
export interface PushReply { readonly k: 'push'; readonly v: Reply[] }
/** RESP2 `*-1` (null array, e.g. BLPOP timeout); `_` in RESP3. */
export interface NullArrayReply { readonly k: 'nullarr' }
/** RESP3 verbatim string (INFO); a bulk string in RESP2. */
export interface VerbatimReply { readonly k: 'verbatim'; readonly fmt: string; readonly s: string }
/** RESP3 boolean; integer 1/0 in RESP2. */
export interface BoolReply { readonly k: 'bool'; readonly v: boolean }

export const OK: SimpleReply = Object.freeze({ k: 'simple', s: 'OK' });
export const QUEUED: SimpleReply = Object.freeze({ k: 'simple', s: 'QUEUED' });
export const PONG: SimpleReply = Object.freeze({ k: 'simple', s: 'PONG' });
export const NULL_ARRAY: NullArrayReply = Object.freeze({ k: 'nullarr' });

/**
 * Sentinel: the command answered through `session.push` only (SUBSCRIBE and friends send one push per
 * channel), so the transport writes nothing for it. Compared by identity; never crosses a wire.
 */
export const NO_REPLY = Object.freeze({ k: 'none' }) as unknown as Reply;

export const simple = (s: string): SimpleReply => ({ k: 'simple', s });
export const err = (msg: string): ErrorReply => ({ k: 'err', msg });
export const double = (v: number): DoubleReply => ({ k: 'double', v });
export const map = (v: Reply[]): MapReply => ({ k: 'map', v });
export const set = (v: Reply[]): SetReply => ({ k: 'set', v });
export const push = (v: Reply[]): PushReply => ({ k: 'push', v });
export const verbatim = (s: string, fmt = 'txt'): VerbatimReply => ({ k: 'verbatim', fmt, s });

export function isError(r: Reply): r is ErrorReply {
  return r !== null && typeof r === 'object' && !Array.isArray(r) && (r as Tagged).k === 'err';
}

/**
 * Redis's addReplyHelp: the `<NAME> <subcommand> …` header, the given lines, and the HELP entry, as simple
 * strings.
 */
export function helpReply(container: string, lines: readonly string[]): Reply {
  return [
    `${container} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`,
    ...lines,
    'HELP',
    '    Prints this help.',
  ].map(simple);
}
