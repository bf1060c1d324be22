/**
 * The generic (keys) family's typed methods: DEL, EXPIRE, SCAN … (node-redis v4's names, options and reply
 * shapes). See base.ts for how a family joins the client.
 */
import type { WireReply } from '../../worker/protocol.js';
import { allPages, CommandBase, millis, seconds, toBoolean, toCursor, type Key } from './base.js';

export type ExpireMode = 'NX' | 'XX' | 'GT' | 'LT';

export interface ScanOptions {
  MATCH?: string | Uint8Array;
  COUNT?: number;
  TYPE?: string;
}

export interface CopyOptions {
  /** Copy into this db rather than the selected one. */
  destinationDb?: number;
  /** Overwrite the destination if it exists. */
  replace?: boolean;
}

/** RESTORE's options. */
export interface RestoreOptions {
  /** Overwrite the key if it exists (else RESTORE rejects with BUSYKEY). */
  REPLACE?: boolean;
  /** `ttl` is a Unix time in milliseconds, not a duration. */
  ABSTTL?: boolean;
  /** The key's idle time, in seconds (unless the maxmemory-policy is an LFU one). */
  IDLETIME?: number;
  /** The key's LFU counter, 0 to 255 (only under an LFU maxmemory-policy). */
  FREQ?: number;
}

export abstract class KeyCommands<S extends string | Uint8Array = string> extends CommandBase {
  /** `DEL key [key ...]` — how many were deleted. */
  del(...keys: (Key | Key[])[]): Promise<number> {
    return this.run(['DEL', ...keys.flat()]);
  }

  /** `UNLINK key [key ...]` — how many were deleted. */
  unlink(...keys: (Key | Key[])[]): Promise<number> {
    return this.run(['UNLINK', ...keys.flat()]);
  }

  /** `EXISTS key [key ...]` — how many of them exist (a key named twice counts twice). */
  exists(...keys: (Key | Key[])[]): Promise<number> {
    return this.run(['EXISTS', ...keys.flat()]);
  }

  /** `TOUCH key [key ...]` — how many exist. */
  touch(...keys: (Key | Key[])[]): Promise<number> {
    return this.run(['TOUCH', ...keys.flat()]);
  }

  /** `EXPIRE key seconds [NX | XX | GT | LT]` — true when the timeout was set. */
  expire(key: Key, seconds: number, mode?: ExpireMode): Promise<boolean> {
    return this.run(withMode(['EXPIRE', key, seconds], mode), toBoolean);
  }

  /** `PEXPIRE key milliseconds [NX | XX | GT | LT]` — true when the timeout was set. */
  pExpire(key: Key, milliseconds: number, mode?: ExpireMode): Promise<boolean> {
    return this.run(withMode(['PEXPIRE', key, milliseconds], mode), toBoolean);
  }

  /** `EXPIREAT key unix-time-seconds [NX | XX | GT | LT]` — a Date or seconds; true when set. */
  expireAt(key: Key, timestamp: number | Date, mode?: ExpireMode): Promise<boolean> {
    return this.run(withMode(['EXPIREAT', key, seconds(timestamp)], mode), toBoolean);
  }

  /** `PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]` — a Date or ms; true when set. */
  pExpireAt(key: Key, timestamp: number | Date, mode?: ExpireMode): Promise<boolean> {
    return this.run(withMode(['PEXPIREAT', key, millis(timestamp)], mode), toBoolean);
  }

  /** `EXPIRETIME key` — unix seconds; -1 without a timeout, -2 when the key does not exist. */
  expireTime(key: Key): Promise<number> {
    return this.run(['EXPIRETIME', key]);
  }

  /** `PEXPIRETIME key` — unix ms; -1 without a timeout, -2 when the key does not exist. */
  pExpireTime(key: Key): Promise<number> {
    return this.run(['PEXPIRETIME', key]);
  }

  /** `TTL key` — seconds left; -1 without a timeout, -2 when the key does not exist. */
  ttl(key: Key): Promise<number> {
    return this.run(['TTL', key]);
  }

  /** `PTTL key` — ms left; -1 without a timeout, -2 when the key does not exist. */
  pTTL(key: Key): Promise<number> {
    return this.run(['PTTL', key]);
  }

  /** `PERSIST key` — true when a timeout was removed. */
  persist(key: Key): Promise<boolean> {
    return this.run(['PERSIST', key], toBoolean);
  }

