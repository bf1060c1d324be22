/**
 * The differential harness: a redis-server 7.0 (the oracle) and `tabhive serve` (in-process) side by side,
 * a small binary-safe RESP2/RESP3 client, replies parsed into a comparable tree, and the case runner that
 * compares them step by step (see case.ts for the case format).
 *
 * Rules:
 * - arguments are binary strings, sent as their latin1 bytes; bulk replies come back the same way;
 * - every case runs on a fresh connection on each side after FLUSHALL (and HELLO 3 when `resp3`);
 * - one step = one command; pushes (RESP3) that arrive before its reply belong to it; SUBSCRIBE-family
 *   commands collect one reply frame per channel argument;
 * - a mismatch is reported with the step, both replies written readably, and the steps before it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerHandle } from '../../src/server/serve.js';
import type { Case, Compare, Step, StepLike } from './case.js';

// ---- reply tree -------------------------------------------------------------------------------------------

/** A parsed reply, faithful to the wire: two replies are equal iff their trees are deep-equal. */
export type RVal =
  | { t: 'simple'; v: string }
  | { t: 'err'; v: string }
  | { t: 'int'; v: string }
  | { t: 'bulk'; v: string }
  | { t: 'nil' } // RESP2 $-1
  | { t: 'nilarr' } // RESP2 *-1
  | { t: 'null' } // RESP3 _
  | { t: 'array' | 'set' | 'push' | 'map' | 'attr'; v: RVal[] } // map/attr: flat [k1, v1, …]
  | { t: 'double'; v: string }
  | { t: 'bool'; v: boolean }
  | { t: 'verbatim'; fmt: string; v: string }
  | { t: 'bignum'; v: string }
  | { t: 'bloberr'; v: string }
  // Not on the wire: several frames for one step, the connection closed, no reply in time.
  | { t: 'frames'; v: RVal[] }
  | { t: 'closed' }
  | { t: 'timeout' }
  | { t: 'garbage'; v: string };

type Parsed = [RVal, number] | undefined;

/** Parse one reply at `pos`; undefined when incomplete. Throws on bytes that are not RESP. */
export function parseReply(b: Buffer, pos: number): Parsed {
  if (pos >= b.length) return undefined;
  const nl = b.indexOf('\r\n', pos + 1);
  if (nl < 0) return undefined;
  const type = String.fromCharCode(b[pos]);
  const line = b.toString('latin1', pos + 1, nl);
  const after = nl + 2;
  const blob = (): [string, number] | undefined => {
    const n = Number(line);
    if (b.length < after + n + 2) return undefined;
    return [b.toString('latin1', after, after + n), after + n + 2];
  };
  const aggregate = (t: 'array' | 'set' | 'push' | 'map' | 'attr', n: number): Parsed => {
    const v: RVal[] = [];
    let p = after;
    for (let i = 0; i < n; i++) {
      const r = parseReply(b, p);
      if (r === undefined) return undefined;
      v.push(r[0]);
      p = r[1];
    }
    return [{ t, v }, p];
  };
  switch (type) {
    case '+':
      return [{ t: 'simple', v: line }, after];
    case '-':
      return [{ t: 'err', v: line }, after];
    case ':':
      return [{ t: 'int', v: line }, after];
    case ',':
      return [{ t: 'double', v: line }, after];
    case '(':
      return [{ t: 'bignum', v: line }, after];
    case '#':
      return [{ t: 'bool', v: line === 't' }, after];
    case '_':
      return [{ t: 'null' }, after];
    case '$': {
      if (line === '-1') return [{ t: 'nil' }, after];
      const r = blob();
      return r && [{ t: 'bulk', v: r[0] }, r[1]];
    }
    case '!': {
      const r = blob();
      return r && [{ t: 'bloberr', v: r[0] }, r[1]];
    }
    case '=': {
      const r = blob();
      return r && [{ t: 'verbatim', fmt: r[0].slice(0, 3), v: r[0].slice(4) }, r[1]];
    }
    case '*':
      if (line === '-1') return [{ t: 'nilarr' }, after];
      return aggregate('array', Number(line));
    case '~':
      return aggregate('set', Number(line));
    case '>':
      return aggregate('push', Number(line));
    case '%':
      return aggregate('map', Number(line) * 2);
    case '|':
      return aggregate('attr', Number(line) * 2);
    default:
      throw new Error(`not RESP: ${JSON.stringify(b.toString('latin1', pos, Math.min(b.length, pos + 40)))}`);
  }
}

