/**
 * Server commands (Redis's server.c, config.c): TIME, COMMAND, INFO and CONFIG.
 *
 * Rules:
 * - COMMAND INFO / DOCS / LIST / COUNT / GETKEYS read the command table (table.ts) and nothing else, so a
 *   family's spec is its metadata: COMMAND INFO's first eight elements come straight from it, key specs from
 *   `keySpecs` or the range `keys` (command.ts keySpecsOf), COMMAND DOCS' arguments from the syntax line;
 * - INFO speaks as Redis 7.0.15 in Redis's text format; what tabhive has no notion of (forks, AOF, TLS,
 *   replicas) reads as a Redis that never used it, and later layers may set fields of their own through
 *   registerInfoFields (replication role, …);
 * - CONFIG SET checks every pair before storing any (all or nothing), with Redis's error texts.
 */
import {
  aclCategories, ACL_ORDER, FLAG_ORDER, KEY_FLAG_ORDER, keySpecsOf, type CommandSpec, type KeyFlag, type KeySpec,
} from '../command.js';
import { findParam, paramNames, type Config } from '../config.js';
import type { Ctx } from '../ctx.js';
import type { Engine } from '../engine.js';
import { CommandError, E, cstr } from '../errors.js';
import { globMatch } from '../glob.js';
import { parseI64 } from '../numbers.js';
import { helpReply, map, OK, set, simple, verbatim, type Reply } from '../reply.js';
import { clientInfo } from '../session.js';
import { ALL_COMMANDS, lookupCommand } from '../table.js';

// ---- the command table as COMMAND sees it -----------------------------------------------------------------

/** Redis's lookupCommandBySds: `name` or `container|sub`, any case. */
function lookupFullName(name: string): CommandSpec | undefined {
  const parts = name.toLowerCase().split('|');
  if (parts.length > 2) return undefined;
  const base = lookupCommand(parts[0]);
  if (parts.length === 1 || base === undefined) return base;
  return base.sub?.find((s) => s.name === `${parts[0]}|${parts[1]}`);
}

/** Every command and subcommand, each container followed by its subcommands (COMMAND LIST's order). */
function* everyCommand(): Generator<CommandSpec> {
  for (const c of ALL_COMMANDS) {
    yield c;
    if (c.sub) yield* c.sub;
  }
}

/** Flags COMMAND INFO shows, in Redis's order (may_replicate is hidden, as in Redis). */
function shownFlags(spec: CommandSpec): Reply {
  const f = new Set(spec.flags);
  return set(FLAG_ORDER.filter((x) => f.has(x) && x !== 'may_replicate').map(simple));
}

function keyFlags(flags: readonly KeyFlag[]): Reply {
  const f = new Set(flags);
  return set(KEY_FLAG_ORDER.filter((x) => f.has(x)).map(simple));
}

function keySpecReply(ks: KeySpec): Reply {
  const out: Reply[] = [];
  if (ks.notes !== undefined) out.push('notes', ks.notes);
  out.push('flags', keyFlags(ks.flags));
  const b = ks.begin;
  out.push(
    'begin_search',
    'index' in b
      ? map(['type', 'index', 'spec', map(['index', b.index])])
      : 'keyword' in b
        ? map(['type', 'keyword', 'spec', map(['keyword', b.keyword, 'startfrom', b.startfrom])])
        : map(['type', 'unknown', 'spec', map([])]),
  );
  const f = ks.find;
  out.push(
    'find_keys',
    'lastkey' in f
      ? map(['type', 'range', 'spec', map(['lastkey', f.lastkey, 'keystep', f.keystep, 'limit', f.limit])])
      : 'keynumidx' in f
        ? map(['type', 'keynum', 'spec', map(['keynumidx', f.keynumidx, 'firstkey', f.firstkey, 'keystep', f.keystep])])
        : map(['type', 'unknown', 'spec', map([])]),
  );
  return map(out);
}

/** One COMMAND INFO entry: name, arity, flags, first/last/step, ACL categories, tips, key specs, subcommands. */
export function commandInfo(spec: CommandSpec): Reply {
  return [
    spec.name,
    spec.arity,
    shownFlags(spec),
    spec.keys[0],
    spec.keys[1],
    spec.keys[2],
    set(aclCategories(spec).map((c) => simple('@' + c))),
    set(spec.tips ?? []),
    set(keySpecsOf(spec).map(keySpecReply)),
    // An array of subcommands, or an empty *set* when there are none (as Redis's addReplyCommandSubCommands).
    spec.sub ? spec.sub.map(commandInfo) : set([]),
  ];
}

// ---- COMMAND DOCS: arguments from the syntax line -----------------------------------------------------------

/** A COMMAND DOCS argument. */
interface DocArg {
  name: string;
  type: 'string' | 'integer' | 'double' | 'key' | 'pattern' | 'unix-time' | 'pure-token' | 'oneof' | 'block';
  keySpecIndex?: number;
  token?: string;
  flags: Set<'optional' | 'multiple'>;
  args?: DocArg[];
}

type SynNode =
  | { k: 'word'; w: string }
  | { k: 'group'; optional: boolean; alts: SynNode[][] }
  | { k: 'more' }
  | { k: 'multi'; nodes: SynNode[] };

/** Tokens of a syntax line: words, brackets, `|` and `...`. */
function tokenize(syntax: string): string[] {
  return syntax.match(/\.\.\.|[[\]<>|]|"[^"]*"|[^\s[\]<>|]+/g) ?? [];
}

/** Parse a sequence up to a closing bracket or `|`. */
function parseSeq(toks: string[], pos: { i: number }): SynNode[] {
  const out: SynNode[] = [];
  while (pos.i < toks.length) {
    const t = toks[pos.i];
    if (t === ']' || t === '>' || t === '|') break;
    pos.i++;
    if (t === '[' || t === '<') {
      const alts: SynNode[][] = [parseSeq(toks, pos)];
      while (toks[pos.i] === '|') {
        pos.i++;
        alts.push(parseSeq(toks, pos));
      }
      pos.i++; // the closing bracket
      const g: SynNode = { k: 'group', optional: t === '[', alts };
      foldRepeat(out, g);
    } else if (t === '...') {
      out.push({ k: 'more' });
    } else {
      out.push({ k: 'word', w: t });
    }
  }
  return out;
}

