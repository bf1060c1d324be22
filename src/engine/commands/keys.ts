/**
 * Generic keyspace commands (Redis's db.c, expire.c, object.c): deleting, testing, renaming, moving and
 * copying keys, their TTLs, KEYS / SCAN / RANDOMKEY, OBJECT, and the database-wide SELECT, DBSIZE, FLUSHDB,
 * FLUSHALL and SWAPDB.
 *
 * Rules kept here, as Redis does:
 * - lookups: reads that only inspect a key (EXISTS, TYPE, TTL …) do not touch its access time; OBJECT neither
 *   touches nor fires `keymiss`; writes look up with lazy expiry;
 * - KEYS and SCAN never return a logically expired key: KEYS only hides it, SCAN reclaims it (expireIfNeeded);
 * - a TTL is an absolute time in ms, 64-bit as in Redis. Times beyond 2^53 ms (`PEXPIREAT k 9223372036854770000`)
 *   are kept exactly beside the entry (see `exactExpires`), so PEXPIRETIME answers what was given;
 * - RENAME / MOVE move the value itself (its LFU counter, encoding and TTL go with it); COPY duplicates it (a
 *   fresh LFU counter and access time, the TTL and encoding kept).
 */
import type { CommandSpec, KeySpec } from '../command.js';
import type { Ctx } from '../ctx.js';
import { parseScanCursor, parseScanOptions } from '../ds/scan.js';
import { CommandError, E, invalidExpire, cstr } from '../errors.js';
import { globMatch } from '../glob.js';
import { ObjType, TYPE_NAMES, type CollectionValue, type Db, type Entry } from '../keyspace.js';
import { lfuDecrAndReturn } from '../lfu.js';
import { NotifyClass } from '../notify.js';
import { I64_MAX, norm, parseI64, type Int64 } from '../numbers.js';
import { OK, simple, type Reply } from '../reply.js';
import { stringEncoding } from './string.js';

// ---- helpers ------------------------------------------------------------------------------------------------

/** getIntFromObjectOrReply's range error (the argument is a 64-bit integer outside C's int). */
const INT_RANGE = 'ERR value is out of range, value must between -2147483648 and 2147483647';

/**
 * A C `int` argument as Redis's getIntFromObjectOrReply reads it: not an integer → `msg` (or Redis's
 * not-an-integer text), outside 32 bits → `msg` (or the range text).
 */
function nextInt32(c: Ctx, msg?: string): number {
  const v = c.args.nextInt(msg ?? E.NOT_INT);
  if (typeof v !== 'number' || v < -2147483648 || v > 2147483647) throw new CommandError(msg ?? INT_RANGE);
  return v;
}

/** The db at `id`, or Redis's "DB index is out of range". */
function dbAt(c: Ctx, id: number): Db {
  const db = c.engine.dbs[id];
  if (id < 0 || db === undefined) throw new CommandError(E.DB_INDEX);
  return db;
}

/**
 * Expire times that do not fit a double exactly (beyond 2^53 ms), as given: Entry.expireAt holds the nearest
 * double (right for every comparison with the clock) and this map the exact value. A record counts only while
 * expireAt still equals its `at`: any later change of the TTL by another command makes it stale by itself.
 */
const exactExpires = new WeakMap<Entry, { at: number; exact: bigint }>();

/** The entry's expire time in ms, exact; 0 when it has none. */
function getExpire(e: Entry): Int64 {
  if (e.expireAt === 0) return 0;
  const x = exactExpires.get(e);
  return x !== undefined && x.at === e.expireAt ? x.exact : e.expireAt;
}

/** Set an entry's expire time in ms (never 0: callers only store future times, or past ones on a replica). */
function setExpire(db: Db, e: Entry, when: Int64): void {
  if (typeof when === 'number') {
    db.setExpire(e, when === 0 ? -1 : when);
    return;
  }
  const at = Number(when);
  db.setExpire(e, at);
  exactExpires.set(e, { at, exact: when });
}

/**
 * Add `key` to `db` holding `from`'s value, with its TTL and encoding. `same` is true when the value object
 * itself moves (RENAME, MOVE: access time and LFU counter go with it); COPY's duplicate starts fresh.
 */
