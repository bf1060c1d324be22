// The expected texts below were printed by redis-cli 7.0.15 (interactive, colours stripped) against
// redis-server 7.0.15; the help table here is built from tabhive's own COMMAND DOCS.
import { describe, expect, it } from 'vitest';
import { toUtf8 } from '../src/engine/bytes.js';
import type { Reply } from '../src/engine/reply.js';
import { testEngine } from '../test/helpers.js';
import { completions, GENERIC_HELP, helpLines, helpTable, hintFor, type HelpTable } from './help.js';

/** A reply as the client hands it over in RESP2: bulk strings decoded, maps flat. */
function js(r: Reply): unknown {
  if (r === null || typeof r === 'number' || typeof r === 'bigint') return r;
  if (typeof r === 'string') return toUtf8(r);
  if (Array.isArray(r)) return r.map(js);
  switch (r.k) {
    case 'map':
    case 'set':
    case 'push':
      return r.v.map(js);
    case 'simple':
      return r.s;
    case 'verbatim':
      return r.s;
    case 'err':
      return new Error(r.msg);
    case 'double':
      return String(r.v);
    case 'bool':
      return r.v ? 1 : 0;
    case 'nullarr':
      return null;
  }
}

const table: HelpTable = helpTable(js(testEngine().cmd('COMMAND', 'DOCS')));
const split = (line: string) => line.split(/\s+/).filter((w) => w !== '');
const params = (name: string) => table.entries.find((e) => e.name === name)?.params;

describe('the help table from COMMAND DOCS', () => {
  it('has every command and subcommand, sorted by name', () => {
    const names = table.entries.map((e) => e.name);
    expect(names).toContain('SET');
    expect(names).toContain('CONFIG');
    expect(names).toContain('CONFIG GET');
    expect([...names].sort()).toEqual(names);
    expect(table.groups).toContain('sorted-set');
  });

  it('writes parameters as redis-cli does', () => {
    expect(params('SET')).toBe(
      'key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]',
    );
    expect(params('ZINTERSTORE')).toBe('destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX]');
    expect(params('HELLO')).toBe('[protover [AUTH username password] [SETNAME clientname]]');
    expect(params('CLIENT LIST')).toBe('[TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]]');
    expect(params('ZADD')).toBe('key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]');
    expect(params('BLMPOP')).toBe('timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]');
    expect(params('UNSUBSCRIBE')).toBe('[channel [channel ...]]');
    expect(params('ZRANGE')).toBe('key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]');
    expect(params('HRANDFIELD')).toBe('key [count [WITHVALUES]]');
    expect(params('GETEX')).toBe('key [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|PERSIST]');
    expect(params('MULTI')).toBe('');
  });
});

describe('help', () => {
  it('prints a command as redis-cli does', () => {
    expect(helpLines(table, ['set'])).toEqual([
      '',
      '  SET key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]',
      '  summary: Set the string value of a key',
      '  since: 1.0.0',
      '  group: string',
      '',
    ]);
  });

  it('prints a group without the group lines', () => {
    expect(helpLines(table, ['@transactions'])).toEqual([
      '', '  DISCARD ', '  summary: Discard all commands issued after MULTI', '  since: 2.0.0',
      '', '  EXEC ', '  summary: Execute all commands issued after MULTI', '  since: 1.2.0',
      '', '  MULTI ', '  summary: Mark the start of a transaction block', '  since: 1.2.0',
      '', '  UNWATCH ', '  summary: Forget about all watched keys', '  since: 2.2.0',
      '', '  WATCH key [key ...]', '  summary: Watch the given keys to determine execution of the MULTI/EXEC block',
      '  since: 2.2.0',
      '',
    ]);
  });

  it('prints a container and its subcommands; nothing for an unknown topic', () => {
    const config = helpLines(table, ['config']);
    expect(config.filter((l) => /^ {2}CONFIG/.test(l))).toEqual([
      '  CONFIG ', '  CONFIG GET parameter [parameter ...]', '  CONFIG HELP ', '  CONFIG RESETSTAT ',
      '  CONFIG REWRITE ', '  CONFIG SET parameter value [parameter value ...]',
    ]);
    expect(helpLines(table, ['config', 'get']).slice(0, 3)).toEqual([
      '', '  CONFIG GET parameter [parameter ...]', '  summary: Get the values of configuration parameters',
    ]);
    expect(helpLines(table, ['nosuch'])).toEqual(['']);
    expect(helpLines(table, ['@nosuch'])).toEqual(['']);
    expect(helpLines(table, ['get', 'set'])).toEqual(['']);
    expect(helpLines(table, [])).toBe(GENERIC_HELP);
  });
});

describe('hints', () => {
  const hint = (line: string) => hintFor(table, line, split(line));
  it('shows the parameters still to type', () => {
    expect(hint('set')).toBe(
      ' key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]',
    );
    expect(hint('SET ')).toBe(
      'key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]',
    );
    expect(hint('set k')).toBe(' value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]');
    expect(hint('set k v ')).toBe('[NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]');
    expect(hint('set k v nx ')).toBe('[NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]');
  });
  it('matches the longest command name', () => {
    expect(hint('config get ')).toBe('parameter [parameter ...]');
    expect(hint('config ')).toBe('');
    expect(hint('nosuch ')).toBeNull();
    expect(hint('')).toBeNull();
  });
});

describe('completion', () => {
  it('offers command names starting with the line', () => {
    expect(completions(table, 'subs')).toEqual(['SUBSCRIBE', 'SUBSTR']);
    expect(completions(table, 'subsc')).toEqual(['SUBSCRIBE']);
    expect(completions(table, 'config s')).toEqual(['CONFIG SET']);
    expect(completions(table, 'zrangeb')).toEqual(['ZRANGEBYLEX', 'ZRANGEBYSCORE']);
    expect(completions(table, 'nosuch')).toEqual([]);
  });
  it('offers groups and commands after help', () => {
    expect(completions(table, 'help @s')).toEqual(['help @server', 'help @set', 'help @sorted-set', 'help @string']);
    expect(completions(table, 'help  multi')).toEqual(['help  MULTI']);
  });
});
