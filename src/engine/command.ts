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
  /** Absent on a container command (OBJECT, CONFIG, COMMAND …), which dispatches to `sub`. */
  handler?: Handler;
  sub?: CommandSpec[];
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