const same = (a: SynNode, b: SynNode): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * `x [x ...]` and `a b [a b ...]`: an optional group repeating the items before it makes them one multiple
 * item; `[...]` alone repeats the item before it.
 */
function foldRepeat(out: SynNode[], g: SynNode & { k: 'group' }): void {
  const alt = g.alts[0];
  if (g.optional && g.alts.length === 1 && alt.length > 0 && alt[alt.length - 1].k === 'more') {
    const rep = alt.slice(0, -1);
    const n = rep.length;
    if (n === 0 && out.length > 0) {
      out.push({ k: 'multi', nodes: [out.pop()!] });
      return;
    }
    if (n > 0 && out.length >= n && rep.every((x, i) => same(x, out[out.length - n + i]))) {
      out.splice(out.length - n, n, { k: 'multi', nodes: rep });
      return;
    }
  }
  out.push(g);
}

const isToken = (w: string) => /^[A-Z][A-Z0-9_-]*$/.test(w) || w === '*' || w === '$' || w === '+' || w === '-';

const KEY_NAMES = new Set(['key', 'destination', 'source', 'newkey', 'srckey', 'dstkey', 'src', 'dst']);
const INT_NAMES = new Set([
  'count', 'numkeys', 'seconds', 'milliseconds', 'offset', 'start', 'end', 'stop', 'index', 'db', 'cursor',
  'numreplicas', 'port', 'rank', 'len', 'maxlen', 'bit', 'destination-db', 'numsubs', 'value-integer',
  'num-matches', 'limit', 'weight', 'client-id', 'index1', 'index2', 'protover',
]);
const DOUBLE_NAMES = new Set(['score', 'longitude', 'latitude', 'radius', 'width', 'height']);

/** Names Redis gives the usual choices (a oneof's name is not in the syntax line). */
const ONEOF_NAMES: [string, string][] = [
  ['nx xx', 'condition'], ['nx xx gt lt', 'condition'], ['gt lt', 'comparison'], ['before after', 'where'],
  ['left right', 'where'], ['min max', 'where'], ['asc desc', 'order'], ['async sync', 'async'], ['on off', 'enabled'],
  ['byscore bylex', 'sortby'],
];

/** The argument type Redis most likely declares for a lower-case word of `spec`'s syntax. */
function argType(name: string, spec: CommandSpec): DocArg['type'] {
  if (name.startsWith('unix-time')) return 'unix-time';
  if (name === 'pattern') return 'pattern';
  if (KEY_NAMES.has(name) && (keySpecsOf(spec).length > 0 || spec.flags.includes('movablekeys'))) return 'key';
  if (name === 'timeout') return spec.flags.includes('blocking') ? 'double' : 'integer';
  if (name === 'increment' || name === 'decrement') return /float/.test(spec.name) ? 'double' : 'integer';
  if ((name === 'min' || name === 'max') && /score|^zcount/.test(spec.name)) return 'double';
  if ((name === 'start' || name === 'stop') && /^zrange/.test(spec.name)) return 'string';
  if (INT_NAMES.has(name)) return 'integer';
  if (DOUBLE_NAMES.has(name)) return 'double';
  return 'string';
}

const blockName = (args: DocArg[]) => args.map((a) => a.name).join('_');

function oneofName(alts: DocArg[]): string {
  const key = alts.map((a) => a.name).join(' ');
  if (alts.some((a) => a.token === 'EX') && alts.some((a) => a.token === 'PX')) return 'expiration';
  return ONEOF_NAMES.find(([k]) => k === key)?.[1] ?? alts.map((a) => a.name).join('_');
}

class ArgBuilder {
  private keyIndex = 0;
  private readonly specs: number;
  private readonly keyNames = new Map<string, number>();
  constructor(private readonly spec: CommandSpec) {
    this.specs = keySpecsOf(spec).length;
  }

  word(w: string): DocArg {
    const name = w.toLowerCase().replace(/^"|"$/g, '');
    if (isToken(w)) return { name: name || w, type: 'pure-token', token: w, flags: new Set() };
    const type = argType(name, this.spec);
    const a: DocArg = { name, type, flags: new Set() };
    if (type === 'key') {
      let ix = this.keyNames.get(name);
      if (ix === undefined) {
        ix = Math.min(this.keyIndex++, this.specs - 1);
        this.keyNames.set(name, ix);
      }
      a.keySpecIndex = ix;
    }
    return a;
  }

  /**
   * A sequence: a bare token followed by one argument carries it (a choice after it takes its name); by
   * several, heads a block of them. Optional items after a token stand on their own.
   */
  seq(nodes: SynNode[]): DocArg[] {
    const items = nodes
      .map((n) => ({ n, a: this.node(n) }))
      .filter((x): x is { n: SynNode; a: DocArg } => x.a !== null);
    const bareToken = (x: { n: SynNode; a: DocArg }) => x.n.k === 'word' && x.a.type === 'pure-token';
    const out: DocArg[] = [];
    for (let i = 0; i < items.length; i++) {
      const a = items[i].a;
      if (!bareToken(items[i])) {
        out.push(a);
        continue;
      }
      let j = i + 1;
      while (j < items.length && !bareToken(items[j]) && !(items[j].n.k === 'group' && (items[j].n as { optional: boolean }).optional)) j++;
      const follow = items.slice(i + 1, j).map((x) => x.a);
      if (follow.length === 1 && follow[0].token === undefined) {
        const f = follow[0];
        out.push({ ...f, name: f.type === 'oneof' ? a.name : f.name, token: a.token });
      } else if (follow.length > 1) {
        out.push({ name: blockName(follow), type: 'block', token: a.token, flags: new Set(), args: follow });
      } else {
        out.push(a);
        continue;
      }
      i = j - 1;
    }
    return out;
  }

  /** Several arguments as one: itself when single, else a block named after its parts. */
  one(args: DocArg[]): DocArg | null {
    if (args.length === 0) return null;
    if (args.length === 1) return args[0];
    return { name: blockName(args), type: 'block', flags: new Set(), args };
  }

