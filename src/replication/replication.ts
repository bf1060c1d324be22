/**
 * Many tabs, one database. Each tab's worker holds a replica of the keyspace; one of them, the leader, orders
 * every write, owns persistence and runs expiry and eviction. Redis's replication, between tabs:
 *
 * - **election**: every worker asks for the Web Lock `tabhive:<name>:leader` and never gives it back; the
 *   browser grants it to one, and to another when that tab dies. A leader silent for `leaderTimeoutMs` (a
 *   frozen tab keeps its lock) is taken over with `steal`. A new leader claims an epoch above every earlier
 *   one in IndexedDB; its writes carry the epoch and are checked in the transaction that stores them, and
 *   every tab ignores messages of an older epoch, so a deposed leader that wakes up can neither commit nor be
 *   heard (fencing);
 * - **writes from any tab**: a replica runs read-only commands of plain sessions on its own keyspace and sends
 *   everything else to the leader (`req`, with a request id per tab), where a session of its own stands for
 *   the page's session (MULTI, WATCH, blocking, subscriptions, SELECT, HELLO live there). The leader runs
 *   them in one global order and broadcasts the effects (`w`, stream.ts) with an offset; the reply (`rep`)
 *   follows on the same channel, so the calling tab has applied the effects before its promise resolves
 *   (read-your-writes). A session's reads wait while its own forwarded commands are out;
 * - **joining**: a new tab loads IndexedDB (a snapshot at the offset stored with it) and asks the leader for
 *   the stream after it (`sync`): entries from the backlog, or every key when the backlog no longer reaches;
 * - **failover**: the tab granted the lock claims the next epoch, asks every tab for its offset (`elect` →
 *   `state`), takes the missing entries from the most advanced one (`fetch`), announces itself (`leader`) and
 *   stores what it holds. Replicas resync, restore their forwarded sessions' state (db, RESP, subscriptions;
 *   a WATCH or MULTI that was in progress is doomed: EXEC answers null / EXECABORT, as when a watched key
 *   changed) and send again what had no reply, with the same ids: a request whose effects already went out
 *   is answered from the stream (`reqs`), never run twice;
 * - **untrusted**: another tab's messages are checked whole (protocol.ts, parseMessage) and only ever turn
 *   into engine commands (with their arity and type checks) or keyspace ops.
 * Without Web Locks (old Safari, some webviews) there is no safe election: each tab then runs alone, with a
 * warning (role `single`).
 */
import { BLOCKED } from '../engine/blocking.js';
import type { Engine } from '../engine/engine.js';
import { registerInfoFields } from '../engine/commands/admin.js';
import { NO_REPLY, err, type Reply } from '../engine/reply.js';
import type { Session } from '../engine/session.js';
import { lookupCommand } from '../engine/table.js';
import type { CommandSpec } from '../engine/command.js';
import { loadRecords, type Persister } from '../persist/persister.js';
import type { ReplMeta } from '../persist/schema.js';
import type { FencedError } from '../persist/store.js';
import { encodeReply, type Encoding, type WireReply } from '../worker/protocol.js';
import {
  CLOSED, PLAIN, parseMessage,
  type Applied, type Entry, type Rep, type ReplMessage, type Req, type StreamOp, type TabId,
} from './protocol.js';
import { AppliedRequests, applyOps, Backlog, Capture, clearAll, snapshot } from './stream.js';

/** The part of the Web Locks API used here (navigator.locks; tests pass a fake). */
export interface Locks {
  request(
    name: string,
    options: { ifAvailable?: boolean; steal?: boolean; signal?: AbortSignal },
    callback: (lock: unknown) => unknown,
  ): Promise<unknown>;
}

/** The part of BroadcastChannel used here. */
export interface Channel {
  postMessage(m: unknown): void;
  addEventListener(type: 'message', l: (ev: { data: unknown }) => void): void;
  close(): void;
}

/** Where a forwarded command's reply goes: the worker's Link for the page connection (host.ts). */
export interface ReplyTarget {
  /** The reply of a forwarded command (ticket as the page knows it); `closed`: the leader ended the session. */
  forwardedReply(sid: number, s: Session, ticket: number, r: WireReply, closed: boolean): void;
  /** A push of a forwarded session. */
  forwardedPush(sid: number, s: Session, r: WireReply): void;
  /** This tab became the leader: run here a command that had been forwarded, answering its ticket. */
  runForwarded(sid: number, s: Session, argv: string[], bytes: boolean, ticket: number): void;
}

export interface ReplicationStatus {
  role: Role;
  tab: TabId;
  leader: TabId | null;
  epoch: number;
  offset: number;
  /** Tabs of this database known alive, this one included. */
  tabs: number;
  syncing: boolean;
}

export type Role = 'starting' | 'replica' | 'candidate' | 'leader' | 'single';

export interface ReplicationOptions {
  /** The database name (locks and the channel are namespaced by it). */
  name: string;
  tabId?: TabId;
  /** Default navigator.locks; null: none (single-tab mode). */
  locks?: Locks | null;
  /** Default new BroadcastChannel(`tabhive:<name>:repl`). */
  channel?: Channel;
  /** Leader heartbeat period. Default 500 ms. */
  heartbeatMs?: number;
  /** A leader not heard for this long is taken over (steal). Default 5000 ms. */
  leaderTimeoutMs?: number;
  /** How long a candidate waits for other tabs' offsets. Default 150 ms. */
  electionMs?: number;
  /** How long to wait for a sync or a fetch answer. Default 2000 ms. */
  syncTimeoutMs?: number;
  warn?: (m: string) => void;
}

/** What the host gives replication to work with. */
export interface ReplicationHost {
  engine: Engine;
  persister: Persister;
  /** Changes so far (a counter; a command that moved it changed data). */
  readonly changes: number;
  /** appendfsync always: when replies may leave (see Persister.ackGate). */
  ackGate(write: boolean): Promise<boolean> | null;
  /** Persist everything now (the leader's flush). */
  flushLocal(): Promise<void>;
}

/** A command forwarded to the leader and not answered yet. */
interface Forward {
  seq: number;
  target: ReplyTarget;
  sid: number;
  s: Session;
  ticket: number;
  argv: string[];
  bytes: boolean;
  /** The leader it was sent to (null: waits for one). */
  sentTo: TabId | null;
}

