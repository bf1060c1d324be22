/**
 * Server commands with typed methods (node-redis v4's names, arguments and reply shapes): DBSIZE, FLUSHDB, SELECT,
 * TIME, INFO, COMMAND, CONFIG, MEMORY, SAVE, BGSAVE, LASTSAVE … See base.ts for how a family joins the client.
 *
 * Map-shaped replies (CONFIG GET, COMMAND DOCS, MEMORY STATS, key specifications) are flat arrays under RESP2 and
 * Maps under RESP3; the transforms read both and give the same objects. Records keyed by names from the database
 * (CONFIG GET's parameters, COMMAND DOCS's commands) have no prototype (`Object.create(null)`).
 */
import type { WireReply } from '../../worker/protocol.js';
import { ascii, CommandBase, many, pairsOf, toRecord, type CommandArgument, type Key, type Value } from './base.js';

export type FlushMode = 'ASYNC' | 'SYNC';

/** TIME's reply: the server time as a Date, and the microseconds within its second. */
export type TimeReply = Date & { microseconds: number };

/** A key specification of COMMAND INFO (Redis 7.0), its field names as Redis gives them. */
export interface CommandKeySpec {
  notes?: string;
  flags: string[];
  begin_search: { type: string; spec: Record<string, string | number> };
  find_keys: { type: string; spec: Record<string, string | number> };
}

/**
 * A command as COMMAND and COMMAND INFO describe it: node-redis v4's fields (flags and ACL categories as Sets),
 * and Redis 7.0's tips, key specifications and subcommands.
 */
export interface CommandReply {
  name: string;
  arity: number;
  flags: Set<string>;
  firstKeyIndex: number;
  lastKeyIndex: number;
  step: number;
  categories: Set<string>;
  tips: string[];
  keySpecs: CommandKeySpec[];
  subcommands: CommandReply[];
}

/** COMMAND LIST's filter: commands of a module, of an ACL category, or whose name matches a glob pattern. */
export interface CommandListFilter {
  filterBy: 'MODULE' | 'ACLCAT' | 'PATTERN';
  value: string;
}

/** One key of COMMAND GETKEYSANDFLAGS: the key and how the command uses it ('RW', 'access', 'update' …). */
export interface CommandKeyAndFlags<S> {
  key: S;
  flags: string[];
}

/** An argument in COMMAND DOCS, its field names as Redis gives them. */
export interface CommandDocArgument {
  name: string;
  type: string;
  display_text?: string;
  key_spec_index?: number;
  token?: string;
  summary?: string;
  since?: string;
  deprecated_since?: string;
  flags?: string[];
  arguments?: CommandDocArgument[];
}

/** A command's documentation in COMMAND DOCS, its field names as Redis gives them. */
export interface CommandDoc {
  summary: string;
  since: string;
  group: string;
  complexity: string;
  module?: string;
  doc_flags?: string[];
  deprecated_since?: string;
  replaced_by?: string;
  /** [version, what changed] */
  history?: [string, string][];
  arguments?: CommandDocArgument[];
  subcommands?: Record<string, CommandDoc>;
}

/** MEMORY USAGE's options: how many elements of a nested value to sample (0: all; Redis's default 5). */
export interface MemoryUsageOptions {
  SAMPLES?: number;
}

/** MEMORY STATS, its fields in camelCase as node-redis v4 names them (`clients.slaves` is clientsReplicas). */
export interface MemoryStatsReply {
  peakAllocated: number;
  totalAllocated: number;
  startupAllocated: number;
  replicationBacklog: number;
  clientsReplicas: number;
  clientsNormal: number;
  clusterLinks: number;
  aofBuffer: number;
  luaCaches: number;
  functionsCaches: number;
  overheadTotal: number;
  keysCount: number;
  keysBytesPerKey: number;
  datasetBytes: number;
  datasetPercentage: number;
  peakPercentage: number;
  allocatorAllocated: number;
  allocatorActive: number;
  allocatorResident: number;
  allocatorFragmentationRatio: number;
  allocatorFragmentationBytes: number;
  allocatorRssRatio: number;
  allocatorRssBytes: number;
  rssOverheadRatio: number;
  rssOverheadBytes: number;
  fragmentation: number;
  fragmentationBytes: number;
  /** Per db holding keys, by its index. */
  db: Record<number, { overheadHashtableMain: number; overheadHashtableExpires: number; overheadHashtableSlotToKeys: number }>;
}