  /** `TYPE key` — 'string', 'list', 'set', 'zset', 'hash', 'stream' or 'none'. */
  type(key: Key): Promise<string> {
    return this.run(['TYPE', key], undefined, false);
  }

  /** `RENAME key newkey` */
  rename(key: Key, newKey: Key): Promise<'OK'> {
    return this.run(['RENAME', key, newKey]);
  }

  /** `RENAMENX key newkey` — true when renamed (newkey did not exist). */
  renameNX(key: Key, newKey: Key): Promise<boolean> {
    return this.run(['RENAMENX', key, newKey], toBoolean);
  }

  /** `COPY source destination [DB destination-db] [REPLACE]` — true when copied. */
  copy(source: Key, destination: Key, options?: CopyOptions): Promise<boolean> {
    const args: unknown[] = ['COPY', source, destination];
    if (options?.destinationDb !== undefined) args.push('DB', options.destinationDb);
    if (options?.replace) args.push('REPLACE');
    return this.run(args, toBoolean);
  }

  /** `MOVE key db` — true when moved. */
  move(key: Key, db: number): Promise<boolean> {
    return this.run(['MOVE', key, db], toBoolean);
  }

  /** `KEYS pattern` */
  keys(pattern: Key): Promise<S[]> {
    return this.run(['KEYS', pattern]);
  }

  /** `RANDOMKEY` — null when the db is empty. */
  randomKey(): Promise<S | null> {
    return this.run(['RANDOMKEY']);
  }

  /** `SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]` — the next cursor (0: done) and a page of keys. */
  scan(cursor: number, options?: ScanOptions): Promise<{ cursor: number; keys: S[] }> {
    const args: unknown[] = ['SCAN', cursor];
    if (options?.MATCH !== undefined) args.push('MATCH', options.MATCH);
    if (options?.COUNT !== undefined) args.push('COUNT', options.COUNT);
    if (options?.TYPE !== undefined) args.push('TYPE', options.TYPE);
    return this.run(args, (r) => {
      const [next, keys] = r as [WireReply, S[]];
      return { cursor: toCursor(next), keys };
    });
  }

  /** Every key SCAN finds, one by one (`for await (const key of db.scanIterator({ MATCH: 'user:*' }))`). */
  scanIterator(options?: ScanOptions): AsyncIterableIterator<S> {
    return allPages((c) => this.scan(c, options).then((p) => ({ cursor: p.cursor, items: p.keys })));
  }

  /**
   * `DUMP key` — the value in Redis 7.0's serialization format, always as bytes (the payload is binary, whatever
   * the client's reply mode); null when the key does not exist. `restore()` takes it back, here or in any Redis
   * 7.0 or later.
   */
  dump(key: Key): Promise<Uint8Array | null> {
    return this.run(['DUMP', key], undefined, true);
  }

  /**
   * `RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]` — create `key` from a
   * DUMP payload (from `dump()` or a Redis server up to 7.0), expiring after `ttl` milliseconds (0: never).
   */
  restore(key: Key, ttl: number, serializedValue: Uint8Array, options?: RestoreOptions): Promise<'OK'> {
    const args: unknown[] = ['RESTORE', key, ttl, serializedValue];
    if (options?.REPLACE === true) args.push('REPLACE');
    if (options?.ABSTTL === true) args.push('ABSTTL');
    if (options?.IDLETIME !== undefined) args.push('IDLETIME', options.IDLETIME);
    if (options?.FREQ !== undefined) args.push('FREQ', options.FREQ);
    return this.run(args, undefined, false);
  }

  /** `OBJECT ENCODING key` — null when the key does not exist. */
  objectEncoding(key: Key): Promise<string | null> {
    return this.run(['OBJECT', 'ENCODING', key], undefined, false);
  }

  /** `OBJECT FREQ key` (needs an LFU maxmemory-policy) */
  objectFreq(key: Key): Promise<number | null> {
    return this.run(['OBJECT', 'FREQ', key]);
  }

  /** `OBJECT IDLETIME key` — seconds since last access. */
  objectIdleTime(key: Key): Promise<number | null> {
    return this.run(['OBJECT', 'IDLETIME', key]);
  }

  /** `OBJECT REFCOUNT key` */
  objectRefCount(key: Key): Promise<number | null> {
    return this.run(['OBJECT', 'REFCOUNT', key]);
  }
}

function withMode(args: unknown[], mode: ExpireMode | undefined): unknown[] {
  if (mode !== undefined) args.push(mode);
  return args;
}