/** A page session's state as forwarded commands left it on the leader. */
interface FwdState {
  /** Reads may run here: last told by the leader (PLAIN), and none of its commands is out. */
  plain: boolean;
  inflight: number;
  /** Subscriptions made through the leader (to restore them on a new one). */
  subs: Map<'channel' | 'pattern' | 'shard', Set<string>>;
  /** MULTI / WATCH as sent (a failover dooms them). */
  multi: boolean;
  watching: boolean;
  /** The leader holding this session's state (null: none yet). */
  leader: TabId | null;
}

/** A session standing on the leader for another tab's page session. */
interface Proxy {
  tab: TabId;
  sid: number;
  s: Session;
  /** Requests that came while it was blocked (the replica holds them; kept for safety). */
  queue: Req[] | null;
  /** While one of its commands runs: the pushes it made (a SUBSCRIBE's replies are pushes). */
  capturing: Reply[] | null;
}

const KINDS = ['channel', 'pattern', 'shard'] as const;
const MISCONF_TEXT =
  "MISCONF Errors writing to IndexedDB: the leader tab could not store this write (see its persistence status)";
const RETRY = 'TRYAGAIN tabhive: the leader tab changed while this command was in flight; it was not applied';

const instances = new WeakMap<Engine, Replication>();

registerInfoFields('replication', (engine, f) => instances.get(engine)?.info(f));

export class Replication {
  readonly tabId: TabId;
  role: Role = 'starting';
  epoch = 0;
  /** The stream offset this keyspace holds. */
  off = 0;
  /** The history offsets belong to (Redis's replid). */
  replid: string;
  leaderId: TabId | null = null;
  /** Messages dropped as malformed (INFO). */
  dropped = 0;
  /** Requests sent again after a failover and answered from the stream (their effects were already in). */
  retriesAnswered = 0;

  private readonly engine: Engine;
  private readonly locks: Locks | null;
  private readonly channel: Channel | null;
  private readonly capture: Capture;
  private readonly backlog = new Backlog();
  private readonly applied = new AppliedRequests();
  private readonly opts: Required<Omit<ReplicationOptions, 'tabId' | 'locks' | 'channel' | 'warn'>>;
  private readonly warn: (m: string) => void;
  private stopped = false;
  private cutQueued = false;
  private hbTimer: ReturnType<typeof setInterval> | null = null;
  private lastHeard = 0;
  private stealing = false;
  /** When a silent leader was asked whether it lives (0: not asked). */
  private probedAt = 0;
  /** The leader lock is held by this tab (its callback's promise keeps it). */
  private releaseLeader: (() => void) | null = null;

  // replica side
  private seq = 1;
  private sendQueued = false;
  private readonly forwards = new Map<number, Forward>();
  private readonly fwd = new WeakMap<Session, FwdState>();
  private readonly fwdSessions = new Map<Session, { target: ReplyTarget; sid: number }>();
  /** Stream messages that came while a sync was out. */
  private syncing: { buffered: Entry[][]; timer: ReturnType<typeof setTimeout> } | null = null;
  private synced!: () => void;
  readonly ready: Promise<void>;
  private flushSeq = 1;
  private readonly flushes = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();

  // leader side
  private readonly proxies = new Map<string, Proxy>();
  /** Other tabs known alive (they spoke; their tab lock not yet released). */
  private readonly tabs = new Set<TabId>();
  /**
   * Replies and pushes for other tabs, sent after the stream entry of the task that made them: a tab gets a
   * keyspace event or a reply only once it holds the data it speaks of.
   */
  private outbox: ReplMessage[] = [];
  private readonly replyTails = new Map<TabId, Promise<void>>();
  /** Candidate: offsets told by the other tabs. */
  private states: Map<TabId, { off: number; replid: string }> | null = null;
  private fetchDone: (() => void) | null = null;

  constructor(
    private readonly host: ReplicationHost,
    opts: ReplicationOptions,
  ) {
    this.engine = host.engine;
    this.tabId = opts.tabId ?? randomId();
    this.replid = randomHex(40);
    const nav = (globalThis as { navigator?: { locks?: Locks } }).navigator;
    this.locks = opts.locks !== undefined ? opts.locks : (nav?.locks ?? null);
    this.warn = opts.warn ?? ((m) => console.warn(m));
    this.opts = {
      name: opts.name,
      heartbeatMs: opts.heartbeatMs ?? 500,
      leaderTimeoutMs: opts.leaderTimeoutMs ?? 5000,
      electionMs: opts.electionMs ?? 150,
      syncTimeoutMs: opts.syncTimeoutMs ?? 2000,
    };
    this.capture = new Capture(this.engine);
    this.capture.onPending = () => this.scheduleCut();
    let resolveReady!: () => void;
    this.ready = new Promise<void>((r) => (resolveReady = r));
    this.synced = resolveReady;
    if (this.locks === null) {
      this.channel = null;
      this.role = 'single';
      // Outside a browser (Node: tabhive serve, tests) there are no tabs to share with: nothing to say.
      if (nav !== undefined) this.warn(
        `tabhive: the Web Locks API is not available here: database '${opts.name}' runs in this tab alone ` +
          '(other tabs do not see its writes, nor it theirs)',
      );
      resolveReady();
    } else {
      this.channel =
        opts.channel ?? (new BroadcastChannel(`tabhive:${opts.name}:repl`) as unknown as Channel);
      this.channel.addEventListener('message', (ev) => this.receive(ev.data));
    }
    instances.set(this.engine, this);
  }

