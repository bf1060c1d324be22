/**
 * The near-cache: recent replies of plain single-key reads (protocol.ts, NEAR_CACHE_COMMANDS: GET, HGET, STRLEN,
 * EXISTS key …) kept in the page, so a repeated read answers without a round trip to the worker. Redis's
 * client-side caching (CLIENT TRACKING, default mode) in spirit: the worker remembers which keys this page holds
 * and invalidates each one before it delivers anything that could reveal a newer value (worker/tracking.ts).
 *
 * Rules (enforced by connection.ts, which owns the cache; one per worker connection, shared by its clients):
 * - a read is answered here only when nothing that could change data is unanswered in this page: no command
 *   other than a near-cache read queued or in flight on the connection, and no blocked command of the reading
 *   session. So a page never reads its own write stale, even when the write and the read leave in one tick;
 * - and only when the worker said the session is plain (not in MULTI, not blocked, not in RESP2 subscribe mode)
 *   and in which db (NearCacheState): a cached value is never served across SELECT or instead of `QUEUED`;
 * - a value is stored only when the worker tracked the read (not `nc`) and no invalidation of its key arrived
 *   while it was in flight (the slot it was reserved in is still live): an invalidation that overtakes a read's
 *   reply wins;
 * - a key with a TTL is kept at most until the TTL ends, counted from when the read was sent (never later than
 *   the worker's expiry), so an expiring key is not served after its time even before the worker reclaims it;
 * - bounded: at most `capacity` entries (a key's replies, or 1 for a key being read), the least recently used
 *   going first (CLOCK: a hit sets a flag, eviction gives flagged keys a second chance — LRU without moving
 *   entries on every hit).
 *
 * What a cached read does not do that the worker would (as with Redis's client-side caching): count a keyspace
 * hit or miss, update the key's access time or LFU counter (so a key read only from the page may look idle to
 * an LRU/LFU maxmemory policy), fire a `keymiss` event (the worker does not let reads be cached while keymiss
 * events are enabled).
 */
import { fromBytes, fromUtf8 } from '../engine/bytes.js';
import { NEAR_CACHE_COMMANDS, type WireArg, type WireReply } from '../worker/protocol.js';

/** Default capacity (entries) of a client's near-cache. */
export const DEFAULT_NEAR_CACHE_SIZE = 10_000;

/** What `get` answers when the cache cannot. */
export const MISS: unique symbol = Symbol('miss');

interface Cached {
  v: WireReply;
  /** performance.now() after which the value must not be used; 0: until invalidated. */
  until: number;
}

/** A key's cached replies (by command, field and bytes mode), or a key being read. */
export interface Slot {
  readonly id: string;
  readonly db: number;
  /** The first reply cached (most keys have one, a GET's: kept inline, no Map), or null. */
  sub: string | null;
  v: WireReply;
  until: number;
  /** Further replies (HGET fields, the bytes mode …). */
  more: Map<string, Cached> | null;
  /** False once invalidated or evicted: a reply in flight for it is not stored. */
  live: boolean;
  /** Read since the eviction hand last passed (CLOCK). */
  used: boolean;
}

/** A near-cache read as the page recognises it: the command's canonical name and what identifies its reply. */
export interface NearRead {
  /** Lower-case command name. */
  name: string;
  /** Reply id within its key's slot (command, field, bytes mode). */
  sub: string;
}

const PAGE_TABLE = new Map<string, { name: string; argc: number; sub: string; subBytes: string }>();
for (const [name, argc] of NEAR_CACHE_COMMANDS) {
  const e = { name, argc, sub: name, subBytes: `b:${name}` };
  PAGE_TABLE.set(name, e);
  PAGE_TABLE.set(name.toUpperCase(), e);
}