function addLike(c: Ctx, db: Db, key: string, from: Entry, value: unknown, same: boolean): Entry {
  const e = db.add(key, from.type, value, c.now);
  e.raw = from.raw;
  e.notInt = from.notInt;
  if (same) {
    e.atime = from.atime;
    e.freq = from.freq;
  }
  const when = getExpire(from);
  if (when !== 0) setExpire(db, e, when);
  return e;
}

const typeName = (e: Entry | undefined): string => (e === undefined ? 'none' : TYPE_NAMES[e.type]);

// ---- DEL, UNLINK, EXISTS, TOUCH, TYPE -----------------------------------------------------------------------

// DEL key [key ...]
// UNLINK key [key ...]
function del(c: Ctx): Reply {
  let n = 0;
  while (c.args.has()) {
    const key = c.args.next();
    if (c.write(key) === undefined) continue;
    c.db.remove(key);
    c.modified(key);
    c.notify(NotifyClass.Generic, 'del', key);
    n++;
  }
  return n;
}

// EXISTS key [key ...]
function exists(c: Ctx): Reply {
  let n = 0;
  while (c.args.has()) if (c.read(c.args.next(), undefined, false) !== undefined) n++;
  return n;
}

// TOUCH key [key ...]
function touch(c: Ctx): Reply {
  let n = 0;
  while (c.args.has()) if (c.read(c.args.next()) !== undefined) n++;
  return n;
}

// TYPE key
function type(c: Ctx): Reply {
  return simple(typeName(c.read(c.args.next(), undefined, false)));
}

// ---- expiry ---------------------------------------------------------------------------------------------------

const enum ExpireFlag {
  NX = 1,
  XX = 2,
  GT = 4,
  LT = 8,
}

/** LLONG_MAX / 1000 and LLONG_MIN / 1000 as C computes them (truncated): the seconds that still fit in ms. */
const SEC_MAX = 9223372036854775n;

/**
 * EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (expireGenericCommand): `base` is the clock for the relative forms and
 * 0 for the absolute ones, `unit` the argument's unit in ms.
 */
function expireGeneric(c: Ctx, base: number, unit: 1 | 1000, name: string): Reply {
  const a = c.args;
  const key = a.next();
  const param = a.next();
  // Redis reads the options before the time, so a bad option wins over a bad time.
  let flags = 0;
  while (a.has()) {
    const opt = a.next();
    const u = opt.toUpperCase();
    if (u === 'NX') flags |= ExpireFlag.NX;
    else if (u === 'XX') flags |= ExpireFlag.XX;
    else if (u === 'GT') flags |= ExpireFlag.GT;
    else if (u === 'LT') flags |= ExpireFlag.LT;
    else throw new CommandError(`ERR Unsupported option ${cstr(opt)}`);
  }
  if (flags & ExpireFlag.NX && flags & (ExpireFlag.XX | ExpireFlag.GT | ExpireFlag.LT)) {
    throw new CommandError('ERR NX and XX, GT or LT options at the same time are not compatible');
  }
  if (flags & ExpireFlag.GT && flags & ExpireFlag.LT) {
    throw new CommandError('ERR GT and LT options at the same time are not compatible');
  }
  const raw = parseI64(param);
  if (raw === null) throw new CommandError(E.NOT_INT);
  const when = absoluteTime(raw, unit, base, name);

  const e = c.write(key);
  if (e === undefined) return 0;
  if (flags) {
    const cur = getExpire(e); // 0: no TTL, which GT treats as infinite and LT as no bound
    if (flags & ExpireFlag.NX && cur !== 0) return 0;
    if (flags & ExpireFlag.XX && cur === 0) return 0;
    if (flags & ExpireFlag.GT && (cur === 0 || when <= cur)) return 0;
    if (flags & ExpireFlag.LT && cur !== 0 && when >= cur) return 0;
  }
  // A time already past deletes the key (a replica stores it and waits for the leader's DEL).
  if (when <= c.now && c.engine.expireDeletes) {
    c.db.remove(key);
    c.modified(key);
    c.notify(NotifyClass.Generic, 'del', key);
    return 1;
  }
  setExpire(c.db, e, when);
  c.modified(key);
  c.notify(NotifyClass.Generic, 'expire', key);
  return 1;
}

