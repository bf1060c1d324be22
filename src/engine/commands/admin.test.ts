import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testEngine } from '../../../test/helpers.js';
import type { CommandSpec } from '../command.js';
import type { Reply } from '../reply.js';
import { ALL_COMMANDS } from '../table.js';
import { keysBySpecs } from './admin.js';

const OK = { k: 'simple', s: 'OK' };
const e = (msg: string) => ({ k: 'err', msg });

/** A reply with sets and maps flattened and simple strings unwrapped: the RESP2 view, for comparison. */
function plain(r: Reply): unknown {
  if (r === null || typeof r !== 'object') return r;
  if (Array.isArray(r)) return r.map(plain);
  switch (r.k) {
    case 'simple':
      return r.s;
    case 'set':
    case 'map':
      return r.v.map(plain);
    case 'verbatim':
      return r.s;
    default:
      return r;
  }
}

/** COMMAND INFO of redis-server 7.0.15, recorded (see the fixture's _source). */
const REDIS: Record<string, unknown[]> = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/redis-7.0.15-command-info.json', import.meta.url), 'utf8'),
);

/** Our key specs in the fixture's shape. */
function specsOf(info: unknown[]): unknown {
  return (info[8] as unknown[][]).map((m) => {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < m.length; i += 2) o[m[i] as string] = m[i + 1];
    const inner = (x: unknown[]) => {
      const r: Record<string, unknown> = {};
      for (let i = 0; i < x.length; i += 2) r[x[i] as string] = x[i + 1];
      return r;
    };
    const bs = inner(o.begin_search as unknown[]);
    const fk = inner(o.find_keys as unknown[]);
    const out: Record<string, unknown> = {};
    if (o.notes !== undefined) out.notes = o.notes;
    out.flags = o.flags;
    out.begin_search = { type: bs.type, spec: inner(bs.spec as unknown[]) };
    out.find_keys = { type: fk.type, spec: inner(fk.spec as unknown[]) };
    return out;
  });
}

function everySpec(): CommandSpec[] {
  return ALL_COMMANDS.flatMap((c) => [c, ...(c.sub ?? [])]);
}

describe('COMMAND INFO matches redis-server 7.0.15', () => {
  it('elements 0..7 for every command and subcommand in the table', () => {
    const { cmd } = testEngine();
    const mismatches: string[] = [];
    for (const spec of everySpec()) {
      const ours = plain(cmd('COMMAND', 'INFO', spec.name)) as unknown[][];
      const want = REDIS[spec.name];
      if (want === undefined) {
        mismatches.push(`${spec.name}: not a Redis 7.0 command`);
        continue;
      }
      const got = [ours[0][1], ...ours[0].slice(2, 8)];
      if (ours[0][0] !== spec.name || JSON.stringify(got) !== JSON.stringify(want.slice(0, 7))) {
        mismatches.push(`${spec.name}:\n  ours  ${JSON.stringify(got)}\n  redis ${JSON.stringify(want.slice(0, 7))}`);
      }
    }
    expect(mismatches.join('\n')).toBe('');
  });
  it('key specs of every command and subcommand in the table', () => {
    const { cmd } = testEngine();
    const mismatches: string[] = [];
    for (const spec of everySpec()) {
      // Every command: the derived specs must be right too (declare keySpecs where they are not).
      const ours = specsOf((plain(cmd('COMMAND', 'INFO', spec.name)) as unknown[][])[0]);
      const want = REDIS[spec.name]?.[7];
      if (JSON.stringify(ours) !== JSON.stringify(want)) {
        mismatches.push(`${spec.name}:\n  ours  ${JSON.stringify(ours)}\n  redis ${JSON.stringify(want)}`);
      }
    }
    expect(mismatches.join('\n')).toBe('');
  });
  it('answers the shape Redis does: sets in RESP3, nil for unknown names, subcommands by full name', () => {
    const { cmd } = testEngine();
    const r = cmd('COMMAND', 'INFO', 'GET', 'nosuch', 'CONFIG|GET', 'client|nosuch', 'get|x', 'a|b|c') as Reply[];
    expect(r).toHaveLength(6);
    expect(plain(r[0])).toEqual([
      'get', 2, ['readonly', 'fast'], 1, 1, 1, ['@read', '@string', '@fast'], [],
      [['flags', ['RO', 'access'], 'begin_search', ['type', 'index', 'spec', ['index', 1]],
        'find_keys', ['type', 'range', 'spec', ['lastkey', 0, 'keystep', 1, 'limit', 0]]]],
      [],
    ]);
    expect((r[0] as Reply[])[2]).toEqual({ k: 'set', v: [{ k: 'simple', s: 'readonly' }, { k: 'simple', s: 'fast' }] });
    expect(r[1]).toBe(null);
    expect((r[2] as Reply[])[0]).toBe('config|get');
    expect(r.slice(3)).toEqual([null, null, null]);
    const config = plain((cmd('COMMAND', 'INFO', 'config') as Reply[])[0]) as unknown[];
    expect(config.slice(0, 9)).toEqual(['config', -2, [], 0, 0, 0, ['@slow'], [], []]);
    expect((config[9] as unknown[][]).map((s) => s[0]).sort()).toEqual(
      ['config|get', 'config|help', 'config|resetstat', 'config|rewrite', 'config|set'],
    );
  });
  it('COMMAND and COMMAND INFO list every command; COUNT counts them', () => {
    const { cmd } = testEngine();
    const all = cmd('COMMAND') as Reply[];
    expect(all).toHaveLength(ALL_COMMANDS.length);
    expect(cmd('COMMAND', 'COUNT')).toBe(ALL_COMMANDS.length);
    expect(cmd('COMMAND', 'INFO')).toEqual(all);
    expect(cmd('COMMAND', 'COUNT', 'x')).toEqual(e("ERR wrong number of arguments for 'command|count' command"));
    expect(cmd('COMMAND', 'FOO')).toEqual(e("ERR unknown subcommand 'FOO'. Try COMMAND HELP."));
  });
});