  node(n: SynNode): DocArg | null {
    switch (n.k) {
      case 'word':
        return this.word(n.w);
      case 'more':
        return null;
      case 'multi': {
        const a = this.one(this.seq(n.nodes));
        if (a === null) return null;
        const m = { ...a, flags: new Set(a.flags) };
        m.flags.add('multiple');
        return m;
      }
      case 'group': {
        const alts = n.alts.map((alt) => this.one(this.seq(alt))).filter((a): a is DocArg => a !== null);
        let a: DocArg | null;
        if (alts.length > 1) a = { name: oneofName(alts), type: 'oneof', flags: new Set(), args: alts };
        else a = alts[0] ?? null;
        if (a === null) return null;
        if (!n.optional) return a;
        const o = { ...a, flags: new Set(a.flags) };
        o.flags.add('optional');
        return o;
      }
    }
  }
}

/** COMMAND DOCS arguments derived from the syntax line (after the command's own name words). */
function docArgs(spec: CommandSpec): DocArg[] {
  if (spec.syntax === undefined) return [];
  const toks = tokenize(spec.syntax).slice(spec.name.split('|').length);
  const nodes = parseSeq(toks, { i: 0 });
  return new ArgBuilder(spec).seq(nodes);
}

function argReply(a: DocArg): Reply {
  const out: Reply[] = ['name', a.name, 'type', a.type];
  if (a.keySpecIndex !== undefined) out.push('key_spec_index', a.keySpecIndex);
  if (a.token !== undefined) out.push('token', a.token);
  if (a.flags.size > 0) {
    out.push('flags', set((['optional', 'multiple'] as const).filter((f) => a.flags.has(f)).map(simple)));
  }
  if (a.args !== undefined) out.push('arguments', a.args.map(argReply));
  return map(out);
}

/** One COMMAND DOCS entry (the map after the name). */
export function commandDocs(spec: CommandSpec): Reply {
  const out: Reply[] = ['summary', spec.summary, 'since', spec.since, 'group', spec.group];
  if (spec.complexity !== undefined) out.push('complexity', spec.complexity);
  if (spec.docFlags?.length) out.push('doc_flags', set(spec.docFlags.map(simple)));
  if (spec.deprecatedSince !== undefined) out.push('deprecated_since', spec.deprecatedSince);
  if (spec.replacedBy !== undefined) out.push('replaced_by', spec.replacedBy);
  if (spec.history?.length) out.push('history', set(spec.history.map(([v, what]) => [v, what])));
  const args = docArgs(spec);
  if (args.length > 0) out.push('arguments', args.map(argReply));
  if (spec.sub !== undefined) {
    const subs: Reply[] = [];
    for (const s of spec.sub) subs.push(s.name, commandDocs(s));
    out.push('subcommands', map(subs));
  }
  return map(out);
}

// ---- COMMAND GETKEYS: Redis's getKeysUsingKeySpecs ----------------------------------------------------------

interface KeyRef {
  pos: number;
  flags: readonly KeyFlag[];
}

/** Key positions by the key specs; null when a spec does not fit the arguments (Redis's invalid_spec). */
export function keysBySpecs(specs: readonly KeySpec[], argv: readonly string[], arity: number): KeyRef[] | null {
  const argc = argv.length;
  const out: KeyRef[] = [];
  for (const ks of specs) {
    if (ks.flags.includes('not_key')) continue;
    let first = 0;
    const b = ks.begin;
    // An unknown spec cannot be followed: the command's getKeys decides (Redis's invalid_spec).
    if ('unknown' in b || 'unknown' in ks.find) return null;
    if ('index' in b) {
      first = b.index;
    } else {
      const from = b.startfrom > 0 ? b.startfrom : argc + b.startfrom;
      const end = b.startfrom > 0 ? argc - 1 : 1;
      for (let i = from; i !== end; i = from <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (argv[i].toLowerCase() === b.keyword.toLowerCase()) {
          first = i + 1;
          break;
        }
      }
      if (!first) continue;
    }
    let last: number;
    let step: number;
    const f = ks.find;
    if ('lastkey' in f) {
      step = f.keystep;
      if (f.lastkey >= 0) last = first + f.lastkey;
      else if (!f.limit) last = argc + f.lastkey;
      else last = first + (Math.trunc((argc - first) / f.limit) + f.lastkey);
    } else {
      step = f.keystep;
      if (first + f.keynumidx >= argc) return null;
      const n = parseI64(argv[first + f.keynumidx]);
      if (n === null || n < 0) return null;
      first += f.firstkey;
      last = first + Number(n) - 1;
    }
    if (last >= argc || last < first || first >= argc) return null;
    for (let i = first; i <= last; i += step) {
      if (i >= argc || i < first) {
        if (arity < 0) continue;
        break;
      }
      out.push({ pos: i, flags: ks.flags });
    }
    if (ks.flags.includes('incomplete')) return null;
  }
  return out;
}

// COMMAND GETKEYS command [arg [arg ...]]  /  COMMAND GETKEYSANDFLAGS command [arg [arg ...]]
function getKeysImpl(c: Ctx, withFlags: boolean): Reply {
  const argv = c.argv.slice(2);
  let cmd = lookupCommand(argv[0]);
  if (cmd?.sub !== undefined && argv.length > 1) cmd = cmd.sub.find((s) => s.name === `${cmd!.name}|${argv[1].toLowerCase()}`);
  if (cmd === undefined) throw new CommandError('ERR Invalid command specified');
  const specs = keySpecsOf(cmd);
  if (cmd.getKeys === undefined && !specs.some((ks) => !ks.flags.includes('not_key'))) {
    throw new CommandError('ERR The command has no key arguments');
  }
  if ((cmd.arity > 0 && cmd.arity !== argv.length) || argv.length < -cmd.arity) {
    throw new CommandError('ERR Invalid number of arguments specified for command');
  }
  let keys: KeyRef[] | null = null;
  const varFlags = specs.some((ks) => ks.flags.includes('variable_flags'));
  if (!varFlags || cmd.getKeys === undefined) keys = keysBySpecs(specs, argv, cmd.arity);
  if (keys === null && cmd.getKeys !== undefined) {
    // A key found by the command's own rule takes the flags of the first spec (what most getkeys procs do).
    const flags = specs[0]?.flags ?? [];
    keys = (cmd.getKeys(argv) ?? []).map((k) => (typeof k === 'number' ? { pos: k, flags } : k));
  }
  if (keys === null || keys.length === 0) {
    if (cmd.flags.includes('no_mandatory_keys')) return [];
    throw new CommandError('ERR Invalid arguments specified for command');
  }
  return keys.map((k) => (withFlags ? [argv[k.pos], keyFlags(k.flags)] : argv[k.pos]));
}