/** A binary string written readably: printable ASCII as is, other bytes as \xHH, in double quotes. */
export function quote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 92) out += '\\' + s[i];
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c >= 32 && c < 127) out += s[i];
    else out += '\\x' + c.toString(16).padStart(2, '0');
  }
  return out + '"';
}

/** A status or error line: as is when printable, else escaped like a bulk string (without quotes). */
function bare(s: string): string {
  return /^[\x20-\x7e]*$/.test(s) ? s : quote(s).slice(1, -1);
}

/** One reply on one line, close to its wire form: +OK, -ERR …, :5, "bulk", $-1, [a, b], %{k: v} … */
export function show(r: RVal, max = 2000): string {
  const s = showFull(r);
  return s.length > max ? s.slice(0, max) + `… (${s.length} chars)` : s;
}

function showFull(r: RVal): string {
  switch (r.t) {
    case 'simple':
      return '+' + bare(r.v);
    case 'err':
      return '-' + bare(r.v);
    case 'int':
      return ':' + r.v;
    case 'bulk':
      return quote(r.v);
    case 'nil':
      return '$-1';
    case 'nilarr':
      return '*-1';
    case 'null':
      return '_';
    case 'double':
      return ',' + r.v;
    case 'bool':
      return r.v ? '#t' : '#f';
    case 'bignum':
      return '(' + r.v;
    case 'bloberr':
      return '!' + quote(r.v);
    case 'verbatim':
      return `=${r.fmt}:${quote(r.v)}`;
    case 'array':
      return '[' + r.v.map(showFull).join(', ') + ']';
    case 'set':
      return '~{' + r.v.map(showFull).join(', ') + '}';
    case 'push':
      return '>[' + r.v.map(showFull).join(', ') + ']';
    case 'frames':
      return 'frames(' + r.v.map(showFull).join(' ; ') + ')';
    case 'map':
    case 'attr': {
      const parts: string[] = [];
      for (let i = 0; i < r.v.length; i += 2) parts.push(showFull(r.v[i]) + ': ' + showFull(r.v[i + 1]));
      return (r.t === 'map' ? '%{' : '|{') + parts.join(', ') + '}';
    }
    case 'closed':
      return '(connection closed)';
    case 'timeout':
      return '(no reply)';
    case 'garbage':
      return `(not RESP: ${quote(r.v)})`;
  }
}

export function showArgs(args: readonly string[]): string {
  return args.map((a) => (/^[\x21-\x7e]+$/.test(a) && !a.includes('"') ? a : quote(a))).join(' ');
}

// ---- client -----------------------------------------------------------------------------------------------

/** RESP request bytes for argv (binary strings). */
export function encodeCommand(args: readonly string[]): Buffer {
  let s = '*' + args.length + '\r\n';
  for (const a of args) s += '$' + a.length + '\r\n' + a + '\r\n';
  return Buffer.from(s, 'latin1');
}

const SUBSCRIBE_FAMILY = new Set(['subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe', 'punsubscribe', 'sunsubscribe']);

