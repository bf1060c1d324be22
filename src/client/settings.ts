/**
 * Server settings a page sets through its client: `createClient`'s memory and notification options, and the
 * keyspace-event flags `onKeyChange` needs.
 *
 * Rules:
 * - settings belong to the database (its worker), not to a client: every client of the database sees them, and a
 *   later `createClient` with other values changes them for all, as CONFIG SET does on a Redis server;
 * - `createClient`'s settings are applied in the same batch that opens its session, so they are in force before
 *   the client's first command answers; a value Redis would refuse rejects `createClient` with Redis's error;
 * - `notify-keyspace-events` is only ever widened from here (the union of the flags set and those asked):
 *   another client's listeners keep their events. The read-merge-write runs one at a time per worker, so two
 *   merges of this page never lose each other's flags. A raw `CONFIG SET notify-keyspace-events` still replaces
 *   them, as in Redis.
 */
import { formatNotifyFlags, parseNotifyFlags } from '../engine/notify.js';
import type { Connection } from './connection.js';
import type { WireReply } from '../worker/protocol.js';

/** The eight `maxmemory-policy` values. */
export type MaxmemoryPolicy =
  | 'noeviction'
  | 'allkeys-lru'
  | 'allkeys-lfu'
  | 'allkeys-random'
  | 'volatile-lru'
  | 'volatile-lfu'
  | 'volatile-random'
  | 'volatile-ttl';

/** Settings `createClient` applies to the database (see the file's rules). */
export interface ServerSettings {
  /** `maxmemory`: bytes as a number, or Redis's units as a string ('50mb', '1gb'); 0 for no limit. */
  maxmemory?: number | string;
  /** `maxmemory-policy`: what goes when the limit is reached (Redis's default: 'noeviction'). */
  maxmemoryPolicy?: MaxmemoryPolicy;
  /**
   * `notify-keyspace-events` flags to enable (Redis's letters: K E g $ l s h z x e t m d n A), added to those
   * already set. `onKeyChange` enables what it needs by itself.
   */
  notifyKeyspaceEvents?: string;
}

/** CONFIG SET for the settings given, in the current tick (the caller's batch). Resolves once applied. */
export function applySettings(conn: Connection, sid: number, s: ServerSettings): Promise<void> {
  const pairs: string[] = [];
  if (s.maxmemoryPolicy !== undefined) pairs.push('maxmemory-policy', String(s.maxmemoryPolicy));
  if (s.maxmemory !== undefined) pairs.push('maxmemory', String(s.maxmemory));
  const done: Promise<unknown>[] = [];
  if (pairs.length > 0) done.push(conn.call(['cmd', sid, ['CONFIG', 'SET', ...pairs], false], sid));
  if (s.notifyKeyspaceEvents !== undefined) done.push(enableKeyspaceEvents(conn, sid, s.notifyKeyspaceEvents));
  return Promise.all(done).then(() => {});
}

/** The merge in progress per worker: merges run one after another. */
const merging = new WeakMap<Connection, Promise<unknown>>();

/**
 * Widen `notify-keyspace-events` by `letters` (on session `sid`); resolves with the flags now set. Throws
 * TypeError for a letter Redis does not know.
 */
export function enableKeyspaceEvents(conn: Connection, sid: number, letters: string): Promise<string> {
  if (typeof letters !== 'string' || parseNotifyFlags(letters) < 0) {
    return Promise.reject(
      new TypeError(`tabhive: notify-keyspace-events flags must be letters of 'KEg$lshzxetmdnA', not ${JSON.stringify(letters)}`),
    );
  }
  const run = async (): Promise<string> => {
    const got = await conn.call<WireReply>(['cmd', sid, ['CONFIG', 'GET', 'notify-keyspace-events'], false], sid);
    const current = configValue(got);
    const merged = formatNotifyFlags(parseNotifyFlags(current) | parseNotifyFlags(letters));
    if (merged !== current) {
      await conn.call(['cmd', sid, ['CONFIG', 'SET', 'notify-keyspace-events', merged], false], sid);
    }
    return merged;
  };
  const before = merging.get(conn) ?? Promise.resolve();
  const p = before.then(run, run);
  merging.set(conn, p);
  void p.finally(() => {
    if (merging.get(conn) === p) merging.delete(conn);
  }).catch(() => {});
  return p;
}

/** CONFIG GET's value for its one parameter: a [name, value] array (RESP2) or a Map (RESP3). */
function configValue(r: WireReply): string {
  if (r instanceof Map) return String([...r.values()][0] ?? '');
  if (Array.isArray(r)) return String(r[1] ?? '');
  return '';
}