  /** Start: hold this tab's lock, find or become the leader. `ready` resolves once this tab can serve. */
  start(meta: ReplMeta | null): void {
    if (this.locks === null) return;
    if (meta !== null) {
      this.epoch = meta.epoch;
      this.off = meta.offset;
      this.replid = meta.replid || this.replid;
      this.backlog.reset(this.off);
    }
    this.engine.expireDeletes = false;
    this.host.persister.setWriter(false);
    this.role = 'replica';
    // Held for this worker's life: the leader queues on it to learn when this tab is gone.
    this.lockForever(this.tabLock(this.tabId), {});
    let got = false;
    void this.locks
      .request(this.leaderLock(), { ifAvailable: true }, (lock) => {
        if (lock === null) return null;
        got = true;
        return this.holdLeadership();
      })
      .then(
        () => {
          if (got || this.stopped) return;
          // Someone leads: follow it, and queue for the lock (granted when it is gone).
          this.post({ t: 'hello', from: this.tabId });
          this.queueForLeadership();
          this.beginSync();
        },
        (e: unknown) => {
          if (got) this.deposed('the leader lock was taken by another tab');
          else this.warn(`tabhive: leader election failed: ${String(e)}`);
        },
      );
    this.hbTimer = setInterval(() => this.tick(), this.opts.heartbeatMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.hbTimer !== null) clearInterval(this.hbTimer);
    if (this.role === 'leader') this.cut();
    this.post({ t: 'bye', from: this.tabId });
    this.channel?.close();
    this.releaseLeader?.();
  }

  // ---- roles ----------------------------------------------------------------------------------------------

  private leaderLock(): string {
    return `tabhive:${this.opts.name}:leader`;
  }

  private tabLock(tab: TabId): string {
    return `tabhive:${this.opts.name}:tab:${tab}`;
  }

  private lockForever(name: string, options: { steal?: boolean }): void {
    void this.locks!.request(name, options, () => new Promise<never>(() => {})).catch(() => {});
  }

  private queueForLeadership(): void {
    void this.locks!
      .request(this.leaderLock(), {}, () => this.holdLeadership())
      .catch(() => this.deposed('the leader lock was taken by another tab'));
  }

  /** The lock is ours: lead until the worker dies or the lock is stolen. */
  private holdLeadership(): Promise<void> {
    const held = new Promise<void>((resolve) => (this.releaseLeader = resolve));
    if (!this.stopped) void this.becomeLeader();
    return held;
  }

  private async becomeLeader(): Promise<void> {
    if (this.role === 'leader' || this.role === 'candidate') return;
    this.role = 'candidate';
    this.stealing = false;
    this.probedAt = 0;
    const store = this.host.persister.storeHandle;
    let claimed: ReplMeta | null = null;
    if (store !== null) {
      try {
        claimed = await store.claimEpoch(this.epoch, this.replid);
      } catch (e) {
        this.warn(`tabhive: could not record the leader epoch in IndexedDB (${String(e)})`);
      }
    }
    this.epoch = claimed !== null ? claimed.epoch : this.epoch + 1;
    // Catch up with the most advanced tab: an entry some tab applied may have been acknowledged.
    this.states = new Map();
    this.post({ t: 'elect', from: this.tabId, ep: this.epoch });
    await this.waitFor(() => this.states !== null && [...this.tabs].every((t) => this.states!.has(t)), this.opts.electionMs);
    let best: { tab: TabId; off: number } | null = null;
    for (const [tab, st] of this.states) {
      if (st.replid === this.replid && st.off > this.off && (best === null || st.off > best.off)) best = { tab, off: st.off };
    }
    this.states = null;
    if (best !== null) {
      const got = new Promise<void>((r) => (this.fetchDone = r));
      this.syncing = { buffered: [], timer: setTimeout(() => this.fetchDone?.(), this.opts.syncTimeoutMs) };
      this.post({ t: 'fetch', from: this.tabId, to: best.tab, off: this.off, replid: this.replid });
      await got;
      if (this.syncing !== null) clearTimeout(this.syncing.timer);
      this.syncing = null;
      this.fetchDone = null;
    }
    // What IndexedDB holds may be newer still (a flush whose stream entries no surviving tab received).
    if (store !== null && claimed !== null && claimed.replid === this.replid && claimed.offset > this.off) {
      try {
        const records = await store.loadAll();
        clearAll(this.engine);
        loadRecords(this.engine, records);
        this.off = claimed.offset;
        this.backlog.reset(this.off);
      } catch (e) {
        this.warn(`tabhive: could not reload IndexedDB on taking over (${String(e)})`);
      }
    }
    if (this.stopped) return;
    this.role = 'leader';
    this.leaderId = this.tabId;
    this.engine.expireDeletes = true;
    this.host.persister.setWriter(true, {
      // The stored keys must be exactly the state at the offset stored with them (entries are not all
      // idempotent): what changed since the last entry goes out as one first.
      fence: () => {
        if (this.capture.pending) this.cut();
        return { epoch: this.epoch, offset: this.off, replid: this.replid };
      },
      fenced: (e: FencedError) => this.deposed(e.message),
    });
    this.setCapture();
    this.post({ t: 'leader', from: this.tabId, ep: this.epoch, off: this.off, replid: this.replid });
    // This tab's own forwarded commands now run here.
    this.resumeForwards();
    this.synced();
  }

  /** This tab led and must not any more (fenced, lock stolen): become a replica and resync whole. */
  private deposed(why: string): void {
    if (this.role !== 'leader' && this.role !== 'candidate') return;
    this.warn(`tabhive: this tab no longer leads (${why})`);
    this.role = 'replica';
    this.leaderId = null;
    this.releaseLeader?.();
    this.releaseLeader = null;
    this.capture.enabled = false;
    this.capture.reset();
    this.engine.expireDeletes = false;
    this.host.persister.setWriter(false);
    for (const p of this.proxies.values()) this.engine.closeSession(p.s);
    this.proxies.clear();
    // This tab's own pages' sessions had their state here; it moves to the next leader (restore): their
    // subscriptions carry on, a WATCH or MULTI in progress is doomed, a blocked command fails retryably.
    this.onDeposed(this.adoptSession);
    // What was written here after another tab took over was never replicated: start again from the leader's.
    this.replid = randomHex(40);
    this.off = 0;
    this.backlog.reset(0);
    this.post({ t: 'hello', from: this.tabId });
    this.queueForLeadership();
  }

  /** Leader: build stream entries only while another tab listens (a lone tab pays nothing). */
  private setCapture(): void {
    const on = this.role === 'leader' && this.tabs.size > 0;
    if (on === this.capture.enabled) return;
    this.capture.enabled = on;
    if (on) {
      // Changes made while nobody listened are in no entry: no sync may start from before now.
      this.off++;
      this.backlog.reset(this.off);
    } else {
      this.capture.reset();
    }
  }

