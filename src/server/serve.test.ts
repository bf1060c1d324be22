import { createConnection, Socket } from 'node:net';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { Engine } from '../engine/engine.js';
import { RespClient } from '../../test/compat/harness.js';
import { RequestParser } from './resp.js';
import { serve, type ServerHandle } from './serve.js';

let handle: ServerHandle | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await handle?.close();
  handle = undefined;
});

const cmd = (...args: string[]) => `*${args.length}\r\n` + args.map((a) => `$${a.length}\r\n${a}\r\n`).join('');
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A bare socket that keeps every byte received (binary string), for byte-exact checks. */
async function rawClient(port: number): Promise<{ socket: Socket; received: () => string; until: (n: number) => Promise<string> }> {
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = createConnection({ port, host: '127.0.0.1', noDelay: true }, () => resolve(s));
    s.once('error', reject);
  });
  let got = '';
  let wake: (() => void) | null = null;
  socket.on('data', (b: Buffer) => {
    got += b.toString('latin1');
    wake?.();
  });
  socket.on('close', () => wake?.());
  return {
    socket,
    received: () => got,
    /** Wait until n bytes have arrived (or 3 s, or a close), and return them all. */
    async until(n) {
      const deadline = Date.now() + 3000;
      while (got.length < n && !socket.destroyed && Date.now() < deadline) {
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 50);
        });
        wake = null;
      }
      return got;
    },
  };
}

/** Record what the server writes to its sockets (those whose local port is the server's), by socket. */
function recordServerWrites(port: number): Map<Socket, string[]> {
  const writes = new Map<Socket, string[]>();
  const original = Socket.prototype.write;
  vi.spyOn(Socket.prototype, 'write').mockImplementation(function (this: Socket, ...args: unknown[]) {
    if (this.localPort === port) {
      const data = args[0] as string | Buffer;
      const list = writes.get(this) ?? [];
      list.push(typeof data === 'string' ? data : data.toString('latin1'));
      writes.set(this, list);
    }
    return (original as (...a: unknown[]) => boolean).apply(this, args);
  });
  return writes;
}

