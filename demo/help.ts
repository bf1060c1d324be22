/**
 * The console's help, hints and completion, built from the engine's COMMAND DOCS — what redis-cli 7.0 does with
 * its built-in help table (redis-cli.c cliOutputHelp, hintsCallback, completionCallback), without the DOM.
 *
 * Rules:
 * - one entry per command and per subcommand (`CONFIG GET`), sorted by name as redis-cli sorts its table; the
 *   parameter line is rebuilt from the documented arguments the way redis-cli writes it (`[NX|XX]`,
 *   `key [key ...]`, a required choice as `LEFT|RIGHT`);
 * - `help …` prints what redis-cli prints, line for line (its colours aside);
 * - the hint is redis-cli's: the parameters not typed yet, after the longest command name matching the line;
 * - completion candidates are redis-cli's: every command name (and after `help `, every `@group`) starting with
 *   what was typed, in any case.
 */

export interface HelpEntry {
  /** The name as typed: `SET`, `CONFIG GET`. */
  name: string;
  /** Its words, for matching typed arguments: ['CONFIG', 'GET']. */
  words: string[];
  /** The parameters after the name, as redis-cli shows them. */
  params: string;
  summary: string;
  since: string;
  group: string;
  complexity?: string;
}

export interface HelpTable {
  entries: HelpEntry[];
  groups: string[];
}

/** One documented argument, as COMMAND DOCS describes it. */
interface DocArg {
  name: string;
  type: string;
  token?: string;
  flags: string[];
  args: DocArg[];
  displayText?: string;
}

/** COMMAND DOCS's maps come as flat arrays in RESP2 and as Maps in RESP3: both become a Map. */
function asMap(v: unknown): Map<string, unknown> {
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [String(k), x]));
  const m = new Map<string, unknown>();
  if (Array.isArray(v)) for (let i = 0; i + 1 < v.length; i += 2) m.set(String(v[i]), v[i + 1]);
  return m;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v instanceof Uint8Array ? new TextDecoder().decode(v) : v == null ? '' : String(v));
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v instanceof Set ? [...v] : []);

function docArg(v: unknown): DocArg {
  const m = asMap(v);
  return {
    name: str(m.get('name')),
    type: str(m.get('type')),
    token: m.has('token') ? str(m.get('token')) : undefined,
    flags: list(m.get('flags')).map(str),
    args: list(m.get('arguments')).map(docArg),
    displayText: m.has('display_text') ? str(m.get('display_text')) : undefined,
  };
}

/** One argument as redis-cli writes it in a hint. */
function argText(a: DocArg, repeat = false): string {
  const optional = !repeat && a.flags.includes('optional');
  let s = optional ? '[' : '';
  if (a.token !== undefined && (!repeat || a.flags.includes('multiple_token'))) {
    s += a.token;
    if (a.type !== 'pure-token') s += ' ';
  }
  if (a.type === 'oneof') s += a.args.map((x) => argText(x)).join('|');
  else if (a.type === 'block') s += a.args.map((x) => argText(x)).join(' ');
  else if (a.type !== 'pure-token') s += a.displayText ?? a.name;
  if (!repeat && a.flags.includes('multiple')) s += ` [${argText(a, true)} ...]`;
  return optional ? s + ']' : s;
}

/** The parameter line of documented arguments: `key value [NX|XX] …`. */
export function paramsOf(args: readonly unknown[]): string {
  return args.map((a) => argText(docArg(a))).join(' ');
}