/** A minimal RESP client: binary-safe, pipelining, frames delivered in order, raw bytes kept on request. */
export class RespClient {
  private buf: Buffer = Buffer.alloc(0);
  private readonly frames: RVal[] = [];
  private waiter: (() => void) | null = null;
  private raw: Buffer[] = [];
  closed = false;
  /** Keep every byte received (for protocol tests); off by default. */
  keepRaw = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      if (this.keepRaw) this.raw.push(chunk);
      this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
      let pos = 0;
      for (;;) {
        let r: Parsed;
        try {
          r = parseReply(this.buf, pos);
        } catch (e) {
          if (this.keepRaw) break; // raw mode: bytes are compared as they are
          // Not RESP: report it as this step's reply and stop reading (the stream cannot be resynchronised).
          this.frames.push({ t: 'garbage', v: this.buf.toString('latin1', pos, Math.min(this.buf.length, pos + 200)) });
          this.buf = Buffer.alloc(0);
          pos = 0;
          this.socket.destroy();
          break;
        }
        if (r === undefined) break;
        this.frames.push(r[0]);
        pos = r[1];
      }
      this.buf = this.buf.subarray(pos);
      this.wake();
    });
    const onClose = () => {
      this.closed = true;
      this.wake();
    };
    socket.on('close', onClose);
    socket.on('end', onClose);
    socket.on('error', onClose);
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const s = createConnection({ port, host, noDelay: true }, () => {
        s.off('error', reject);
        resolve(new RespClient(s));
      });
      s.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  /** Wait until something arrives, the connection closes, or `ms` pass. */
  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.waiter = null;
        resolve();
      }, ms);
      this.waiter = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  /** The next reply frame, or {t:'closed'} / {t:'timeout'}. */
  async frame(timeoutMs = 3000): Promise<RVal> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const f = this.frames.shift();
      if (f !== undefined) return f;
      if (this.closed) return { t: 'closed' };
      const left = deadline - Date.now();
      if (left <= 0) return { t: 'timeout' };
      await this.wait(left);
    }
  }

  write(data: Buffer | string): void {
    if (!this.closed) this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  send(args: readonly string[]): void {
    this.write(encodeCommand(args));
  }

  /**
   * Run one command and return its reply. Pushes arriving before the reply are folded in ({t:'frames'});
   * a SUBSCRIBE-family command returns one frame per channel argument (or, without arguments, every
   * frame that arrives until the line is quiet).
   */
  async call(args: readonly string[], timeoutMs = 3000): Promise<RVal> {
    this.send(args);
    const name = (args[0] ?? '').toLowerCase();
    const got: RVal[] = [];
    if (SUBSCRIBE_FAMILY.has(name)) {
      const n = args.length - 1;
      got.push(await this.frame(timeoutMs));
      if (n > 0) {
        while (got.length < n && !isEnd(got[got.length - 1])) got.push(await this.frame(timeoutMs));
      } else {
        for (;;) {
          const f = await this.frame(50);
          if (f.t === 'timeout') break;
          got.push(f);
          if (f.t === 'closed') break;
        }
      }
    } else {
      for (;;) {
        const f = await this.frame(timeoutMs);
        got.push(f);
        if (f.t !== 'push') break;
      }
    }
    return got.length === 1 ? got[0] : { t: 'frames', v: got };
  }

  /** Every frame left (pushes sent after the last reply), waiting `quietMs` for stragglers. */
  async drain(quietMs = 0): Promise<RVal[]> {
    const out: RVal[] = [];
    for (;;) {
      const f = await this.frame(quietMs);
      if (f.t === 'timeout' || f.t === 'closed') return out;
      out.push(f);
    }
  }

  /** Raw bytes received so far (keepRaw), waiting until the server closes or is quiet for `quietMs`. */
  async rawReply(quietMs = 150, maxMs = 5000): Promise<{ bytes: string; closed: boolean }> {
    const deadline = Date.now() + maxMs;
    let seen = -1;
    while (Date.now() < deadline && !this.closed) {
      const n = this.raw.reduce((a, b) => a + b.length, 0);
      if (n === seen) break;
      seen = n;
      await this.wait(quietMs);
    }
    // A server closing right after its reply: give the close a moment to be seen.
    if (!this.closed) await this.wait(quietMs);
    const bytes = Buffer.concat(this.raw).toString('latin1');
    this.raw = [];
    this.frames.length = 0;
    return { bytes, closed: this.closed };
  }

  close(): void {
    this.socket.destroy();
    this.closed = true;
  }
}

function isEnd(r: RVal): boolean {
  return r.t === 'closed' || r.t === 'timeout' || r.t === 'err';
}