// ---- COMMAND ------------------------------------------------------------------------------------------------

// COMMAND
function command(): Reply {
  return ALL_COMMANDS.map(commandInfo);
}

// COMMAND COUNT
function commandCount(): Reply {
  return ALL_COMMANDS.length;
}

// COMMAND INFO [command-name [command-name ...]]
function commandInfoCmd(c: Ctx): Reply {
  if (!c.args.has()) return ALL_COMMANDS.map(commandInfo);
  return c.args.rest().map((n) => {
    const spec = lookupFullName(n);
    return spec === undefined ? null : commandInfo(spec);
  });
}

// COMMAND DOCS [command-name [command-name ...]]
function commandDocsCmd(c: Ctx): Reply {
  const out: Reply[] = [];
  if (!c.args.has()) {
    for (const spec of ALL_COMMANDS) out.push(spec.name, commandDocs(spec));
  } else {
    for (const n of c.args.rest()) {
      const spec = lookupFullName(n);
      if (spec !== undefined) out.push(spec.name, commandDocs(spec));
    }
  }
  return map(out);
}

// COMMAND LIST [FILTERBY <MODULE module-name | ACLCAT category | PATTERN pattern>]
function commandList(c: Ctx): Reply {
  let filter: ((s: CommandSpec) => boolean) | undefined;
  const argv = c.argv;
  for (let i = 2; i < argv.length; i++) {
    if (argv[i].toLowerCase() === 'filterby' && argv.length - 1 - i === 2) {
      const type = argv[i + 1].toLowerCase();
      const arg = argv[i + 2];
      if (type === 'module') {
        filter = () => false; // no modules
      } else if (type === 'aclcat') {
        const cat = ACL_ORDER.find((x) => x === arg.toLowerCase());
        filter = (s) => cat !== undefined && aclCategories(s).includes(cat);
      } else if (type === 'pattern') {
        filter = (s) => globMatch(arg, s.name, true);
      } else {
        throw new CommandError(E.SYNTAX);
      }
      i += 2;
    } else {
      throw new CommandError(E.SYNTAX);
    }
  }
  const out: Reply[] = [];
  for (const s of everyCommand()) if (filter === undefined || filter(s)) out.push(s.name);
  return out;
}

// COMMAND GETKEYS command [arg [arg ...]]
function commandGetKeys(c: Ctx): Reply {
  return getKeysImpl(c, false);
}

// COMMAND GETKEYSANDFLAGS command [arg [arg ...]]
function commandGetKeysAndFlags(c: Ctx): Reply {
  return getKeysImpl(c, true);
}

// COMMAND HELP
function commandHelp(): Reply {
  return helpReply('COMMAND', [
    '(no subcommand)',
    '    Return details about all Redis commands.',
    'COUNT',
    '    Return the total number of commands in this Redis server.',
    'LIST',
    '    Return a list of all commands in this Redis server.',
    'INFO [<command-name> ...]',
    '    Return details about multiple Redis commands.',
    '    If no command names are given, documentation details for all',
    '    commands are returned.',
    'DOCS [<command-name> ...]',
    '    Return documentation details about multiple Redis commands.',
    '    If no command names are given, documentation details for all',
    '    commands are returned.',
    'GETKEYS <full-command>',
    '    Return the keys from a full Redis command.',
    'GETKEYSANDFLAGS <full-command>',
    '    Return the keys and the access flags from a full Redis command.',
  ]);
}

// ---- TIME ---------------------------------------------------------------------------------------------------

// TIME
function time(c: Ctx): Reply {
  const ms = c.engine.now();
  const sec = Math.floor(ms / 1000);
  return [String(sec), String(Math.floor((ms - sec * 1000) * 1000))];
}

// ---- INFO ---------------------------------------------------------------------------------------------------

/** Fields of one INFO section, in order; a later layer may set or add some (registerInfoFields). */
export type InfoFields = Map<string, string | number>;
type InfoHook = (engine: Engine, fields: InfoFields) => void;
const infoHooks = new Map<string, InfoHook[]>();

/**
 * Let a layer set fields of an INFO section (lower-case name: 'replication', 'stats' …): an existing field
 * keeps its place, a new one is appended.
 */
export function registerInfoFields(section: string, hook: InfoHook): void {
  let l = infoHooks.get(section);
  if (l === undefined) infoHooks.set(section, (l = []));
  l.push(hook);
}

/** Per-engine facts INFO reports that the engine does not keep itself. */
interface ServerFacts {
  runId: string;
  replId: string;
  peakMemory: number;
}
const facts = new WeakMap<Engine, ServerFacts>();

function hex40(random: () => number): string {
  let s = '';
  for (let i = 0; i < 40; i++) s += Math.floor(random() * 16).toString(16);
  return s;
}

function serverFacts(engine: Engine): ServerFacts {
  let f = facts.get(engine);
  if (f === undefined) {
    f = { runId: hex40(engine.random), replId: hex40(engine.random), peakMemory: 0 };
    facts.set(engine, f);
  }
  return f;
}

interface HostProcess {
  pid?: number;
  memoryUsage?: () => { heapUsed: number; rss: number };
  cpuUsage?: () => { user: number; system: number };
}

/** The host's process object where there is one (Node: `tabhive serve`, tests); undefined in a browser. */
const host = (): HostProcess | undefined => (globalThis as { process?: HostProcess }).process;

/** Bytes of JS heap in use and resident, as well as the host can tell (0 when it cannot). */
function memoryNow(): { used: number; rss: number } {
  const m = host()?.memoryUsage?.();
  if (m !== undefined) return { used: m.heapUsed, rss: m.rss };
  const pm = (globalThis as { performance?: { memory?: { usedJSHeapSize: number; totalJSHeapSize: number } } })
    .performance?.memory;
  if (pm !== undefined) return { used: pm.usedJSHeapSize, rss: pm.totalJSHeapSize };
  return { used: 0, rss: 0 };
}

/** Redis's bytesToHuman. */
function human(n: number): string {
  const units = ['K', 'M', 'G', 'T', 'P'];
  if (n < 1024) return `${n}B`;
  let d = n / 1024;
  for (const u of units) {
    if (d < 1024 || u === 'P') return `${d.toFixed(2)}${u}`;
    d /= 1024;
  }
  return `${n}B`;
}