  /** Periodic: the leader's heartbeat; a replica's check that its leader lives. */
  private tick(): void {
    if (this.stopped) return;
    const now = Date.now();
    if (this.role === 'leader') {
      this.post({ t: 'hb', from: this.tabId, ep: this.epoch, off: this.off, replid: this.replid });
      return;
    }
    if (this.role !== 'replica' || this.lastHeard === 0 || this.stealing) return;
    const silent = now - this.lastHeard;
    if (silent <= this.opts.leaderTimeoutMs) {
      this.probedAt = 0;
      return;
    }
    // Silent for long: a hidden tab's throttled timers delay heartbeats, but its worker still answers
    // messages, so ask first. Only a leader that does not answer either (frozen, bfcached) is taken over.
    if (this.probedAt === 0) {
      this.probedAt = now;
      this.post({ t: 'hello', from: this.tabId });
      return;
    }
    if (now - this.probedAt < this.opts.leaderTimeoutMs / 2) return;
    // A frozen leader keeps its lock: take it. Later-ranked tabs wait a little longer, so one steals.
    this.stealing = true;
    const delay = (hash(this.tabId) % 8) * 50;
    setTimeout(() => {
      if (this.stopped || this.role !== 'replica' || Date.now() - this.lastHeard <= this.opts.leaderTimeoutMs) {
        this.stealing = false;
        this.probedAt = 0;
        return;
      }
      this.warn('tabhive: the leader tab stopped answering; taking over');
      void this.locks!
        .request(this.leaderLock(), { steal: true }, () => this.holdLeadership())
        .catch(() => this.deposed('the leader lock was taken by another tab'));
    }, delay);
  }

  // ---- messages -------------------------------------------------------------------------------------------

  private post(m: ReplMessage): void {
    if (this.channel === null || (this.stopped && m.t !== 'bye')) return;
    try {
      this.channel.postMessage(m);
    } catch (e) {
      this.warn(`tabhive: a message to other tabs could not be sent (${String(e)})`);
    }
  }

  private receive(data: unknown): void {
    if (this.stopped) return;
    const m = parseMessage(data);
    if (m === null) {
      this.dropped++;
      return;
    }
    if (m.from === this.tabId) return;
    if ('to' in m && m.to !== this.tabId) return;
    if (!this.tabs.has(m.from) && m.t !== 'bye') this.noteTab(m.from);
    switch (m.t) {
      case 'hello':
        if (this.role === 'leader') this.post({ t: 'leader', from: this.tabId, ep: this.epoch, off: this.off, replid: this.replid });
        break;
      case 'bye':
        this.dropTab(m.from);
        break;
      case 'hb':
      case 'leader':
        this.fromLeader(m.from, m.ep, m.t === 'leader');
        break;
      case 'w':
        if (this.isLeaderMsg(m.from, m.ep)) this.onEntries(m.e);
        break;
      case 'part':
        if (m.ep >= this.epoch) this.onPart(m.e);
        break;
      case 'full':
        if (m.ep >= this.epoch) this.onFull(m);
        break;
      case 'sync':
        if (this.role === 'leader') this.answerSync(m.from, m.off, m.replid);
        break;
      case 'fetch':
        this.answerSync(m.from, m.off, m.replid);
        break;
      case 'req':
        if (this.role === 'leader') this.runRequests(m.from, m.list);
        break;
      case 'rep':
        if (this.isLeaderMsg(m.from, m.ep)) for (const r of m.list) this.onReply(r);
        break;
      case 'push':
        if (this.isLeaderMsg(m.from, m.ep)) this.onPush(m.sid, m.r);
        break;
      case 'close':
        if (this.role === 'leader') this.closeProxy(m.from, m.sid);
        break;
      case 'restore':
        if (this.role === 'leader') this.onRestore(m);
        break;
      case 'flush':
        if (this.role === 'leader') this.answerFlush(m.from, m.seq);
        break;
      case 'flushed': {
        const f = this.flushes.get(m.seq);
        this.flushes.delete(m.seq);
        if (m.error === null) f?.resolve();
        else f?.reject(new Error(m.error));
        break;
      }
      case 'elect':
        if (m.ep > this.epoch) {
          if (this.role === 'leader' || this.role === 'candidate') this.deposed(`tab ${m.from} claimed epoch ${m.ep}`);
          this.epoch = m.ep;
          this.leaderId = null;
          this.post({ t: 'state', from: this.tabId, to: m.from, off: this.off, replid: this.replid });
        }
        break;
      case 'state':
        this.states?.set(m.from, { off: m.off, replid: m.replid });
        break;
    }
  }

  private isLeaderMsg(from: TabId, ep: number): boolean {
    if (ep < this.epoch || from !== this.leaderId) return false;
    this.lastHeard = Date.now();
    return true;
  }

  /** A heartbeat or an announcement: follow the newest leader. */
  private fromLeader(from: TabId, ep: number, announced: boolean): void {
    if (ep < this.epoch) return;
    if (ep === this.epoch && from === this.leaderId) {
      this.lastHeard = Date.now();
      return;
    }
    if ((this.role === 'leader' || this.role === 'candidate') && ep >= this.epoch) {
      if (ep === this.epoch && !announced) return;
      this.deposed(`tab ${from} leads with epoch ${ep}`);
    }
    this.epoch = ep;
    this.leaderId = from;
    this.lastHeard = Date.now();
    this.beginSync();
  }

  private noteTab(tab: TabId): void {
    this.tabs.add(tab);
    if (this.locks !== null && this.role === 'leader') this.setCapture();
    // Granted once that tab's worker is gone: drop what it left here.
    if (this.locks !== null) {
      void this.locks
        .request(this.tabLock(tab), {}, () => {
          this.dropTab(tab);
          return null;
        })
        .catch(() => {});
    }
  }

  private dropTab(tab: TabId): void {
    if (!this.tabs.delete(tab)) return;
    for (const [k, p] of this.proxies) {
      if (p.tab !== tab) continue;
      this.engine.closeSession(p.s);
      this.proxies.delete(k);
    }
    if (this.role === 'leader') this.setCapture();
  }

