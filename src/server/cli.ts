/**
 * The `tabhive` command line. `tabhive serve [--port 6380] [--host 127.0.0.1]` runs the engine behind RESP
 * until interrupted. Loopback by default: there is no AUTH, so binding elsewhere is the user's explicit choice.
 */
import { serve } from './serve.js';

const USAGE = `Usage: tabhive serve [--port <port>] [--host <address>]

  --port <port>     TCP port to listen on (default 6380; 0 picks a free one)
  --host <address>  address to bind (default 127.0.0.1)
`;

export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** Parse `serve` options; returns an error text on bad input. */
export function parseServeArgs(argv: string[]): { port: number; host: string } | string {
  let port = 6380;
  let host = '127.0.0.1';
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
    } else {
      return `unknown option: ${a}`;
    }
  }
  return { port, host };
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
  let handle;
  try {
    handle = await serve(opts);
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
