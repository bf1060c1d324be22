import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { RespClient } from '../../test/compat/harness.js';
import { Engine } from '../engine/engine.js';
import { exportRdb } from '../engine/rdb.js';
import { engineWithRdb, parseServeArgs, type CliIO } from './cli.js';
import { serve, type ServerHandle } from './serve.js';

let dir: string;
let handle: ServerHandle | undefined;
const out: string[] = [];
const io: CliIO = { out: (s) => void out.push(s), err: (s) => void out.push(s) };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tabhive-rdbfile-'));
  out.length = 0;
});
afterEach(async () => {
  await handle?.close();
  handle = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('tabhive serve and RDB files', () => {
  test('parses --rdb, --dir and --dbfilename', () => {
    expect(parseServeArgs(['--rdb', 'a.rdb', '--dir=/tmp', '--dbfilename', 'x.rdb'])).toEqual({
      port: 6380, host: '127.0.0.1', rdb: 'a.rdb', dir: '/tmp', dbfilename: 'x.rdb',
    });
    expect(parseServeArgs(['--rdb'])).toBe('missing value for --rdb');
    expect(engineWithRdb({ port: 0, host: '' }, io)).toBe(undefined);
  });

  test('--rdb loads a file at start; a missing or corrupt one is an error', () => {
    const src = new Engine();
    src.execute(src.createSession(), ['SET', 'k', 'from the file']);
    writeFileSync(join(dir, 'in.rdb'), exportRdb(src));
    const engine = engineWithRdb({ port: 0, host: '', rdb: join(dir, 'in.rdb') }, io)!;
    expect(engine.execute(engine.createSession(), ['GET', 'k'])).toBe('from the file');
    expect(out.join('')).toContain('1 keys');
    expect(() => engineWithRdb({ port: 0, host: '', rdb: join(dir, 'nope.rdb') }, io)).toThrow();
    writeFileSync(join(dir, 'bad.rdb'), 'REDIS0010garbage');
    expect(() => engineWithRdb({ port: 0, host: '', rdb: join(dir, 'bad.rdb') }, io)).toThrow(/opcode|EOF/);
  });

  test('SAVE and BGSAVE write --dir/--dbfilename, which the next start loads', async () => {
    const engine = engineWithRdb({ port: 0, host: '', dir, dbfilename: 'db.rdb' }, io)!;
    handle = await serve({ port: 0, engine });
    const c = await RespClient.connect(handle.port);
    await c.call(['SET', 'a', '1']);
    await c.call(['RPUSH', 'l', 'x', 'y']);
    await c.call(['SET', 't', 'v', 'EX', '1000']);
    expect(await c.call(['SAVE'])).toEqual({ t: 'simple', v: 'OK' });
    expect(existsSync(join(dir, 'db.rdb'))).toBe(true);
    expect(readdirSync(dir)).toEqual(['db.rdb']);
    const info = await c.call(['INFO', 'persistence']);
    expect((info as { v: string }).v).toContain('rdb_changes_since_last_save:0');
    expect((info as { v: string }).v).toContain('rdb_saves:1');
    await c.call(['SET', 'b', '2']);
    expect(await c.call(['BGSAVE'])).toEqual({ t: 'simple', v: 'Background saving started' });
    for (let i = 0; i < 100 && engine.persistence!.bgsaveInProgress; i++) await new Promise((r) => setTimeout(r, 10));
    c.close();

    const again = engineWithRdb({ port: 0, host: '', dir, dbfilename: 'db.rdb' }, io)!;
    const s = again.createSession();
    expect(again.execute(s, ['MGET', 'a', 'b'])).toEqual(['1', '2']);
    expect(again.execute(s, ['LRANGE', 'l', '0', '-1'])).toEqual(['x', 'y']);
    expect(again.execute(s, ['TTL', 't'])).toBeGreaterThan(990);
  });

  test('a failed save says ERR and shows in INFO', async () => {
    const engine = engineWithRdb({ port: 0, host: '', dir: join(dir, 'missing-dir') }, io)!;
    handle = await serve({ port: 0, engine });
    const c = await RespClient.connect(handle.port);
    expect(await c.call(['SAVE'])).toEqual({ t: 'err', v: 'ERR' });
    const info = await c.call(['INFO', 'persistence']);
    expect((info as { v: string }).v).toContain('rdb_last_bgsave_status:err');
    expect(await c.call(['SET', 'k', 'v'])).toEqual({ t: 'simple', v: 'OK' });
    c.close();
  });
});