  // ---- the stream -----------------------------------------------------------------------------------------

  private scheduleCut(): void {
    if (this.cutQueued) return;
    this.cutQueued = true;
    queueMicrotask(() => this.cut());
  }

  /** Leader: send what changed as one entry, then the replies waiting for it. */
  private cut(): void {
    this.cutQueued = false;
    if (this.role === 'leader') {
      const c = this.capture.cut();
      if (c !== null) {
        const e: Entry = { off: ++this.off, ops: c.ops };
        if (c.reqs.length > 0) {
          e.reqs = c.reqs;
          for (const a of c.reqs) this.applied.add(a);
        }
        this.backlog.push(e);
        this.post({ t: 'w', from: this.tabId, ep: this.epoch, replid: this.replid, e: [e] });
      }
    }
    const out = this.outbox;
    this.outbox = [];
    for (const m of out) this.post(m);
  }

  /** Replica: ask the leader for what this keyspace misses. */
  private beginSync(): void {
    if (this.leaderId === null || this.role !== 'replica') return;
    if (this.syncing !== null) clearTimeout(this.syncing.timer);
    this.syncing = {
      buffered: [],
      // No answer (a message lost, the leader busy or gone): serve what this tab has, and ask again.
      timer: setTimeout(() => {
        if (this.syncing === null) return;
        const buffered = this.syncing.buffered;
        this.syncing = null;
        this.synced();
        if (this.stopped || this.role !== 'replica') return;
        this.beginSync();
        this.syncing!.buffered.push(...buffered);
      }, this.opts.syncTimeoutMs),
    };
    this.post({ t: 'sync', from: this.tabId, to: this.leaderId, off: this.off, replid: this.replid });
  }

  private onEntries(list: Entry[]): void {
    if (this.role !== 'replica') return;
    if (this.syncing !== null) {
      this.syncing.buffered.push(list);
      return;
    }
    for (const e of list) {
      if (e.off <= this.off) continue;
      if (e.off !== this.off + 1) {
        // A gap (a message lost, a leader's capture restarted): resync.
        this.beginSync();
        return;
      }
      this.apply(e);
    }
  }

  private apply(e: Entry): void {
    applyOps(this.engine, e.ops);
    this.off = e.off;
    this.backlog.push(e);
    if (e.reqs !== undefined) for (const a of e.reqs) this.applied.add(a);
  }

  /** Answer a partial resync (entries) or a full one (every key). */
  private answerSync(to: TabId, off: number, replid: string): void {
    if (this.role === 'leader') this.cut();
    const entries = replid === this.replid ? this.backlog.after(off) : null;
    if (entries !== null) {
      this.post({ t: 'part', from: this.tabId, to, ep: this.epoch, replid: this.replid, e: entries });
      return;
    }
    this.post({
      t: 'full', from: this.tabId, to, ep: this.epoch, off: this.off, replid: this.replid,
      keys: snapshot(this.engine), applied: this.applied.all(),
    });
  }

  private onPart(list: Entry[]): void {
    if (this.syncing === null) return;
    for (const e of list) if (e.off === this.off + 1) this.apply(e);
    this.endSync();
  }

  private onFull(m: { off: number; replid: string; keys: StreamOp[]; applied: Applied[] }): void {
    if (this.syncing === null) return;
    clearAll(this.engine);
    applyOps(this.engine, m.keys);
    for (const a of m.applied) this.applied.add(a);
    this.off = m.off;
    this.replid = m.replid;
    this.backlog.reset(m.off);
    this.endSync();
  }

  private endSync(): void {
    const s = this.syncing!;
    clearTimeout(s.timer);
    this.syncing = null;
    if (this.fetchDone !== null) {
      // A candidate's fetch: becomeLeader goes on.
      this.fetchDone();
      return;
    }
    for (const list of s.buffered) this.onEntries(list);
    this.resumeForwards();
    this.synced();
  }

  // ---- replica: routing a page's commands -------------------------------------------------------------------

  /** Commands go to the leader (this tab is not it). */
  get forwarding(): boolean {
    return this.locks !== null && this.role !== 'leader' && this.role !== 'single';
  }

  /** How a command of session `s` runs on this replica: here, or at the leader (holding its session's next). */
  route(s: Session, argv: readonly string[]): 'local' | 'forward' | 'forward-hold' {
    const st = this.fwd.get(s);
    const plain = st === undefined || st.plain;
    const spec = resolve(argv);
    if (spec === undefined) return plain ? 'local' : 'forward';
    if (plain && isLocalCommand(spec)) return 'local';
    return spec.flags.includes('blocking') ? 'forward-hold' : 'forward';
  }

  /** Forwarded commands of `s` not answered yet. */
  inflight(s: Session): number {
    return this.fwd.get(s)?.inflight ?? 0;
  }

  /** The page may cache reads of `s`: nothing of it is out, and its session on the leader is plain. */
  plain(s: Session): boolean {
    const st = this.fwd.get(s);
    return st === undefined || (st.plain && st.inflight === 0);
  }

  /** Send a command of page session `sid` to the leader; its reply reaches `target` with `ticket`. */
  forward(target: ReplyTarget, sid: number, s: Session, argv: string[], bytes: boolean, ticket: number): void {
    const st = this.state(s);
    this.fwdSessions.set(s, { target, sid });
    st.inflight++;
    const f: Forward = { seq: this.seq++, target, sid, s, ticket, argv, bytes, sentTo: null };
    this.forwards.set(f.seq, f);
    trackState(st, argv);
    // The commands of one task leave in one message.
    if (!this.sendQueued) {
      this.sendQueued = true;
      queueMicrotask(() => {
        this.sendQueued = false;
        this.sendWaiting();
      });
    }
  }

  /** The page closed session `s`: its forwarded commands are dropped (the page rejects them). */
  closeSession(s: Session): void {
    const where = this.fwdSessions.get(s);
    if (where === undefined) return;
    this.fwdSessions.delete(s);
    for (const [seq, f] of this.forwards) if (f.s === s) this.forwards.delete(seq);
    const st = this.fwd.get(s);
    if (st?.leader != null && st.leader !== this.tabId) {
      this.post({ t: 'close', from: this.tabId, to: st.leader, sid: where.sid });
    }
    this.fwd.delete(s);
  }