describe('COMMAND DOCS', () => {
  it('answers Redis\'s docs for PING, GET and CONFIG', () => {
    const { cmd } = testEngine();
    expect(plain(cmd('COMMAND', 'DOCS', 'nosuch', 'ping', 'get'))).toEqual([
      'ping',
      ['summary', 'Ping the server', 'since', '1.0.0', 'group', 'connection', 'complexity', 'O(1)',
        'arguments', [['name', 'message', 'type', 'string', 'flags', ['optional']]]],
      'get',
      ['summary', 'Get the value of a key', 'since', '1.0.0', 'group', 'string', 'complexity', 'O(1)',
        'arguments', [['name', 'key', 'type', 'key', 'key_spec_index', 0]]],
    ]);
    const config = plain(cmd('COMMAND', 'DOCS', 'config')) as unknown[];
    const docs = config[1] as unknown[];
    expect(docs.slice(0, 8)).toEqual([
      'summary', 'A container for server configuration commands', 'since', '2.0.0', 'group', 'server',
      'complexity', 'Depends on subcommand.',
    ]);
    const subs = docs[9] as unknown[];
    const get = subs[subs.indexOf('config|get') + 1];
    expect(get).toEqual([
      'summary', 'Get the values of configuration parameters', 'since', '2.0.0', 'group', 'server',
      'complexity', 'O(N) when N is the number of configuration parameters provided',
      'history', [['7.0.0', 'Added the ability to pass multiple pattern parameters in one call']],
      'arguments', [['name', 'parameter', 'type', 'string', 'flags', ['multiple']]],
    ]);
    expect(cmd('COMMAND', 'DOCS', 'nosuch')).toEqual({ k: 'map', v: [] });
  });
  it('derives arguments from the syntax line: tokens, choices, blocks, repeats', () => {
    const { cmd } = testEngine();
    const set = plain(cmd('COMMAND', 'DOCS', 'set')) as unknown[];
    const args = (set[1] as unknown[])[(set[1] as unknown[]).indexOf('arguments') + 1];
    expect(args).toEqual([
      ['name', 'key', 'type', 'key', 'key_spec_index', 0],
      ['name', 'value', 'type', 'string'],
      ['name', 'condition', 'type', 'oneof', 'flags', ['optional'], 'arguments', [
        ['name', 'nx', 'type', 'pure-token', 'token', 'NX'], ['name', 'xx', 'type', 'pure-token', 'token', 'XX']]],
      ['name', 'get', 'type', 'pure-token', 'token', 'GET', 'flags', ['optional']],
      ['name', 'expiration', 'type', 'oneof', 'flags', ['optional'], 'arguments', [
        ['name', 'seconds', 'type', 'integer', 'token', 'EX'],
        ['name', 'milliseconds', 'type', 'integer', 'token', 'PX'],
        ['name', 'unix-time-seconds', 'type', 'unix-time', 'token', 'EXAT'],
        ['name', 'unix-time-milliseconds', 'type', 'unix-time', 'token', 'PXAT'],
        ['name', 'keepttl', 'type', 'pure-token', 'token', 'KEEPTTL']]],
    ]);
    const mset = plain(cmd('COMMAND', 'DOCS', 'mset')) as unknown[];
    expect((mset[1] as unknown[]).slice(-1)[0]).toEqual([
      ['name', 'key_value', 'type', 'block', 'flags', ['multiple'], 'arguments', [
        ['name', 'key', 'type', 'key', 'key_spec_index', 0], ['name', 'value', 'type', 'string']]],
    ]);
  });
  it('every command has docs; RESP3 gets maps', () => {
    const { cmd } = testEngine();
    const all = cmd('COMMAND', 'DOCS') as { k: string; v: Reply[] };
    expect(all.k).toBe('map');
    expect(all.v.length).toBe(2 * ALL_COMMANDS.length);
  });
});