/** `args` (wire form) is a near-cache read: its reply id within its key's slot; else null. */
export function nearRead(args: readonly WireArg[], bytes: boolean): string | null {
  const n = args[0];
  if (typeof n !== 'string') return null;
  let e = PAGE_TABLE.get(n);
  if (e === undefined) {
    // The table holds both cases: only a mixed-case name needs lowering (typed methods send upper case).
    if (n.length > 9 || isUpper(n.charCodeAt(0)) === isUpper(n.charCodeAt(n.length - 1))) return null;
    e = PAGE_TABLE.get(n.toLowerCase());
    if (e === undefined) return null;
  }
  if (args.length !== e.argc) return null;
  const sub = bytes ? e.subBytes : e.sub;
  return e.argc === 2 ? sub : `${sub}\0${binary(args[2])}`;
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

/** A wire argument as the engine's binary string (what invalidations name). */
export function binary(a: WireArg): string {
  return typeof a === 'string' ? fromUtf8(a) : fromBytes(a);
}

export class NearCache {
  /** Entries held: for each key, its replies, at least 1. */
  size = 0;
  /** Keys invalidated by the worker (flushes count each key they dropped). */
  invalidations = 0;
  private readonly slots = new Map<string, Slot>();

  constructor(public capacity: number) {}

  /** The cached reply `sub` of key `id`, or MISS. */
  get(id: string, sub: string): WireReply | typeof MISS {
    const slot = this.slots.get(id);
    if (slot === undefined) return MISS;
    let v: WireReply;
    let until: number;
    if (slot.sub === sub) {
      v = slot.v;
      until = slot.until;
    } else {
      const c = slot.more?.get(sub);
      if (c === undefined) return MISS;
      v = c.v;
      until = c.until;
    }
    if (until !== 0 && performance.now() >= until) {
      this.dropValue(slot, sub);
      return MISS;
    }
    slot.used = true;
    return v;
  }

  /** The live slot of key `id` (made if absent), for a read about to be sent. */
  reserve(id: string, db: number): Slot {
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = { id, db, sub: null, v: null, until: 0, more: null, live: true, used: false };
      this.slots.set(id, slot);
      this.size++;
      this.evict(slot);
    }
    return slot;
  }

  /** Store reply `v` of a read reserved in `slot`, unless the slot was invalidated or evicted meanwhile. */
  fill(slot: Slot, sub: string, v: WireReply, until: number): void {
    if (!slot.live) return;
    const kept = v instanceof Uint8Array ? v.slice() : v;
    const before = weight(slot);
    if (slot.sub === null || slot.sub === sub) {
      slot.sub = sub;
      slot.v = kept;
      slot.until = until;
    } else {
      (slot.more ??= new Map()).set(sub, { v: kept, until });
    }
    this.size += weight(slot) - before;
    this.evict(slot);
  }

  /** The worker invalidated key `id`. */
  invalidate(id: string): void {
    const slot = this.slots.get(id);
    if (slot === undefined) return;
    this.invalidations++;
    this.remove(slot);
  }

  /** The worker emptied db `db` (-1: all of them). */
  flush(db: number): void {
    for (const slot of this.slots.values()) {
      if (db >= 0 && slot.db !== db) continue;
      this.invalidations++;
      this.remove(slot);
    }
  }

  /** Drop everything (the cache is switched off or the connection is gone). */
  clear(): void {
    for (const slot of this.slots.values()) slot.live = false;
    this.slots.clear();
    this.size = 0;
  }

  /** Entries for `capacity` (growing or shrinking it). */
  resize(capacity: number): void {
    this.capacity = capacity;
    this.evict(null);
  }

  private remove(slot: Slot): void {
    slot.live = false;
    this.slots.delete(slot.id);
    this.size -= weight(slot);
  }

  private dropValue(slot: Slot, sub: string): void {
    const before = weight(slot);
    if (slot.sub === sub) {
      slot.sub = null;
      slot.v = null;
    } else slot.more?.delete(sub);
    this.size -= before - weight(slot);
  }

  /** Evict until within capacity (CLOCK over insertion order), sparing `keep` (just reserved or filled). */
  private evict(keep: Slot | null): void {
    let spins = this.slots.size * 2;
    while (this.size > this.capacity && spins-- > 0) {
      const oldest = this.slots.values().next().value as Slot;
      this.slots.delete(oldest.id);
      if ((oldest.used || oldest === keep) && spins > 0) {
        oldest.used = false;
        this.slots.set(oldest.id, oldest);
        continue;
      }
      oldest.live = false;
      this.size -= weight(oldest);
    }
  }
}

/** Entries a slot counts for: its replies, at least 1. */
function weight(slot: Slot): number {
  const n = (slot.sub === null ? 0 : 1) + (slot.more === null ? 0 : slot.more.size);
  return n === 0 ? 1 : n;
}
