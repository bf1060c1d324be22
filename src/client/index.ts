/**
 * tabhive for the page: `createClient()` starts (or joins) the worker that holds the database and returns a
 * node-redis-shaped client.
 *
 * ```ts
 * import { createClient, ReplyError } from 'tabhive';
 * const db = await createClient({ name: 'app' });
 * await db.set('greeting', 'hello', { EX: 60 });
 * await db.get('greeting'); // 'hello'
 * ```
 */
import { TabhiveClient } from './client.js';
import { Connection, type WorkerLike } from './connection.js';
import type { Durability } from '../worker/protocol.js';

export { TabhiveClient } from './client.js';
export type {
  CommandArgument, CommandOptions, CopyOptions, ExpireMode, FlushMode, GetExOptions, Key, LcsIdxOptions,
  LcsIdxReply, LcsIdxWithMatchLenReply, MSetArguments, Range, RedisReply, ScanOptions, SetOptions, TimeReply,
  Value,
} from './client.js';
export { ClientClosedError, ReplyError, WorkerError } from './errors.js';
export type { WorkerLike } from './connection.js';
export type { Durability, PersistenceStatus } from '../worker/protocol.js';

export interface ClientOptions {
  /** The database: IndexedDB database `tabhive:<name>`. Default 'tabhive'. */
  name?: string;
  /**
   * 'everysec' (default): changes reach IndexedDB within a second, and at once on `flush()`, `quit()` and when
   * the page is hidden. 'memory': nothing is stored.
   */
  durability?: Durability;
  /**
   * A worker running tabhive's worker entry (`tabhive/worker`, i.e. dist/tabhive-worker.js), or a function
   * making one: for setups that cannot follow `new Worker(new URL(…, import.meta.url))`, or to host the file
   * elsewhere. The client owns it: it is terminated when its last client closes. Clients given a worker never
   * share it with other `createClient` calls.
   */
  worker?: Worker | WorkerLike | (() => Worker | WorkerLike);
}

/** Connections of this page by database name: clients of one name share one worker, hence one keyspace. */
const shared = new Map<string, Promise<Connection>>();

/** Open a client on database `name`, starting its worker unless this page already runs it. */
export async function createClient(options: ClientOptions = {}): Promise<TabhiveClient> {
  const name = options.name ?? 'tabhive';
  const durability = options.durability ?? 'everysec';
  if (typeof name !== 'string' || name === '') throw new TypeError('tabhive: `name` must be a non-empty string');
  if (durability !== 'everysec' && durability !== 'memory') {
    throw new TypeError(`tabhive: \`durability\` must be 'everysec' or 'memory', not ${String(durability)}`);
  }
  const conn = options.worker !== undefined ? await start(name, durability, options.worker) : await join(name, durability);
  const { session, opened } = conn.openSession();
  await opened;
  return new TabhiveClient(conn, session, false);
}

async function join(name: string, durability: Durability): Promise<Connection> {
  let p = shared.get(name);
  if (p === undefined) {
    p = start(name, durability, undefined, () => {
      if (shared.get(name) === p) shared.delete(name);
    });
    shared.set(name, p);
    p.catch(() => {
      if (shared.get(name) === p) shared.delete(name);
    });
  }
  const conn = await p;
  if (conn.durability !== durability) {
    throw new Error(
      `tabhive: database '${name}' is already open in this page with durability '${conn.durability}'`,
    );
  }
  return conn;
}

function start(
  name: string,
  durability: Durability,
  given: ClientOptions['worker'],
  onGone?: (c: Connection) => void,
): Promise<Connection> {
  const w = given === undefined ? defaultWorker() : typeof given === 'function' ? given() : given;
  return Connection.open({
    name,
    durability,
    endpoint: w as WorkerLike,
    terminate: () => {
      if (typeof (w as Worker).terminate === 'function') (w as Worker).terminate();
      else (w as { close?: () => void }).close?.();
    },
    onGone,
  });
}

function defaultWorker(): Worker {
  if (typeof Worker === 'undefined') throw new Error('tabhive: Web Workers are not available here');
  return new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module', name: 'tabhive' });
}
