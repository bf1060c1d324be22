/**
 * Hashes (Redis's t_hash.c).
 *
 * A hash is a HashValue: an OrderedDict of field slots (insertion order, sequence-numbered for HSCAN's
 * cursor and O(1) random picks) plus the encoding Redis 7.0 would report. It is "listpack" while it has at
 * most hash-max-listpack-entries fields and no field or value longer than hash-max-listpack-value bytes,
 * "hashtable" from the first write that breaks either rule, for good (Redis never converts back).
 */
import { type CommandSpec, rangeSpec as rng } from '../command.js';
import type { Ctx } from '../ctx.js';
import { pickDistinct, RANDOM_REPLY_LIMIT } from '../ds/sample.js';
import { parseScanCursor, parseScanOptions, scanAll, scanDict, type ScanSlot } from '../ds/scan.js';
import { CommandError, E, wrongArity } from '../errors.js';
import { ObjType, OrderedDict, registerCodec, type CollectionValue } from '../keyspace.js';
import {
  addLongDouble,
  formatLongDoubleHuman,
  isFiniteLD,
  longDoubleFromInt,
  parseLongDouble,
} from '../longdouble.js';
import { NotifyClass } from '../notify.js';
import { addI64, i64ToString, parseI64 } from '../numbers.js';
import { map, OK, type Reply } from '../reply.js';

// ---- the data structure -----------------------------------------------------------------------------------

class FieldSlot implements ScanSlot {
  seq = 0;
  dead = false;
  constructor(
    readonly key: string,
    public value: string,
  ) {}
}

/** The listpack limits in force for one command (read once from the config). */
export interface HashLimits {
  entries: number;
  value: number;
}

export function hashLimits(c: Ctx): HashLimits {
  const cfg = c.engine.config;
  return { entries: cfg.getInt('hash-max-listpack-entries'), value: cfg.getInt('hash-max-listpack-value') };
}

export class HashValue implements CollectionValue {
  readonly dict = new OrderedDict<FieldSlot>();
  /** False once converted to a hashtable. */
  listpack = true;

  get encoding(): string {
    return this.listpack ? 'listpack' : 'hashtable';
  }

  get size(): number {
    return this.dict.size;
  }

  get(field: string): string | undefined {
    return this.dict.get(field)?.value;
  }

  has(field: string): boolean {
    return this.dict.has(field);
  }

  /**
   * Set a field; true when it was created. The listpack → hashtable rules are Redis's hashTypeSet: a field
   * or value too long converts before the write, one field too many after it.
   */
  set(field: string, value: string, lim: HashLimits): boolean {
    if (this.listpack && (field.length > lim.value || value.length > lim.value)) this.listpack = false;
    const slot = this.dict.get(field);
    if (slot !== undefined) {
      slot.value = value;
      return false;
    }
    this.dict.add(field, new FieldSlot(field, value));
    if (this.listpack && this.dict.size > lim.entries) this.listpack = false;
    return true;
  }

  /**
   * Redis's hashTypeTryConversion: before a multi-field write, any argument longer than the value limit
   * converts the hash (whether or not the write then changes anything).
   */
  checkArgs(args: readonly string[], from: number, lim: HashLimits): void {
    if (!this.listpack) return;
    for (let i = from; i < args.length; i++) {
      if (args[i].length > lim.value) {
        this.listpack = false;
        return;
      }
    }
  }

  delete(field: string): boolean {
    return this.dict.delete(field) !== undefined;
  }

  slots(): IterableIterator<FieldSlot> {
    return this.dict.values();
  }

  /** Fields and values, flat, in iteration order. */
  flat(): string[] {
    const out: string[] = [];
    for (const s of this.dict.values()) out.push(s.key, s.value);
    return out;
  }

  random(rnd: () => number): FieldSlot {
    return this.dict.random(rnd)!;
  }

  clone(): HashValue {
    const h = new HashValue();
    h.listpack = this.listpack;
    for (const s of this.dict.values()) h.dict.add(s.key, new FieldSlot(s.key, s.value));
    return h;
  }

  /** `[encoding (0 listpack, 1 hashtable), field, value, field, value …]`. */
  serialize(): unknown {
    const out: (string | number)[] = [this.listpack ? 0 : 1];
    for (const s of this.dict.values()) out.push(s.key, s.value);
    return out;
  }

  static revive(data: unknown): HashValue {
    const a = data as (string | number)[];
    const h = new HashValue();
    h.listpack = a[0] === 0;
    for (let i = 1; i + 1 < a.length; i += 2) h.dict.add(a[i] as string, new FieldSlot(a[i] as string, a[i + 1] as string));
    return h;
  }
}

registerCodec(ObjType.Hash, (d) => HashValue.revive(d));

// ---- helpers shared by the family -------------------------------------------------------------------------

