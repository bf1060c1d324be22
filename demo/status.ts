/**
 * The status panel: what the engine can tell now, read once a second while the panel shows — this tab among
 * the database's tabs (`db.workerStats().replication`: its role, the leader tab, the leader's epoch, the
 * replication offset, the tabs connected, whether it is catching up with the leader), INFO (db sizes, memory
 * used against maxmemory, evictions, expiries, keyspace hits and misses, changes since the last save), CONFIG
 * GET appendfsync (the durability mode), LASTSAVE where the engine has it, the client's persistence status, and
 * the near-cache's hit rate where the client has one (`db.stats()`).
 *
 * INFO runs in this tab's engine (a replica answers it itself), so its counters are this tab's; LASTSAVE goes to
 * the leader, the tab that stores. Tab ids show as their first 8 characters (the whole id in the tooltip and in
 * `data-tab`); "single tab" only when the browser has no Web Locks and each tab runs alone.
 */
import type { TabhiveClient, WorkerStats } from '../src/client/index.js';
import { h, message } from './dom.js';
import { formatBytes, infoField, keyspaceOf, parseInfo, type Info } from './format.js';

interface Snapshot {
  info: Info;
  appendfsync: string | null;
  lastsave: number | null;
  nearCache: Record<string, unknown> | null;
  replication: Replication | null;
}

type Replication = NonNullable<WorkerStats['replication']>;

/** What each role is called here, and what it means. */
const ROLES: Record<Replication['role'], [string, string]> = {
  leader: ['leader', 'This tab leads: every write of every tab runs here, in one order, and is stored from here.'],
  replica: ['replica', 'This tab holds a replica: it answers reads itself and sends writes to the leader tab, ' +
    'whose changes reach it as a stream.'],
  candidate: ['electing', 'The leader tab went away and this tab is taking over: it is collecting what the other tabs hold.'],
  starting: ['starting', 'This tab is loading the database and looking for the leader.'],
  single: ['single tab', 'This browser has no Web Locks, so no tab can safely lead: each tab runs alone on the ' +
    'IndexedDB database and sees what the others had stored when it started.'],
};

/** A tab id as shown: its first 8 characters. */
const shortTab = (id: string) => id.slice(0, 8);

const APPENDFSYNC: Record<string, string> = {
  always: 'every write is stored before it is acknowledged',
  everysec: 'changes reach IndexedDB within a second',
  no: 'changes are stored when the worker is idle or the page is hidden',
};