  private state(s: Session): FwdState {
    let st = this.fwd.get(s);
    if (st === undefined) {
      st = { plain: true, inflight: 0, subs: new Map(), multi: false, watching: false, leader: null };
      this.fwd.set(s, st);
    }
    return st;
  }

  /** Send every forward not sent yet, once there is a leader this tab is synced with. */
  private sendWaiting(): void {
    if (this.role !== 'replica' || this.leaderId === null || this.syncing !== null) return;
    const to = this.leaderId;
    // Sessions whose state is on a leader that is gone get it back first, commands out or not (a
    // subscriber sends nothing, yet must keep receiving).
    for (const [s, where] of this.fwdSessions) {
      if (s.closed) {
        this.fwdSessions.delete(s);
        continue;
      }
      const st = this.state(s);
      if (st.leader !== null && st.leader !== to) this.restore(where.sid, s, st, to);
    }
    const list: Req[] = [];
    for (const f of this.forwards.values()) {
      if (f.sentTo !== null) continue;
      const st = this.state(f.s);
      if (st.leader !== to) this.restore(f.sid, f.s, st, to);
      f.sentTo = to;
      list.push(toReq(f));
    }
    if (list.length > 0) this.post({ t: 'req', from: this.tabId, to, ep: this.epoch, list });
  }

  /**
   * A new leader's session for `s` starts with the state the old one had: db, RESP, subscriptions; a MULTI
   * or WATCH that was in progress comes back doomed (EXECABORT / a null EXEC), as if a watched key changed.
   */
  private restore(sid: number, s: Session, st: FwdState, to: TabId): void {
    const fresh = st.leader === null;
    st.leader = to;
    if (fresh) return;
    const subs: [number, string][] = [];
    for (const [kind, names] of st.subs) for (const n of names) subs.push([KINDS.indexOf(kind), n]);
    this.post({
      t: 'restore', from: this.tabId, to, sid, db: s.db.id, resp: s.resp, subs,
      multi: st.multi ? 1 : 0, watch: st.watching ? 1 : 0,
    });
  }

  /**
   * A leader is ready (after a sync, or this tab took over): what was in flight to a leader that is gone is
   * answered from the stream when its effects came through, else sent again (with the same id); what waited
   * is sent.
   */
  private resumeForwards(): void {
    const leader = this.role === 'leader' ? this.tabId : this.leaderId;
    for (const f of [...this.forwards.values()]) {
      if (f.sentTo === null || f.sentTo === leader) continue;
      const done = this.applied.get(this.tabId, f.seq);
      if (done !== undefined) {
        this.retriesAnswered++;
        this.onReply([f.seq, done[2], PLAIN, f.s.db.id, f.s.resp]);
        continue;
      }
      const spec = resolve(f.argv);
      if (spec !== undefined && spec.flags.includes('pubsub') && !isSubscribeCommand(spec.name)) {
        // PUBLISH may have been delivered already: Redis's pub/sub is at most once, so it is not repeated.
        this.failForward(f, RETRY);
        continue;
      }
      f.sentTo = null;
    }
    if (this.role === 'leader') this.takeOverOwnSessions();
    else this.sendWaiting();
  }

  /** This tab leads now: its pages' sessions run here; their forwarded state and commands come home. */
  private takeOverOwnSessions(): void {
    for (const [s, where] of this.fwdSessions) {
      const st = this.fwd.get(s);
      this.fwd.delete(s);
      if (s.closed || st === undefined) continue;
      if (st.leader !== null && st.leader !== this.tabId) {
        for (const [kind, names] of st.subs) for (const n of names) this.engine.pubsub.add(s, kind, n);
        if (st.multi) s.multi = { queue: [], aborted: true };
        if (st.watching) s.dirtyCas = true;
      }
      void where;
    }
    this.fwdSessions.clear();
    const list = [...this.forwards.values()];
    this.forwards.clear();
    for (const f of list) {
      if (!f.s.closed) f.target.runForwarded(f.sid, f.s, f.argv, f.bytes, f.ticket);
    }
  }

  private failForward(f: Forward, msg: string): void {
    this.onReply([f.seq, { k: 'err', msg }, PLAIN, f.s.db.id, f.s.resp]);
  }

  /** A reply to a forwarded command: mirror the session's db and RESP, then answer the page. */
  private onReply(rep: Rep): void {
    const [seq, r, flags, db, resp] = rep;
    const f = this.forwards.get(seq);
    if (f === undefined) return;
    this.forwards.delete(seq);
    const st = this.state(f.s);
    st.inflight--;
    st.plain = (flags & PLAIN) !== 0;
    f.s.db = this.engine.dbs[db];
    f.s.resp = resp;
    if ((flags & CLOSED) !== 0) this.fwdSessions.delete(f.s);
    f.target.forwardedReply(f.sid, f.s, f.ticket, r, (flags & CLOSED) !== 0);
  }

  private onPush(sid: number, r: WireReply): void {
    for (const [s, where] of this.fwdSessions) {
      if (where.sid === sid && !s.closed) {
        where.target.forwardedPush(sid, s, r);
        return;
      }
    }
  }

  /** Told when this tab stops leading, to hand every page session over (host.ts walks its links). */
  onDeposed: (adopt: (target: ReplyTarget, sid: number, s: Session) => void) => void = () => {};

  /** A page session whose state was kept here (this tab led): from now on it lives at the leader. */
  private readonly adoptSession = (target: ReplyTarget, sid: number, s: Session): void => {
    if (s.closed) return;
    const st = this.state(s);
    st.leader = this.tabId;
    for (const kind of KINDS) {
      const names = this.engine.pubsub.of(s, kind);
      if (names.size > 0) st.subs.set(kind, new Set(names));
    }
    st.multi = s.multi !== null;
    st.watching = s.watching.size > 0;
    st.plain = !st.multi && !(s.resp === 2 && this.engine.pubsub.subscribed(s));
    const blocked = s.blocked !== null;
    this.engine.pubsub.drop(s);
    this.engine.watches.unwatchAll(s);
    s.multi = null;
    if (blocked) {
      this.engine.blocking.cancel(s);
      s.onUnblock(err(RETRY));
    }
    this.fwdSessions.set(s, { target, sid });
  };