function readHash(c: Ctx, key: string): HashValue | undefined {
  return c.read(key, ObjType.Hash)?.value as HashValue | undefined;
}

/** Redis's hashTypeLookupWriteOrCreate: the hash at `key`, created empty (listpack) when absent. */
function hashForWrite(c: Ctx, key: string): HashValue {
  const e = c.write(key, ObjType.Hash);
  if (e !== undefined) return e.value as HashValue;
  const h = new HashValue();
  c.db.add(key, ObjType.Hash, h, c.now);
  return h;
}

/** Delete the key when the last field went (HDEL). */
function deleteIfEmpty(c: Ctx, key: string, h: HashValue): boolean {
  if (h.size !== 0) return false;
  c.db.remove(key);
  return true;
}

// ---- commands ---------------------------------------------------------------------------------------------

// HSET key field value [field value ...]   (and HMSET, which replies OK)
function hsetGeneric(c: Ctx, name: 'hset' | 'hmset'): Reply {
  const argv = c.argv;
  if (argv.length % 2 === 1) throw new CommandError(wrongArity(name));
  const key = c.args.next();
  const h = hashForWrite(c, key);
  const lim = hashLimits(c);
  h.checkArgs(argv, 2, lim);
  let created = 0;
  for (let i = 2; i < argv.length; i += 2) if (h.set(argv[i], argv[i + 1], lim)) created++;
  c.modified(key, c.db, (argv.length - 2) / 2);
  c.notify(NotifyClass.Hash, 'hset', key);
  return name === 'hset' ? created : OK;
}

// HSET key field value [field value ...]
function hset(c: Ctx): Reply {
  return hsetGeneric(c, 'hset');
}

// HMSET key field value [field value ...]
function hmset(c: Ctx): Reply {
  return hsetGeneric(c, 'hmset');
}

// HSETNX key field value
function hsetnx(c: Ctx): Reply {
  const key = c.args.next();
  const field = c.args.next();
  const value = c.args.next();
  const h = hashForWrite(c, key);
  if (h.has(field)) return 0;
  const lim = hashLimits(c);
  h.checkArgs(c.argv, 2, lim);
  h.set(field, value, lim);
  c.modified(key);
  c.notify(NotifyClass.Hash, 'hset', key);
  return 1;
}

// HGET key field
function hget(c: Ctx): Reply {
  const h = readHash(c, c.args.next());
  if (h === undefined) return null;
  return h.get(c.args.next()) ?? null;
}

// HMGET key field [field ...]
function hmget(c: Ctx): Reply {
  const h = readHash(c, c.args.next());
  const out: Reply[] = [];
  while (c.args.has()) {
    const field = c.args.next();
    out.push(h?.get(field) ?? null);
  }
  return out;
}

// HDEL key field [field ...]
function hdel(c: Ctx): Reply {
  const key = c.args.next();
  const e = c.write(key, ObjType.Hash);
  if (e === undefined) return 0;
  const h = e.value as HashValue;
  let deleted = 0;
  let removed = false;
  while (c.args.has()) {
    if (h.delete(c.args.next())) {
      deleted++;
      if ((removed = deleteIfEmpty(c, key, h))) break;
    }
  }
  if (deleted) {
    c.modified(key, c.db, deleted);
    c.notify(NotifyClass.Hash, 'hdel', key);
    if (removed) c.notify(NotifyClass.Generic, 'del', key);
  }
  return deleted;
}

// HLEN key
function hlen(c: Ctx): Reply {
  return readHash(c, c.args.next())?.size ?? 0;
}

// HSTRLEN key field
function hstrlen(c: Ctx): Reply {
  const h = readHash(c, c.args.next());
  return h?.get(c.args.next())?.length ?? 0;
}

// HEXISTS key field
function hexists(c: Ctx): Reply {
  const h = readHash(c, c.args.next());
  return h !== undefined && h.has(c.args.next()) ? 1 : 0;
}

// HKEYS key
function hkeys(c: Ctx): Reply {
  const h = readHash(c, c.args.next());
  const out: Reply[] = [];
  if (h !== undefined) for (const s of h.slots()) out.push(s.key);
  return out;
}

// HVALS key
function hvals(c: Ctx): Reply {
  const h = readHash(c, c.args.next());
  const out: Reply[] = [];
  if (h !== undefined) for (const s of h.slots()) out.push(s.value);
  return out;
}

// HGETALL key
function hgetall(c: Ctx): Reply {
  const h = readHash(c, c.args.next());
  return map(h === undefined ? [] : h.flat());
}