export function startStatus(db: TabhiveClient, el: HTMLElement): { show(): void; hide(): void } {
  const s = db.duplicate();
  const root = el.querySelector<HTMLDivElement>('#status')!;
  let timer: ReturnType<typeof setInterval> | null = null;
  let hasLastsave: boolean | null = null;

  async function read(): Promise<Snapshot> {
    if (hasLastsave === null) {
      const [info] = await s.sendCommand<unknown[]>(['COMMAND', 'INFO', 'lastsave']);
      hasLastsave = info !== null;
    }
    const [text, fsync, lastsave, worker] = await Promise.all([
      s.info(),
      s.sendCommand<string[]>(['CONFIG', 'GET', 'appendfsync']).catch(() => []),
      hasLastsave ? s.sendCommand<number>(['LASTSAVE']) : Promise.resolve(null),
      s.workerStats(),
    ]);
    const stats = (db as unknown as { stats?: () => unknown }).stats;
    let nearCache: Record<string, unknown> | null = null;
    if (typeof stats === 'function') {
      const v = await stats.call(db);
      if (v !== null && typeof v === 'object') nearCache = v as Record<string, unknown>;
    }
    return { info: parseInfo(text), appendfsync: fsync[1] ?? null, lastsave, nearCache, replication: worker.replication ?? null };
  }

  function card(title: string, testid: string, ...body: (Node | string | null)[]): HTMLElement {
    return h('section', { class: 'card', testid }, h('h3', null, title), ...body);
  }

  function kv(rows: [string, Node | string, string?][]): HTMLElement {
    return h('dl', null, rows.map(([k, v, testid]) => [h('dt', null, k), h('dd', testid ? { testid } : null, v)]));
  }

  function tabCard(r: Replication | null): HTMLElement {
    if (r === null) {
      return card('This tab', 'status-tab', kv([['role', 'unknown', 'status-role']]),
        h('p', { class: 'dim' }, 'This worker does not report replication.'));
    }
    const [role, meaning] = ROLES[r.role];
    const id = (tab: string, testid: string) => h('code', { testid, title: tab, 'data-tab': tab }, shortTab(tab));
    let leader: Node | string;
    if (r.role === 'single' || r.leader === r.tab) leader = h('span', { testid: 'status-leader', 'data-tab': r.tab }, 'this tab');
    else if (r.leader === null) leader = h('span', { testid: 'status-leader' }, 'none yet');
    else leader = id(r.leader, 'status-leader');
    return card('This tab', 'status-tab',
      kv([
        ['role', h('span', { testid: 'status-role', class: `role role-${r.role}` }, role)],
        ['this tab', id(r.tab, 'status-tab-id')],
        ['leader tab', leader],
        ['epoch', String(r.epoch), 'status-epoch'],
        ['replication offset', String(r.offset), 'status-offset'],
        ['connected tabs', String(r.tabs), 'status-tabs'],
        ['sync', r.syncing ? 'catching up with the leader' : r.role === 'replica' ? 'in sync with the leader' : r.role === 'leader' ? 'the stream starts here' : '—', 'status-syncing'],
      ]),
      h('p', { class: 'dim', testid: 'status-role-meaning' }, meaning),
    );
  }

  function render(snap: Snapshot): void {
    const { info } = snap;
    const num = (f: string) => Number(infoField(info, f) ?? 0);
    const dbs = keyspaceOf(info);
    const used = num('used_memory');
    const max = num('maxmemory');
    const hits = num('keyspace_hits');
    const misses = num('keyspace_misses');
    const status = db.persistence;

    const bar = h('div', { class: 'bar', title: max > 0 ? `${((used / max) * 100).toFixed(1)}% of maxmemory` : 'no maxmemory set' },
      h('div', { style: `width: ${max > 0 ? Math.min(100, (used / max) * 100).toFixed(1) : 0}%` }));

    const near = snap.nearCache;
    let nearText: string;
    if (near === null) nearText = 'none in this client';
    else {
      const nh = Number(near.hits ?? 0);
      const nm = Number(near.misses ?? 0);
      nearText = nh + nm > 0 ? `${((nh / (nh + nm)) * 100).toFixed(1)}% (${nh} hits, ${nm} misses)` : 'no reads yet';
    }

    root.replaceChildren(
      tabCard(snap.replication),
      card('Keyspace', 'status-keyspace',
        dbs.length === 0
          ? h('p', { class: 'dim', testid: 'status-keys' }, 'every db is empty')
          : h('table', { testid: 'status-keys' },
              h('thead', null, h('tr', null, h('th', null, 'db'), h('th', null, 'keys'), h('th', null, 'with TTL'))),
              h('tbody', null, dbs.map((d) => h('tr', null, h('td', null, `db${d.db}`), h('td', null, String(d.keys)), h('td', null, String(d.expires)))))),
        kv([
          ['expired keys', String(num('expired_keys'))],
          ['hits / misses', `${hits} / ${misses}${hits + misses > 0 ? ` (${((hits / (hits + misses)) * 100).toFixed(1)}% hits)` : ''}`, 'status-hits'],
        ]),
      ),
      card('Memory', 'status-memory',
        kv([
          ['used', `${formatBytes(used)} (estimated)`, 'status-used'],
          ['maxmemory', max > 0 ? formatBytes(max) : 'no limit', 'status-maxmemory'],
          ['policy', infoField(info, 'maxmemory_policy') ?? '?'],
          ['evicted keys', String(num('evicted_keys')), 'status-evicted'],
        ]),
        bar,
      ),
      card('Durability', 'status-durability',
        kv([
          ['appendfsync', h('span', null,
            h('span', { testid: 'status-appendfsync' }, snap.appendfsync ?? '?'),
            h('br'),
            h('small', { class: 'dim' }, snap.appendfsync ? APPENDFSYNC[snap.appendfsync] ?? '' : ''))],
          ['IndexedDB', status.persistent ? 'storing changes' : `not storing${status.reason ? `: ${status.reason}` : ' (memory only)'}`, 'status-persistent'],
          ['keys loaded at start', String(status.loaded)],
          ['changes since save', String(num('rdb_changes_since_last_save'))],
          ['last save', snap.lastsave !== null ? new Date(snap.lastsave * 1000).toLocaleString() : 'LASTSAVE is not available', 'status-lastsave'],
        ]),
      ),
      card('Clients', 'status-clients',
        kv([
          ['sessions in this tab\'s engine', String(num('connected_clients'))],
          ['commands processed', String(num('total_commands_processed'))],
          ['pub/sub channels / patterns', `${num('pubsub_channels')} / ${num('pubsub_patterns')}`],
          ['near-cache hit rate', nearText, 'status-nearcache'],
          ['uptime', `${num('uptime_in_seconds')} s`],
        ]),
        snap.replication?.role === 'replica'
          ? h('p', { class: 'dim' }, 'Counted in this tab: its writes, transactions and subscriptions run at the leader tab.')
          : null,
      ),
    );
  }

  async function refresh(): Promise<void> {
    try {
      render(await read());
    } catch (e) {
      root.replaceChildren(h('p', { class: 'error' }, `Status unavailable: ${message(e)}`));
    }
  }

  return {
    show() {
      void refresh();
      timer ??= setInterval(() => void refresh(), 1000);
    },
    hide() {
      if (timer !== null) clearInterval(timer);
      timer = null;
    },
  };
}