/** `raw` × unit + base, with Redis's overflow checks ("invalid expire time in '<cmd>' command"). */
function absoluteTime(raw: Int64, unit: 1 | 1000, base: number, name: string): Int64 {
  // Fast path: well inside 2^53 whatever the unit and base.
  if (typeof raw === 'number' && raw < 2 ** 40 && raw > -(2 ** 40)) return raw * unit + base;
  let when = BigInt(raw);
  if (unit === 1000) {
    if (when > SEC_MAX || when < -SEC_MAX) throw new CommandError(invalidExpire(name));
    when *= 1000n;
  }
  if (when > I64_MAX - BigInt(base)) throw new CommandError(invalidExpire(name));
  return norm(when + BigInt(base));
}

// EXPIRE key seconds [NX | XX | GT | LT]
const expire = (c: Ctx): Reply => expireGeneric(c, c.now, 1000, 'expire');
// PEXPIRE key milliseconds [NX | XX | GT | LT]
const pexpire = (c: Ctx): Reply => expireGeneric(c, c.now, 1, 'pexpire');
// EXPIREAT key unix-time-seconds [NX | XX | GT | LT]
const expireat = (c: Ctx): Reply => expireGeneric(c, 0, 1000, 'expireat');
// PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]
const pexpireat = (c: Ctx): Reply => expireGeneric(c, 0, 1, 'pexpireat');

/** TTL, PTTL, EXPIRETIME, PEXPIRETIME (ttlGenericCommand): -2 no key, -1 no TTL. */
function ttlGeneric(c: Ctx, ms: boolean, absolute: boolean): Reply {
  const e = c.read(c.args.next(), undefined, false);
  if (e === undefined) return -2;
  const at = getExpire(e);
  if (at === 0) return -1;
  if (typeof at === 'number') {
    const ttl = Math.max(0, absolute ? at : at - c.now);
    return ms ? ttl : Math.floor((ttl + 500) / 1000);
  }
  let ttl = absolute ? at : at - BigInt(c.now);
  if (ttl < 0n) ttl = 0n;
  return norm(ms ? ttl : (ttl + 500n) / 1000n);
}

// TTL key
const ttl = (c: Ctx): Reply => ttlGeneric(c, false, false);
// PTTL key
const pttl = (c: Ctx): Reply => ttlGeneric(c, true, false);
// EXPIRETIME key
const expiretime = (c: Ctx): Reply => ttlGeneric(c, false, true);
// PEXPIRETIME key
const pexpiretime = (c: Ctx): Reply => ttlGeneric(c, true, true);

// PERSIST key
function persist(c: Ctx): Reply {
  const key = c.args.next();
  const e = c.write(key);
  if (e === undefined || e.expireAt === 0) return 0;
  c.db.setExpire(e, 0);
  c.modified(key);
  c.notify(NotifyClass.Generic, 'persist', key);
  return 1;
}

// ---- KEYS, SCAN, RANDOMKEY, DBSIZE ----------------------------------------------------------------------------

// KEYS pattern
function keys(c: Ctx): Reply {
  const pattern = c.args.next();
  const all = pattern === '*';
  const now = c.now;
  const out: Reply[] = [];
  // keyIsExpired, not expireIfNeeded: KEYS hides logically expired keys but leaves them to the expiry paths.
  for (const e of c.db.dict.values()) {
    if ((all || globMatch(pattern, e.key)) && (e.expireAt === 0 || e.expireAt > now)) out.push(e.key);
  }
  return out;
}

// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
function scan(c: Ctx): Reply {
  const a = c.args;
  const cursor = parseScanCursor(a.next());
  const { count, pattern, type } = parseScanOptions(a, true);
  const db = c.db;
  const found: Entry[] = [];
  const next = db.dict.scan(cursor, count, found);
  const out: Reply[] = [];
  for (const e of found) {
    if (pattern !== null && !globMatch(pattern, e.key)) continue;
    // Redis checks the type with a (non-touching) read lookup, which reclaims an expired key and then calls
    // it "none": so `TYPE none` lets such a key through, as it does in Redis.
    if (type !== null && typeName(c.read(e.key, undefined, false)) !== type) continue;
    if (!e.dead && db.expireIfNeeded(e, c.now)) continue;
    out.push(e.key);
  }
  return [String(next), out];
}