// HINCRBY key field increment
function hincrby(c: Ctx): Reply {
  const key = c.args.next();
  const field = c.args.next();
  const incr = c.args.nextInt();
  const h = hashForWrite(c, key);
  const cur = h.get(field);
  let old: number | bigint = 0;
  if (cur !== undefined) {
    const v = parseI64(cur);
    if (v === null) throw new CommandError('ERR hash value is not an integer');
    old = v;
  }
  const sum = addI64(old, incr);
  if (sum === null) throw new CommandError(E.OVERFLOW);
  h.set(field, i64ToString(sum), hashLimits(c));
  c.modified(key);
  c.notify(NotifyClass.Hash, 'hincrby', key);
  return sum;
}

// HINCRBYFLOAT key field increment
function hincrbyfloat(c: Ctx): Reply {
  const key = c.args.next();
  const field = c.args.next();
  const incr = parseLongDouble(c.args.next());
  if (incr === null) throw new CommandError(E.NOT_FLOAT);
  if (!isFiniteLD(incr)) throw new CommandError('ERR value is NaN or Infinity');
  const h = hashForWrite(c, key);
  const cur = h.get(field);
  let old = longDoubleFromInt(0);
  if (cur !== undefined) {
    // A listpack keeps integer-looking values as integers, read back exactly; anything else goes through
    // string2ld. Both give the same long double, so parsing the text covers both.
    const i = parseI64(cur);
    const v = i !== null ? longDoubleFromInt(i) : parseLongDouble(cur);
    if (v === null) throw new CommandError('ERR hash value is not a float');
    old = v;
  }
  const sum = addLongDouble(old, incr);
  if (!isFiniteLD(sum)) throw new CommandError(E.NAN_INF);
  const text = formatLongDoubleHuman(sum);
  h.set(field, text, hashLimits(c));
  c.modified(key);
  c.notify(NotifyClass.Hash, 'hincrbyfloat', key);
  return text;
}

