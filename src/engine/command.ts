/**
 * The command table's shape. Each family file (commands/string.ts, commands/keys.ts …) exports its specs as
 * data; table.ts gathers them. This one source drives dispatch and arity errors, COMMAND / COMMAND INFO /
 * COMMAND DOCS, the typed client, the README's command list and write detection (replication, persistence).
 */
import type { Ctx } from './ctx.js';
import type { Reply } from './reply.js';

/** Command flags as Redis 7.0 reports them in COMMAND INFO, in its order. */
export const FLAG_ORDER = [
  'write', 'readonly', 'denyoom', 'module', 'admin', 'pubsub', 'noscript', 'blocking', 'loading', 'stale',
  'skip_monitor', 'skip_slowlog', 'asking', 'fast', 'no_auth', 'may_replicate', 'no_mandatory_keys',
  'no_async_loading', 'no_multi', 'movablekeys', 'allow_busy',
] as const;
export type Flag = (typeof FLAG_ORDER)[number];

/** ACL categories in Redis's order (the order COMMAND INFO lists them). */
export const ACL_ORDER = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo',
  'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting',
] as const;
export type AclCategory = (typeof ACL_ORDER)[number];

export type Handler = (c: Ctx) => Reply;

export interface CommandSpec {
  /** Lower-case name; a subcommand is named `container|sub` as Redis 7 does (`object|encoding`). */
  name: string;
  /** Redis's arity: N means exactly N arguments including the name, -N at least N. */
  arity: number;
  flags: Flag[];
  /**
   * ACL categories given explicitly (the family: 'string', 'keyspace' …, and 'dangerous' etc. where Redis
   * lists them). Those implied by flags (@write, @read, @fast/@slow, @admin, @pubsub, @blocking) are derived.
   */
  acl: AclCategory[];
  /** First key, last key (negative counts from the end), step; [0,0,0] for no keys. */
  keys: [number, number, number];
  /** Command tips (`nondeterministic_output`, `request_policy:…`), as COMMAND INFO lists them. */
  tips?: string[];
  /** COMMAND DOCS group (string, generic, server, connection …). */
  group: string;
  summary: string;
  since: string;
  /** The syntax line, used for TSDoc, the demo's inline help and COMMAND DOCS. */
  syntax?: string;
  complexity?: string;
  /**
   * Absent on a container command (OBJECT, CONFIG, CLIENT …), which dispatches to `sub`. A command with both
   * (COMMAND) runs its handler when called without a subcommand.
   */
  handler?: Handler;
  sub?: CommandSpec[];
  /**
   * Redis 7's key specs, as COMMAND INFO lists them (element 9) and COMMAND GETKEYS applies them. When absent
   * they are derived from `keys` and the flags (see keySpecsOf), which is right for most single-range commands;
   * declare them where Redis's differ (other key flags, keyword or keynum searches, several specs).
   */
  keySpecs?: KeySpec[];
  /**
   * Key positions for COMMAND GETKEYS where the key specs cannot say (Redis's getkeys_proc: SORT … STORE,
   * MIGRATE …): argv (name first) → indexes into argv, or null when the arguments are invalid. A bare index
   * takes the first key spec's flags; `{ pos, flags }` gives its own (SORT's STORE destination: OW update).
   */
  getKeys?: (argv: readonly string[]) => (number | { pos: number; flags: KeyFlag[] })[] | null;
  /**
   * Where tabhive's replies differ from Redis 7.0's by design, in one sentence (INFO's host fields, MEMORY's
   * estimates …). Not part of COMMAND DOCS; the README's command table (scripts/gen-commands.ts) shows it.
   */
  differs?: string;
  /** COMMAND DOCS extras: history entries [version, change], doc flags, deprecation. */
  history?: [string, string][];
  docFlags?: ('deprecated' | 'syscmd')[];
  deprecatedSince?: string;
  replacedBy?: string;
}

/** Key-spec flags in Redis's order. */
export const KEY_FLAG_ORDER = [
  'RO', 'RW', 'OW', 'RM', 'access', 'update', 'insert', 'delete', 'not_key', 'incomplete', 'variable_flags',
] as const;
export type KeyFlag = (typeof KEY_FLAG_ORDER)[number];

/** One key spec: where the search for keys begins, and how keys are found from there. */
export interface KeySpec {
  flags: KeyFlag[];
  notes?: string;
  /**
   * An argument index, or just after a keyword searched from `startfrom` (negative: from the end, backwards),
   * or unknown (SORT's BY/GET/STORE keys: only the command's getKeys can find them).
   */
  begin: { index: number } | { keyword: string; startfrom: number } | { unknown: true };
  /**
   * A range (`lastkey` relative to the begin position, or negative from the end; `limit` splits the rest), or
   * a count argument `keynumidx` after the begin position with the first key `firstkey` after it, or unknown.
   */
  find:
    | { lastkey: number; keystep: number; limit: number }
    | { keynumidx: number; firstkey: number; keystep: number }
    | { unknown: true };
}

/**
 * A command's key specs: declared ones, or one range spec derived from `keys` (readonly: RO access; write: RW
 * update; otherwise RO). A range whose last key is negative stays relative to the end, as Redis's legacy range.
 */
export function keySpecsOf(spec: CommandSpec): KeySpec[] {
  if (spec.keySpecs !== undefined) return spec.keySpecs;
  const [first, last, step] = spec.keys;
  if (first === 0) return [];
  const flags: KeyFlag[] = spec.flags.includes('write') ? ['RW', 'update'] : ['RO', 'access'];
  return [{ flags, begin: { index: first }, find: { lastkey: last < 0 ? last : last - first, keystep: step, limit: 0 } }];
}

/** The categories COMMAND INFO reports: explicit ones plus those Redis derives from the flags. */
export function aclCategories(spec: CommandSpec): AclCategory[] {
  const s = new Set<AclCategory>(spec.acl);
  const f = new Set(spec.flags);
  if (f.has('write')) s.add('write');
  if (f.has('readonly') && !s.has('scripting')) s.add('read');
  if (f.has('admin')) {
    s.add('admin');
    s.add('dangerous');
  }
  if (f.has('pubsub')) s.add('pubsub');
  if (f.has('fast')) s.add('fast');
  if (f.has('blocking')) s.add('blocking');
  if (!s.has('fast')) s.add('slow');
  return ACL_ORDER.filter((c) => s.has(c));
}

export function isWrite(spec: CommandSpec): boolean {
  return spec.flags.includes('write');
}

/** A range key spec: keys from argv[`index`], `lastkey` relative to it (or negative from the end). */
export const rangeSpec = (flags: KeyFlag[], index = 1, lastkey = 0): KeySpec => ({
  flags, begin: { index }, find: { lastkey, keystep: 1, limit: 0 },
});

/** A keynum key spec: the key count at argv[`index`], the keys right after it (LMPOP, SINTERCARD …). */
export const keynumSpec = (flags: KeyFlag[], index = 1): KeySpec => ({
  flags, begin: { index }, find: { keynumidx: 0, firstkey: 1, keystep: 1 },
});