  /** Persist everything up to now at the leader (a page's flush()). */
  flushRemote(): Promise<void> {
    if (this.role === 'leader' || this.role === 'single' || this.locks === null) return this.host.flushLocal();
    return new Promise<void>((resolve, reject) => {
      const seq = this.flushSeq++;
      const timer = setTimeout(() => {
        this.flushes.delete(seq);
        reject(new Error('tabhive: the leader tab did not confirm the flush in time; retry'));
      }, this.opts.syncTimeoutMs * 5);
      this.flushes.set(seq, {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      const send = () => {
        if (this.leaderId === null || this.role !== 'replica') {
          setTimeout(send, 50);
          return;
        }
        this.post({ t: 'flush', from: this.tabId, to: this.leaderId, seq });
      };
      send();
    });
  }

  // ---- leader: other tabs' commands -----------------------------------------------------------------------

  private proxy(tab: TabId, sid: number, db: number, resp: 2 | 3): Proxy {
    const k = `${tab}\0${sid}`;
    let p = this.proxies.get(k);
    if (p !== undefined) return p;
    const s = this.engine.createSession();
    s.db = this.engine.dbs[db];
    s.resp = resp;
    s.addr = `tab:${tab.slice(0, 8)}`;
    const made: Proxy = { tab, sid, s, queue: null, capturing: null };
    s.push = (r) => {
      if (made.capturing !== null) made.capturing.push(r);
      else this.pushTo(made, r);
    };
    s.onKill = () => this.closeProxy(tab, sid);
    this.proxies.set(k, made);
    p = made;
    return p;
  }

  private pushTo(p: Proxy, r: Reply): void {
    const enc = encoding(true, p.s.resp);
    this.outbox.push({ t: 'push', from: this.tabId, to: p.tab, ep: this.epoch, sid: p.sid, r: encodeReply(r, enc) });
    this.scheduleCut();
  }

  private closeProxy(tab: TabId, sid: number): void {
    const k = `${tab}\0${sid}`;
    const p = this.proxies.get(k);
    if (p === undefined) return;
    this.proxies.delete(k);
    if (!p.s.closed) this.engine.closeSession(p.s);
  }

  /** Restore a session's state on this (new) leader: see `restore`. */
  private onRestore(m: Extract<ReplMessage, { t: 'restore' }>): void {
    const p = this.proxy(m.from, m.sid, m.db, m.resp);
    const s = p.s;
    s.db = this.engine.dbs[m.db];
    s.resp = m.resp;
    for (const [kind, name] of m.subs) this.engine.pubsub.add(s, KINDS[kind], name);
    if (m.multi === 1) s.multi = { queue: [], aborted: true };
    if (m.watch === 1) s.dirtyCas = true;
  }

  private runRequests(tab: TabId, list: Req[]): void {
    for (const req of list) {
      const [seq, sid, , , db, resp] = req;
      const done = this.applied.get(tab, seq);
      if (done !== undefined) {
        this.retriesAnswered++;
        const p = this.proxies.get(`${tab}\0${sid}`);
        this.reply(tab, [seq, done[2], p === undefined ? PLAIN : flagsOf(this.engine, p.s), db, resp], null);
        continue;
      }
      const p = this.proxy(tab, sid, db, resp);
      if (p.queue !== null) p.queue.push(req);
      else this.execProxy(p, req);
    }
    this.scheduleCut();
  }

  private execProxy(p: Proxy, req: Req): void {
    const [seq, , argv, bytes] = req;
    const s = p.s;
    const before = this.host.changes;
    p.capturing = [];
    let reply: Reply;
    try {
      reply = this.engine.execute(s, argv);
    } catch (e) {
      console.error('tabhive: internal error', e);
      reply = err(`ERR tabhive internal error: ${String(e)}`);
    }
    const captured = p.capturing;
    p.capturing = null;
    if (reply === BLOCKED) {
      p.queue = [];
      s.onUnblock = (r) => {
        s.onUnblock = () => {};
        const wire = encodeReply(r, encoding(bytes === 1, s.resp));
        const wrote = r !== null && !(typeof r === 'object' && 'k' in r && r.k === 'nullarr');
        if (wrote) this.capture.applied([p.tab, seq, wire]);
        this.reply(p.tab, [seq, wire, flagsOf(this.engine, s), s.db.id, s.resp], wrote ? this.host.ackGate(true) : null);
        this.scheduleCut();
        queueMicrotask(() => {
          const q = p.queue ?? [];
          p.queue = null;
          for (let i = 0; i < q.length; i++) {
            this.execProxy(p, q[i]);
            // It blocked again: the rest wait behind it.
            const again = p.queue as Req[] | null;
            if (again !== null) {
              again.push(...q.slice(i + 1));
              break;
            }
          }
          this.scheduleCut();
        });
      };
      return;
    }
    if (reply === NO_REPLY) reply = captured;
    else for (const r of captured) this.pushTo(p, r);
    const wire = encodeReply(reply, encoding(bytes === 1, s.resp));
    const wrote = this.host.changes !== before;
    if (wrote) this.capture.applied([p.tab, seq, wire]);
    const closed = s.closeAfterReply || s.closed;
    if (closed) this.closeProxy(p.tab, p.sid);
    const flags = closed ? CLOSED : flagsOf(this.engine, s);
    this.reply(p.tab, [seq, wire, flags, s.db.id, s.resp], wrote ? this.host.ackGate(true) : null);
  }

  /** Queue a reply for tab `to`: after the stream entry of this task, and after `gate` (appendfsync always). */
  private reply(to: TabId, rep: Rep, gate: Promise<boolean> | null): void {
    const tail = this.replyTails.get(to);
    if (gate === null && tail === undefined) {
      this.queueRep(to, rep);
      return;
    }
    const next = (tail ?? Promise.resolve())
      .then(() => gate ?? true)
      .then((stored) => {
        this.queueRep(to, stored ? rep : [rep[0], { k: 'err', msg: MISCONF_TEXT }, rep[2], rep[3], rep[4]]);
        this.scheduleCut();
      });
    this.replyTails.set(to, next);
    void next.then(() => {
      if (this.replyTails.get(to) === next) this.replyTails.delete(to);
    });
  }

  private queueRep(to: TabId, rep: Rep): void {
    const last = this.outbox[this.outbox.length - 1];
    if (last !== undefined && last.t === 'rep' && last.to === to) last.list.push(rep);
    else this.outbox.push({ t: 'rep', from: this.tabId, to, ep: this.epoch, list: [rep] });
  }

  private answerFlush(to: TabId, seq: number): void {
    this.cut();
    this.host.flushLocal().then(
      () => this.post({ t: 'flushed', from: this.tabId, to, ep: this.epoch, seq, error: null }),
      (e: unknown) => this.post({ t: 'flushed', from: this.tabId, to, ep: this.epoch, seq, error: String(e) }),
    );
  }

  // ---- INFO -------------------------------------------------------------------------------------------------

  info(f: Map<string, string | number>): void {
    const leader = this.role === 'leader' || this.role === 'single';
    f.set('role', leader ? 'master' : 'slave');
    if (!leader) {
      f.set('master_host', `tab:${this.leaderId ?? '?'}`);
      f.set('master_link_status', this.leaderId !== null && this.syncing === null ? 'up' : 'down');
      f.set('master_last_io_seconds_ago', this.lastHeard === 0 ? -1 : Math.floor((Date.now() - this.lastHeard) / 1000));
      f.set('master_sync_in_progress', this.syncing !== null ? 1 : 0);
      f.set('slave_read_repl_offset', this.off);
      f.set('slave_repl_offset', this.off);
    }
    f.set('connected_slaves', leader ? this.tabs.size : 0);
    f.set('master_replid', this.replid);
    f.set('master_repl_offset', this.off);
    f.set('repl_backlog_active', 1);
    f.set('repl_backlog_first_byte_offset', this.backlog.gapAt + 1);
    f.set('repl_backlog_histlen', this.off - this.backlog.gapAt);
    f.set('tabhive_role', this.role);
    f.set('tabhive_tab', this.tabId);
    f.set('tabhive_leader_tab', this.leaderId ?? '');
    f.set('tabhive_epoch', this.epoch);
    f.set('tabhive_connected_tabs', this.tabs.size + 1);
    f.set('tabhive_forwarded_inflight', this.forwards.size);
    f.set('tabhive_messages_dropped', this.dropped);
  }

  /** A snapshot for the status panel and tests. */
  status(): ReplicationStatus {
    return {
      role: this.role, tab: this.tabId, leader: this.leaderId, epoch: this.epoch, offset: this.off,
      tabs: this.tabs.size + 1, syncing: this.syncing !== null,
    };
  }

  /** Resolve once `cond` holds or after `ms`. */
  private waitFor(cond: () => boolean, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const started = Date.now();
      const check = () => {
        if (cond() || Date.now() - started >= ms) resolve();
        else setTimeout(check, 10);
      };
      check();
    });
  }
}

