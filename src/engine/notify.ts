/**
 * Keyspace notifications: the one module that fires them. `notify-keyspace-events` takes Redis's flag
 * letters; an event is published on `__keyspace@<db>__:<key>` (K) and `__keyevent@<db>__:<event>` (E) when
 * its class is enabled. Publishing goes through the engine's pub/sub (set by the pubsub family).
 */

/** Event classes, as bits (Redis's NOTIFY_* values). */
export const enum NotifyClass {
  Keyspace = 1 << 0, // K
  Keyevent = 1 << 1, // E
  Generic = 1 << 2, // g
  String = 1 << 3, // $
  List = 1 << 4, // l
  Set = 1 << 5, // s
  Hash = 1 << 6, // h
  ZSet = 1 << 7, // z
  Expired = 1 << 8, // x
  Evicted = 1 << 9, // e
  Stream = 1 << 10, // t
  KeyMiss = 1 << 11, // m
  Loaded = 1 << 12, // module only
  Module = 1 << 13, // d
  New = 1 << 14, // n
}

// 'A' is every class but m, n (and module-only ones), as in Redis.
const ALL =
  NotifyClass.Generic | NotifyClass.String | NotifyClass.List | NotifyClass.Set | NotifyClass.Hash |
  NotifyClass.ZSet | NotifyClass.Expired | NotifyClass.Evicted | NotifyClass.Stream | NotifyClass.Module;

const LETTERS: [string, number][] = [
  ['A', ALL],
  ['g', NotifyClass.Generic],
  ['$', NotifyClass.String],
  ['l', NotifyClass.List],
  ['s', NotifyClass.Set],
  ['h', NotifyClass.Hash],
  ['z', NotifyClass.ZSet],
  ['x', NotifyClass.Expired],
  ['e', NotifyClass.Evicted],
  ['K', NotifyClass.Keyspace],
  ['E', NotifyClass.Keyevent],
  ['t', NotifyClass.Stream],
  ['m', NotifyClass.KeyMiss],
  ['d', NotifyClass.Module],
  ['n', NotifyClass.New],
];

/** Flag letters → mask; -1 when a letter is unknown (CONFIG SET then fails as in Redis). */
export function parseNotifyFlags(s: string): number {
  let mask = 0;
  for (const ch of s) {
    const hit = LETTERS.find(([l]) => l === ch);
    if (!hit) return -1;
    mask |= hit[1];
  }
  return mask;
}

/** Mask → flag letters, in Redis's order (what CONFIG GET shows). */
export function formatNotifyFlags(mask: number): string {
  let out = '';
  if ((mask & ALL) === ALL) out += 'A';
  else {
    for (const [l, bit] of LETTERS.slice(1, 9)) if (mask & bit) out += l;
    if (mask & NotifyClass.Stream) out += 't';
    if (mask & NotifyClass.Module) out += 'd';
    // Redis 7.0 prints 'n' only here: with 'A' it is left out, though the class stays enabled.
    if (mask & NotifyClass.New) out += 'n';
  }
  if (mask & NotifyClass.Keyspace) out += 'K';
  if (mask & NotifyClass.Keyevent) out += 'E';
  if (mask & NotifyClass.KeyMiss) out += 'm';
  return out;
}

export type Publish = (channel: string, message: string) => void;

/**
 * Fire one event. `mask` is the configured flags, `publish` the pub/sub entry point.
 * Rule: callers go through Engine.notify (via Ctx.notify); nothing else formats these channels.
 */
export function fireKeyspaceEvent(
  mask: number,
  publish: Publish,
  cls: NotifyClass,
  event: string,
  key: string,
  dbid: number,
): void {
  if (!(mask & cls)) return;
  if (mask & NotifyClass.Keyspace) publish(`__keyspace@${dbid}__:${key}`, event);
  if (mask & NotifyClass.Keyevent) publish(`__keyevent@${dbid}__:${event}`, key);
}