/** BGSAVE's options: SCHEDULE waits for a save in progress instead of failing. */
export interface BgSaveOptions {
  SCHEDULE?: boolean;
}

export abstract class ServerCommands<S extends string | Uint8Array = string> extends CommandBase {
  /** `DBSIZE` — keys in the selected db. */
  dbSize(): Promise<number> {
    return this.run(['DBSIZE']);
  }

  /** `FLUSHDB [ASYNC | SYNC]` */
  flushDb(mode?: FlushMode): Promise<'OK'> {
    return this.run(mode === undefined ? ['FLUSHDB'] : ['FLUSHDB', mode]);
  }

  /** `FLUSHALL [ASYNC | SYNC]` */
  flushAll(mode?: FlushMode): Promise<'OK'> {
    return this.run(mode === undefined ? ['FLUSHALL'] : ['FLUSHALL', mode]);
  }

  /** `SELECT index` — this session's db from now on. */
  select(db: number): Promise<'OK'> {
    return this.run(['SELECT', db]);
  }

  /** `SWAPDB index1 index2` */
  swapDb(index1: number, index2: number): Promise<'OK'> {
    return this.run(['SWAPDB', index1, index2]);
  }

  /** `TIME` — the worker's clock as a Date, with the microseconds within the second. */
  time(): Promise<TimeReply> {
    return this.run(
      ['TIME'],
      (r) => {
        const [s, us] = r as [string, string];
        const d = new Date(Number(s) * 1000 + Number(us) / 1000) as TimeReply;
        d.microseconds = Number(us);
        return d;
      },
      false,
    );
  }

  /** `INFO [section [section ...]]` */
  info(...sections: string[]): Promise<string> {
    return this.run(['INFO', ...sections], undefined, false);
  }

  // ---- COMMAND ----------------------------------------------------------------------------------------------------

  /** `COMMAND` — every command, described. */
  command(): Promise<CommandReply[]> {
    return this.run(['COMMAND'], (r) => (r as WireReply[]).map(toCommand), false);
  }

  /** `COMMAND COUNT` — how many commands there are (subcommands not counted). */
  commandCount(): Promise<number> {
    return this.run(['COMMAND', 'COUNT']);
  }

  /**
   * `COMMAND INFO [command-name [command-name ...]]` — these commands (`'get'`, `'config|get'` for a subcommand),
   * described; null for a name that is not a command.
   */
  commandInfo(commands: string | string[]): Promise<(CommandReply | null)[]> {
    return this.run(
      ['COMMAND', 'INFO', ...many(commands)],
      (r) => (r as WireReply[]).map((c) => (c === null ? null : toCommand(c))),
      false,
    );
  }

  /**
   * `COMMAND DOCS [command-name [command-name ...]]` — documentation of these commands (all without names) by
   * name, on a record with no prototype; names that are not commands are left out.
   */
  commandDocs(commands?: string | string[]): Promise<Record<string, CommandDoc>> {
    return this.run(['COMMAND', 'DOCS', ...(commands === undefined ? [] : many(commands))], toDocs, false);
  }

  /**
   * `COMMAND LIST [FILTERBY <MODULE module-name | ACLCAT category | PATTERN pattern>]` — command names, subcommands
   * included (`config|get`): `commandList({ filterBy: 'ACLCAT', value: 'hash' })`.
   */
  commandList(filter?: CommandListFilter): Promise<string[]> {
    const args: unknown[] = ['COMMAND', 'LIST'];
    if (filter !== undefined) args.push('FILTERBY', filter.filterBy, filter.value);
    return this.run(args, undefined, false);
  }

