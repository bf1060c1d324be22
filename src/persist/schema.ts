/**
 * The IndexedDB schema: one typed `DBSchema`, the only description of what tabhive keeps on disk.
 *
 * Database `tabhive:<name>`, one object store `keys` of records `{ db, key, type, value, expireAt, crc }` keyed
 * by `[db, key]`. `key` is the engine's binary string (one char per byte, see engine/bytes.ts): IndexedDB compares
 * strings by UTF-16 code unit, which on binary strings is byte order, so every byte sequence is a distinct key
 * and a db's keys form one contiguous range (`dbRange`). `value` is the string itself for strings, else the
 * family's `CollectionValue.serialize()` output (plain arrays of binary strings and numbers). `crc` is the
 * record's checksum (checksum.ts): a record whose content no longer matches it is never loaded.
 *
 * Object store `meta` holds one record, `repl` (`ReplMeta`): the replication epoch of the leader tab that last
 * wrote, and the stream offset the stored keys are a snapshot of (replication/). A leader's write checks the
 * epoch in the same transaction that stores its keys (fencing: a deposed leader can never commit).
 *
 * Versions: 1 had no `crc`; 2 added it (the upgrade computes it for every record already there); 3 added `meta`.
 *
 * Rule: a change of this shape is a new `DB_VERSION` with its step in `upgradeSchema`; never change the meaning
 * of a stored field in place.
 */
import { unwrap, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { ObjType } from '../engine/keyspace.js';
import { recordChecksum, type RecordContent } from './checksum.js';

export const DB_VERSION = 3;
export const STORE = 'keys';
export const META = 'meta';
export const REPL_META = 'repl';

/** One key of one db, as stored. */
export interface StoredRecord {
  db: number;
  /** Binary string. */
  key: string;
  type: ObjType;
  /** Binary string (strings) or the family's serialized form (see keyspace.ts serializeValue). */
  value: unknown;
  /** Absolute expiry time in ms; 0 when the key has no TTL. */
  expireAt: number;
  /** CRC-32 of the other fields (checksum.ts recordChecksum). */
  crc: number;
}

/** A record ready to store: its content and the checksum of it. */
export function makeRecord(c: RecordContent): StoredRecord {
  return { db: c.db, key: c.key, type: c.type, value: c.value, expireAt: c.expireAt, crc: recordChecksum(c) };
}

export type RecordKey = [db: number, key: string];

/** Who last wrote the store and which point of the replication stream it holds. */
export interface ReplMeta {
  /** The highest leader epoch ever claimed for this database (a new leader claims one above it). */
  epoch: number;
  /** The replication offset the stored keys are a snapshot of (0: never written by a leader). */
  offset: number;
  /** The replication history the offset belongs to (a leader that could not catch up starts a new one). */
  replid: string;
}

export interface TabhiveSchema extends DBSchema {
  keys: { key: RecordKey; value: StoredRecord };
  meta: { key: string; value: ReplMeta };
}

export function databaseName(name: string): string {
  return `tabhive:${name}`;
}

/**
 * Every record key of db `id`: arrays compare element by element and a string sorts below an array, so
 * `[id]` < `[id, anyString]` < `[id, []]`.
 */
export function dbRange(id: number): IDBKeyRange {
  return IDBKeyRange.bound([id], [id, []]);
}

/**
 * Bring a database from `oldVersion` (0 = new) to `target` (DB_VERSION; lower only in tests that play an
 * older tab). Runs inside the versionchange transaction `tx`; its requests are issued from their own
 * callbacks, never after an await, so the upgrade is one atomic step.
 */
export function upgradeSchema(
  db: IDBPDatabase<TabhiveSchema>,
  oldVersion: number,
  tx: IDBPTransaction<TabhiveSchema, StoreNames<TabhiveSchema>[], 'versionchange'>,
  target = DB_VERSION,
): void {
  if (oldVersion < 1) db.createObjectStore(STORE, { keyPath: ['db', 'key'] });
  if (oldVersion >= 1 && oldVersion < 2 && target >= 2) addChecksums(unwrap(tx.objectStore(STORE)) as IDBObjectStore);
  if (oldVersion < 3 && target >= 3) db.createObjectStore(META);
}

/** Version 1 → 2: give every record its checksum. A record too damaged to checksum is left as it is. */
function addChecksums(os: IDBObjectStore): void {
  const req = os.openCursor();
  req.onsuccess = () => {
    const cursor = req.result;
    if (cursor === null) return;
    const r = cursor.value as StoredRecord;
    try {
      cursor.update({ ...r, crc: recordChecksum(r) });
    } catch {
      // Reported as corrupt at load (no checksum), like any other damaged record.
    }
    cursor.continue();
  };
}