const cpuTime = (us: number) => `${Math.floor(us / 1e6)}.${String(Math.floor(us % 1e6)).padStart(6, '0')}`;

function serverSection(e: Engine, now: number): InfoFields {
  const uptime = Math.floor((now - e.startedAt) / 1000);
  return new Map<string, string | number>([
    ['redis_version', '7.0.15'],
    ['redis_git_sha1', '00000000'],
    ['redis_git_dirty', 0],
    ['redis_build_id', '0000000000000000'],
    ['redis_mode', 'standalone'],
    ['os', 'tabhive JavaScript engine'],
    ['arch_bits', 64],
    ['monotonic_clock', 'performance.now'],
    ['multiplexing_api', 'event-loop'],
    ['atomicvar_api', 'single-threaded'],
    ['gcc_version', '0.0.0'],
    ['process_id', host()?.pid ?? 0],
    ['process_supervised', 'no'],
    ['run_id', serverFacts(e).runId],
    ['tcp_port', e.config.get('port')!],
    ['server_time_usec', now * 1000],
    ['uptime_in_seconds', uptime],
    ['uptime_in_days', Math.floor(uptime / 86400)],
    ['hz', e.config.hz],
    ['configured_hz', e.config.hz],
    ['lru_clock', Math.floor(now / 1000) & 0xffffff],
    ['executable', ''],
    ['config_file', ''],
    ['io_threads_active', 0],
  ]);
}

function clientsSection(e: Engine): InfoFields {
  let tracking = 0;
  for (const s of e.sessions) if (clientInfo(s).flags.includes('t')) tracking++;
  return new Map<string, string | number>([
    ['connected_clients', e.sessions.size],
    ['cluster_connections', 0],
    ['maxclients', e.config.get('maxclients')!],
    ['client_recent_max_input_buffer', 0],
    ['client_recent_max_output_buffer', 0],
    ['blocked_clients', e.blocking.count],
    ['tracking_clients', tracking],
    ['clients_in_timeout_table', 0],
  ]);
}

function memorySection(e: Engine): InfoFields {
  // used_memory is the engine's own account (memory.ts: what Redis would allocate for the same data), the figure
  // maxmemory is enforced against; RSS is the host's heap where it reports one.
  const { rss } = memoryNow();
  const used = e.memory.usedMemory();
  const peak = e.memory.peakMemory();
  const o = e.memory.overhead();
  const maxmemory = e.config.maxmemory;
  return new Map<string, string | number>([
    ['used_memory', used],
    ['used_memory_human', human(used)],
    ['used_memory_rss', rss],
    ['used_memory_rss_human', human(rss)],
    ['used_memory_peak', peak],
    ['used_memory_peak_human', human(peak)],
    ['used_memory_peak_perc', `${o.peakPerc.toFixed(2)}%`],
    ['used_memory_overhead', o.overheadTotal],
    ['used_memory_startup', o.startupAllocated],
    ['used_memory_dataset', o.dataset],
    ['used_memory_dataset_perc', `${o.datasetPerc.toFixed(2)}%`],
    ['allocator_allocated', used],
    ['allocator_active', used],
    ['allocator_resident', used],
    ['total_system_memory', 0],
    ['total_system_memory_human', '0B'],
    ['used_memory_lua', 0],
    ['used_memory_vm_eval', 0],
    ['used_memory_lua_human', '0B'],
    ['used_memory_scripts_eval', 0],
    ['number_of_cached_scripts', 0],
    ['number_of_functions', 0],
    ['number_of_libraries', 0],
    ['used_memory_vm_functions', 0],
    ['used_memory_vm_total', 0],
    ['used_memory_vm_total_human', '0B'],
    ['used_memory_functions', 0],
    ['used_memory_scripts', 0],
    ['used_memory_scripts_human', '0B'],
    ['maxmemory', maxmemory],
    ['maxmemory_human', human(maxmemory)],
    ['maxmemory_policy', e.config.get('maxmemory-policy')!],
    ['allocator_frag_ratio', '1.00'],
    ['allocator_frag_bytes', 0],
    ['allocator_rss_ratio', '1.00'],
    ['allocator_rss_bytes', 0],
    ['rss_overhead_ratio', '1.00'],
    ['rss_overhead_bytes', 0],
    ['mem_fragmentation_ratio', used === 0 ? '0.00' : (rss / used).toFixed(2)],
    ['mem_fragmentation_bytes', rss - used],
    ['mem_not_counted_for_evict', 0],
    ['mem_replication_backlog', 0],
    ['mem_total_replication_buffers', 0],
    ['mem_clients_slaves', 0],
    ['mem_clients_normal', 0],
    ['mem_cluster_links', 0],
    ['mem_aof_buffer', 0],
    ['mem_allocator', 'javascript'],
    ['active_defrag_running', 0],
    ['lazyfree_pending_objects', 0],
    ['lazyfreed_objects', 0],
  ]);
}

function persistenceSection(e: Engine): InfoFields {
  const fields = new Map<string, string | number>([
    ['loading', 0],
    ['async_loading', 0],
    ['current_cow_peak', 0],
    ['current_cow_size', 0],
    ['current_cow_size_age', 0],
    ['current_fork_perc', '0.00'],
    ['current_save_keys_processed', 0],
    ['current_save_keys_total', 0],
    ['rdb_changes_since_last_save', e.dirty],
    ['rdb_bgsave_in_progress', 0],
    ['rdb_last_save_time', Math.floor(e.lastSave / 1000)],
    ['rdb_last_bgsave_status', 'ok'],
    ['rdb_last_bgsave_time_sec', -1],
    ['rdb_current_bgsave_time_sec', -1],
    ['rdb_saves', 0],
    ['rdb_last_cow_size', 0],
    ['rdb_last_load_keys_expired', 0],
    ['rdb_last_load_keys_loaded', 0],
    ['aof_enabled', 0],
    ['aof_rewrite_in_progress', 0],
    ['aof_rewrite_scheduled', 0],
    ['aof_last_rewrite_time_sec', -1],
    ['aof_current_rewrite_time_sec', -1],
    ['aof_last_bgrewrite_status', 'ok'],
    ['aof_rewrites', 0],
    ['aof_rewrites_consecutive_failures', 0],
    ['aof_last_write_status', 'ok'],
    ['aof_last_cow_size', 0],
    ['module_fork_in_progress', 0],
    ['module_fork_last_cow_size', 0],
  ]);
  // The persistence layer (commands/persist.ts) sets what it knows: save status, counts, tabhive's own fields.
  e.persistence?.info(fields);
  return fields;
}

