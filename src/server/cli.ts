/**
 * The `tabhive` command line. `tabhive serve [--port 6380] [--host 127.0.0.1]` runs the engine behind RESP
 * until interrupted. Loopback by default: there is no AUTH, so binding elsewhere is the user's explicit choice.
 *
 * RDB files (rdbfile.ts): `--rdb <file>` loads a file at start (a redis-server dump.rdb, or one tabhive
 * saved) and is where SAVE / BGSAVE write; `--dir` / `--dbfilename` name that file as redis-server's options
 * do, and it is loaded at start when it exists. Without any of them nothing is read or written.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../engine/engine.js';
import { RdbFile, loadRdbFile } from './rdbfile.js';
import { serve } from './serve.js';

const USAGE = `Usage: tabhive serve [--port <port>] [--host <address>] [--rdb <file>] [--dir <dir>] [--dbfilename <name>]

  --port <port>        TCP port to listen on (default 6380; 0 picks a free one)
  --host <address>     address to bind (default 127.0.0.1)
  --rdb <file>         load this RDB file at start (it must exist); SAVE and BGSAVE write it back
  --dir <dir>          directory of the RDB file SAVE and BGSAVE write (as redis-server's dir)
  --dbfilename <name>  name of that file (default dump.rdb); loaded at start when it exists
`;

export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
}

export interface ServeArgs {
  port: number;
  host: string;
  /** --rdb: a file to load at start. */
  rdb?: string;
  /** --dir / --dbfilename: where SAVE writes. */
  dir?: string;
  dbfilename?: string;
}

/** Parse `serve` options; returns an error text on bad input. */
export function parseServeArgs(argv: string[]): ServeArgs | string {
  let port = 6380;
  let host = '127.0.0.1';
  const files: { rdb?: string; dir?: string; dbfilename?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = () => (eq > 0 && a.startsWith('--') ? a.slice(eq + 1) : argv[++i]);
    if (name === '--port' || name === '-p') {
      const v = value();
      if (v === undefined || !/^\d+$/.test(v) || Number(v) > 65535) return `invalid port: ${v ?? '(missing)'}`;
      port = Number(v);
    } else if (name === '--host' || name === '-h') {
      const v = value();
      if (!v) return 'missing value for --host';
      host = v;
    } else if (name === '--rdb' || name === '--dir' || name === '--dbfilename') {
      const v = value();
      if (!v) return `missing value for ${name}`;
      files[name.slice(2) as 'rdb' | 'dir' | 'dbfilename'] = v;
    } else {
      return `unknown option: ${a}`;
    }
  }
  return { port, host, ...files };
}

/**
 * The engine for `serve` with its RDB file: loaded (from --rdb, or the --dir/--dbfilename file when present)
 * and attached for SAVE. undefined when no file option was given. Throws when a file cannot be loaded.
 */
export function engineWithRdb(opts: ServeArgs, io: CliIO): Engine | undefined {
  if (opts.rdb === undefined && opts.dir === undefined && opts.dbfilename === undefined) return undefined;
  const engine = new Engine();
  const target = opts.dir !== undefined || opts.dbfilename !== undefined
    ? join(opts.dir ?? '.', opts.dbfilename ?? 'dump.rdb')
    : opts.rdb!;
  const source = opts.rdb ?? (existsSync(target) ? target : undefined);
  let loaded = null;
  if (source !== undefined) {
    loaded = loadRdbFile(engine, source);
    io.out(`tabhive loaded ${source}: ${loaded.loaded} keys (${loaded.expired} expired)\n`);
    for (const w of loaded.warnings) io.out(`tabhive: ${w}\n`);
  }
  engine.persistence = new RdbFile(engine, target, loaded);
  return engine;
}

export async function main(argv: string[], io: CliIO = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    io.out(USAGE);
    return cmd === undefined ? 1 : 0;
  }
  if (cmd !== 'serve') {
    io.err(`tabhive: unknown command '${cmd}'\n${USAGE}`);
    return 1;
  }
  if (rest.includes('--help')) {
    io.out(USAGE);
    return 0;
  }
  const opts = parseServeArgs(rest);
  if (typeof opts === 'string') {
    io.err(`tabhive: ${opts}\n${USAGE}`);
    return 1;
  }
  let engine: Engine | undefined;
  try {
    engine = engineWithRdb(opts, io);
  } catch (e) {
    io.err(`tabhive: cannot load the RDB file: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  let handle;
  try {
    handle = await serve({ port: opts.port, host: opts.host, engine });
  } catch (e) {
    io.err(`tabhive: cannot listen on ${opts.host}:${opts.port}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  io.out(`tabhive listening on ${handle.host}:${handle.port}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void handle.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