// HRANDFIELD key [count [WITHVALUES]]
function hrandfield(c: Ctx): Reply {
  const a = c.args;
  const key = a.next();
  if (!a.has()) {
    const h = readHash(c, key);
    return h === undefined ? null : h.random(c.engine.random).key;
  }
  const l = a.nextInt();
  if (l === -(2n ** 63n)) {
    throw new CommandError('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
  }
  let withValues = false;
  if (a.has()) {
    if (a.nextUpper() !== 'WITHVALUES' || a.has()) throw new CommandError(E.SYNTAX);
    withValues = true;
    if (l < -4611686018427387903n || l > 4611686018427387903n) throw new CommandError('ERR value is out of range');
  }
  const h = readHash(c, key);
  if (h === undefined) return [];
  const unique = l >= 0;
  const count = typeof l === 'bigint' ? (unique ? Infinity : RANDOM_REPLY_LIMIT + 1) : Math.abs(l);
  if (count === 0) return [];
  const nested = withValues && c.session.resp === 3;
  const out: Reply[] = [];
  const emit = (s: FieldSlot) => {
    if (!withValues) out.push(s.key);
    else if (nested) out.push([s.key, s.value]);
    else out.push(s.key, s.value);
  };
  const rnd = c.engine.random;
  if (!unique || count === 1) {
    // Repeats allowed: `count` independent picks.
    if (count > RANDOM_REPLY_LIMIT) throw new CommandError('ERR value is out of range');
    for (let i = 0; i < count; i++) emit(h.random(rnd));
    return out;
  }
  if (count >= h.size) {
    for (const s of h.slots()) emit(s);
    return out;
  }
  for (const s of pickDistinct(h.dict, h.size, count, rnd)) emit(s);
  return out;
}

// HSCAN key cursor [MATCH pattern] [COUNT count]
function hscan(c: Ctx): Reply {
  const key = c.args.next();
  const cursor = parseScanCursor(c.args.next());
  const h = readHash(c, key);
  if (h === undefined) return ['0', []];
  const opts = parseScanOptions(c.args);
  if (h.listpack) return scanAll(h.flat(), opts, true);
  return scanDict(h.dict, cursor, opts, (s, out) => out.push(s.key, s.value));
}

// ---- the table ----------------------------------------------------------------------------------------------


const H = { acl: ['hash'] as CommandSpec['acl'], keys: [1, 1, 1] as [number, number, number], group: 'hash' };

export const commands: CommandSpec[] = [
  {
    name: 'hdel', arity: -3, flags: ['write', 'fast'], ...H, summary: 'Delete one or more hash fields',
    since: '2.0.0', syntax: 'HDEL key field [field ...]',
    complexity: 'O(N) where N is the number of fields to be removed.', keySpecs: [rng(['RW', 'delete'])], history: [['2.4.0', 'Accepts multiple `field` arguments.']],
    handler: hdel,
  },
  {
    name: 'hexists', arity: 3, flags: ['readonly', 'fast'], ...H, summary: 'Determine if a hash field exists',
    since: '2.0.0', syntax: 'HEXISTS key field', complexity: 'O(1)', keySpecs: [rng(['RO'])],
    handler: hexists,
  },
  {
    name: 'hget', arity: 3, flags: ['readonly', 'fast'], ...H, summary: 'Get the value of a hash field',
    since: '2.0.0', syntax: 'HGET key field', complexity: 'O(1)', handler: hget,
  },
  {
    name: 'hgetall', arity: 2, flags: ['readonly'], ...H, tips: ['nondeterministic_output_order'],
    summary: 'Get all the fields and values in a hash', since: '2.0.0', syntax: 'HGETALL key',
    complexity: 'O(N) where N is the size of the hash.', handler: hgetall,
  },
  {
    name: 'hincrby', arity: 4, flags: ['write', 'denyoom', 'fast'], ...H,
    summary: 'Increment the integer value of a hash field by the given number', since: '2.0.0',
    syntax: 'HINCRBY key field increment', complexity: 'O(1)', keySpecs: [rng(['RW', 'access', 'update'])],
    handler: hincrby,
  },
  {
    name: 'hincrbyfloat', arity: 4, flags: ['write', 'denyoom', 'fast'], ...H,
    summary: 'Increment the float value of a hash field by the given amount', since: '2.6.0',
    syntax: 'HINCRBYFLOAT key field increment', complexity: 'O(1)', keySpecs: [rng(['RW', 'access', 'update'])],
    handler: hincrbyfloat,
  },
  {
    name: 'hkeys', arity: 2, flags: ['readonly'], ...H, tips: ['nondeterministic_output_order'],
    summary: 'Get all the fields in a hash', since: '2.0.0', syntax: 'HKEYS key',
    complexity: 'O(N) where N is the size of the hash.', handler: hkeys,
  },
  {
    name: 'hlen', arity: 2, flags: ['readonly', 'fast'], ...H, summary: 'Get the number of fields in a hash',
    since: '2.0.0', syntax: 'HLEN key', complexity: 'O(1)', keySpecs: [rng(['RO'])],
    handler: hlen,
  },
  {
    name: 'hmget', arity: -3, flags: ['readonly', 'fast'], ...H,
    summary: 'Get the values of all the given hash fields', since: '2.0.0', syntax: 'HMGET key field [field ...]',
    complexity: 'O(N) where N is the number of fields being requested.', handler: hmget,
  },
  {
    name: 'hmset', arity: -4, flags: ['write', 'denyoom', 'fast'], ...H,
    summary: 'Set multiple hash fields to multiple values', since: '2.0.0',
    syntax: 'HMSET key field value [field value ...]',
    complexity: 'O(N) where N is the number of fields being set.', docFlags: ['deprecated'], deprecatedSince: '4.0.0', replacedBy: '`HSET` with multiple field-value pairs',
    handler: hmset,
  },
  {
    name: 'hrandfield', arity: -2, flags: ['readonly'], ...H, tips: ['nondeterministic_output'],
    summary: 'Get one or multiple random fields from a hash', since: '6.2.0',
    syntax: 'HRANDFIELD key [count [WITHVALUES]]', complexity: 'O(N) where N is the number of fields returned',
    handler: hrandfield,
  },
  {
    name: 'hscan', arity: -3, flags: ['readonly'], ...H, tips: ['nondeterministic_output'],
    summary: 'Incrementally iterate hash fields and associated values', since: '2.8.0',
    syntax: 'HSCAN key cursor [MATCH pattern] [COUNT count]',
    complexity:
      'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
    handler: hscan,
  },
  {
    name: 'hset', arity: -4, flags: ['write', 'denyoom', 'fast'], ...H, summary: 'Set the string value of a hash field',
    since: '2.0.0', syntax: 'HSET key field value [field value ...]',
    complexity:
      'O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.',
    history: [['4.0.0', 'Accepts multiple `field` and `value` arguments.']],
    handler: hset,
  },
  {
    name: 'hsetnx', arity: 4, flags: ['write', 'denyoom', 'fast'], ...H,
    summary: 'Set the value of a hash field, only if the field does not exist', since: '2.0.0',
    syntax: 'HSETNX key field value', complexity: 'O(1)', keySpecs: [rng(['RW', 'insert'])],
    handler: hsetnx,
  },
  {
    name: 'hstrlen', arity: 3, flags: ['readonly', 'fast'], ...H,
    summary: 'Get the length of the value of a hash field', since: '3.2.0', syntax: 'HSTRLEN key field',
    complexity: 'O(1)', keySpecs: [rng(['RO'])],
    handler: hstrlen,
  },
  {
    name: 'hvals', arity: 2, flags: ['readonly'], ...H, tips: ['nondeterministic_output_order'],
    summary: 'Get all the values in a hash', since: '2.0.0', syntax: 'HVALS key',
    complexity: 'O(N) where N is the size of the hash.', handler: hvals,
  },
];

