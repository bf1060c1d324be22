/**
 * `tabhive serve`: the engine behind RESP on TCP, so redis-cli, redis-benchmark, client libraries and the
 * differential suite can talk to it as to redis-server.
 *
 * Rules:
 * - one engine session per connection; requests are executed in arrival order, and the replies (and any
 *   pushes the engine emits meanwhile) of one socket read are written in one write;
 * - a protocol error is replied to and the connection closed after the flush, as Redis does; so is a
 *   command that sets `closeAfterReply` on the session (QUIT);
 * - active expiry runs `hz` times a second (CONFIG SET hz takes effect at the next tick).
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Engine } from '../engine/engine.js';
import { BLOCKED } from '../engine/blocking.js';
import { findParam } from '../engine/config.js';
import { NO_REPLY, type Reply } from '../engine/reply.js';
import type { Session } from '../engine/session.js';
import { encodeError, encodeReply, RequestParser } from './resp.js';

export interface ServeOptions {
  port?: number;
  host?: string;
  engine?: Engine;
}

export interface ServerHandle {
  readonly engine: Engine;
  readonly host: string;
  /** The bound port (useful with `port: 0`). */
  readonly port: number;
  /** Stop listening, close every connection and the expiry timer. */
  close(): Promise<void>;
}


export async function serve(opts: ServeOptions = {}): Promise<ServerHandle> {
  const engine = opts.engine ?? new Engine();
  const host = opts.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const server: Server = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    handleConnection(engine, socket);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 6380, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = () => {
    engine.activeExpireCycle();
    timer = setTimeout(tick, 1000 / Math.max(1, Math.min(500, engine.config.hz)));
    timer.unref();
  };
  timer = setTimeout(tick, 1000 / Math.max(1, Math.min(500, engine.config.hz)));
  timer.unref();

  const port = (server.address() as AddressInfo).port;
  // INFO's tcp_port and CONFIG GET port: immutable for clients, known only once listening.
  const portParam = findParam('port');
  if (portParam !== undefined) engine.config.store(portParam, String(port));
  return {
    engine,
    host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        clearTimeout(timer);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function handleConnection(engine: Engine, socket: Socket): void {
  const session = engine.createSession();
  session.addr = `${socket.remoteAddress}:${socket.remotePort}`;
  session.laddr = `${socket.localAddress}:${socket.localPort}`;
  // CLIENT KILL from another connection: the engine has closed the session; drop the socket too.
  session.onKill = () => socket.destroy();
  const parser = new RequestParser(() => engine.config.getInt('proto-max-bulk-len'));
  /** Output gathered while a read is processed; flushed once at its end. */
  let out = '';
  let inBatch = false;
  let closing = false;

  const flush = () => {
    if (out.length === 0) return;
    socket.write(Buffer.from(out, 'latin1'));
    out = '';
  };

  // Pushes (pub/sub messages) emitted while a command runs go out in order with the replies; those emitted
  // from elsewhere (another connection's PUBLISH) are flushed at the end of the current tick.
  let pushScheduled = false;
  session.push = (r: Reply) => {
    if (closing || socket.destroyed) return;
    out += encodeReply(r, session.resp);
    if (!inBatch && !pushScheduled) {
      pushScheduled = true;
      queueMicrotask(() => {
        pushScheduled = false;
        if (!inBatch) flush();
      });
    }
  };

  /** True while the session waits in a blocking command: later requests stay parsed-but-queued, as in Redis. */
  let blocked = false;

  const processRequests = () => {
    inBatch = true;
    try {
      while (!blocked) {
        const req = parser.next();
        if (req === undefined) break;
        if (!Array.isArray(req)) {
          out += encodeError(req.error);
          closing = true;
          break;
        }
        if (req.length === 0) continue;
        const reply = execute(engine, session, req);
        if (reply === BLOCKED) {
          blocked = true;
          break;
        }
        // SUBSCRIBE and friends answered through session.push already.
        if (reply !== NO_REPLY) out += encodeReply(reply, session.resp);
        if (session.closeAfterReply) {
          closing = true;
          break;
        }
      }
    } finally {
      inBatch = false;
    }
    flush();
    if (closing) socket.end();
  };

  // A blocking command's reply, once served or timed out: write it, then go on with what queued up meanwhile.
  // Deferred to a microtask: it is called from inside the engine (another connection's RPUSH), which must finish
  // that command before this session runs its next one.
  session.onUnblock = (r: Reply) =>
    queueMicrotask(() => {
      if (closing || socket.destroyed) return;
      blocked = false;
      out += encodeReply(r, session.resp);
      processRequests();
    });

  socket.on('data', (chunk: Buffer) => {
    if (closing) return;
    parser.feed(chunk);
    if (!blocked) processRequests();
  });

  const done = () => {
    if (!session.closed) engine.closeSession(session);
  };
  socket.on('close', done);
  socket.on('error', () => {
    socket.destroy();
    done();
  });
}

/** A handler's bug must not take the server down with it: it becomes an error reply (and a log line). */
function execute(engine: Engine, session: Session, argv: string[]): Reply {
  try {
    return engine.execute(session, argv);
  } catch (e) {
    console.error('tabhive: internal error in', argv[0], e);
    return { k: 'err', msg: `ERR internal error: ${e instanceof Error ? e.message : String(e)}` };
  }
}