/** The help table from a COMMAND DOCS reply (every command, subcommands included). */
export function helpTable(docs: unknown): HelpTable {
  const entries: HelpEntry[] = [];
  const add = (fullName: string, d: Map<string, unknown>) => {
    const words = fullName.split('|').map((w) => w.toUpperCase());
    entries.push({
      name: words.join(' '),
      words,
      params: paramsOf(list(d.get('arguments'))),
      summary: str(d.get('summary')),
      since: str(d.get('since')),
      group: str(d.get('group')),
      complexity: d.has('complexity') ? str(d.get('complexity')) : undefined,
    });
  };
  for (const [name, v] of asMap(docs)) {
    const d = asMap(v);
    add(name, d);
    for (const [sub, sv] of asMap(d.get('subcommands'))) add(sub, asMap(sv));
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const groups = [...new Set(entries.map((e) => e.group))].filter((g) => g !== '').sort();
  return { entries, groups };
}

/** The banner redis-cli prints for a bare `help`. */
export const GENERIC_HELP = [
  'redis-cli 7.0.15',
  'To get help about Redis commands type:',
  '      "help @<group>" to get a list of commands in <group>',
  '      "help <command>" for help on <command>',
  '      "help <tab>" to get a list of possible help topics',
  '      "quit" to exit',
  '',
  'To set redis-cli preferences:',
  '      ":set hints" enable online hints',
  '      ":set nohints" disable online hints',
  'Set your preferences in ~/.redisclirc',
];

/** An entry as `help` prints it; `withGroup` for `help <command>`, not for `help @group`. */
export function entryLines(e: HelpEntry, withGroup: boolean): string[] {
  const out = ['', `  ${e.name} ${e.params}`, `  summary: ${e.summary}`, `  since: ${e.since}`];
  if (withGroup) out.push(`  group: ${e.group}`);
  return out;
}

/**
 * What `help <args>` prints (args after `help`, as typed). `help @group` lists the group; otherwise every entry
 * whose first words are the typed ones (`help config` lists CONFIG and all its subcommands).
 */
export function helpLines(table: HelpTable, args: readonly string[]): string[] {
  if (args.length === 0) return GENERIC_HELP;
  const out: string[] = [];
  const group = args[0].startsWith('@') ? table.groups.find((g) => g.toLowerCase() === args[0].slice(1).toLowerCase()) : undefined;
  for (const e of table.entries) {
    if (group !== undefined) {
      if (e.group === group) out.push(...entryLines(e, false));
    } else if (args.length <= e.words.length && args.every((a, i) => a.toUpperCase() === e.words[i])) {
      out.push(...entryLines(e, true));
    }
  }
  out.push('');
  return out;
}

/** The entry whose name is the longest prefix of the typed arguments, and how many words it took. */
export function matchEntry(table: HelpTable, args: readonly string[]): { entry: HelpEntry; words: number } | null {
  let best: HelpEntry | null = null;
  for (const e of table.entries) {
    if (e.words.length > args.length || (best !== null && e.words.length <= best.words.length)) continue;
    if (e.words.every((w, i) => w === args[i].toUpperCase())) best = e;
  }
  return best === null ? null : { entry: best, words: best.words.length };
}

/**
 * redis-cli's hint for a typed line (args as split): the parameters not typed yet, one word dropped per typed
 * argument until an optional one (`[`) starts; a leading space unless the line ends in one. Null when no
 * command matches.
 */
export function hintFor(table: HelpTable, line: string, args: readonly string[]): string | null {
  if (args.length === 0) return null;
  const m = matchEntry(table, args);
  if (m === null) return null;
  let hint = m.entry.params;
  let toRemove = args.length - m.words;
  while (toRemove > 0 && hint.length > 0) {
    if (hint[0] === '[') break;
    if (hint[0] === ' ') toRemove--;
    hint = hint.slice(1);
  }
  const endSpace = line.length > 0 && /\s/.test(line[line.length - 1]);
  return endSpace ? hint : ' ' + hint;
}

/**
 * redis-cli's completions for a line: command names starting with it (any case), or after `help `, command
 * names and `@group`s. Candidates keep the line's start and are written as redis-cli's table writes them.
 */
export function completions(table: HelpTable, line: string): string[] {
  let start = 0;
  let withGroups = false;
  if (line.slice(0, 5).toLowerCase() === 'help ') {
    start = 5;
    while (start < line.length && /\s/.test(line[start])) start++;
    withGroups = true;
  }
  const typed = line.slice(start).toUpperCase();
  // redis-cli's table is sorted by name, so its `@group` entries come before the commands.
  const names = [...(withGroups ? table.groups.map((g) => '@' + g) : []), ...table.entries.map((e) => e.name)];
  return names.filter((n) => n.toUpperCase().startsWith(typed)).map((n) => line.slice(0, start) + n);
}
