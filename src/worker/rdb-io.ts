/**
 * RDB files in and out of a running worker: the page's `exportRdb()` / `importRdb()` (the engine's rdb.ts does
 * the format — RDB 10, what redis-server 7.0's SAVE writes and what it loads at start).
 *
 * Rules:
 * - export is the whole dataset at one instant (every db, TTLs as absolute times, logically expired keys left
 *   out), read from this tab's keyspace: what its own reads see, its own writes included;
 * - import replaces the whole dataset, as redis-server does when it starts on a file or on DEBUG RELOAD. The
 *   file is read and checked whole before anything changes: a bad file is refused with the words Redis logs
 *   (`Wrong signature trying to load DB from file`, `Wrong RDB checksum …`) and changes nothing;
 * - a replacement is one change to every db (Engine.signalFlushedDb), so everything that follows the engine's
 *   signals sees it: the persister rewrites every db whole (old keys deleted), near-caches are flushed, other
 *   tabs receive the dbs whole, WATCHed keys that existed are touched. On top, watched keys the file brought
 *   are touched (the key changed) and clients blocked on keys the file filled are served, as after a RESTORE;
 * - the import resolves once the new dataset is stored (a flush, as `flush()`); while IndexedDB writes fail
 *   it is refused with MISCONF, as any write;
 * - another tab leads (replication/): only the leader changes the database, so the file, checked here, goes
 *   to it as one transaction of Redis commands — MULTI, FLUSHALL, RESTORE … ABSTTL per key (SELECT between
 *   dbs), EXEC — all or nothing there. Unlike a direct import, those commands fire their keyspace events
 *   (`restore`) and are subject to maxmemory (OOM refuses the whole transaction).
 */
import { fromBytes } from '../engine/bytes.js';
import { Engine } from '../engine/engine.js';
import {
  createDumpPayload, exportRdb as exportDataset, importRdb as replaceDataset, rdbSettings, RdbError,
  type ImportResult,
} from '../engine/rdb.js';
import { err, type Reply } from '../engine/reply.js';
import type { Session } from '../engine/session.js';
import { describe } from '../persist/persister.js';
import type { ReplyTarget } from '../replication/replication.js';
import type { Host } from './host.js';
import { encodeReply, isWireError, type WireError, type WireFailure, type WireReply } from './protocol.js';

/** What an import did. */
export interface ImportSummary {
  /** The file's RDB version (redis-server 7.0 writes 10; older files, 1 to 9, load too). */
  version: number;
  /** Keys now in the database. */
  loaded: number;
  /** Keys of the file whose TTL had already passed: not loaded, as Redis does. */
  expired: number;
  /** What the file held that tabhive skipped (function libraries, module data, empty collections). */
  warnings: string[];
}

/** The file was refused: `message` says why, in Redis's words. Nothing changed. */
export interface RdbRefusal {
  readonly k: 'rdb';
  readonly message: string;
}

/**
 * An import's answer: the summary, the file refused, a Redis error (MISCONF while writes fail; the leader tab
 * refused the transaction), or a failure after the change (it could not be stored).
 */
export type ImportAnswer = ImportSummary | RdbRefusal | WireError | WireFailure;

/** The whole dataset as an RDB file redis-server 7.0 loads. */
export function exportRdb(host: Host): Uint8Array {
  return exportDataset(host.engine);
}

/** Replace the whole dataset with an RDB file's; resolves once the new dataset is stored. */
export async function importRdb(host: Host, bytes: Uint8Array): Promise<ImportAnswer> {
  const engine = host.engine;
  const repl = host.repl;
  let res: ImportResult;
  if (repl !== null && repl.forwarding) {
    // Checked here in an engine of its own, then sent to the leader as commands.
    const scratch = new Engine({ now: engine.now, config: rdbConfig(engine) });
    try {
      res = replaceDataset(scratch, bytes);
    } catch (e) {
      return refusal(e);
    }
    const failed = await forwardDataset(host, scratch);
    if (failed !== null) return failed;
  } else {
    const misconf = engine.persistence?.writeError() ?? null;
    if (misconf !== null) return { k: 'err', msg: misconf };
    try {
      res = replaceDataset(engine, bytes);
    } catch (e) {
      return refusal(e);
    }
    afterReplace(engine);
  }
  try {
    await host.flush();
  } catch (e) {
    return {
      k: 'fail',
      message: `tabhive: the file was imported but could not be written to IndexedDB (${describe(e)}); retrying`,
    };
  }
  const warnings = [...res.warnings];
  if (res.emptySkipped > 0) warnings.push(`${res.emptySkipped} empty collection(s) skipped, as Redis does`);
  return { version: res.version, loaded: res.loaded, expired: res.expired, warnings };
}

function refusal(e: unknown): RdbRefusal {
  if (e instanceof RdbError) return { k: 'rdb', message: e.message };
  throw e;
}

/**
 * What a replaced dataset owes beyond signalFlushedDb (which broke watches on the keys that were there): watches
 * on the keys the file brought, and clients blocked on them.
 */