  /** `COMMAND GETKEYS command [arg [arg ...]]` — the keys of a full command: `commandGetKeys(['SET', 'k', 'v'])`. */
  commandGetKeys(args: CommandArgument[]): Promise<S[]> {
    return this.run(['COMMAND', 'GETKEYS', ...args]);
  }

  /** `COMMAND GETKEYSANDFLAGS command [arg [arg ...]]` — the keys of a full command, with how it uses each. */
  commandGetKeysAndFlags(args: CommandArgument[]): Promise<CommandKeyAndFlags<S>[]> {
    return this.run(['COMMAND', 'GETKEYSANDFLAGS', ...args], (r) =>
      (r as [WireReply, WireReply[]][]).map(([key, flags]) => ({ key: key as S, flags: flags.map(textOf) })),
    );
  }

  // ---- CONFIG -----------------------------------------------------------------------------------------------------

  /**
   * `CONFIG GET parameter [parameter ...]` — the parameters matching these names or glob patterns, with their
   * values, on a record with no prototype: `configGet('maxmemory*')` → `{ maxmemory: '0', 'maxmemory-policy':
   * 'noeviction', … }`.
   */
  configGet(parameters: string | string[]): Promise<Record<string, string>> {
    return this.run(['CONFIG', 'GET', ...many(parameters)], toRecord<string>, false);
  }

  /**
   * `CONFIG SET parameter value [parameter value ...]` — one parameter, or several at once (all or none):
   * `configSet('maxmemory', '10mb')`, `configSet({ maxmemory: '10mb', 'maxmemory-policy': 'allkeys-lru' })`.
   */
  configSet(...args: [parameter: string, value: Value] | [parameters: Record<string, Value>]): Promise<'OK'> {
    const out: unknown[] = ['CONFIG', 'SET'];
    const [first, value] = args;
    if (typeof first === 'string') out.push(first, value);
    else for (const [p, v] of Object.entries(first)) out.push(p, v);
    return this.run(out, undefined, false);
  }

  /** `CONFIG RESETSTAT` — zero INFO's statistics (hits, misses, commandstats, errorstats …). */
  configResetStat(): Promise<'OK'> {
    return this.run(['CONFIG', 'RESETSTAT'], undefined, false);
  }

  /** `CONFIG REWRITE` — tabhive has no config file: rejects with Redis's "The server is running without a config file". */
  configRewrite(): Promise<'OK'> {
    return this.run(['CONFIG', 'REWRITE'], undefined, false);
  }

  // ---- MEMORY -----------------------------------------------------------------------------------------------------

  /** `MEMORY USAGE key [SAMPLES count]` — bytes the key and its value take, as Redis 7.0 counts them; null when missing. */
  memoryUsage(key: Key, options?: MemoryUsageOptions): Promise<number | null> {
    const args: unknown[] = ['MEMORY', 'USAGE', key];
    if (options?.SAMPLES !== undefined) args.push('SAMPLES', options.SAMPLES);
    return this.run(args);
  }

  /** `MEMORY STATS` — the memory report, as an object. */
  memoryStats(): Promise<MemoryStatsReply> {
    return this.run(['MEMORY', 'STATS'], toMemoryStats, false);
  }

  /** `MEMORY DOCTOR` — Redis's memory advice, as text. */
  memoryDoctor(): Promise<string> {
    return this.run(['MEMORY', 'DOCTOR'], undefined, false);
  }

  /** `MEMORY MALLOC-STATS` — there is no allocator to report on: 'Stats not supported for the current allocator'. */
  memoryMallocStats(): Promise<string> {
    return this.run(['MEMORY', 'MALLOC-STATS'], undefined, false);
  }

  /** `MEMORY PURGE` */
  memoryPurge(): Promise<'OK'> {
    return this.run(['MEMORY', 'PURGE'], undefined, false);
  }

  // ---- persistence ------------------------------------------------------------------------------------------------

  /** `SAVE` — resolves 'OK' once every change so far is stored in IndexedDB. Refused inside a transaction. */
  save(): Promise<'OK'> {
    return this.run(['SAVE'], undefined, false);
  }

