/**
 * Persistence commands (Redis's rdb.c): SAVE, BGSAVE, LASTSAVE, and the hook through which the engine asks
 * the persistence layer (src/persist) to save, whether writes must be refused, and what INFO's persistence
 * section says.
 *
 * Rules:
 * - the engine knows persistence only through `Persistence` (engine.persistence); without one (`tabhive serve`,
 *   tests) nothing is stored anywhere, and SAVE / BGSAVE succeed at once as a save of nothing would;
 * - SAVE answers once the save completed (Ctx.defer), with Redis's bare "ERR" when it failed (Redis logs the
 *   reason; here the persistence layer reports it to the page and in INFO);
 * - a save is tabhive's flush: every change so far written to IndexedDB in one transaction (persist/persister.ts).
 */
import type { CommandSpec } from '../command.js';
import type { Ctx } from '../ctx.js';
import { CommandError, E } from '../errors.js';
import { err, OK, simple, type Reply } from '../reply.js';

/** Redis's shared.bgsaveerr: why writes are refused after a failed save (stop-writes-on-bgsave-error yes). */
export const MISCONF =
  "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";

/** What the engine asks of its persistence layer. */
export interface Persistence {
  /** SAVE: write every change so far; resolves once stored, rejects when it could not be. */
  save(): Promise<void>;
  /** BGSAVE: start the same write without waiting for it (engine.persistence.bgsaveInProgress meanwhile). */
  bgsave(): void;
  /** A BGSAVE started and not finished yet. */
  readonly bgsaveInProgress: boolean;
  /**
   * The error to refuse write commands (and PING) with, as Redis's writeCommandsDeniedByDiskError: MISCONF
   * while the last save failed and stop-writes-on-bgsave-error is yes; null when writes are accepted.
   */
  writeError(): string | null;
  /** Set the fields of INFO's persistence section it knows (an existing field keeps its place). */
  info(fields: Map<string, string | number>): void;
}

// SAVE
function save(c: Ctx): Reply {
  const p = c.engine.persistence;
  if (p === null) return savedNothing(c);
  if (p.bgsaveInProgress) throw new CommandError('ERR Background save already in progress');
  const later = c.defer();
  p.save().then(
    () => later.resolve(OK),
    () => later.resolve(err('ERR')),
  );
  return later.reply;
}

// BGSAVE [SCHEDULE]
function bgsave(c: Ctx): Reply {
  if (c.args.has()) {
    // Redis accepts exactly one argument, SCHEDULE; anything else (or more) is a syntax error.
    if (c.args.nextUpper() !== 'SCHEDULE' || c.args.has()) throw new CommandError(E.SYNTAX);
  }
  const p = c.engine.persistence;
  if (p?.bgsaveInProgress) throw new CommandError('ERR Background save already in progress');
  // Inside EXEC Redis schedules the save for after the transaction; ours starts after it anyway (the write
  // is issued once the current task ends), so both say "scheduled" there.
  if (p === null) savedNothing(c);
  else p.bgsave();
  return simple(c.session.inExec ? 'Background saving scheduled' : 'Background saving started');
}

// LASTSAVE
function lastsave(c: Ctx): Reply {
  return Math.floor(c.engine.lastSave / 1000);
}

/** A save with nowhere to save to: nothing is pending any more, as after a save. */
function savedNothing(c: Ctx): Reply {
  c.engine.dirty = 0;
  c.engine.lastSave = c.engine.now();
  return OK;
}

export const commands: CommandSpec[] = [
  {
    name: 'save', arity: 1, flags: ['admin', 'noscript', 'no_async_loading', 'no_multi'], acl: [],
    keys: [0, 0, 0], group: 'server', summary: 'Synchronously save the dataset to disk', since: '1.0.0',
    syntax: 'SAVE', complexity: 'O(N) where N is the total number of keys in all databases', handler: save,
  },
  {
    name: 'bgsave', arity: -1, flags: ['admin', 'noscript', 'no_async_loading'], acl: [], keys: [0, 0, 0],
    group: 'server', summary: 'Asynchronously save the dataset to disk', since: '1.0.0',
    syntax: 'BGSAVE [SCHEDULE]', complexity: 'O(1)', handler: bgsave,
    history: [['3.2.2', 'Added the `SCHEDULE` option.']],
  },
  {
    name: 'lastsave', arity: 1, flags: ['loading', 'stale', 'fast'], acl: ['admin', 'dangerous'], keys: [0, 0, 0],
    tips: ['nondeterministic_output'], group: 'server',
    summary: 'Get the UNIX time stamp of the last successful save to disk', since: '1.0.0', syntax: 'LASTSAVE',
    complexity: 'O(1)', handler: lastsave,
  },
];