function statsSection(e: Engine): InfoFields {
  const st = e.stats;
  let errors = 0;
  for (const n of st.errors.values()) errors += n;
  return new Map<string, string | number>([
    ['total_connections_received', st.connectionsReceived],
    ['total_commands_processed', st.commandsProcessed],
    ['instantaneous_ops_per_sec', 0],
    ['total_net_input_bytes', 0],
    ['total_net_output_bytes', 0],
    ['total_net_repl_input_bytes', 0],
    ['total_net_repl_output_bytes', 0],
    ['instantaneous_input_kbps', '0.00'],
    ['instantaneous_output_kbps', '0.00'],
    ['instantaneous_input_repl_kbps', '0.00'],
    ['instantaneous_output_repl_kbps', '0.00'],
    ['rejected_connections', 0],
    ['sync_full', 0],
    ['sync_partial_ok', 0],
    ['sync_partial_err', 0],
    ['expired_keys', st.expiredKeys],
    ['expired_stale_perc', '0.00'],
    ['expired_time_cap_reached_count', 0],
    ['expire_cycle_cpu_milliseconds', 0],
    ['evicted_keys', st.evictedKeys],
    ['evicted_clients', 0],
    ['total_eviction_exceeded_time', e.evictor.exceededTime().total],
    ['current_eviction_exceeded_time', e.evictor.exceededTime().current],
    ['keyspace_hits', st.keyspaceHits],
    ['keyspace_misses', st.keyspaceMisses],
    ['pubsub_channels', e.pubsub.channels.size],
    ['pubsub_patterns', e.pubsub.patterns.size],
    ['pubsubshard_channels', e.pubsub.shards.size],
    ['latest_fork_usec', 0],
    ['total_forks', 0],
    ['migrate_cached_sockets', 0],
    ['slave_expires_tracked_keys', 0],
    ['active_defrag_hits', 0],
    ['active_defrag_misses', 0],
    ['active_defrag_key_hits', 0],
    ['active_defrag_key_misses', 0],
    ['total_active_defrag_time', 0],
    ['current_active_defrag_time', 0],
    ['tracking_total_keys', 0],
    ['tracking_total_items', 0],
    ['tracking_total_prefixes', 0],
    ['unexpected_error_replies', 0],
    ['total_error_replies', errors],
    ['dump_payload_sanitizations', 0],
    ['total_reads_processed', 0],
    ['total_writes_processed', 0],
    ['io_threaded_reads_processed', 0],
    ['io_threaded_writes_processed', 0],
    ['reply_buffer_shrinks', 0],
    ['reply_buffer_expands', 0],
  ]);
}

function replicationSection(e: Engine): InfoFields {
  return new Map<string, string | number>([
    ['role', 'master'],
    ['connected_slaves', 0],
    ['master_failover_state', 'no-failover'],
    ['master_replid', serverFacts(e).replId],
    ['master_replid2', '0'.repeat(40)],
    ['master_repl_offset', 0],
    ['second_repl_offset', -1],
    ['repl_backlog_active', 0],
    ['repl_backlog_size', 1048576],
    ['repl_backlog_first_byte_offset', 0],
    ['repl_backlog_histlen', 0],
  ]);
}

function cpuSection(): InfoFields {
  const u = host()?.cpuUsage?.() ?? { user: 0, system: 0 };
  return new Map<string, string | number>([
    ['used_cpu_sys', cpuTime(u.system)],
    ['used_cpu_user', cpuTime(u.user)],
    ['used_cpu_sys_children', '0.000000'],
    ['used_cpu_user_children', '0.000000'],
    ['used_cpu_sys_main_thread', cpuTime(u.system)],
    ['used_cpu_user_main_thread', cpuTime(u.user)],
  ]);
}

/** `name:calls=…` per command and subcommand that ran or was refused, in table order. */
function commandstatsSection(e: Engine): InfoFields {
  const out: InfoFields = new Map();
  for (const spec of everyCommand()) {
    const st = e.stats.commands.get(spec.name);
    if (st === undefined || (st.calls === 0 && st.failed === 0 && st.rejected === 0)) continue;
    const per = st.calls === 0 ? 0 : st.usec / st.calls;
    out.set(
      `cmdstat_${safeInfo(spec.name)}`,
      `calls=${st.calls},usec=${st.usec},usec_per_call=${per.toFixed(2)},rejected_calls=${st.rejected},failed_calls=${st.failed}`,
    );
  }
  return out;
}

/** Error codes in byte order (Redis keeps them in a radix tree). */
function errorstatsSection(e: Engine): InfoFields {
  const out: InfoFields = new Map();
  const codes = [...e.stats.errors.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const code of codes) out.set(`errorstat_${safeInfo(code)}`, `count=${e.stats.errors.get(code)}`);
  return out;
}

/** `dbN:keys=…,expires=…,avg_ttl=…` for every non-empty db. */
function keyspaceSection(e: Engine, now: number): InfoFields {
  const out: InfoFields = new Map();
  for (const db of e.dbs) {
    if (db.size === 0 && db.expires.size === 0) continue;
    out.set(`db${db.id}`, `keys=${db.size},expires=${db.expires.size},avg_ttl=${avgTtl(db.expires, now)}`);
  }
  return out;
}

/** Average remaining TTL in ms over a sample of keys with one, as Redis's estimate from its expiry cycle. */
function avgTtl(expires: Set<{ expireAt: number }>, now: number): number {
  let n = 0;
  let sum = 0;
  for (const x of expires) {
    if (x.expireAt > now) {
      sum += x.expireAt - now;
      n++;
    }
    if (n >= 64) break;
  }
  return n === 0 ? 0 : Math.round(sum / n);
}

