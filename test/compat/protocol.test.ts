/**
 * The wire protocol, byte for byte: raw requests (inline commands with Redis's quoting, multibulk edge cases,
 * malformed input, pipelines, requests split across reads) go to redis-server and to `tabhive serve`; the
 * bytes each sends back, and whether it then closes the connection, must be identical.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { quote, RespClient, startServers, type Servers } from './harness.js';

let servers: Servers;
beforeAll(async () => {
  servers = await startServers();
});
afterAll(async () => {
  await servers?.stop();
});

type Input = string | string[]; // a list is written piece by piece, each after a short pause

async function exchange(port: number, input: Input, quietMs?: number): Promise<{ bytes: string; closed: boolean }> {
  const c = await RespClient.connect(port);
  c.keepRaw = true;
  const pieces = Array.isArray(input) ? input : [input];
  for (const p of pieces) {
    c.write(p);
    if (pieces.length > 1) await new Promise((r) => setTimeout(r, 5));
  }
  // Quiet time before the reply counts as complete: big requests take a loaded server (CI has 2 cores) longer
  // to answer, so they get more.
  const size = pieces.reduce((n, p) => n + p.length, 0);
  const res = await c.rawReply(quietMs ?? (size > 10_000 ? 600 : 80));
  c.close();
  return res;
}

async function same(input: Input): Promise<void> {
  let [a, b] = await Promise.all([exchange(servers.redis.port, input), exchange(servers.tabhive.port, input)]);
  // "Complete" is judged by a quiet line: when the sides differ, take them again with a long quiet time, so a
  // server slowed by load is not read half-way (a real difference stays a difference).
  if (a.bytes !== b.bytes || a.closed !== b.closed) {
    [a, b] = await Promise.all([exchange(servers.redis.port, input, 1500), exchange(servers.tabhive.port, input, 1500)]);
  }
  const show = (x: { bytes: string; closed: boolean }) =>
    `${quote(x.bytes.length > 600 ? x.bytes.slice(0, 600) + '…' : x.bytes)}${x.closed ? ' (closed)' : ''}`;
  expect(show(b), `request ${quote(Array.isArray(input) ? input.join('') : input).slice(0, 300)}`).toBe(show(a));
}

const cmd = (...args: string[]) => `*${args.length}\r\n` + args.map((a) => `$${a.length}\r\n${a}\r\n`).join('');

const inline: [string, Input][] = [
  ['inline PING with CRLF', 'PING\r\n'],
  ['inline PING with LF only', 'PING\n'],
  ['inline with argument', 'ping hello\r\n'],
  ['inline with spaces and tabs', '   PING \t  "a b"   \r\n'],
  ['double-quote escapes', 'PING "\\x41\\x4a\\n\\r\\t\\b\\a\\q\\\\"\r\n'],
  ['bad hex escape stays literal', 'PING "\\xZZ\\x4"\r\n'],
  ['single quotes with escaped quote', "PING 'it\\'s \\n'\r\n"],
  ['quotes inside a word', 'PING a"b c"d\r\n'],
  ['quote starts mid-word', 'PING a"b c"\r\n'],
  ['unbalanced double quote', 'PING "abc\r\nPING\r\n'],
  ['unbalanced single quote', "PING 'abc\r\n"],
  ['closing quote followed by a letter', 'PING "a"b\r\n'],
  ['closing single quote followed by a letter', "PING 'a'b\r\n"],
  ['escaped quote at the end', 'PING "a\\"\r\n'],
  ['empty lines are skipped', '\r\n\n\r\n  \r\nPING\r\n'],
  ['whitespace-only line', ' \t \r\nPING\r\n'],
  ['vertical tab is not a separator unquoted', 'PING\x0ba\r\n'],
  ['leading vertical tab is skipped', '\x0bPING\r\n'],
  ['NUL before the newline stalls an inline line', 'PING a\x00b c\r\n'],
  ['NUL stalls until the inline limit', 'PING a\x00' + 'b'.repeat(70_000) + '\r\n'],
  ['CR CR LF', 'PING\r\r\n'],
  ['binary bytes inline', 'PING \xff\xfe\r\n'],
  ['empty quoted argument', 'PING ""\r\n'],
  ['inline SET then GET', 'SET k "a b"\r\nGET k\r\n'],
  ['inline pipeline', 'PING\r\nPING x\r\nPING\r\n'],
  ['inline unknown command', 'NOSUCH a b\r\n'],
  ['plus sign is inline', '+PING\r\n'],
  ['too big inline request', 'A'.repeat(70_000)],
  ['big inline under the limit', 'PING ' + 'b'.repeat(60_000) + '\r\n'],
  ['inline split across reads', ['PI', 'NG', ' a', '\r', '\n']],
];

const multibulk: [string, Input][] = [
  ['multibulk PING', cmd('PING')],
  ['multibulk with argument', cmd('PING', 'a\r\nb')],
  ['null multibulk is skipped', '*-1\r\n' + cmd('PING')],
  ['empty multibulk is skipped', '*0\r\n' + cmd('PING')],
  ['very negative multibulk count', '*-100\r\n' + cmd('PING')],
  ['multibulk count -9223372036854775808', '*-9223372036854775808\r\n' + cmd('PING')],
  ['multibulk count beyond 64 bits', '*-9223372036854775809\r\n'],
  ['non-numeric multibulk count', '*abc\r\n'],
  ['empty multibulk count', '*\r\n'],
  ['leading zero in multibulk count', '*01\r\n$4\r\nPING\r\n'],
  ['plus sign in multibulk count', '*+1\r\n$4\r\nPING\r\n'],
  ['multibulk count -0', '*-0\r\n'],
  ['multibulk count beyond INT_MAX', '*2147483648\r\n'],
  ['multibulk count INT_MAX waits', '*2147483647\r\n'],
  ['expected $', '*1\r\n+PING\r\n'],
  ['expected $, got a digit', '*2\r\n$4\r\nPING\r\n4\r\n'],
  ['negative bulk length', '*1\r\n$-1\r\n'],
  ['non-numeric bulk length', '*1\r\n$abc\r\n'],
  ['empty bulk length', '*1\r\n$\r\n'],
  ['bulk length beyond proto-max-bulk-len', '*1\r\n$536870913\r\n'],
  ['bulk length at proto-max-bulk-len waits', '*1\r\n$536870912\r\n'],
  ['bytes after the bulk are not checked', '*1\r\n$4\r\nPINGxx' + cmd('PING', 'y')],
  ['incomplete bulk waits', '*1\r\n$4\r\nPING\r'],
  ['NUL before the CR of a count', '*1\x00\r\n$4\r\nPING\r\n'],
  ['too big mbulk count string', '*' + '1'.repeat(70_000)],
  ['too big bulk count string', '*1\r\n$' + '1'.repeat(70_000)],
  ['empty argument', cmd('PING', '')],
  ['binary argument', cmd('PING', '\x00\xff\r\n\xfe')],
  ['empty command name', cmd('')],
  ['commands after a protocol error are not run', cmd('PING') + '*x\r\n' + cmd('PING')],
  ['inline after multibulk', cmd('PING', 'a') + 'PING b\r\n' + cmd('PING', 'c')],
  ['multibulk split byte by byte', cmd('SET', 'k', 'value').split('').concat(cmd('GET', 'k'))],
  ['header split across reads', ['*2\r', '\n$3\r\nGE', 'T\r\n$1', '\r\nk\r\n']],
  ['big argument in pieces', (() => {
    const v = 'z'.repeat(300_000);
    const full = cmd('SET', 'big', v) + cmd('GET', 'big') + cmd('GET', 'big');
    return [full.slice(0, 20), full.slice(20, 100_000), full.slice(100_000, 250_000), full.slice(250_000)];
  })()],
  ['pipeline of 1000 commands', Array.from({ length: 1000 }, (_, i) => cmd('PING', String(i))).join('')],
  ['QUIT replies and closes, later commands are not run', cmd('PING') + cmd('QUIT') + cmd('PING')],
  ['inline QUIT', 'quit\r\nPING\r\n'],
  ['QUIT with an argument', cmd('QUIT', 'x') + cmd('PING')],
  ['pipeline with an error in the middle', cmd('SET', 'a', '1') + cmd('NOSUCH') + cmd('GET', 'a') + cmd('GET')],
];

describe('inline commands', () => {
  for (const [name, input] of inline) test(name, () => same(input));
});

describe('multibulk', () => {
  for (const [name, input] of multibulk) test(name, () => same(input));
});