// RANDOMKEY
function randomkey(c: Ctx): Reply {
  const e = c.db.randomKey(c.now, c.engine.random);
  return e === undefined ? null : e.key;
}

// DBSIZE
function dbsize(c: Ctx): Reply {
  return c.db.size;
}

// ---- RENAME, RENAMENX, MOVE, COPY -----------------------------------------------------------------------------

/** RENAME and RENAMENX (renameGenericCommand). */
function renameGeneric(c: Ctx, nx: boolean): Reply {
  const src = c.args.next();
  const dst = c.args.next();
  const e = c.write(src);
  if (e === undefined) throw new CommandError(E.NO_KEY);
  if (src === dst) return nx ? 0 : OK;
  if (c.write(dst) !== undefined) {
    if (nx) return 0;
    c.db.remove(dst);
  }
  addLike(c, c.db, dst, e, e.value, true);
  c.db.remove(src);
  c.modified(src);
  c.modified(dst);
  c.notify(NotifyClass.Generic, 'rename_from', src);
  c.notify(NotifyClass.Generic, 'rename_to', dst);
  return nx ? 1 : OK;
}

// RENAME key newkey
const rename = (c: Ctx): Reply => renameGeneric(c, false);
// RENAMENX key newkey
const renamenx = (c: Ctx): Reply => renameGeneric(c, true);

// MOVE key db
function move(c: Ctx): Reply {
  const key = c.args.next();
  const src = c.db;
  const dst = dbAt(c, nextInt32(c));
  if (dst === src) throw new CommandError(E.SAME_OBJECT);
  const e = c.write(key);
  if (e === undefined) return 0;
  if (dst.lookupWrite(key, c.now) !== undefined) return 0;
  addLike(c, dst, key, e, e.value, true);
  src.remove(key);
  c.modified(key, src);
  c.modified(key, dst);
  c.notify(NotifyClass.Generic, 'move_from', key, src);
  c.notify(NotifyClass.Generic, 'move_to', key, dst);
  return 1;
}

// COPY source destination [DB destination-db] [REPLACE]
function copy(c: Ctx): Reply {
  const a = c.args;
  const src = a.next();
  const dst = a.next();
  let replace = false;
  let dstDb = c.db;
  while (a.has()) {
    const opt = a.nextUpper();
    if (opt === 'REPLACE') replace = true;
    else if (opt === 'DB' && a.has()) dstDb = dbAt(c, nextInt32(c));
    else throw new CommandError(E.SYNTAX);
  }
  if (dstDb === c.db && src === dst) throw new CommandError(E.SAME_OBJECT);
  const e = c.read(src);
  if (e === undefined) return 0;
  const existing = dstDb.lookupWrite(dst, c.now);
  if (existing !== undefined && !replace) return 0;
  const value = e.type === ObjType.String ? e.value : (e.value as CollectionValue).clone();
  if (existing !== undefined) dstDb.remove(dst);
  addLike(c, dstDb, dst, e, value, false);
  c.modified(dst, dstDb);
  c.notify(NotifyClass.Generic, 'copy_to', dst, dstDb);
  return 1;
}

// ---- SELECT, SWAPDB, FLUSHDB, FLUSHALL --------------------------------------------------------------------------

// SELECT index
function select(c: Ctx): Reply {
  c.session.db = dbAt(c, nextInt32(c));
  return OK;
}

// SWAPDB index1 index2
function swapdb(c: Ctx): Reply {
  const id1 = nextInt32(c, 'ERR invalid first DB index');
  const id2 = nextInt32(c, 'ERR invalid second DB index');
  const db1 = dbAt(c, id1);
  const db2 = dbAt(c, id2);
  if (db1 === db2) return OK;
  // WATCH is told before the swap (a watched key that exists on either side is touched), as dbSwapDatabases.
  c.engine.signalFlushedDb(db1, db2);
  c.engine.signalFlushedDb(db2, db1);
  db1.swapWith(db2);
  // Clients blocked on a key of either db may be served by what it holds now (scanDatabaseForReadyKeys).
  const blocking = c.engine.blocking;
  if (blocking.count > 0) for (const db of [db1, db2]) for (const k of db.dict.keys()) blocking.signal(db, k);
  c.engine.dirty++;
  return OK;
}

