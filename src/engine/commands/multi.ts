/**
 * Transactions (Redis's multi.c): MULTI, EXEC, DISCARD, WATCH, UNWATCH.
 *
 * Rules: queuing happens in Engine.execute (commands are resolved and arity-checked first; a refusal there
 * dooms the transaction → EXECABORT). EXEC runs the queue with nothing in between — errors at run time do not
 * roll back — and answers a null array when a watched key changed (see watch.ts for what breaks a watch).
 */
import type { CommandSpec } from '../command.js';
import type { Ctx } from '../ctx.js';
import { CommandError } from '../errors.js';
import { NULL_ARRAY, OK, type Reply } from '../reply.js';
import { registerSessionLayer, type Session } from '../session.js';

const discardTransaction = (s: Session) => {
  s.multi = null;
};

registerSessionLayer({
  reset(s) {
    // RESET unwatches through the engine's registry before calling layers; this clears what is left.
    discardTransaction(s);
    s.watching.clear();
    s.dirtyCas = false;
  },
  info(s, out) {
    if (s.multi !== null) {
      out.flags += 'x';
      out.multi = s.multi.queue.length;
      // Redis counts each queued argument's bytes plus 8 for its pointer (multi-mem in CLIENT LIST).
      out.multiMem = s.multi.queue.reduce((n, q) => n + q.argv.reduce((m, a) => m + a.length + 8, 0), 0);
    }
    if (s.dirtyCas) out.flags += 'd';
  },
});

// MULTI
function multi(c: Ctx): Reply {
  if (c.session.multi !== null) throw new CommandError('ERR MULTI calls can not be nested');
  c.session.multi = { queue: [], aborted: false };
  return OK;
}

// EXEC
function exec(c: Ctx): Reply {
  const s = c.session;
  const m = s.multi;
  if (m === null) throw new CommandError('ERR EXEC without MULTI');
  const w = c.engine.watches;
  if (m.aborted) {
    discardTransaction(s);
    w.unwatchAll(s);
    throw new CommandError('EXECABORT Transaction discarded because of previous errors.');
  }
  if (s.dirtyCas || w.expiredSinceWatch(s, c.now)) {
    discardTransaction(s);
    w.unwatchAll(s);
    return NULL_ARRAY;
  }
  // Unwatch before running: our own writes must not mark a later transaction dirty.
  w.unwatchAll(s);
  s.multi = null;
  const replies: Reply[] = [];
  s.inExec = true;
  try {
    for (const q of m.queue) replies.push(c.engine.call(s, q.spec, q.argv, q.start));
  } finally {
    s.inExec = false;
  }
  return replies;
}

// DISCARD
function discard(c: Ctx): Reply {
  if (c.session.multi === null) throw new CommandError('ERR DISCARD without MULTI');
  discardTransaction(c.session);
  c.engine.watches.unwatchAll(c.session);
  return OK;
}

// WATCH key [key ...]
function watch(c: Ctx): Reply {
  if (c.session.multi !== null) throw new CommandError('ERR WATCH inside MULTI is not allowed');
  while (c.args.has()) c.engine.watches.watch(c.session, c.db, c.args.next(), c.now);
  return OK;
}

// UNWATCH
function unwatch(c: Ctx): Reply {
  c.engine.watches.unwatchAll(c.session);
  return OK;
}

const TX_FLAGS = ['noscript', 'loading', 'stale', 'fast', 'allow_busy'] as const;

export const commands: CommandSpec[] = [
  {
    name: 'multi', arity: 1, flags: [...TX_FLAGS], acl: ['transaction'], keys: [0, 0, 0], group: 'transactions',
    summary: 'Mark the start of a transaction block', since: '1.2.0', syntax: 'MULTI', complexity: 'O(1)',
    handler: multi,
  },
  {
    name: 'exec', arity: 1, flags: ['noscript', 'loading', 'stale', 'skip_slowlog'], acl: ['transaction'],
    keys: [0, 0, 0], group: 'transactions', summary: 'Execute all commands issued after MULTI', since: '1.2.0',
    syntax: 'EXEC', complexity: 'Depends on commands in the transaction', handler: exec,
  },
  {
    name: 'discard', arity: 1, flags: [...TX_FLAGS], acl: ['transaction'], keys: [0, 0, 0], group: 'transactions',
    summary: 'Discard all commands issued after MULTI', since: '2.0.0', syntax: 'DISCARD',
    complexity: 'O(N), when N is the number of queued commands', handler: discard,
  },
  {
    name: 'watch', arity: -2, flags: [...TX_FLAGS], acl: ['transaction'], keys: [1, -1, 1], group: 'transactions',
    keySpecs: [{ flags: ['RO'], begin: { index: 1 }, find: { lastkey: -1, keystep: 1, limit: 0 } }],
    summary: 'Watch the given keys to determine execution of the MULTI/EXEC block', since: '2.2.0',
    syntax: 'WATCH key [key ...]', complexity: 'O(1) for every key.', handler: watch,
  },
  {
    name: 'unwatch', arity: 1, flags: [...TX_FLAGS], acl: ['transaction'], keys: [0, 0, 0], group: 'transactions',
    summary: 'Forget about all watched keys', since: '2.2.0', syntax: 'UNWATCH', complexity: 'O(1)',
    handler: unwatch,
  },
];