describe('COMMAND LIST / GETKEYS / HELP', () => {
  it('lists names with filters', () => {
    const { cmd } = testEngine();
    const all = cmd('COMMAND', 'LIST') as string[];
    expect(all.length).toBe(everySpec().length);
    expect(all).toContain('config|get');
    expect((cmd('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'ec*') as string[]).sort()).toEqual(['echo']);
    expect(cmd('COMMAND', 'LIST', 'filterby', 'pattern', 'CLIENT|*')).toContain('client|list');
    const conn = cmd('COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'Connection') as string[];
    expect(conn).toContain('ping');
    expect(conn).toContain('client|kill');
    expect(conn).not.toContain('client');
    expect(conn).not.toContain('get');
    expect(cmd('COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'nope')).toEqual([]);
    expect(cmd('COMMAND', 'LIST', 'FILTERBY', 'MODULE', 'x')).toEqual([]);
    expect(cmd('COMMAND', 'LIST', 'FILTERBY')).toEqual(e('ERR syntax error'));
    expect(cmd('COMMAND', 'LIST', 'FILTERBY', 'foo', 'bar')).toEqual(e('ERR syntax error'));
    expect(cmd('COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'connection', 'extra')).toEqual(e('ERR syntax error'));
    expect(cmd('COMMAND', 'LIST', 'foo')).toEqual(e('ERR syntax error'));
  });
  it('GETKEYS and GETKEYSANDFLAGS by the key specs', () => {
    const { cmd } = testEngine();
    expect(cmd('COMMAND', 'GETKEYS', 'GET', 'k')).toEqual(['k']);
    expect(cmd('COMMAND', 'GETKEYS', 'get', '')).toEqual(['']);
    expect(cmd('COMMAND', 'GETKEYS', 'mset', 'a', 'b', 'c', 'd')).toEqual(['a', 'c']);
    expect(cmd('COMMAND', 'GETKEYS', 'mset', 'a', 'b', 'c')).toEqual(['a', 'c']);
    expect(cmd('COMMAND', 'GETKEYS', 'del', '__proto__', 'constructor')).toEqual(['__proto__', 'constructor']);
    expect(cmd('COMMAND', 'GETKEYSANDFLAGS', 'get', 'k')).toEqual([
      ['k', { k: 'set', v: [{ k: 'simple', s: 'RO' }, { k: 'simple', s: 'access' }] }],
    ]);
    expect(cmd('COMMAND', 'GETKEYS', 'foo', 'a')).toEqual(e('ERR Invalid command specified'));
    expect(cmd('COMMAND', 'GETKEYS', 'config', 'foo', 'x')).toEqual(e('ERR Invalid command specified'));
    expect(cmd('COMMAND', 'GETKEYS', 'config', 'get', 'x')).toEqual(e('ERR The command has no key arguments'));
    expect(cmd('COMMAND', 'GETKEYS', 'ping', 'x')).toEqual(e('ERR The command has no key arguments'));
    expect(cmd('COMMAND', 'GETKEYS', 'get', 'a', 'b')).toEqual(e('ERR Invalid number of arguments specified for command'));
    expect(cmd('COMMAND', 'GETKEYS', 'get')).toEqual(e("ERR wrong number of arguments for 'command|getkeys' command"));
  });
  it('applies keyword and keynum specs as Redis does', () => {
    const keynum = [{ flags: ['RO' as const], begin: { index: 1 }, find: { keynumidx: 0, firstkey: 1, keystep: 1 } }];
    expect(keysBySpecs(keynum, ['zunion', '2', 'a', 'b', 'WEIGHTS', '1', '2'], -3)?.map((k) => k.pos)).toEqual([2, 3]);
    expect(keysBySpecs(keynum, ['zunion', '5', 'a', 'b'], -3)).toBe(null);
    expect(keysBySpecs(keynum, ['zunion', '0', 'a'], -3)).toBe(null);
    expect(keysBySpecs(keynum, ['zunion', 'x', 'a'], -3)).toBe(null);
    const keyword = [
      { flags: ['RO' as const], begin: { keyword: 'STREAMS', startfrom: 1 }, find: { lastkey: -1, keystep: 1, limit: 2 } },
    ];
    expect(
      keysBySpecs(keyword, ['xread', 'COUNT', '2', 'streams', 'a', 'b', '0', '0'], -4)?.map((k) => k.pos),
    ).toEqual([4, 5]);
    expect(keysBySpecs(keyword, ['xread', 'COUNT', '2'], -4)).toEqual([]);
    const fromEnd = [
      { flags: ['OW' as const], begin: { keyword: 'STORE', startfrom: -2 }, find: { lastkey: 0, keystep: 1, limit: 0 } },
    ];
    expect(keysBySpecs(fromEnd, ['georadius', 'k', '1', '2', 'STORE', 'dst'], -6)?.map((k) => k.pos)).toEqual([5]);
  });
  it('HELP', () => {
    const { cmd } = testEngine();
    const help = plain(cmd('COMMAND', 'HELP')) as string[];
    expect(help[0]).toBe('COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
    expect(help).toHaveLength(21);
    expect(help[20]).toBe('    Prints this help.');
  });
});

describe('TIME', () => {
  it('answers seconds and microseconds as bulk strings from the engine clock', () => {
    const t = testEngine(1_700_000_000_123);
    expect(t.cmd('TIME')).toEqual(['1700000000', '123000']);
    expect(t.cmd('TIME', 'x')).toEqual(e("ERR wrong number of arguments for 'time' command"));
  });
});

describe('INFO', () => {
  const text = (r: Reply) => (r as { s: string }).s;
  it('default sections in order, Redis\'s text format, a verbatim string', () => {
    const t = testEngine();
    const r = t.cmd('INFO') as { k: string; fmt: string; s: string };
    expect(r.k).toBe('verbatim');
    expect(r.fmt).toBe('txt');
    const titles = r.s.split('\r\n').filter((l) => l.startsWith('# '));
    expect(titles).toEqual([
      '# Server', '# Clients', '# Memory', '# Persistence', '# Stats', '# Replication', '# CPU', '# Modules',
      '# Errorstats', '# Cluster', '# Keyspace',
    ]);
    expect(r.s.startsWith('# Server\r\nredis_version:7.0.15\r\n')).toBe(true);
    expect(r.s.endsWith('# Keyspace\r\n')).toBe(true);
    expect(r.s).toContain('\r\n\r\n# Clients\r\nconnected_clients:1\r\n');
  });
  it('picks sections case-insensitively; all, everything, default; unknown gives nothing', () => {
    const t = testEngine();
    expect(text(t.cmd('INFO', 'CLUSTER', 'keyspace'))).toBe('# Cluster\r\ncluster_enabled:0\r\n\r\n# Keyspace\r\n');
    expect(text(t.cmd('INFO', 'keyspace', 'cluster'))).toBe('# Cluster\r\ncluster_enabled:0\r\n\r\n# Keyspace\r\n');
    expect(text(t.cmd('INFO', 'foo'))).toBe('');
    expect(text(t.cmd('INFO', 'modules'))).toBe('# Modules\r\n');
    const all = text(t.cmd('INFO', 'all'));
    expect(all).toContain('# Commandstats\r\n');
    expect(all).toContain('# Latencystats\r\n');
    expect(text(t.cmd('INFO', 'everything')).split('# ').length).toBe(all.split('# ').length);
    expect(text(t.cmd('INFO', 'default'))).not.toContain('# Commandstats');
  });
  it('keyspace, stats, commandstats and errorstats from the engine', () => {
    const t = testEngine();
    t.cmd('SET', 'a', '1');
    t.cmd('SET', 'b', '1', 'PX', '10000');
    t.cmd('SELECT', '2');
    t.cmd('SET', '\xff', 'x');
    t.cmd('GET', 'nope');
    t.cmd('GET', '\xff');
    t.cmd('GET');
    t.cmd('FOO');
    t.cmd('HELLO', '9');
    expect(text(t.cmd('INFO', 'keyspace'))).toBe(
      '# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=10000\r\ndb2:keys=1,expires=0,avg_ttl=0\r\n',
    );
    const stats = text(t.cmd('INFO', 'stats'));
    expect(stats).toContain('\r\nkeyspace_hits:1\r\nkeyspace_misses:1\r\n');
    expect(stats).toContain('\r\ntotal_error_replies:3\r\n');
    expect(stats).toContain('\r\ntotal_connections_received:1\r\n');
    expect(text(t.cmd('INFO', 'errorstats'))).toBe('# Errorstats\r\nerrorstat_ERR:count=2\r\nerrorstat_NOPROTO:count=1\r\n');
    const cs = text(t.cmd('INFO', 'commandstats'));
    expect(cs).toMatch(/\r\ncmdstat_get:calls=2,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=1,failed_calls=0\r\n/);
    expect(cs).toMatch(/\r\ncmdstat_hello:calls=1,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=1\r\n/);
    // The INFO running is counted after it, as in Redis.
    expect(cs).toMatch(/\r\ncmdstat_info:calls=3,/);
  });
  it('server fields from the clock and config; RESP3 keeps the verbatim type', () => {
    const t = testEngine();
    t.clock.t += 90_061_000;
    const s = text(t.cmd('INFO', 'server'));
    expect(s).toContain('\r\nuptime_in_seconds:90061\r\nuptime_in_days:1\r\nhz:10\r\nconfigured_hz:10\r\n');
    expect(s).toContain(`\r\nserver_time_usec:${t.clock.t * 1000}\r\n`);
    expect(s).toMatch(/\r\nrun_id:[0-9a-f]{40}\r\n/);
    t.cmd('HELLO', '3');
    expect((t.cmd('INFO', 'cluster') as { k: string }).k).toBe('verbatim');
  });
});

describe('CONFIG', () => {
  it('GET exact names echo the name given; patterns match names and aliases', () => {
    const { cmd } = testEngine();
    expect(cmd('CONFIG', 'GET', 'HZ')).toEqual({ k: 'map', v: ['HZ', '10'] });
    expect(cmd('CONFIG', 'GET', 'hz', 'HZ')).toEqual({ k: 'map', v: ['hz', '10'] });
    expect(cmd('CONFIG', 'GET', 'foo')).toEqual({ k: 'map', v: [] });
    const z = plain(cmd('CONFIG', 'GET', '*ziplist*')) as string[];
    const pairs = new Map<string, string>();
    for (let i = 0; i < z.length; i += 2) pairs.set(z[i], z[i + 1]);
    expect(pairs).toEqual(
      new Map([
        ['hash-max-ziplist-entries', '512'], ['hash-max-ziplist-value', '64'], ['list-max-ziplist-size', '-2'],
        ['zset-max-ziplist-entries', '128'], ['zset-max-ziplist-value', '64'],
      ]),
    );
    expect(plain(cmd('CONFIG', 'GET', 'maxmemory*', 'maxmemory'))).toEqual([
      'maxmemory', '0', 'maxmemory-policy', 'noeviction', 'maxmemory-samples', '5', 'maxmemory-eviction-tenacity', '10',
    ]);
    expect(plain(cmd('CONFIG', 'GET', 'hash-max-ziplist-entries', 'HASH-MAX-LISTPACK-ENTRIES'))).toEqual([
      'hash-max-ziplist-entries', '512', 'HASH-MAX-LISTPACK-ENTRIES', '512',
    ]);
    expect(plain(cmd('CONFIG', 'GET', 'database?'))).toEqual(['databases', '16']);
    expect(cmd('CONFIG', 'GET')).toEqual(e("ERR wrong number of arguments for 'config|get' command"));
  });
  it('SET with Redis\'s checks and texts', () => {
    const t = testEngine();
    const cmd = t.cmd;
    const failed = (name: string, why: string) => e(`ERR CONFIG SET failed (possibly related to argument '${name}') - ${why}`);
    expect(cmd('CONFIG', 'SET', 'hz', 'abc')).toEqual(failed('hz', "argument couldn't be parsed into an integer"));
    expect(cmd('CONFIG', 'SET', 'HZ', '+5')).toEqual(failed('hz', "argument couldn't be parsed into an integer"));
    expect(cmd('CONFIG', 'SET', 'hz', '-1')).toEqual(failed('hz', 'argument must be between 0 and 2147483647 inclusive'));
    expect(cmd('CONFIG', 'SET', 'hash-max-ziplist-entries', 'x')).toEqual(
      failed('hash-max-ziplist-entries', "argument couldn't be parsed into an integer"),
    );
    expect(cmd('CONFIG', 'SET', 'hash-max-listpack-entries', '-1')).toEqual(
      failed('hash-max-listpack-entries', 'argument must be between 0 and 9223372036854775807 inclusive'),
    );
    expect(cmd('CONFIG', 'SET', 'maxclients', '-1')).toEqual(
      failed('maxclients', 'argument must be between 1 and 4294967295 inclusive'),
    );
    expect(cmd('CONFIG', 'SET', 'maxmemory', '-1')).toEqual(failed('maxmemory', 'argument must be a memory value'));
    expect(cmd('CONFIG', 'SET', 'maxmemory', '1.5gb')).toEqual(failed('maxmemory', 'argument must be a memory value'));
    expect(cmd('CONFIG', 'SET', 'proto-max-bulk-len', '100')).toEqual(
      failed('proto-max-bulk-len', 'argument must be between 1048576 and 9223372036854775807 inclusive'),
    );
    expect(cmd('CONFIG', 'SET', 'maxmemory-policy', 'foo')).toEqual(
      failed('maxmemory-policy', 'argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction'),
    );
    expect(cmd('CONFIG', 'SET', 'appendfsync', 'foo')).toEqual(
      failed('appendfsync', 'argument(s) must be one of the following: everysec, always, no'),
    );
    expect(cmd('CONFIG', 'SET', 'lazyfree-lazy-expire', 'maybe')).toEqual(
      failed('lazyfree-lazy-expire', "argument must be 'yes' or 'no'"),
    );
    expect(cmd('CONFIG', 'SET', 'notify-keyspace-events', 'foo')).toEqual(
      failed('notify-keyspace-events', "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."),
    );
    expect(cmd('CONFIG', 'SET', 'databases', '4')).toEqual(failed('databases', "can't set immutable config"));
    expect(cmd('CONFIG', 'SET', 'foo', '1')).toEqual(e("ERR Unknown option or number of arguments for CONFIG SET - 'foo'"));
    expect(cmd('CONFIG', 'SET', 'hz', '5', 'HZ', '6')).toEqual(failed('HZ', 'duplicate parameter'));
    expect(cmd('CONFIG', 'SET', 'hz', '1', 'foo')).toEqual(e('ERR syntax error'));
    expect(cmd('CONFIG', 'SET', 'hz')).toEqual(e("ERR wrong number of arguments for 'config|set' command"));
    expect(cmd('CONFIG', 'SET', 'hz', '1', 'databases', '2', 'foo', '1')).toEqual(failed('databases', "can't set immutable config"));
    expect(cmd('CONFIG', 'SET', 'foo', '1', 'databases', '2')).toEqual(
      e("ERR Unknown option or number of arguments for CONFIG SET - 'foo'"),
    );
    expect(t.engine.config.hz).toBe(10);
  });
  it('SET is all or nothing, normalises values and updates what the engine reads', () => {
    const t = testEngine();
    const cmd = t.cmd;
    expect(cmd('CONFIG', 'SET', 'hz', '20', 'maxmemory-policy', 'nope')).toMatchObject({ k: 'err' });
    expect(plain(cmd('CONFIG', 'GET', 'hz'))).toEqual(['hz', '10']);
    expect(cmd('CONFIG', 'SET', 'hz', '20', 'maxmemory', '1KB', 'maxmemory-policy', 'ALLKEYS-LFU')).toEqual(OK);
    expect(t.engine.config.hz).toBe(20);
    expect(t.engine.config.maxmemory).toBe(1024);
    expect(t.engine.config.lfu).toBe(true);
    expect(plain(cmd('CONFIG', 'GET', 'maxmemory-policy'))).toEqual(['maxmemory-policy', 'allkeys-lfu']);
    expect(cmd('CONFIG', 'SET', 'hz', '1000')).toEqual(OK);
    expect(plain(cmd('CONFIG', 'GET', 'hz'))).toEqual(['hz', '500']);
    expect(cmd('CONFIG', 'SET', 'hz', '0')).toEqual(OK);
    expect(plain(cmd('CONFIG', 'GET', 'hz'))).toEqual(['hz', '1']);
    expect(cmd('CONFIG', 'SET', 'maxmemory', '99999999999999999999')).toEqual(OK);
    expect(plain(cmd('CONFIG', 'GET', 'maxmemory'))).toEqual(['maxmemory', '18446744073709551615']);
    expect(cmd('CONFIG', 'SET', 'maxmemory', '')).toEqual(OK);
    expect(plain(cmd('CONFIG', 'GET', 'maxmemory'))).toEqual(['maxmemory', '0']);
    expect(cmd('CONFIG', 'SET', 'hash-max-ziplist-value', '1kb', 'lazyfree-lazy-expire', 'YES')).toEqual(OK);
    expect(plain(cmd('CONFIG', 'GET', 'hash-max-listpack-value', 'lazyfree-lazy-expire'))).toEqual([
      'hash-max-listpack-value', '1024', 'lazyfree-lazy-expire', 'yes',
    ]);
    expect(cmd('CONFIG', 'SET', 'notify-keyspace-events', 'AKEm')).toEqual(OK);
    expect(plain(cmd('CONFIG', 'GET', 'notify-keyspace-events'))).toEqual(['notify-keyspace-events', 'AKEm']);
    expect(cmd('CONFIG', 'SET', 'notify-keyspace-events', '$lshzxetdgKn')).toEqual(OK);
    expect(plain(cmd('CONFIG', 'GET', 'notify-keyspace-events'))).toEqual(['notify-keyspace-events', 'AK']);
    expect(t.engine.config.notifyMask).not.toBe(0);
    expect(cmd('CONFIG', 'SET', 'notify-keyspace-events', 'Eg')).toEqual(OK);
    expect(plain(cmd('CONFIG', 'GET', 'notify-keyspace-events'))).toEqual(['notify-keyspace-events', 'gE']);
  });
  it('RESETSTAT, REWRITE, HELP', () => {
    const t = testEngine();
    t.cmd('GET', 'x');
    t.cmd('GET');
    expect(t.cmd('CONFIG', 'RESETSTAT')).toEqual(OK);
    const s = (t.cmd('INFO', 'stats', 'commandstats', 'errorstats') as { s: string }).s;
    expect(s).toContain('\r\ntotal_connections_received:0\r\ntotal_commands_processed:1\r\n');
    expect(s).toContain('\r\nkeyspace_misses:0\r\n');
    expect(s).toMatch(/# Commandstats\r\ncmdstat_config\|resetstat:calls=1,[^\r]*\r\n\r\n# Errorstats\r\n$/);
    expect(t.cmd('CONFIG', 'REWRITE')).toEqual(e('ERR The server is running without a config file'));
    const help = plain(t.cmd('CONFIG', 'HELP')) as string[];
    expect(help).toEqual([
      'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
      'GET <pattern>',
      '    Return parameters matching the glob-like <pattern> and their values.',
      'SET <directive> <value>',
      '    Set the configuration <directive> to <value>.',
      'RESETSTAT',
      '    Reset statistics reported by the INFO command.',
      'REWRITE',
      '    Rewrite the configuration file.',
      'HELP',
      '    Prints this help.',
    ]);
    expect(t.cmd('CONFIG')).toEqual(e("ERR wrong number of arguments for 'config' command"));
    expect(t.cmd('CONFIG', 'FOO')).toEqual(e("ERR unknown subcommand 'FOO'. Try CONFIG HELP."));
  });
});