/** Redis's getSafeInfoString: the characters that would break the format become '_'. */
const safeInfo = (s: string) => s.replace(/[#:\r\n]/g, '_');

const SECTION_NAMES: [string, string][] = [
  ['server', 'Server'], ['clients', 'Clients'], ['memory', 'Memory'], ['persistence', 'Persistence'],
  ['stats', 'Stats'], ['replication', 'Replication'], ['cpu', 'CPU'], ['modules', 'Modules'],
  ['commandstats', 'Commandstats'], ['errorstats', 'Errorstats'], ['latencystats', 'Latencystats'],
  ['cluster', 'Cluster'], ['keyspace', 'Keyspace'],
];
const DEFAULT_SECTIONS = [
  'server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'module_list', 'errorstats',
  'cluster', 'keyspace',
];

function sectionFields(e: Engine, name: string, now: number): InfoFields {
  switch (name) {
    case 'server':
      return serverSection(e, now);
    case 'clients':
      return clientsSection(e);
    case 'memory':
      return memorySection(e);
    case 'persistence':
      return persistenceSection(e);
    case 'stats':
      return statsSection(e);
    case 'replication':
      return replicationSection(e);
    case 'cpu':
      return cpuSection();
    case 'commandstats':
      return commandstatsSection(e);
    case 'errorstats':
      return errorstatsSection(e);
    case 'cluster':
      return new Map([['cluster_enabled', 0]]);
    case 'keyspace':
      return keyspaceSection(e, now);
    default:
      // modules (none loaded), latencystats (no per-command latency histograms are kept)
      return new Map();
  }
}

/** The INFO text for the given arguments (Redis's genInfoSectionDict + genRedisInfoString). */
export function infoText(e: Engine, args: readonly string[], now: number): string {
  const wanted = new Set<string>();
  let all = false;
  for (const a of args.length === 0 ? ['default'] : args) {
    const l = a.toLowerCase();
    if (l === 'default') DEFAULT_SECTIONS.forEach((s) => wanted.add(s));
    else if (l === 'all' || l === 'everything') all = true;
    else wanted.add(l);
  }
  let out = '';
  for (const [name, title] of SECTION_NAMES) {
    const on = all || wanted.has(name) || (name === 'modules' && wanted.has('module_list'));
    if (!on) continue;
    const fields = sectionFields(e, name, now);
    for (const hook of infoHooks.get(name) ?? []) hook(e, fields);
    if (out !== '') out += '\r\n';
    out += `# ${title}\r\n`;
    for (const [k, v] of fields) out += `${k}:${v}\r\n`;
  }
  return out;
}

// INFO [section [section ...]]
function info(c: Ctx): Reply {
  return verbatim(infoText(c.engine, c.args.rest(), c.now));
}

// ---- CONFIG -------------------------------------------------------------------------------------------------

// CONFIG GET parameter [parameter ...]
function configGet(c: Ctx): Reply {
  const config: Config = c.engine.config;
  // Redis keys its matches case-insensitively; an exact name is echoed as given, a pattern's matches by name.
  const seen = new Set<string>();
  const out: Reply[] = [];
  const add = (shown: string) => {
    const k = shown.toLowerCase();
    if (seen.has(k)) return;
    seen.add(k);
    out.push(shown, config.get(k)!);
  };
  for (const pat of c.args.rest()) {
    if (!/[[*?]/.test(pat)) {
      if (findParam(pat) !== undefined) add(pat);
      continue;
    }
    for (const name of paramNames()) if (globMatch(pat, name, true)) add(name);
  }
  return map(out);
}

// CONFIG SET parameter value [parameter value ...]
function configSet(c: Ctx): Reply {
  const argv = c.argv;
  if (argv.length % 2 === 1) throw new CommandError(E.SYNTAX);
  const config = c.engine.config;
  const failed = (name: string, why: string) =>
    new CommandError(`ERR CONFIG SET failed (possibly related to argument '${cstr(name)}') - ${why}`);
  // Names first: the first unknown, immutable or repeated one fails the whole command.
  const entries: string[] = [];
  for (let i = 2; i < argv.length; i += 2) {
    const name = argv[i];
    const p = findParam(name);
    if (p === undefined) throw new CommandError(`ERR Unknown option or number of arguments for CONFIG SET - '${cstr(name)}'`);
    if (p.immutable) throw failed(name, "can't set immutable config");
    if (entries.includes(name.toLowerCase())) throw failed(name, 'duplicate parameter');
    entries.push(name.toLowerCase());
  }
  // Then values, all before any is stored, so that a multi-set is all or nothing.
  const checked: [string, string][] = [];
  for (let i = 0; i < entries.length; i++) {
    const p = findParam(entries[i])!;
    const r = config.check(p, argv[3 + 2 * i]);
    if (!r.ok) throw failed(entries[i], r.err);
    checked.push([entries[i], r.value]);
  }
  for (const [name, v] of checked) config.store(findParam(name)!, v);
  return OK;
}

// CONFIG RESETSTAT
function configResetstat(c: Ctx): Reply {
  const st = c.engine.stats;
  st.keyspaceHits = 0;
  st.keyspaceMisses = 0;
  st.expiredKeys = 0;
  st.evictedKeys = 0;
  st.commandsProcessed = 0;
  st.connectionsReceived = 0;
  st.commands.clear();
  st.errors.clear();
  c.engine.evictor.resetStats();
  return OK;
}

// CONFIG REWRITE
function configRewrite(): Reply {
  throw new CommandError('ERR The server is running without a config file');
}

// CONFIG HELP
function configHelp(): Reply {
  return helpReply('CONFIG', [
    'GET <pattern>',
    '    Return parameters matching the glob-like <pattern> and their values.',
    'SET <directive> <value>',
    '    Set the configuration <directive> to <value>.',
    'RESETSTAT',
    '    Reset statistics reported by the INFO command.',
    'REWRITE',
    '    Rewrite the configuration file.',
  ]);
}

// ---- the table ----------------------------------------------------------------------------------------------

const ADMIN_FLAGS: CommandSpec['flags'] = ['admin', 'noscript', 'loading', 'stale'];
const COMMAND_FLAGS: CommandSpec['flags'] = ['loading', 'stale'];

const COMMAND_SUB: CommandSpec[] = [
  {
    name: 'command|count', arity: 2, flags: COMMAND_FLAGS, acl: ['connection'], keys: [0, 0, 0], group: 'server',
    summary: 'Get total number of Redis commands', since: '2.8.13', syntax: 'COMMAND COUNT', complexity: 'O(1)',
    handler: commandCount,
  },
  {
    name: 'command|info', arity: -2, flags: COMMAND_FLAGS, acl: ['connection'], keys: [0, 0, 0],
    tips: ['nondeterministic_output_order'], group: 'server',
    summary: 'Get array of specific Redis command details, or all when no argument is given.', since: '2.8.13',
    syntax: 'COMMAND INFO [command-name [command-name ...]]',
    complexity: 'O(N) where N is the number of commands to look up', handler: commandInfoCmd,
    history: [['7.0.0', 'Allowed to be called with no argument to get info on all commands.']],
  },
  {
    name: 'command|docs', arity: -2, flags: COMMAND_FLAGS, acl: ['connection'], keys: [0, 0, 0],
    tips: ['nondeterministic_output_order'], group: 'server',
    summary: 'Get array of specific Redis command documentation', since: '7.0.0',
    syntax: 'COMMAND DOCS [command-name [command-name ...]]',
    complexity: 'O(N) where N is the number of commands to look up', handler: commandDocsCmd,
  },
  {
    name: 'command|list', arity: -2, flags: COMMAND_FLAGS, acl: ['connection'], keys: [0, 0, 0],
    tips: ['nondeterministic_output_order'], group: 'server', summary: 'Get an array of Redis command names',
    since: '7.0.0', syntax: 'COMMAND LIST [FILTERBY <MODULE module-name | ACLCAT category | PATTERN pattern>]',
    complexity: 'O(N) where N is the total number of Redis commands', handler: commandList,
  },
  {
    name: 'command|getkeys', arity: -4, flags: COMMAND_FLAGS, acl: ['connection'], keys: [0, 0, 0],
    group: 'server', summary: 'Extract keys given a full Redis command', since: '2.8.13',
    syntax: 'COMMAND GETKEYS command [arg [arg ...]]',
    complexity: 'O(N) where N is the number of arguments to the command', handler: commandGetKeys,
  },
  {
    name: 'command|getkeysandflags', arity: -4, flags: COMMAND_FLAGS, acl: ['connection'], keys: [0, 0, 0],
    group: 'server', summary: 'Extract keys and access flags given a full Redis command', since: '7.0.0',
    syntax: 'COMMAND GETKEYSANDFLAGS command [arg [arg ...]]',
    complexity: 'O(N) where N is the number of arguments to the command', handler: commandGetKeysAndFlags,
  },
  {
    name: 'command|help', arity: 2, flags: COMMAND_FLAGS, acl: ['connection'], keys: [0, 0, 0], group: 'server',
    summary: 'Show helpful text about the different subcommands', since: '5.0.0', syntax: 'COMMAND HELP',
    complexity: 'O(1)', handler: commandHelp,
  },
];

const CONFIG_SUB: CommandSpec[] = [
  {
    name: 'config|get', arity: -3, flags: ADMIN_FLAGS, acl: [], keys: [0, 0, 0], group: 'server',
    summary: 'Get the values of configuration parameters', since: '2.0.0',
    syntax: 'CONFIG GET parameter [parameter ...]',
    complexity: 'O(N) when N is the number of configuration parameters provided', handler: configGet,
    differs: 'Lists only the parameters tabhive has (config.ts), not all of Redis\'s.',
    history: [['7.0.0', 'Added the ability to pass multiple pattern parameters in one call']],
  },
  {
    name: 'config|set', arity: -4, flags: ADMIN_FLAGS, acl: [], keys: [0, 0, 0],
    tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'], group: 'server',
    summary: 'Set configuration parameters to the given values', since: '2.0.0',
    syntax: 'CONFIG SET parameter value [parameter value ...]',
    complexity: 'O(N) when N is the number of configuration parameters provided', handler: configSet,
    differs: 'Knows only the parameters tabhive has (config.ts); any other is an unknown option, in Redis\'s words.',
    history: [['7.0.0', 'Added the ability to set multiple parameters in one call.']],
  },
  {
    name: 'config|resetstat', arity: 2, flags: ADMIN_FLAGS, acl: [], keys: [0, 0, 0], group: 'server',
    summary: 'Reset the stats returned by INFO', since: '2.0.0', syntax: 'CONFIG RESETSTAT', complexity: 'O(1)',
    handler: configResetstat,
  },
  {
    name: 'config|rewrite', arity: 2, flags: ADMIN_FLAGS, acl: [], keys: [0, 0, 0], group: 'server',
    summary: 'Rewrite the configuration file with the in memory configuration', since: '2.8.0',
    syntax: 'CONFIG REWRITE', complexity: 'O(1)', handler: configRewrite,
  },
  {
    name: 'config|help', arity: 2, flags: ['loading', 'stale'], acl: [], keys: [0, 0, 0], group: 'server',
    summary: 'Show helpful text about the different subcommands', since: '5.0.0', syntax: 'CONFIG HELP',
    complexity: 'O(1)', handler: configHelp,
  },
];

export const commands: CommandSpec[] = [
  {
    name: 'time', arity: 1, flags: ['loading', 'stale', 'fast'], acl: [], keys: [0, 0, 0],
    tips: ['nondeterministic_output'], group: 'server', summary: 'Return the current server time', since: '2.6.0',
    syntax: 'TIME', complexity: 'O(1)', handler: time,
  },
  {
    name: 'command', arity: -1, flags: ['loading', 'stale'], acl: ['connection'], keys: [0, 0, 0],
    tips: ['nondeterministic_output_order'], group: 'server', summary: 'Get array of Redis command details',
    since: '2.8.13', syntax: 'COMMAND', complexity: 'O(N) where N is the total number of Redis commands',
    handler: command, sub: COMMAND_SUB,
  },
  {
    name: 'info', arity: -1, flags: ['loading', 'stale'], acl: ['dangerous'], keys: [0, 0, 0],
    tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'], group: 'server',
    summary: 'Get information and statistics about the server', since: '1.0.0',
    syntax: 'INFO [section [section ...]]', complexity: 'O(1)', handler: info,
    differs: 'Host fields describe tabhive (os, clocks, no forks, AOF or TLS); memory figures are estimates.',
    history: [['7.0.0', 'Added support for taking multiple section arguments.']],
  },
  {
    name: 'config', arity: -2, flags: [], acl: [], keys: [0, 0, 0], group: 'server',
    summary: 'A container for server configuration commands', since: '2.0.0', complexity: 'Depends on subcommand.',
    sub: CONFIG_SUB,
  },
];