/** FLUSHDB / FLUSHALL's optional mode (getFlushCommandFlags). Both modes free at once here. */
function flushMode(c: Ctx): void {
  if (!c.args.has()) return;
  const mode = c.args.nextUpper();
  if ((mode !== 'ASYNC' && mode !== 'SYNC') || c.args.has()) throw new CommandError(E.SYNTAX);
}

// FLUSHDB [ASYNC | SYNC]
function flushdb(c: Ctx): Reply {
  flushMode(c);
  // Signalled while the keys are still there, as Redis's signalFlushedDb (WATCH touches those that exist).
  c.engine.signalFlushedDb(c.db);
  c.engine.dirty += c.db.size;
  c.db.clear();
  return OK;
}

// FLUSHALL [ASYNC | SYNC]
function flushall(c: Ctx): Reply {
  flushMode(c);
  c.engine.signalFlushedDb(null);
  for (const db of c.engine.dbs) {
    c.engine.dirty += db.size;
    db.clear();
  }
  return OK;
}

// ---- OBJECT -----------------------------------------------------------------------------------------------

/** objectCommandLookup: a read lookup that neither touches the key nor fires `keymiss`. */
function objectLookup(c: Ctx): Entry | undefined {
  return c.db.lookupRead(c.args.next(), c.now, false);
}

const LFU_NOT_SELECTED =
  'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';
const LFU_SELECTED =
  'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';

/** Redis shares the string objects of the integers 0..9999 (OBJ_SHARED_INTEGERS) and reports them so. */
const SHARED_REFCOUNT = 2147483647;

// OBJECT ENCODING key
function objectEncoding(c: Ctx): Reply {
  const e = objectLookup(c);
  if (e === undefined) return null;
  return e.type === ObjType.String ? stringEncoding(e) : (e.value as CollectionValue).encoding;
}

// OBJECT REFCOUNT key
function objectRefcount(c: Ctx): Reply {
  const e = objectLookup(c);
  if (e === undefined) return null;
  if (e.type !== ObjType.String || stringEncoding(e) !== 'int') return 1;
  const v = e.value as string;
  // Small integers are shared unless an LRU/LFU policy with a memory limit wants per-key access data.
  const policy = c.engine.config.get('maxmemory-policy') ?? '';
  const sharing = c.engine.config.maxmemory === 0 || !/-(lru|lfu)$/.test(policy);
  const small = v.length <= 4 && v[0] !== '-' && Number(v) < 10000;
  return sharing && small ? SHARED_REFCOUNT : 1;
}

// OBJECT IDLETIME key
function objectIdletime(c: Ctx): Reply {
  const e = objectLookup(c);
  if (e === undefined) return null;
  if (c.engine.config.lfu) throw new CommandError(LFU_SELECTED);
  // Redis's LRU clock has a resolution of one second.
  return Math.floor(c.now / 1000) - Math.floor(e.atime / 1000);
}

// OBJECT FREQ key
function objectFreq(c: Ctx): Reply {
  const e = objectLookup(c);
  if (e === undefined) return null;
  if (!c.engine.config.lfu) throw new CommandError(LFU_NOT_SELECTED);
  return lfuDecrAndReturn(e.freq, e.atime, c.now, c.engine.config.getInt('lfu-decay-time'));
}

const OBJECT_HELP = [
  'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
  'HELP',
  '    Prints this help.',
];

// OBJECT HELP
function objectHelp(): Reply {
  return OBJECT_HELP.map(simple);
}

// ---- the table ----------------------------------------------------------------------------------------------

/** A key spec at argv[index] for one key (or to the end with lastkey -1). */
const ks = (index: number, flags: KeySpec['flags'], lastkey = 0): KeySpec => ({
  flags, begin: { index }, find: { lastkey, keystep: 1, limit: 0 },
});

