/**
 * MEMORY (Redis's object.c memoryCommand): USAGE, STATS, DOCTOR, MALLOC-STATS, PURGE, HELP.
 *
 * The figures are memory.ts's model of what Redis 7.0 would allocate (see there). There is no allocator
 * to report on: MALLOC-STATS answers as a Redis built without jemalloc does, the allocator and RSS lines
 * of STATS equal the allocated total (ratios 1), and PURGE has nothing to purge.
 */
import type { CommandSpec } from '../command.js';
import type { Ctx } from '../ctx.js';
import { CommandError, E } from '../errors.js';
import { DEFAULT_SAMPLES } from '../memory.js';
import { double, helpReply, map, OK, verbatim, type Reply } from '../reply.js';

// MEMORY USAGE key [SAMPLES count]
function usage(c: Ctx): Reply {
  const key = c.args.next();
  let samples = DEFAULT_SAMPLES;
  // Options are read before the key is looked up, so their errors come first.
  while (c.args.has()) {
    const opt = c.args.nextUpper();
    if (opt !== 'SAMPLES' || !c.args.has()) throw new CommandError(E.SYNTAX);
    const n = c.args.nextInt();
    if (n < 0) throw new CommandError(E.SYNTAX);
    samples = n === 0 ? Infinity : Number(n);
  }
  // Redis reads the dict itself: no expiry, no access time, no keymiss event.
  const e = c.db.dict.get(key);
  if (e === undefined) return null;
  return c.engine.memory.usage(e, samples);
}

// MEMORY STATS
function stats(c: Ctx): Reply {
  const m = c.engine.memory.overhead();
  const total = m.totalAllocated;
  const out: Reply[] = [
    'peak.allocated', m.peakAllocated,
    'total.allocated', total,
    'startup.allocated', m.startupAllocated,
    'replication.backlog', 0,
    'clients.slaves', 0,
    'clients.normal', 0,
    'cluster.links', 0,
    'aof.buffer', 0,
    'lua.caches', 0,
    'functions.caches', 0,
  ];
  for (const db of m.dbs) {
    out.push(`db.${db.id}`, map([
      'overhead.hashtable.main', db.main,
      'overhead.hashtable.expires', db.expires,
      'overhead.hashtable.slot-to-keys', 0,
    ]));
  }
  out.push(
    'overhead.total', m.overheadTotal,
    'keys.count', m.totalKeys,
    'keys.bytes-per-key', m.bytesPerKey,
    'dataset.bytes', m.dataset,
    'dataset.percentage', double(m.datasetPerc),
    'peak.percentage', double(m.peakPerc),
    'allocator.allocated', total,
    'allocator.active', total,
    'allocator.resident', total,
    'allocator-fragmentation.ratio', double(1),
    'allocator-fragmentation.bytes', 0,
    'allocator-rss.ratio', double(1),
    'allocator-rss.bytes', 0,
    'rss-overhead.ratio', double(1),
    'rss-overhead.bytes', 0,
    'fragmentation', double(1),
    'fragmentation.bytes', 0,
  );
  return map(out);
}

const DOCTOR_EMPTY =
  "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these " +
  'conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be ' +
  'back to our programming as soon as I finished rebooting.\n';
const DOCTOR_FINE =
  "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";
const DOCTOR_PEAK =
  ' * Peak memory: In the past this instance used more than 150% the memory that is currently using. The ' +
  'allocator is normally not able to release memory after a peak, so you can expect to see a big ' +
  'fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis ' +
  'instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you ' +
  'fill the Redis instance with more data. If the memory peak was only occasional and you want to try to ' +
  'reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and ' +
  'restart the instance.\n\n';

// MEMORY DOCTOR
function doctor(c: Ctx): Reply {
  // Redis's getMemoryDoctorReport. Fragmentation, RSS, replica and client buffers and script caches have no
  // counterpart here, so only "empty" and "big peak" can be reported.
  const m = c.engine.memory.overhead();
  let report: string;
  if (m.totalAllocated < 5 * 1024 * 1024) report = DOCTOR_EMPTY;
  else if (m.peakAllocated / m.totalAllocated > 1.5) {
    report =
      'Sam, I detected a few issues in this Redis instance memory implants:\n\n' +
      DOCTOR_PEAK +
      "I'm here to keep you safe, Sam. I want to help you.\n";
  } else report = DOCTOR_FINE;
  return verbatim(report);
}