describe('serve', () => {
  test('binds to a free port on loopback and answers', async () => {
    handle = await serve({ port: 0 });
    expect(handle.host).toBe('127.0.0.1');
    const c = await RespClient.connect(handle.port);
    expect(await c.call(['SET', 'k', '\xff'])).toEqual({ t: 'simple', v: 'OK' });
    expect(await c.call(['GET', 'k'])).toEqual({ t: 'bulk', v: '\xff' });
    c.close();
  });

  test('one session per connection, closed with the connection', async () => {
    const engine = new Engine();
    handle = await serve({ port: 0, engine });
    const a = await RespClient.connect(handle.port);
    const b = await RespClient.connect(handle.port);
    await a.call(['SELECT', '1']);
    await a.call(['SET', 'k', 'one']);
    expect(await b.call(['GET', 'k'])).toEqual({ t: 'nil' });
    expect(engine.sessions.size).toBe(2);
    a.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(engine.sessions.size).toBe(1);
    b.close();
  });

  test('a publish from another connection reaches a subscriber', async () => {
    handle = await serve({ port: 0 });
    const sub = await RespClient.connect(handle.port);
    const pub = await RespClient.connect(handle.port);
    expect(await sub.call(['SUBSCRIBE', 'ch'])).toEqual({ t: 'array', v: [{ t: 'bulk', v: 'subscribe' }, { t: 'bulk', v: 'ch' }, { t: 'int', v: '1' }] });
    expect(await pub.call(['PUBLISH', 'ch', 'hi'])).toEqual({ t: 'int', v: '1' });
    expect(await sub.frame()).toEqual({ t: 'array', v: [{ t: 'bulk', v: 'message' }, { t: 'bulk', v: 'ch' }, { t: 'bulk', v: 'hi' }] });
    sub.close();
    pub.close();
  });

  test('active expiry runs on its own', async () => {
    const engine = new Engine({ config: { hz: '100' } });
    handle = await serve({ port: 0, engine });
    const c = await RespClient.connect(handle.port);
    for (let i = 0; i < 50; i++) await c.call(['SET', `k${i}`, 'v', 'PX', '1']);
    await new Promise((r) => setTimeout(r, 300));
    // Nothing read the keys: only the expiry cycle can have reclaimed them.
    expect(engine.dbs[0].size).toBe(0);
    c.close();
  });

  test('QUIT closes after its reply', async () => {
    handle = await serve({ port: 0 });
    const c = await RespClient.connect(handle.port);
    c.keepRaw = true;
    c.write('*1\r\n$4\r\nQUIT\r\n*1\r\n$4\r\nPING\r\n');
    expect(await c.rawReply(50)).toEqual({ bytes: '+OK\r\n', closed: true });
  });

  test('a pipeline split across two TCP writes at any byte answers the same', async () => {
    handle = await serve({ port: 0 });
    const wire = cmd('SET', 'k', 'v\r\n') + cmd('GET', 'k') + 'PING "a b"\r\n' + cmd('EXISTS', 'k', 'nokey') + cmd('PING');
    const expected = '+OK\r\n$3\r\nv\r\n\r\n$3\r\na b\r\n:1\r\n+PONG\r\n';
    const bytes = Buffer.from(wire, 'latin1');
    for (let i = 1; i < bytes.length; i++) {
      const c = await rawClient(handle.port);
      c.socket.write(bytes.subarray(0, i));
      await pause(2);
      c.socket.write(bytes.subarray(i));
      expect(await c.until(expected.length), `split at ${i}`).toBe(expected);
      c.socket.destroy();
    }
  });

  test('replies are written once per read, in order, around a command that blocks', async () => {
    handle = await serve({ port: 0 });
    const writes = recordServerWrites(handle.port);
    const a = await rawClient(handle.port);
    const b = await rawClient(handle.port);
    // One read: a reply, a blocking command, and two requests that must wait for it.
    a.socket.write(cmd('SET', 'a', '1') + cmd('BLPOP', 'l', '0') + cmd('GET', 'a') + cmd('PING'));
    expect(await a.until(5)).toBe('+OK\r\n');
    // Requests arriving while blocked queue up behind it too.
    a.socket.write(cmd('PING', 'later'));
    await pause(50);
    expect(a.received()).toBe('+OK\r\n');
    b.socket.write(cmd('RPUSH', 'l', 'x'));
    expect(await b.until(4)).toBe(':1\r\n');
    const rest = '*2\r\n$1\r\nl\r\n$1\r\nx\r\n$1\r\n1\r\n+PONG\r\n$5\r\nlater\r\n';
    expect(await a.until(5 + rest.length)).toBe('+OK\r\n' + rest);
    const toA = [...writes].find(([, w]) => w[0] === '+OK\r\n')![1];
    // The replies before the block went out at once, alone; everything after the unblock went in one write.
    expect(toA).toEqual(['+OK\r\n', rest]);
    a.socket.destroy();
    b.socket.destroy();
  });

  test('a long pipeline is answered with no more writes than reads', async () => {
    handle = await serve({ port: 0 });
    const writes = recordServerWrites(handle.port);
    const feed = vi.spyOn(RequestParser.prototype, 'feed');
    const c = await rawClient(handle.port);
    const n = 2000;
    c.socket.write(Array.from({ length: n }, (_, i) => cmd('PING', String(i % 10))).join(''));
    const expected = Array.from({ length: n }, (_, i) => `$1\r\n${i % 10}\r\n`).join('');
    expect(await c.until(expected.length)).toBe(expected);
    const w = [...writes.values()][0];
    expect(w.join('')).toBe(expected);
    expect(w.length).toBeLessThanOrEqual(feed.mock.calls.length);
    c.socket.destroy();
  });

  test('CLIENT KILL drops the other connection, and its pending replies with it', async () => {
    handle = await serve({ port: 0 });
    const a = await rawClient(handle.port);
    const b = await rawClient(handle.port);
    a.socket.write(cmd('CLIENT', 'ID'));
    const idLine = await a.until(3);
    const id = /^:(\d+)\r\n$/.exec(idLine)![1];
    a.socket.write(cmd('BLPOP', 'nothing', '0'));
    await pause(20);
    b.socket.write(cmd('CLIENT', 'KILL', 'ID', id) + cmd('PING'));
    expect(await b.until(11)).toBe(':1\r\n+PONG\r\n');
    await a.until(1_000_000);
    expect(a.socket.destroyed || a.socket.readableEnded).toBe(true);
    expect(a.received()).toBe(idLine);
    b.socket.destroy();
  });

  test('a protocol error is answered after the replies before it, then the connection closes', async () => {
    handle = await serve({ port: 0 });
    const c = await rawClient(handle.port);
    c.socket.write(cmd('PING') + '*1\r\n$x\r\n' + cmd('PING'));
    const expected = '+PONG\r\n-ERR Protocol error: invalid bulk length\r\n';
    expect(await c.until(1_000_000)).toBe(expected);
    expect(c.socket.destroyed || c.socket.readableEnded).toBe(true);
  });

  test('a client that shuts its side down after its requests still gets every reply', async () => {
    handle = await serve({ port: 0 });
    for (const n of [1, 5000]) {
      const socket = createConnection({ port: handle.port, host: '127.0.0.1', allowHalfOpen: true });
      let got = '';
      socket.on('data', (b: Buffer) => (got += b.toString('latin1')));
      const closed = new Promise((r) => socket.on('close', r));
      socket.end(cmd('PING').repeat(n));
      await closed;
      expect(got).toBe('+PONG\r\n'.repeat(n));
    }
  });
});
