/**
 * Pub/sub routing: who is subscribed to which channel, pattern and shard channel, and delivery.
 *
 * Rules (Redis 7.0's pubsub.c):
 * - PUBLISH delivers to channel subscribers first, then to pattern subscribers in pattern order, each
 *   subscription once; the count is the number of deliveries;
 * - a message is a push (`message` / `pmessage` / `smessage`) to the session: a RESP3 push, a RESP2 array;
 * - delivery is synchronous and in publish order, so per-publisher order holds for every listener;
 * - `remote` hooks let the multi-tab layer carry publishes to other tabs without this module knowing it.
 */
import { globMatch } from './glob.js';
import { push, type Reply } from './reply.js';
import type { Session } from './session.js';

export type SubKind = 'channel' | 'pattern' | 'shard';

export class PubSub {
  readonly channels = new Map<string, Set<Session>>();
  readonly patterns = new Map<string, Set<Session>>();
  readonly shards = new Map<string, Set<Session>>();
  private readonly bySession = new Map<Session, { channel: Set<string>; pattern: Set<string>; shard: Set<string> }>();

  private table(kind: SubKind): Map<string, Set<Session>> {
    return kind === 'channel' ? this.channels : kind === 'pattern' ? this.patterns : this.shards;
  }

  /** The session's own subscriptions of one kind. */
  of(s: Session, kind: SubKind): Set<string> {
    let e = this.bySession.get(s);
    if (e === undefined) this.bySession.set(s, (e = { channel: new Set(), pattern: new Set(), shard: new Set() }));
    return e[kind];
  }

  /** Channel + pattern subscriptions (what SUBSCRIBE's count reports; shard channels count apart). */
  count(s: Session): number {
    const e = this.bySession.get(s);
    return e === undefined ? 0 : e.channel.size + e.pattern.size;
  }

  shardCount(s: Session): number {
    return this.bySession.get(s)?.shard.size ?? 0;
  }

  /** True when the session is in subscribe mode (any subscription at all). */
  subscribed(s: Session): boolean {
    const e = this.bySession.get(s);
    return e !== undefined && e.channel.size + e.pattern.size + e.shard.size > 0;
  }

  /** Subscribe; false when it already was. */
  add(s: Session, kind: SubKind, name: string): boolean {
    const mine = this.of(s, kind);
    if (mine.has(name)) return false;
    mine.add(name);
    const t = this.table(kind);
    let set = t.get(name);
    if (set === undefined) t.set(name, (set = new Set()));
    set.add(s);
    return true;
  }

  /** Unsubscribe; false when it was not. */
  remove(s: Session, kind: SubKind, name: string): boolean {
    const mine = this.of(s, kind);
    if (!mine.delete(name)) return false;
    const t = this.table(kind);
    const set = t.get(name);
    if (set !== undefined) {
      set.delete(s);
      if (set.size === 0) t.delete(name);
    }
    return true;
  }

  /** Drop every subscription of a session (connection closed, RESET) without replies. */
  drop(s: Session): void {
    const e = this.bySession.get(s);
    if (e === undefined) return;
    for (const kind of ['channel', 'pattern', 'shard'] as const) for (const n of [...e[kind]]) this.remove(s, kind, n);
    this.bySession.delete(s);
  }

  /** PUBLISH: deliver to this process's subscribers; returns the number of deliveries. */
  publish(channel: string, message: string): number {
    let n = 0;
    const subs = this.channels.get(channel);
    if (subs !== undefined) {
      for (const s of subs) {
        s.push(push(['message', channel, message]));
        n++;
      }
    }
    if (this.patterns.size > 0) {
      for (const [pattern, set] of this.patterns) {
        if (!globMatch(pattern, channel)) continue;
        for (const s of set) {
          s.push(push(['pmessage', pattern, channel, message]));
          n++;
        }
      }
    }
    return n;
  }

  /** SPUBLISH. */
  spublish(channel: string, message: string): number {
    const subs = this.shards.get(channel);
    if (subs === undefined) return 0;
    for (const s of subs) s.push(push(['smessage', channel, message]));
    return subs.size;
  }
}

export type { Reply };