const MULTI_SHARD = ['request_policy:multi_shard', 'response_policy:agg_sum'];
const OPTIONS_HISTORY: [string, string][] = [['7.0.0', 'Added options: `NX`, `XX`, `GT` and `LT`.']];
const FLUSH_HISTORY: [string, string][] = [
  ['4.0.0', 'Added the `ASYNC` flushing mode modifier.'],
  ['6.2.0', 'Added the `SYNC` flushing mode modifier.'],
];

/** The spec shared by OBJECT's key-taking subcommands. */
const objectSub = (name: string, summary: string, since: string, handler: (c: Ctx) => Reply): CommandSpec => ({
  name: `object|${name}`, arity: 3, flags: ['readonly'], acl: ['keyspace'], keys: [2, 2, 1],
  keySpecs: [ks(2, ['RO'])], tips: ['nondeterministic_output'], group: 'generic', summary, since,
  syntax: `OBJECT ${name.toUpperCase()} key`, complexity: 'O(1)', handler,
});

export const commands: CommandSpec[] = [
  {
    name: 'copy', arity: -3, flags: ['write', 'denyoom'], acl: ['keyspace'], keys: [1, 2, 1],
    keySpecs: [ks(1, ['RO', 'access']), ks(2, ['OW', 'update'])], group: 'generic', summary: 'Copy a key',
    since: '6.2.0', syntax: 'COPY source destination [DB destination-db] [REPLACE]',
    complexity: 'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.',
    handler: copy,
  },
  {
    name: 'del', arity: -2, flags: ['write'], acl: ['keyspace'], keys: [1, -1, 1], keySpecs: [ks(1, ['RM', 'delete'], -1)],
    tips: MULTI_SHARD, group: 'generic', summary: 'Delete a key', since: '1.0.0', syntax: 'DEL key [key ...]',
    complexity:
      'O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).',
    handler: del,
  },
  {
    name: 'exists', arity: -2, flags: ['readonly', 'fast'], acl: ['keyspace'], keys: [1, -1, 1],
    keySpecs: [ks(1, ['RO'], -1)], tips: MULTI_SHARD, group: 'generic', summary: 'Determine if a key exists',
    since: '1.0.0', syntax: 'EXISTS key [key ...]', complexity: 'O(N) where N is the number of keys to check.',
    history: [['3.0.3', 'Accepts multiple `key` arguments.']], handler: exists,
  },
  {
    name: 'expire', arity: -3, flags: ['write', 'fast'], acl: ['keyspace'], keys: [1, 1, 1], group: 'generic',
    summary: "Set a key's time to live in seconds", since: '1.0.0', syntax: 'EXPIRE key seconds [NX | XX | GT | LT]',
    complexity: 'O(1)', history: OPTIONS_HISTORY, handler: expire,
  },
  {
    name: 'pexpire', arity: -3, flags: ['write', 'fast'], acl: ['keyspace'], keys: [1, 1, 1], group: 'generic',
    summary: "Set a key's time to live in milliseconds", since: '2.6.0',
    syntax: 'PEXPIRE key milliseconds [NX | XX | GT | LT]', complexity: 'O(1)', history: OPTIONS_HISTORY,
    handler: pexpire,
  },
  {
    name: 'expireat', arity: -3, flags: ['write', 'fast'], acl: ['keyspace'], keys: [1, 1, 1], group: 'generic',
    summary: 'Set the expiration for a key as a UNIX timestamp', since: '1.2.0',
    syntax: 'EXPIREAT key unix-time-seconds [NX | XX | GT | LT]', complexity: 'O(1)', history: OPTIONS_HISTORY,
    handler: expireat,
  },
  {
    name: 'pexpireat', arity: -3, flags: ['write', 'fast'], acl: ['keyspace'], keys: [1, 1, 1], group: 'generic',
    summary: 'Set the expiration for a key as a UNIX timestamp specified in milliseconds', since: '2.6.0',
    syntax: 'PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]', complexity: 'O(1)',
    history: OPTIONS_HISTORY, handler: pexpireat,
  },
  {
    name: 'expiretime', arity: 2, flags: ['readonly', 'fast'], acl: ['keyspace'], keys: [1, 1, 1], group: 'generic',
    summary: 'Get the expiration Unix timestamp for a key', since: '7.0.0', syntax: 'EXPIRETIME key',
    complexity: 'O(1)', handler: expiretime,
  },
  {
    name: 'pexpiretime', arity: 2, flags: ['readonly', 'fast'], acl: ['keyspace'], keys: [1, 1, 1],
    group: 'generic', summary: 'Get the expiration Unix timestamp for a key in milliseconds', since: '7.0.0',
    syntax: 'PEXPIRETIME key', complexity: 'O(1)', handler: pexpiretime,
  },
  {
    name: 'keys', arity: 2, flags: ['readonly'], acl: ['keyspace', 'dangerous'], keys: [0, 0, 0],
    tips: ['request_policy:all_shards', 'nondeterministic_output_order'], group: 'generic',
    summary: 'Find all keys matching the given pattern', since: '1.0.0', syntax: 'KEYS pattern',
    complexity:
      'O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.',
    handler: keys,
  },
  {
    name: 'persist', arity: 2, flags: ['write', 'fast'], acl: ['keyspace'], keys: [1, 1, 1], group: 'generic',
    summary: 'Remove the expiration from a key', since: '2.2.0', syntax: 'PERSIST key', complexity: 'O(1)',
    handler: persist,
  },
  {
    name: 'pttl', arity: 2, flags: ['readonly', 'fast'], acl: ['keyspace'], keys: [1, 1, 1],
    tips: ['nondeterministic_output'], group: 'generic', summary: 'Get the time to live for a key in milliseconds',
    since: '2.6.0', syntax: 'PTTL key', complexity: 'O(1)', history: [['2.8.0', 'Added the -2 reply.']],
    handler: pttl,
  },
  {
    name: 'ttl', arity: 2, flags: ['readonly', 'fast'], acl: ['keyspace'], keys: [1, 1, 1],
    tips: ['nondeterministic_output'], group: 'generic', summary: 'Get the time to live for a key in seconds',
    since: '1.0.0', syntax: 'TTL key', complexity: 'O(1)', history: [['2.8.0', 'Added the -2 reply.']],
    handler: ttl,
  },
  {
    name: 'randomkey', arity: 1, flags: ['readonly'], acl: ['keyspace'], keys: [0, 0, 0],
    tips: ['request_policy:all_shards', 'nondeterministic_output'], group: 'generic',
    summary: 'Return a random key from the keyspace', since: '1.0.0', syntax: 'RANDOMKEY', complexity: 'O(1)',
    handler: randomkey,
  },
  {
    name: 'rename', arity: 3, flags: ['write'], acl: ['keyspace'], keys: [1, 2, 1],
    keySpecs: [ks(1, ['RW', 'access', 'delete']), ks(2, ['OW', 'update'])], group: 'generic',
    summary: 'Rename a key', since: '1.0.0', syntax: 'RENAME key newkey', complexity: 'O(1)', handler: rename,
  },
  {
    name: 'renamenx', arity: 3, flags: ['write', 'fast'], acl: ['keyspace'], keys: [1, 2, 1],
    keySpecs: [ks(1, ['RW', 'access', 'delete']), ks(2, ['OW', 'insert'])], group: 'generic',
    summary: 'Rename a key, only if the new key does not exist', since: '1.0.0', syntax: 'RENAMENX key newkey',
    complexity: 'O(1)',
    history: [['3.2.0', 'The command no longer returns an error when source and destination names are the same.']],
    handler: renamenx,
  },
  {
    name: 'scan', arity: -2, flags: ['readonly'], acl: ['keyspace'], keys: [0, 0, 0],
    tips: ['nondeterministic_output', 'request_policy:special'], group: 'generic',
    summary: 'Incrementally iterate the keys space', since: '2.8.0',
    syntax: 'SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]',
    complexity:
      'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.',
    history: [['6.0.0', 'Added the `TYPE` subcommand.']], handler: scan,
  },
  {
    name: 'touch', arity: -2, flags: ['readonly', 'fast'], acl: ['keyspace'], keys: [1, -1, 1],
    keySpecs: [ks(1, ['RO'], -1)], tips: MULTI_SHARD, group: 'generic',
    summary: 'Alters the last access time of a key(s). Returns the number of existing keys specified.',
    since: '3.2.1', syntax: 'TOUCH key [key ...]', complexity: 'O(N) where N is the number of keys that will be touched.',
    handler: touch,
  },
  {
    name: 'type', arity: 2, flags: ['readonly', 'fast'], acl: ['keyspace'], keys: [1, 1, 1],
    keySpecs: [ks(1, ['RO'])], group: 'generic', summary: 'Determine the type stored at key', since: '1.0.0',
    syntax: 'TYPE key', complexity: 'O(1)', handler: type,
  },
  {
    name: 'unlink', arity: -2, flags: ['write', 'fast'], acl: ['keyspace'], keys: [1, -1, 1],
    keySpecs: [ks(1, ['RM', 'delete'], -1)], tips: MULTI_SHARD, group: 'generic',
    summary: 'Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.',
    since: '4.0.0', syntax: 'UNLINK key [key ...]',
    complexity:
      'O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.',
    handler: del,
  },
  {
    name: 'move', arity: 3, flags: ['write', 'fast'], acl: ['keyspace'], keys: [1, 1, 1],
    keySpecs: [ks(1, ['RW', 'access', 'update'])], group: 'generic', summary: 'Move a key to another database',
    since: '1.0.0', syntax: 'MOVE key db', complexity: 'O(1)', handler: move,
  },
  {
    name: 'object', arity: -2, flags: [], acl: [], keys: [0, 0, 0], group: 'generic',
    summary: 'A container for object introspection commands', since: '2.2.3', syntax: 'OBJECT',
    complexity: 'Depends on subcommand.',
    sub: [
      objectSub('idletime', 'Get the time since a Redis object was last accessed', '2.2.3', objectIdletime),
      objectSub('freq', 'Get the logarithmic access frequency counter of a Redis object', '4.0.0', objectFreq),
      objectSub('encoding', 'Inspect the internal encoding of a Redis object', '2.2.3', objectEncoding),
      {
        name: 'object|help', arity: 2, flags: ['loading', 'stale'], acl: ['keyspace'], keys: [0, 0, 0],
        group: 'generic', summary: 'Show helpful text about the different subcommands', since: '6.2.0',
        syntax: 'OBJECT HELP', complexity: 'O(1)', handler: objectHelp,
      },
      objectSub('refcount', 'Get the number of references to the value of the key', '2.2.3', objectRefcount),
    ],
  },
  {
    name: 'dbsize', arity: 1, flags: ['readonly', 'fast'], acl: ['keyspace'], keys: [0, 0, 0],
    tips: ['request_policy:all_shards', 'response_policy:agg_sum'], group: 'server',
    summary: 'Return the number of keys in the selected database', since: '1.0.0', syntax: 'DBSIZE',
    complexity: 'O(1)', handler: dbsize,
  },
  {
    name: 'flushdb', arity: -1, flags: ['write'], acl: ['keyspace', 'dangerous'], keys: [0, 0, 0],
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'], group: 'server',
    summary: 'Remove all keys from the current database', since: '1.0.0', syntax: 'FLUSHDB [ASYNC | SYNC]',
    complexity: 'O(N) where N is the number of keys in the selected database', history: FLUSH_HISTORY,
    handler: flushdb,
  },
  {
    name: 'flushall', arity: -1, flags: ['write'], acl: ['keyspace', 'dangerous'], keys: [0, 0, 0],
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'], group: 'server',
    summary: 'Remove all keys from all databases', since: '1.0.0', syntax: 'FLUSHALL [ASYNC | SYNC]',
    complexity: 'O(N) where N is the total number of keys in all databases', history: FLUSH_HISTORY,
    handler: flushall,
  },
  {
    name: 'select', arity: 2, flags: ['loading', 'stale', 'fast'], acl: ['connection'], keys: [0, 0, 0],
    group: 'connection', summary: 'Change the selected database for the current connection', since: '1.0.0',
    syntax: 'SELECT index', complexity: 'O(1)', handler: select,
  },
  {
    name: 'swapdb', arity: 3, flags: ['write', 'fast'], acl: ['keyspace', 'dangerous'], keys: [0, 0, 0],
    group: 'server', summary: 'Swaps two Redis databases', since: '4.0.0', syntax: 'SWAPDB index1 index2',
    complexity: 'O(N) where N is the count of clients watching or blocking on keys from both databases.',
    handler: swapdb,
  },
];