// ---- servers ----------------------------------------------------------------------------------------------

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export function redisServerPath(): string {
  if (process.env.REDIS_SERVER) return process.env.REDIS_SERVER;
  return existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : 'redis-server';
}

/** redis-check-rdb (Debian ships it beside redis-server; REDIS_CHECK_RDB overrides). */
export function redisCheckRdbPath(): string {
  if (process.env.REDIS_CHECK_RDB) return process.env.REDIS_CHECK_RDB;
  return existsSync('/usr/bin/redis-check-rdb') ? '/usr/bin/redis-check-rdb' : 'redis-check-rdb';
}

/**
 * Run redis-check-rdb on the file at `path`: `ok` when it exited 0 having printed its verdict, "\o/ RDB looks
 * OK! \o/"; `output` is everything it printed.
 */
export function checkRdb(path: string): { ok: boolean; output: string } {
  const r = spawnSync(redisCheckRdbPath(), [path], { encoding: 'utf8', timeout: 60_000 });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`;
  return { ok: r.status === 0 && output.includes('\\o/ RDB looks OK! \\o/'), output };
}

export interface RedisProcess {
  port: number;
  stop(): Promise<void>;
}

/**
 * redis-server runs under a small sh wrapper that kills it when our end of the wrapper's stdin closes: on
 * stop(), and also when this process dies without cleaning up (a killed test run), so no server outlives it.
 */
const WATCHDOG = [
  'exec 3<&0',
  '"$@" </dev/null 3<&- & r=$!',
  '{ read _ <&3; kill -9 $r 2>/dev/null; } &',
  'w=$!',
  'exec 3<&-',
  'wait $r',
  'kill $w 2>/dev/null',
].join('\n');

/** Start a throwaway redis-server on a free loopback port (no persistence), wait until it answers PING. */
export async function startRedis(extraArgs: string[] = []): Promise<RedisProcess> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'tabhive-redis-'));
    const child: ChildProcess = spawn(
      'sh',
      ['-c', WATCHDOG, 'sh', redisServerPath(),
        '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no',
        '--dir', dir, '--logfile', '', '--loglevel', 'warning', ...extraArgs],
      { stdio: ['pipe', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    let exited = false;
    child.on('exit', () => (exited = true));
    const stop = () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (exited) return done();
        child.once('exit', done);
        child.stdin!.destroy(); // the watchdog kills redis-server, then the wrapper exits
      });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !exited) {
      try {
        const c = await RespClient.connect(port);
        const r = await c.call(['PING'], 1000);
        c.close();
        if (r.t === 'simple') return { port, stop };
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    await stop();
    if (attempt >= 2) throw new Error(`redis-server did not start on port ${port}: ${stderr}`);
  }
}

export async function startTabhive(): Promise<ServerHandle> {
  return serve({ port: 0, host: '127.0.0.1' });
}

export interface Servers {
  redis: RedisProcess;
  tabhive: ServerHandle;
  stop(): Promise<void>;
}

export async function startServers(): Promise<Servers> {
  const [redis, tabhive] = await Promise.all([startRedis(), startTabhive()]);
  return {
    redis,
    tabhive,
    stop: async () => {
      await Promise.all([redis.stop(), tabhive.close()]);
    },
  };
}

// ---- comparison -------------------------------------------------------------------------------------------

export function normalizeStep(s: StepLike): Step {
  return Array.isArray(s) ? { args: s } : s;
}

function eq(a: RVal, b: RVal): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The unordered elements of an aggregate: a map's are its key-value pairs. */
function items(r: RVal): RVal[] | null {
  if (r.t === 'map') {
    const out: RVal[] = [];
    for (let i = 0; i < r.v.length; i += 2) out.push({ t: 'array', v: [r.v[i], r.v[i + 1]] });
    return out;
  }
  return r.t === 'array' || r.t === 'set' ? r.v : null;
}

/** Compare two replies under a mode; null when they agree, else a reason. (SCAN is handled by the runner.) */
export function compare(cmp: Compare, args: readonly string[], a: RVal, b: RVal): string | null {
  switch (cmp) {
    case 'ignore':
      return null;
    case 'exact':
    case 'scan':
      return eq(a, b) ? null : 'replies differ';
    case 'set': {
      const ia = items(a);
      const ib = items(b);
      if (ia === null || ib === null || a.t !== b.t) return eq(a, b) ? null : 'replies differ';
      const sa = ia.map((x) => JSON.stringify(x)).sort();
      const sb = ib.map((x) => JSON.stringify(x)).sort();
      return JSON.stringify(sa) === JSON.stringify(sb) ? null : 'replies differ (as sets)';
    }
    case 'ttl': {
      if (a.t !== 'int' || b.t !== 'int') return eq(a, b) ? null : 'replies differ';
      const x = BigInt(a.v);
      const y = BigInt(b.v);
      if (x < 0n || y < 0n) return x === y ? null : 'replies differ';
      const tol = /^p/i.test(args[0] ?? '') ? 50n : 1n;
      const d = x > y ? x - y : y - x;
      return d <= tol ? null : `differ by more than ${tol}`;
    }
    case 'type':
      if (a.t !== b.t) return 'reply types differ';
      if (a.t === 'err' && !eq(a, b)) return 'errors differ';
      return null;
  }
}

/** Where the cursor is in a SCAN-family command. */
function cursorIndex(args: readonly string[]): number {
  return (args[0] ?? '').toLowerCase() === 'scan' ? 1 : 2;
}

/**
 * Iterate a SCAN-family command to cursor 0 and return the union of its items (pairs for HSCAN/ZSCAN),
 * or the first reply itself when it is not a [cursor, items] reply (an error …).
 */
export async function scanAll(client: RespClient, args: readonly string[]): Promise<RVal> {
  const ci = cursorIndex(args);
  const cmd = (args[0] ?? '').toLowerCase();
  const pairs = cmd === 'hscan' || cmd === 'zscan';
  const seen = new Map<string, RVal>();
  let cur = [...args];
  for (let i = 0; i < 100_000; i++) {
    const r = await client.call(cur);
    if (r.t !== 'array' || r.v.length !== 2 || r.v[0].t !== 'bulk' || r.v[1].t !== 'array') return r;
    const its = r.v[1].v;
    const step = pairs ? 2 : 1;
    for (let j = 0; j < its.length; j += step) {
      const item: RVal = pairs ? { t: 'array', v: [its[j], its[j + 1]] } : its[j];
      seen.set(JSON.stringify(item), item);
    }
    const next = r.v[0].v;
    if (next === '0') break;
    cur = [...args];
    cur[ci] = next;
  }
  const v = [...seen.entries()].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)).map((e) => e[1]);
  return { t: 'set', v };
}

// ---- case runner ------------------------------------------------------------------------------------------

export interface Mismatch {
  index: number;
  args: string[];
  cmp: Compare;
  redis: RVal;
  tabhive: RVal;
  reason: string;
}

export interface CaseResult {
  mismatches: Mismatch[];
  /** Every step's replies, for the report. */
  log: { args: string[]; redis: RVal; tabhive: RVal }[];
}

async function freshClient(port: number, resp3: boolean, tabhive?: ServerHandle): Promise<RespClient> {
  const c = await RespClient.connect(port);
  const flushed = await c.call(['FLUSHALL']);
  // Until FLUSHALL exists in tabhive, reset its keyspace directly: the case must start empty either way.
  if (tabhive && flushed.t === 'err') for (const db of tabhive.engine.dbs) db.clear();
  if (resp3) await c.call(['HELLO', '3']);
  const sel = await c.call(['SELECT', '0']);
  void sel;
  return c;
}

/** Run a case on both servers, comparing step by step; stops collecting after `maxMismatches`. */
export async function runCase(servers: Servers, c: Case, maxMismatches = 5): Promise<CaseResult> {
  const resp3 = !!c.resp3;
  const [r, t] = await Promise.all([
    freshClient(servers.redis.port, resp3),
    freshClient(servers.tabhive.port, resp3, servers.tabhive),
  ]);
  const result: CaseResult = { mismatches: [], log: [] };
  // Extra connections (step.conn > 0), opened on first use without flushing.
  const rs: RespClient[] = [r];
  const ts: RespClient[] = [t];
  const conn = async (n: number): Promise<[RespClient, RespClient]> => {
    if (rs[n] === undefined) {
      [rs[n], ts[n]] = await Promise.all([RespClient.connect(servers.redis.port), RespClient.connect(servers.tabhive.port)]);
      if (resp3) await Promise.all([rs[n].call(['HELLO', '3']), ts[n].call(['HELLO', '3'])]);
    }
    return [rs[n], ts[n]];
  };
  try {
    for (let i = 0; i < c.steps.length; i++) {
      const st = normalizeStep(c.steps[i]);
      const cmp = st.cmp ?? 'exact';
      const [rc, tc] = await conn(st.conn ?? 0);
      let a: RVal;
      let b: RVal;
      if (st.pauseMs !== undefined) {
        await new Promise((res) => setTimeout(res, st.pauseMs));
        a = b = { t: 'simple', v: '(paused)' } as RVal;
      } else if (st.read) {
        [a, b] = await Promise.all([rc.frame(1000), tc.frame(1000)]);
      } else if (st.drain) {
        const [fa, fb] = await Promise.all([rc.drain(50), tc.drain(50)]);
        a = { t: 'frames', v: fa };
        b = { t: 'frames', v: fb };
      } else if (st.noWait) {
        rc.send(st.args);
        tc.send(st.args);
        // Let both servers take it in before the next step (which may be the write that wakes it). The
        // connection itself can't be pinged — a blocked client answers nothing else — so give it a moment.
        await new Promise((res) => setTimeout(res, 50));
        a = b = { t: 'simple', v: '(sent)' } as RVal;
      } else {
        [a, b] =
          cmp === 'scan'
            ? await Promise.all([scanAll(rc, st.args), scanAll(tc, st.args)])
            : await Promise.all([rc.call(st.args), tc.call(st.args)]);
      }
      result.log.push({ args: st.args, redis: a, tabhive: b });
      const reason = compare(cmp, st.args, a, b);
      if (reason !== null) {
        result.mismatches.push({ index: i, args: st.args, cmp, redis: a, tabhive: b, reason });
        if (result.mismatches.length >= maxMismatches) break;
      }
    }
    // Pushes sent after the last reply must agree too.
    const [ra, tb] = await Promise.all([r.drain(), t.drain()]);
    if (ra.length || tb.length) {
      const a: RVal = { t: 'frames', v: ra };
      const b: RVal = { t: 'frames', v: tb };
      if (!eq(a, b)) {
        result.mismatches.push({ index: c.steps.length, args: ['(after the last step)'], cmp: 'exact', redis: a, tabhive: b, reason: 'trailing frames differ' });
      }
    }
  } finally {
    for (const x of [...rs, ...ts]) x?.close();
  }
  return result;
}

/** A readable report of a case's mismatches: each step, both replies, and the steps leading to the first. */
export function formatMismatches(c: Case, res: CaseResult, context = 8): string {
  const lines: string[] = [`case "${c.name}"${c.resp3 ? ' (RESP3)' : ''}: ${res.mismatches.length} mismatch(es)`];
  const first = res.mismatches[0];
  if (first) {
    const from = Math.max(0, first.index - context);
    if (first.index > 0) lines.push('  steps before:');
    for (let i = from; i < first.index && i < res.log.length; i++) {
      lines.push(`    #${i} ${showArgs(res.log[i].args)} → ${show(res.log[i].redis, 200)}`);
    }
  }
  for (const m of res.mismatches) {
    lines.push(`  step #${m.index} [${m.cmp}] ${showArgs(m.args)}: ${m.reason}`);
    lines.push(`    redis:   ${show(m.redis)}`);
    lines.push(`    tabhive: ${show(m.tabhive)}`);
  }
  return lines.join('\n');
}
