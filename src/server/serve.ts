/**
 * `tabhive serve`: the engine behind RESP on TCP, so redis-cli, redis-benchmark, client libraries and the
 * differential suite can talk to it as to redis-server.
 *
 * Rules:
 * - one engine session per connection; requests are executed in arrival order, and the replies (and any
 *   pushes the engine emits meanwhile) gathered in one event-loop turn are written in one write per connection,
 *   after every readable socket of that turn has been served (as Redis writes in beforeSleep);
 * - a protocol error is replied to and the connection closed after the flush, as Redis does; so is a
 *   command that sets `closeAfterReply` on the session (QUIT);
 * - active expiry runs `hz` times a second (CONFIG SET hz takes effect at the next tick).
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Engine } from '../engine/engine.js';
import { BLOCKED } from '../engine/blocking.js';
import { findParam } from '../engine/config.js';
import { NO_REPLY, OK, type Reply } from '../engine/reply.js';
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
  // Half-open: a client that sends its last requests and shuts its side down still gets every reply (the
  // replies are written after the read turn, possibly after the end of input was seen); the connection
  // closes once they are written.
  const server: Server = createServer({ noDelay: true, allowHalfOpen: true }, (socket) => {
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

/**
 * Connections with output waiting. They are written once per event-loop turn, after every socket that was
 * readable in this turn has been read and its commands run (Redis's beforeSleep → handleClientsWithPendingWrites):
 * one write per connection per turn, and the writes, each of which may wake the peer, come in one burst.
 */
const pendingWrites: Connection[] = [];
let writesScheduled = false;

function writePending(): void {
  writesScheduled = false;
  // By index: a write may (through an error event) queue more; they go out in this pass too.
  for (let i = 0; i < pendingWrites.length; i++) pendingWrites[i].write();
  pendingWrites.length = 0;
}

/** One client: its session, its request parser and the replies not yet written. */
class Connection {
  readonly session: Session;
  readonly parser: RequestParser;
  /** Replies and pushes encoded since the last write (a binary string). */
  private out = '';
  private queued = false;
  /** True while the session waits in a blocking command: later requests stay parsed-but-queued, as in Redis. */
  private blocked = false;
  /** A protocol error, QUIT or the client's end of input: write what is pending, then close; run nothing more. */
  private closing = false;

  constructor(
    private readonly engine: Engine,
    private readonly socket: Socket,
  ) {
    const session = engine.createSession();
    this.session = session;
    session.addr = `${socket.remoteAddress}:${socket.remotePort}`;
    session.laddr = `${socket.localAddress}:${socket.localPort}`;
    // CLIENT KILL from another connection: the engine has closed the session; drop the socket too.
    session.onKill = () => socket.destroy();
    // Pushes (pub/sub messages) go out in order with the replies, whoever emitted them.
    session.push = (r: Reply) => {
      if (this.closing || socket.destroyed) return;
      this.out += encodeReply(r, session.resp);
      this.schedule();
    };
    // A blocking command's reply, once served or timed out: write it, then go on with what queued up meanwhile.
    // Deferred to a microtask: it is called from inside the engine (another connection's RPUSH), which must
    // finish that command before this session runs its next one.
    session.onUnblock = (r: Reply) =>
      queueMicrotask(() => {
        if (this.closing || socket.destroyed) return;
        this.blocked = false;
        this.out += encodeReply(r, session.resp);
        this.process();
      });
    this.parser = new RequestParser(() => engine.config.getInt('proto-max-bulk-len'));
    socket.on('data', (chunk: Buffer) => {
      if (this.closing) return;
      this.parser.feed(chunk);
      if (!this.blocked) this.process();
    });
    socket.on('end', () => {
      this.closing = true;
      this.schedule();
    });
    socket.on('close', () => this.done());
    socket.on('error', () => {
      socket.destroy();
      this.done();
    });
  }

  /** Run every complete request buffered (up to a blocking one), gathering the replies. */
  private process(): void {
    const { engine, session, parser } = this;
    for (;;) {
      const req = parser.next();
      if (req === undefined) break;
      if (!Array.isArray(req)) {
        this.out += encodeError(req.error);
        this.closing = true;
        break;
      }
      if (req.length === 0) continue;
      const reply = execute(engine, session, req);
      if (reply === BLOCKED) {
        this.blocked = true;
        break;
      }
      // SUBSCRIBE and friends answered through session.push already.
      if (reply !== NO_REPLY) this.out += reply === OK ? OK_LINE : encodeReply(reply, session.resp);
      if (session.closeAfterReply) {
        this.closing = true;
        break;
      }
    }
    if (this.out.length !== 0 || this.closing) this.schedule();
  }

  private schedule(): void {
    if (this.queued) return;
    this.queued = true;
    pendingWrites.push(this);
    if (!writesScheduled) {
      writesScheduled = true;
      setImmediate(writePending);
    }
  }

  /** Called by writePending: one write of everything gathered, then the close a protocol error or QUIT asked for. */
  write(): void {
    this.queued = false;
    const socket = this.socket;
    if (socket.destroyed) {
      this.out = '';
      return;
    }
    if (this.out.length !== 0) {
      // A latin1 string is written straight from the string by the stream handle (no Buffer made here).
      socket.write(this.out, 'latin1');
      this.out = '';
    }
    if (this.closing) socket.end();
  }

  private done(): void {
    if (!this.session.closed) this.engine.closeSession(this.session);
  }
}

function handleConnection(engine: Engine, socket: Socket): void {
  new Connection(engine, socket);
}

const OK_LINE = '+OK\r\n';

/** A handler's bug must not take the server down with it: it becomes an error reply (and a log line). */
function execute(engine: Engine, session: Session, argv: string[]): Reply {
  try {
    return engine.execute(session, argv);
  } catch (e) {
    console.error('tabhive: internal error in', argv[0], e);
    return { k: 'err', msg: `ERR internal error: ${e instanceof Error ? e.message : String(e)}` };
  }
}
