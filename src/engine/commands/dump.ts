/**
 * DUMP and RESTORE (Redis's cluster.c): a value out as Redis 7.0's serialized payload, and a payload — from
 * tabhive or from any redis-server up to 7.0 — back in as a key. The format itself is rdb.ts.
 *
 * Rules kept here, as Redis does:
 * - RESTORE checks, in this order: the options (syntax), the target key (BUSYKEY unless REPLACE), the TTL, the
 *   payload's version and checksum, then the payload itself ("Bad data format" for anything it cannot load,
 *   including the streams and module values tabhive does not have);
 * - a TTL of 0 means no expiry; a relative TTL is added to the command's time (wrapping as C's 64-bit sum
 *   does); a time already past creates nothing and still answers OK — deleting the old key under REPLACE,
 *   with a "del" event;
 * - IDLETIME sets the access time unless the maxmemory-policy is an LFU one, FREQ sets the LFU counter only
 *   when it is; the two exclude each other;
 * - the restored value gets the encoding Redis's loader gives it under the current configuration.
 */
import { rangeSpec, type CommandSpec } from '../command.js';
import type { Ctx } from '../ctx.js';
import { fromBytes, toBytes } from '../bytes.js';
import { CommandError, E } from '../errors.js';
import { NotifyClass } from '../notify.js';
import { atimeForIdle, createDumpPayload, loadDumpPayload, RdbError, rdbSettings, verifyDumpPayload } from '../rdb.js';
import { OK, type Reply } from '../reply.js';

const BUSYKEY = 'BUSYKEY Target key name already exists.';

// DUMP key
function dump(c: Ctx): Reply {
  const e = c.read(c.args.next());
  if (e === undefined) return null;
  return fromBytes(createDumpPayload(e, rdbSettings(c.engine)));
}

// RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
function restore(c: Ctx): Reply {
  const a = c.args;
  const key = a.next();
  const ttlArg = a.next();
  const payload = a.next();
  let replace = false;
  let absttl = false;
  let idle: bigint = -1n;
  let freq = -1;
  while (a.has()) {
    const opt = a.nextUpper();
    const more = a.has();
    if (opt === 'REPLACE') {
      replace = true;
    } else if (opt === 'ABSTTL') {
      absttl = true;
    } else if (opt === 'IDLETIME' && more && freq === -1) {
      idle = BigInt(a.nextInt());
      if (idle < 0n) throw new CommandError('ERR Invalid IDLETIME value, must be >= 0');
    } else if (opt === 'FREQ' && more && idle === -1n) {
      const v = a.nextInt();
      if (v < 0 || v > 255) throw new CommandError('ERR Invalid FREQ value, must be >= 0 and <= 255');
      freq = Number(v);
    } else {
      throw new CommandError(E.SYNTAX);
    }
  }

  if (!replace && c.write(key) !== undefined) throw new CommandError(BUSYKEY);

  let ttl = parseTtl(ttlArg);
  if (ttl === null) throw new CommandError(E.NOT_INT);
  if (ttl < 0n) throw new CommandError('ERR Invalid TTL value, must be >= 0');

  const bytes = toBytes(payload);
  if (!verifyDumpPayload(bytes)) throw new CommandError('ERR DUMP payload version or checksum are wrong');
  let loaded;
  try {
    loaded = loadDumpPayload(bytes, rdbSettings(c.engine));
  } catch (e) {
    if (e instanceof RdbError) throw new CommandError('ERR Bad data format');
    throw e;
  }

  const deleted = replace && c.db.remove(key);
  const now = BigInt(c.now);
  if (ttl !== 0n && !absttl) ttl = BigInt.asIntN(64, ttl + now);
  if (ttl !== 0n && ttl <= now) {
    if (deleted) {
      c.modified(key);
      c.notify(NotifyClass.Generic, 'del', key);
    }
    return OK;
  }

  const e = c.db.add(key, loaded.type, loaded.value, c.now);
  if (ttl !== 0n) c.db.setExpire(e, Number(ttl));
  if (c.engine.config.lfu) {
    if (freq >= 0) e.freq = freq;
  } else if (idle >= 0n) {
    e.atime = atimeForIdle(c.now, idle);
  }
  c.modified(key);
  c.notify(NotifyClass.Generic, 'restore', key);
  return OK;
}

/** The TTL argument as a 64-bit integer (Redis's getLongLongFromObjectOrReply), or null. */
function parseTtl(s: string): bigint | null {
  if (!/^(?:0|-?[1-9][0-9]*)$/.test(s) || s.length > 20) return null;
  const v = BigInt(s);
  return v === BigInt.asIntN(64, v) ? v : null;
}

export const commands: CommandSpec[] = [
  {
    name: 'dump', arity: 2, flags: ['readonly'], acl: ['keyspace'], keys: [1, 1, 1],
    tips: ['nondeterministic_output'], group: 'generic',
    summary: 'Return a serialized version of the value stored at the specified key.', since: '2.6.0',
    differs: 'Hashtable-encoded sets and hashes list their members in insertion order, not in Redis\'s hash order.',
    syntax: 'DUMP key',
    complexity:
      'O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).',
    handler: dump,
  },
  {
    name: 'restore', arity: -4, flags: ['write', 'denyoom'], acl: ['keyspace', 'dangerous'], keys: [1, 1, 1],
    keySpecs: [rangeSpec(['OW', 'update'])], group: 'generic',
    differs: 'Payloads holding streams or module values are refused (Bad data format): tabhive has neither.',
    summary: 'Create a key using the provided serialized value, previously obtained using DUMP.', since: '2.6.0',
    syntax: 'RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]',
    complexity:
      'O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).',
    history: [
      ['3.0.0', 'Added the `REPLACE` modifier.'],
      ['5.0.0', 'Added the `ABSTTL` modifier.'],
      ['5.0.0', 'Added the `IDLETIME` and `FREQ` options.'],
    ],
    handler: restore,
  },
];
