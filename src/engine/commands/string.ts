/**
 * Strings (Redis's t_string.c). A string value is the binary string itself (Entry.value).
 */
import type { CommandSpec } from '../command.js';
import type { Ctx } from '../ctx.js';
import { CommandError, E, invalidExpire } from '../errors.js';
import { ObjType, type Entry } from '../keyspace.js';
import { NotifyClass } from '../notify.js';
import { OK, type Reply } from '../reply.js';

// ---- helpers shared by the family -----------------------------------------------------------------------

/** Store a string value, dropping the TTL unless `keepTtl` (setKey in Redis). */
export function setString(c: Ctx, key: string, value: string, keepTtl = false): Entry {
  return c.db.setKey(key, ObjType.String, value, c.now, keepTtl);
}

/**
 * Turn a relative/absolute expire argument into an absolute ms time, with Redis's checks: not positive or
 * overflowing → "invalid expire time in '<cmd>' command".
 */
export function expireAt(c: Ctx, raw: number | bigint, unitMs: 1 | 1000, absolute: boolean, cmd: string): number {
  if (typeof raw === 'bigint' || raw <= 0) {
    if (typeof raw === 'bigint' && raw > 0n) throw new CommandError(invalidExpire(cmd));
    throw new CommandError(invalidExpire(cmd));
  }
  let ms = raw * unitMs;
  if (!absolute) ms += c.now;
  if (!Number.isSafeInteger(ms)) throw new CommandError(invalidExpire(cmd));
  return ms;
}

// ---- commands ---------------------------------------------------------------------------------------------

// GET key
function get(c: Ctx): Reply {
  const e = c.read(c.args.next(), ObjType.String);
  return e === undefined ? null : (e.value as string);
}

const enum SetFlag {
  NX = 1,
  XX = 2,
  GET = 4,
  KEEPTTL = 8,
  EX = 16,
  PX = 32,
  EXAT = 64,
  PXAT = 128,
}
const EXPIRE_FLAGS = SetFlag.EX | SetFlag.PX | SetFlag.EXAT | SetFlag.PXAT;

// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]
function set(c: Ctx): Reply {
  const a = c.args;
  const key = a.next();
  const value = a.next();
  let flags = 0;
  let ttlArg: number | bigint = 0;
  while (a.has()) {
    const opt = a.nextUpper();
    if (opt === 'NX' && !(flags & (SetFlag.XX | SetFlag.NX))) flags |= SetFlag.NX;
    else if (opt === 'XX' && !(flags & (SetFlag.NX | SetFlag.XX))) flags |= SetFlag.XX;
    else if (opt === 'GET' && !(flags & SetFlag.GET)) flags |= SetFlag.GET;
    else if (opt === 'KEEPTTL' && !(flags & (EXPIRE_FLAGS | SetFlag.KEEPTTL))) flags |= SetFlag.KEEPTTL;
    else if (
      (opt === 'EX' || opt === 'PX' || opt === 'EXAT' || opt === 'PXAT') &&
      !(flags & (EXPIRE_FLAGS | SetFlag.KEEPTTL)) &&
      a.has()
    ) {
      flags |= opt === 'EX' ? SetFlag.EX : opt === 'PX' ? SetFlag.PX : opt === 'EXAT' ? SetFlag.EXAT : SetFlag.PXAT;
      ttlArg = a.nextInt();
    } else throw new CommandError(E.SYNTAX);
  }
  let when = 0;
  if (flags & EXPIRE_FLAGS) {
    when = expireAt(c, ttlArg, flags & (SetFlag.EX | SetFlag.EXAT) ? 1000 : 1, !!(flags & (SetFlag.EXAT | SetFlag.PXAT)), 'set');
  }
  const old = c.write(key);
  if (flags & SetFlag.GET && old !== undefined && old.type !== ObjType.String) throw new CommandError(E.WRONGTYPE);
  const prev: Reply = old === undefined ? null : (old.value as string);
  if ((flags & SetFlag.NX && old !== undefined) || (flags & SetFlag.XX && old === undefined)) {
    return flags & SetFlag.GET ? prev : null;
  }
  const e = setString(c, key, value, !!(flags & SetFlag.KEEPTTL));
  if (when) c.db.setExpire(e, when);
  c.modified(key);
  c.notify(NotifyClass.String, 'set', key);
  if (when) c.notify(NotifyClass.Generic, 'expire', key);
  return flags & SetFlag.GET ? prev : OK;
}

// ---- the table ----------------------------------------------------------------------------------------------

export const commands: CommandSpec[] = [
  {
    name: 'get', arity: 2, flags: ['readonly', 'fast'], acl: ['string'], keys: [1, 1, 1], group: 'string',
    summary: 'Get the value of a key', since: '1.0.0', syntax: 'GET key', complexity: 'O(1)', handler: get,
  },
  {
    name: 'set', arity: -3, flags: ['write', 'denyoom'], acl: ['string'], keys: [1, 1, 1], group: 'string',
    summary: 'Set the string value of a key', since: '1.0.0',
    syntax: 'SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]',
    complexity: 'O(1)', handler: set,
  },
];