// MEMORY MALLOC-STATS
function mallocStats(): Reply {
  return 'Stats not supported for the current allocator';
}

// MEMORY PURGE
function purge(): Reply {
  return OK;
}

// MEMORY HELP
function help(): Reply {
  return helpReply('MEMORY', [
    'DOCTOR',
    '    Return memory problems reports.',
    'MALLOC-STATS',
    '    Return internal statistics report from the memory allocator.',
    'PURGE',
    '    Attempt to purge dirty pages for reclamation by the allocator.',
    'STATS',
    '    Return information about the memory usage of the server.',
    'USAGE <key> [SAMPLES <count>]',
    '    Return memory in bytes used by <key> and its value. Nested values are',
    '    sampled up to <count> times (default: 5, 0 means sample all).',
  ]);
}

const SPECIAL_TIPS = ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'];

export const commands: CommandSpec[] = [
  {
    name: 'memory', arity: -2, flags: [], acl: [], keys: [0, 0, 0], group: 'server',
    summary: 'A container for memory diagnostics commands', since: '4.0.0', syntax: 'MEMORY',
    complexity: 'Depends on subcommand.',
    sub: [
      {
        name: 'memory|doctor', arity: 2, flags: [], acl: [], keys: [0, 0, 0], tips: SPECIAL_TIPS,
        group: 'server', summary: 'Outputs memory problems report', since: '4.0.0', syntax: 'MEMORY DOCTOR',
        complexity: 'O(1)', handler: doctor,
        differs: 'Judges the estimated figures of MEMORY STATS.',
      },
      {
        name: 'memory|help', arity: 2, flags: ['loading', 'stale'], acl: [], keys: [0, 0, 0], group: 'server',
        summary: 'Show helpful text about the different subcommands', since: '4.0.0', syntax: 'MEMORY HELP',
        complexity: 'O(1)', handler: help,
      },
      {
        name: 'memory|malloc-stats', arity: 2, flags: [], acl: [], keys: [0, 0, 0], tips: SPECIAL_TIPS,
        group: 'server', summary: 'Show allocator internal stats', since: '4.0.0', syntax: 'MEMORY MALLOC-STATS',
        complexity: 'Depends on how much memory is allocated, could be slow', handler: mallocStats,
        differs: 'Answers as a Redis built without jemalloc.',
      },
      {
        name: 'memory|purge', arity: 2, flags: [], acl: [], keys: [0, 0, 0],
        tips: ['request_policy:all_shards', 'response_policy:all_succeeded'], group: 'server',
        summary: 'Ask the allocator to release memory', since: '4.0.0', syntax: 'MEMORY PURGE',
        complexity: 'Depends on how much memory is allocated, could be slow', handler: purge,
      },
      {
        name: 'memory|stats', arity: 2, flags: [], acl: [], keys: [0, 0, 0], tips: SPECIAL_TIPS, group: 'server',
        summary: 'Show memory usage details', since: '4.0.0', syntax: 'MEMORY STATS', complexity: 'O(1)',
        handler: stats, differs: 'Figures are a model of what Redis 7.0 would allocate; allocator and RSS ratios are 1.',
      },
      {
        name: 'memory|usage', arity: -3, flags: ['readonly'], acl: [], keys: [2, 2, 1], group: 'server',
        keySpecs: [{ flags: ['RO'], begin: { index: 2 }, find: { lastkey: 0, keystep: 1, limit: 0 } }],
        summary: 'Estimate the memory usage of a key', since: '4.0.0', syntax: 'MEMORY USAGE key [SAMPLES count]',
        complexity: 'O(N) where N is the number of samples.', handler: usage,
        differs: 'A model of what Redis 7.0 would allocate for the key (memory.ts), not a measurement.',
      },
    ],
  },
];
