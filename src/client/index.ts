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
import { DEFAULT_NEAR_CACHE_SIZE } from './near-cache.js';
import { applySettings, type ServerSettings } from './settings.js';
import type { Durability } from '../worker/protocol.js';
import { defaultSpinMs, SPIN_MS } from '../worker/spin.js';

export { TabhiveClient } from './client.js';
export type {
  ClientStats, CommandArgument, CommandOptions, CopyOptions, ExpireMode, FlushMode, GetExOptions, Key, LcsIdxOptions,
  LcsIdxReply, LcsIdxWithMatchLenReply, MSetArguments, Range, RedisReply, ScanOptions, SetOptions, TimeReply,
  Value,
  // Data types (commands/*.ts)
  BlockingPopReply, BZPopReply, CollectionScanOptions, HashRecord, HScanReply, HScanTuple, HSetFields, ListSide,
  LMPopOptions, LMPopReply, LPosOptions, SortedSetSide, SortOptions, SortReply, SScanReply, ZAddOptions,
  ZAggregateOptions, ZLimit, ZMember, ZMPopOptions, ZMPopReply, ZRangeByOptions, ZRangeOptions, ZScanReply,
  // Server, connection (commands/server.ts, commands/connection.ts)
  AuthOptions, BgSaveOptions, ClientInfoReply, ClientKillFilter, ClientListFilter, CommandDoc, CommandDocArgument,
  CommandKeyAndFlags, CommandKeySpec, CommandListFilter, CommandReply, HelloOptions, HelloReply, MemoryStatsReply,
  MemoryUsageOptions, RestoreOptions,
} from './client.js';
export { ClientClosedError, RdbFileError, ReplyError, WorkerError } from './errors.js';
export { MultiErrorReply, WatchError } from './multi.js';
export type { MultiCommand, MultiCommands, RedisMulti } from './multi.js';
export type { PubSubListener } from './pubsub.js';
export { escapeGlob } from './keychange.js';
export type { KeyChangeListener, KeyChangeOptions } from './keychange.js';
export type { MaxmemoryPolicy, ServerSettings } from './settings.js';
export type { WorkerLike } from './connection.js';
export type { Durability, PersistenceEvent, PersistenceStatus, WorkerStats } from '../worker/protocol.js';
export type { ImportSummary } from '../worker/rdb-io.js';
export { DEFAULT_NEAR_CACHE_SIZE } from './near-cache.js';

/**
 * `maxmemory`, `maxmemoryPolicy`, `notifyKeyspaceEvents` (ServerSettings) are applied to the database with
 * CONFIG SET before the client's first command answers; they are the database's, shared by its clients.
 */
export interface ClientOptions extends ServerSettings {
  /** The database: IndexedDB database `tabhive:<name>`. Default 'tabhive'. */
  name?: string;
  /**
   * How changes reach IndexedDB, as Redis's appendfsync (`CONFIG SET appendfsync` changes it later):
   * - 'always': a write command resolves only once its change is stored (durability 'strict'); the writes of
   *   one tick share one transaction, so a burst costs one commit;
   * - 'everysec' (default): within a second — a crash loses at most about the last second;
   * - 'no': when the worker is idle, when the page is hidden, and on SAVE;
   * - 'memory': nothing is stored.
   * All but 'memory' also write at once on `flush()`, `quit()` and when the page is hidden.
   */
  durability?: Durability;
  /**
   * A worker running tabhive's worker entry (`tabhive/worker`, i.e. dist/tabhive-worker.js), or a function
   * making one: for setups that cannot follow `new Worker(new URL(…, import.meta.url))`, or to host the file
   * elsewhere. The client owns it: it is terminated when its last client closes. Clients given a worker never
   * share it with other `createClient` calls.
   */
  worker?: Worker | WorkerLike | (() => Worker | WorkerLike);
  /**
   * The near-cache (near-cache.ts): repeated GET, HGET, STRLEN, EXISTS key … answered in the page without a
   * round trip, invalidated by the worker before anything could show a newer value. `false` (or 0) turns it off
   * for this client; a number bounds it (entries; the clients of one database in a page share one cache, as
   * large as the largest asked). Default: on, DEFAULT_NEAR_CACHE_SIZE (10,000) entries.
   */
  nearCache?: boolean | number;
  /**
   * Keep this page's thread and the worker's awake for up to a millisecond around each round trip, while
   * commands follow one another closely (worker/spin.ts): most of a round trip's time is a parked thread
   * waking up, and a serial GET or SET then takes about a third as long. Neither side ever spins while idle,
   * and nothing blocks: other tasks run in between. A number sets the budget (ms, at most 20). Default: on
   * (1 ms) where the device has two cores or more, off on one. The first client of a database in a page
   * decides for the clients that share its worker.
   */
  spin?: boolean | number;
}

const DURABILITIES: readonly Durability[] = ['always', 'everysec', 'no', 'memory'];

/** Connections of this page by database name: clients of one name share one worker, hence one keyspace. */
const shared = new Map<string, Promise<Connection>>();

/** Open a client on database `name`, starting its worker unless this page already runs it. */
export async function createClient(options: ClientOptions = {}): Promise<TabhiveClient> {
  const name = options.name ?? 'tabhive';
  const durability = options.durability ?? 'everysec';
  if (typeof name !== 'string' || name === '') throw new TypeError('tabhive: `name` must be a non-empty string');
  if (!DURABILITIES.includes(durability)) {
    throw new TypeError(
      `tabhive: \`durability\` must be one of ${DURABILITIES.map((d) => `'${d}'`).join(', ')}, not ${String(durability)}`,
    );
  }
  const near = options.nearCache ?? true;
  const capacity = near === true ? DEFAULT_NEAR_CACHE_SIZE : near === false ? 0 : near;
  if (!Number.isInteger(capacity) || capacity < 0) {
    throw new TypeError('tabhive: `nearCache` must be true, false or a number of entries');
  }
  const spin = options.spin ?? defaultSpinMs();
  const spinMs = spin === true ? SPIN_MS : spin === false ? 0 : spin;
  if (typeof spinMs !== 'number' || !(spinMs >= 0)) throw new TypeError('tabhive: `spin` must be true, false or a number of ms');
  const conn =
    options.worker !== undefined ? await start(name, durability, spinMs, options.worker) : await join(name, durability, spinMs);
  if (capacity > 0) conn.useNearCache(capacity);
  const { session, opened } = conn.openSession(false, capacity > 0);
  try {
    await Promise.all([opened, applySettings(conn, session.sid, options)]);
  } catch (e) {
    await conn.closeSession(session, false).catch(() => {});
    throw e;
  }
  return new TabhiveClient(conn, session, false);
}

async function join(name: string, durability: Durability, spinMs: number): Promise<Connection> {
  let p = shared.get(name);
  if (p === undefined) {
    p = start(name, durability, spinMs, undefined, () => {
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
  spinMs: number,
  given: ClientOptions['worker'],
  onGone?: (c: Connection) => void,
): Promise<Connection> {
  const w = given === undefined ? defaultWorker() : typeof given === 'function' ? given() : given;
  return Connection.open({
    name,
    durability,
    spinMs,
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