// ---- helpers ------------------------------------------------------------------------------------------------

function toReq(f: Forward): Req {
  return [f.seq, f.sid, f.argv, f.bytes ? 1 : 0, f.s.db.id, f.s.resp];
}

/** Follow, as sent, what a command does to the session state a failover must restore. */
function trackState(st: FwdState, argv: readonly string[]): void {
  const name = argv[0].toLowerCase();
  switch (name) {
    case 'multi':
      st.multi = true;
      return;
    case 'exec':
    case 'discard':
      st.multi = false;
      st.watching = false;
      return;
    case 'watch':
      if (!st.multi) st.watching = true;
      return;
    case 'unwatch':
      if (!st.multi) st.watching = false;
      return;
    case 'reset':
      st.multi = st.watching = false;
      st.subs.clear();
      return;
  }
  if (st.multi) return;
  const sub = SUBSCRIBE.get(name);
  if (sub === undefined) return;
  const [kind, add] = sub;
  let set = st.subs.get(kind);
  if (set === undefined) st.subs.set(kind, (set = new Set()));
  if (add) for (let i = 1; i < argv.length; i++) set.add(argv[i]);
  else if (argv.length === 1) set.clear();
  else for (let i = 1; i < argv.length; i++) set.delete(argv[i]);
}

const SUBSCRIBE = new Map<string, ['channel' | 'pattern' | 'shard', boolean]>([
  ['subscribe', ['channel', true]], ['unsubscribe', ['channel', false]],
  ['psubscribe', ['pattern', true]], ['punsubscribe', ['pattern', false]],
  ['ssubscribe', ['shard', true]], ['sunsubscribe', ['shard', false]],
]);

function isSubscribeCommand(name: string): boolean {
  return SUBSCRIBE.has(name);
}

function encoding(bytes: boolean, resp: 2 | 3): Encoding {
  return { bytes, resp, nested: false, transfer: [] };
}

/** PLAIN when the session's reads may run on a replica: not in MULTI, not in RESP2 subscribed mode. */
function flagsOf(engine: Engine, s: Session): number {
  if (s.multi !== null) return 0;
  if (s.resp === 2 && engine.pubsub.subscribed(s)) return 0;
  return PLAIN;
}

function resolve(argv: readonly string[]): CommandSpec | undefined {
  const spec = lookupCommand(argv[0]);
  if (spec === undefined || spec.sub === undefined || argv.length < 2) return spec;
  const name = `${spec.name}|${argv[1].toLowerCase()}`;
  return spec.sub.find((c) => c.name === name) ?? spec;
}

/** Commands a replica answers itself: reads of its keyspace, and a few that only describe the server. */
const LOCAL_EXTRA = new Set(['info', 'ping', 'echo', 'time', 'command', 'command|info', 'command|docs',
  'command|count', 'command|list', 'command|getkeys', 'command|getkeysandflags', 'config|get']);

function isLocalCommand(spec: CommandSpec): boolean {
  if (LOCAL_EXTRA.has(spec.name)) return true;
  return spec.flags.includes('readonly') && !spec.flags.includes('blocking') && !spec.flags.includes('pubsub');
}

function randomId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return c?.randomUUID?.() ?? randomHex(32);
}

function randomHex(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(Math.random() * 16).toString(16);
  return s;
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0;
  return h;
}