  /**
   * `BGSAVE [SCHEDULE]` — start storing every change so far: 'Background saving started' ('… scheduled' inside a
   * transaction).
   */
  bgSave(options?: BgSaveOptions): Promise<string> {
    return this.run(options?.SCHEDULE === true ? ['BGSAVE', 'SCHEDULE'] : ['BGSAVE'], undefined, false);
  }

  /**
   * `LASTSAVE` — when the last save succeeded, as a Date (Redis replies Unix seconds; node-redis v4 read them as
   * milliseconds, a Date in 1970).
   */
  lastSave(): Promise<Date> {
    return this.run(['LASTSAVE'], (r) => new Date(Number(r) * 1000));
  }
}

// ---- reply transforms ---------------------------------------------------------------------------------------------

/** ASCII text (a flag, a name) in either form. */
function textOf(r: WireReply): string {
  return ascii(r as string | Uint8Array);
}

/** A map-shaped reply level (flat array or Map) as an object with Redis's field names. */
function fields(r: WireReply): Record<string, WireReply> {
  return toRecord<WireReply>(r);
}

function toKeySpec(r: WireReply): CommandKeySpec {
  const f = fields(r);
  const step = (x: WireReply) => {
    const s = fields(x);
    return { type: s.type as string, spec: toRecord<string | number>(s.spec ?? []) };
  };
  const spec: CommandKeySpec = {
    flags: (f.flags ?? []) as string[],
    begin_search: step(f.begin_search),
    find_keys: step(f.find_keys),
  };
  if (f.notes !== undefined) spec.notes = f.notes as string;
  return spec;
}

function toCommand(r: WireReply): CommandReply {
  const [name, arity, flags, first, last, step, categories, tips = [], keySpecs = [], subcommands = []] = r as WireReply[];
  return {
    name: name as string,
    arity: arity as number,
    flags: new Set(flags as string[]),
    firstKeyIndex: first as number,
    lastKeyIndex: last as number,
    step: step as number,
    categories: new Set(categories as string[]),
    tips: tips as string[],
    keySpecs: (keySpecs as WireReply[]).map(toKeySpec),
    subcommands: (subcommands as WireReply[]).map(toCommand),
  };
}

function toDocArgument(r: WireReply): CommandDocArgument {
  const a = fields(r) as Record<string, unknown>;
  if (a.arguments !== undefined) a.arguments = (a.arguments as WireReply[]).map(toDocArgument);
  return a as unknown as CommandDocArgument;
}

function toDoc(r: WireReply): CommandDoc {
  const d = fields(r) as Record<string, unknown>;
  if (d.arguments !== undefined) d.arguments = (d.arguments as WireReply[]).map(toDocArgument);
  if (d.subcommands !== undefined) d.subcommands = toDocs(d.subcommands as WireReply);
  return d as unknown as CommandDoc;
}

function toDocs(r: WireReply): Record<string, CommandDoc> {
  const out = Object.create(null) as Record<string, CommandDoc>;
  for (const [name, doc] of pairsOf(r)) out[textOf(name)] = toDoc(doc);
  return out;
}

/** A MEMORY STATS field name in camelCase: `keys.bytes-per-key` → keysBytesPerKey. */
function camel(name: string): string {
  return name === 'clients.slaves' ? 'clientsReplicas' : name.replace(/[.-]([a-z])/g, (_, c: string) => c.toUpperCase());
}

function toMemoryStats(r: WireReply): MemoryStatsReply {
  const out: Record<string, unknown> = {};
  const db: Record<number, Record<string, number>> = {};
  for (const [k, v] of pairsOf(r)) {
    const name = textOf(k);
    if (name.startsWith('db.')) {
      const fieldsOfDb: Record<string, number> = {};
      for (const [dk, dv] of pairsOf(v)) fieldsOfDb[camel(textOf(dk))] = Number(dv);
      db[Number(name.slice(3))] = fieldsOfDb;
    } else {
      // Ratios and percentages are doubles: text under RESP2, numbers under RESP3.
      out[camel(name)] = Number(v);
    }
  }
  out.db = db;
  return out as unknown as MemoryStatsReply;
}
