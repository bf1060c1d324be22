import { afterEach, describe, expect, test } from 'vitest';
import { Engine } from '../engine/engine.js';
import { RespClient } from '../../test/compat/harness.js';
import { serve, type ServerHandle } from './serve.js';

let handle: ServerHandle | undefined;
afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

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
});