function afterReplace(engine: Engine): void {
  const blocked = engine.blocking.count > 0;
  for (const db of engine.dbs) {
    if (db.dict.size === 0) continue;
    engine.watches.touchDb(db, null);
    if (blocked) for (const key of db.dict.keys()) engine.blocking.signal(db, key);
  }
  if (blocked) engine.blocking.serveReady();
}

/** The configuration that shapes what a file loads into (encodings; LRU / LFU information). */
function rdbConfig(engine: Engine): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of RDB_PARAMS) {
    const v = engine.config.get(name);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

const RDB_PARAMS = [
  'hash-max-listpack-entries', 'hash-max-listpack-value', 'zset-max-listpack-entries', 'zset-max-listpack-value',
  'set-max-intset-entries', 'list-max-listpack-size', 'list-compress-depth', 'maxmemory-policy', 'lfu-decay-time',
];

// ---- through the leader tab -------------------------------------------------------------------------------------

/**
 * Session ids of forwarded imports: the leader keeps a session per (tab, id), and a page numbers its sessions
 * from 1, so these never meet one of them.
 */
let nextImportSid = 2 ** 40;

/**
 * Send `scratch`'s dataset to the leader as MULTI, FLUSHALL, SELECT / RESTORE …, EXEC on a session of its own.
 * Null once the leader ran it (its effects are then in this tab's keyspace: replies follow their effects), else
 * what went wrong, with nothing changed.
 */
async function forwardDataset(host: Host, scratch: Engine): Promise<WireError | WireFailure | null> {
  const repl = host.repl!;
  const engine = host.engine;
  const cmds = datasetCommands(scratch, engine.now());
  const target = new ForwardedImport(engine);
  const sid = nextImportSid++;
  const s = engine.createSession();
  s.addr = 'tabhive:import';
  const replies = cmds.map((argv, ticket) => {
    const reply = target.expect(ticket);
    repl.forward(target, sid, s, argv, false, ticket);
    return reply;
  });
  let answers: WireReply[];
  try {
    answers = await Promise.all(replies);
  } finally {
    repl.closeSession(s);
    engine.closeSession(s);
  }
  const exec = answers[answers.length - 1];
  if (exec === null) {
    // A change of leader doomed the transaction (as a WATCH would): nothing ran.
    return { k: 'fail', message: 'tabhive: the leader tab changed during the import; nothing was imported, retry' };
  }
  if (isWireError(exec)) {
    // EXECABORT: the error a queued command met (OOM, MISCONF …) says more.
    const first = answers.slice(0, -1).find(isWireError);
    return first ?? exec;
  }
  const inner = Array.isArray(exec) ? exec.find(isWireError) : undefined;
  if (inner !== undefined) {
    return { k: 'fail', message: `tabhive: the leader tab failed part of the import: ${inner.msg}` };
  }
  return null;
}

/** The commands that make a database hold `src`'s dataset. */
function datasetCommands(src: Engine, now: number): string[][] {
  const s = rdbSettings(src);
  const cmds: string[][] = [['MULTI'], ['FLUSHALL']];
  for (const db of src.dbs) {
    if (db.dict.size === 0) continue;
    cmds.push(['SELECT', String(db.id)]);
    for (const e of db.dict.values()) {
      const argv = ['RESTORE', e.key, String(e.expireAt), fromBytes(createDumpPayload(e, s))];
      if (e.expireAt !== 0) argv.push('ABSTTL');
      if (s.policy === 'lru') argv.push('IDLETIME', String(Math.max(0, Math.floor((now - e.atime) / 1000))));
      else if (s.policy === 'lfu') argv.push('FREQ', String(e.freq));
      cmds.push(argv);
    }
  }
  cmds.push(['EXEC']);
  return cmds;
}

/** Where the leader's replies to a forwarded import come back (tickets: the commands' indexes). */
class ForwardedImport implements ReplyTarget {
  private readonly waiting = new Map<number, (r: WireReply) => void>();

  constructor(private readonly engine: Engine) {}

  expect(ticket: number): Promise<WireReply> {
    return new Promise<WireReply>((resolve) => this.waiting.set(ticket, resolve));
  }

  forwardedReply(_sid: number, _s: Session, ticket: number, r: WireReply): void {
    const resolve = this.waiting.get(ticket);
    this.waiting.delete(ticket);
    resolve?.(r);
  }

  forwardedPush(): void {
    // An import's session subscribes to nothing.
  }

  /** This tab took the lead while the import was out: the rest of it runs here. */
  runForwarded(sid: number, s: Session, argv: string[], _bytes: boolean, ticket: number): void {
    let r: Reply;
    try {
      r = this.engine.execute(s, argv);
    } catch (e) {
      r = err(`ERR tabhive internal error: ${describe(e)}`);
    }
    this.forwardedReply(sid, s, ticket, encodeReply(r, { bytes: false, resp: 2, nested: false, transfer: [] }));
  }
}
