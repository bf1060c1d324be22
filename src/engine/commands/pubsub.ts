/**
 * Pub/sub commands (Redis's pubsub.c). Routing lives in ../pubsub.ts; this file parses and answers.
 *
 * Rules: (un)subscribe acknowledgements are pushes, one per channel, in argument order (a RESP3 push, a RESP2
 * array), so these commands return NO_REPLY; in RESP2 a subscribed session may only run the commands in
 * Engine's SUBSCRIBE_MODE set (checked by the dispatcher).
 */
import type { CommandSpec, KeySpec } from '../command.js';
import type { Ctx } from '../ctx.js';
import { globMatch } from '../glob.js';
import type { SubKind } from '../pubsub.js';
import { helpReply, NO_REPLY, push, type Reply } from '../reply.js';
import { registerSessionLayer } from '../session.js';

registerSessionLayer({
  info(s, out) {
    // Filled in by the engine's PubSub through a hook set below (the layer has no engine reference).
    const ps = sessionPubSub.get(s);
    if (ps === undefined) return;
    out.sub = ps.of(s, 'channel').size;
    out.psub = ps.of(s, 'pattern').size;
    out.ssub = ps.of(s, 'shard').size;
    if (ps.subscribed(s)) out.flags += 'P';
  },
  reset(s) {
    sessionPubSub.get(s)?.drop(s);
  },
});

/** Session → the PubSub it subscribed through, for the session layer above. */
const sessionPubSub = new WeakMap<object, import('../pubsub.js').PubSub>();

const ACK: Record<SubKind, [string, string]> = {
  channel: ['subscribe', 'unsubscribe'],
  pattern: ['psubscribe', 'punsubscribe'],
  shard: ['ssubscribe', 'sunsubscribe'],
};

function ackCount(c: Ctx, kind: SubKind): number {
  const ps = c.engine.pubsub;
  return kind === 'shard' ? ps.shardCount(c.session) : ps.count(c.session);
}

function subscribe(c: Ctx, kind: SubKind): Reply {
  const ps = c.engine.pubsub;
  sessionPubSub.set(c.session, ps);
  while (c.args.has()) {
    const name = c.args.next();
    ps.add(c.session, kind, name);
    c.session.push(push([ACK[kind][0], name, ackCount(c, kind)]));
  }
  return NO_REPLY;
}

function unsubscribe(c: Ctx, kind: SubKind): Reply {
  const ps = c.engine.pubsub;
  const names = c.args.has() ? c.args.rest() : [...ps.of(c.session, kind)];
  if (names.length === 0) {
    c.session.push(push([ACK[kind][1], null, ackCount(c, kind)]));
    return NO_REPLY;
  }
  for (const name of names) {
    ps.remove(c.session, kind, name);
    c.session.push(push([ACK[kind][1], name, ackCount(c, kind)]));
  }
  return NO_REPLY;
}

// SUBSCRIBE channel [channel ...]
const subscribeCmd = (c: Ctx) => subscribe(c, 'channel');
// UNSUBSCRIBE [channel [channel ...]]
const unsubscribeCmd = (c: Ctx) => unsubscribe(c, 'channel');
// PSUBSCRIBE pattern [pattern ...]
const psubscribeCmd = (c: Ctx) => subscribe(c, 'pattern');
// PUNSUBSCRIBE [pattern [pattern ...]]
const punsubscribeCmd = (c: Ctx) => unsubscribe(c, 'pattern');
// SSUBSCRIBE shardchannel [shardchannel ...]
const ssubscribeCmd = (c: Ctx) => subscribe(c, 'shard');
// SUNSUBSCRIBE [shardchannel [shardchannel ...]]
const sunsubscribeCmd = (c: Ctx) => unsubscribe(c, 'shard');

// PUBLISH channel message
function publish(c: Ctx): Reply {
  const channel = c.args.next();
  return c.engine.publish(channel, c.args.next());
}

// SPUBLISH shardchannel message
function spublish(c: Ctx): Reply {
  const channel = c.args.next();
  return c.engine.pubsub.spublish(channel, c.args.next());
}

function activeChannels(c: Ctx, table: Map<string, Set<unknown>>): Reply {
  const pattern = c.args.has() ? c.args.next() : null;
  const out: string[] = [];
  for (const ch of table.keys()) if (pattern === null || globMatch(pattern, ch)) out.push(ch);
  return out;
}

function numsub(c: Ctx, table: Map<string, Set<unknown>>): Reply {
  const out: Reply[] = [];
  while (c.args.has()) {
    const ch = c.args.next();
    out.push(ch, table.get(ch)?.size ?? 0);
  }
  return out;
}

// PUBSUB CHANNELS [pattern]
const pubsubChannels = (c: Ctx) => activeChannels(c, c.engine.pubsub.channels);
// PUBSUB SHARDCHANNELS [pattern]
const pubsubShardChannels = (c: Ctx) => activeChannels(c, c.engine.pubsub.shards);
// PUBSUB NUMSUB [channel [channel ...]]
const pubsubNumsub = (c: Ctx) => numsub(c, c.engine.pubsub.channels);
// PUBSUB SHARDNUMSUB [shardchannel [shardchannel ...]]
const pubsubShardNumsub = (c: Ctx) => numsub(c, c.engine.pubsub.shards);
// PUBSUB NUMPAT
const pubsubNumpat = (c: Ctx): Reply => c.engine.pubsub.patterns.size;

// PUBSUB HELP
const pubsubHelp = (): Reply =>
  helpReply('PUBSUB', [
    'CHANNELS [<pattern>]',
    "    Return the currently active channels matching a <pattern> (default: '*').",
    'NUMPAT',
    '    Return number of subscriptions to patterns.',
    'NUMSUB [<channel> ...]',
    '    Return the number of subscribers for the specified channels, excluding',
    '    pattern subscriptions(default: no channels).',
    'SHARDCHANNELS [<pattern>]',
    "    Return the currently active shard level channels matching a <pattern> (default: '*').",
    'SHARDNUMSUB [<shardchannel> ...]',
    '    Return the number of subscribers for the specified shard level channel(s)',
  ]);

const SUB_FLAGS = ['pubsub', 'noscript', 'loading', 'stale'] as const;
const notKey = (lastkey: number): KeySpec[] => [
  { flags: ['not_key'], begin: { index: 1 }, find: { lastkey, keystep: 1, limit: 0 } },
];

const sub = (
  name: string, arity: number, summary: string, syntax: string, handler: (c: Ctx) => Reply,
  flags: CommandSpec['flags'] = ['pubsub', 'loading', 'stale'],
): CommandSpec => ({
  name: `pubsub|${name}`, arity, flags, acl: [], keys: [0, 0, 0], group: 'pubsub', summary, since: '2.8.0', syntax,
  handler,
});

export const commands: CommandSpec[] = [
  {
    name: 'subscribe', arity: -2, flags: [...SUB_FLAGS], acl: [], keys: [0, 0, 0], group: 'pubsub',
    summary: 'Listen for messages published to the given channels', since: '2.0.0',
    syntax: 'SUBSCRIBE channel [channel ...]', complexity: 'O(N) where N is the number of channels to subscribe to.',
    handler: subscribeCmd,
  },
  {
    name: 'unsubscribe', arity: -1, flags: [...SUB_FLAGS], acl: [], keys: [0, 0, 0], group: 'pubsub',
    summary: 'Stop listening for messages posted to the given channels', since: '2.0.0',
    syntax: 'UNSUBSCRIBE [channel [channel ...]]', complexity: 'O(N) where N is the number of clients already subscribed to a channel.',
    handler: unsubscribeCmd,
  },
  {
    name: 'psubscribe', arity: -2, flags: [...SUB_FLAGS], acl: [], keys: [0, 0, 0], group: 'pubsub',
    summary: 'Listen for messages published to channels matching the given patterns', since: '2.0.0',
    syntax: 'PSUBSCRIBE pattern [pattern ...]', complexity: 'O(N) where N is the number of patterns the client is already subscribed to.',
    handler: psubscribeCmd,
  },
  {
    name: 'punsubscribe', arity: -1, flags: [...SUB_FLAGS], acl: [], keys: [0, 0, 0], group: 'pubsub',
    summary: 'Stop listening for messages posted to channels matching the given patterns', since: '2.0.0',
    syntax: 'PUNSUBSCRIBE [pattern [pattern ...]]', complexity: 'O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).',
    handler: punsubscribeCmd,
  },
  {
    name: 'ssubscribe', arity: -2, flags: [...SUB_FLAGS], acl: [], keys: [1, -1, 1], keySpecs: notKey(-1),
    group: 'pubsub', summary: 'Listen for messages published to the given shard channels', since: '7.0.0',
    syntax: 'SSUBSCRIBE shardchannel [shardchannel ...]', complexity: 'O(N) where N is the number of shard channels to subscribe to.',
    handler: ssubscribeCmd,
  },
  {
    name: 'sunsubscribe', arity: -1, flags: [...SUB_FLAGS], acl: [], keys: [1, -1, 1], keySpecs: notKey(-1),
    group: 'pubsub', summary: 'Stop listening for messages posted to the given shard channels', since: '7.0.0',
    syntax: 'SUNSUBSCRIBE [shardchannel [shardchannel ...]]', complexity: 'O(N) where N is the number of clients already subscribed to a shard channel.',
    handler: sunsubscribeCmd,
  },
  {
    name: 'publish', arity: 3, flags: ['pubsub', 'loading', 'stale', 'fast'], acl: [], keys: [0, 0, 0],
    group: 'pubsub', summary: 'Post a message to a channel', since: '2.0.0', syntax: 'PUBLISH channel message',
    complexity: 'O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).',
    handler: publish,
  },
  {
    name: 'spublish', arity: 3, flags: ['pubsub', 'loading', 'stale', 'fast'], acl: [], keys: [1, 1, 1],
    keySpecs: notKey(0), group: 'pubsub', summary: 'Post a message to a shard channel', since: '7.0.0',
    syntax: 'SPUBLISH shardchannel message',
    complexity: 'O(N) where N is the number of clients subscribed to the receiving shard channel.',
    handler: spublish,
  },
  {
    name: 'pubsub', arity: -2, flags: [], acl: [], keys: [0, 0, 0], group: 'pubsub',
    summary: 'A container for Pub/Sub commands', since: '2.8.0', complexity: 'Depends on subcommand.',
    sub: [
      sub('channels', -2, 'List active channels', 'PUBSUB CHANNELS [pattern]', pubsubChannels),
      sub('numpat', 2, 'Get the count of unique patterns pattern subscriptions', 'PUBSUB NUMPAT', pubsubNumpat),
      sub('numsub', -2, 'Get the count of subscribers for channels', 'PUBSUB NUMSUB [channel [channel ...]]', pubsubNumsub),
      sub('shardchannels', -2, 'List active shard channels', 'PUBSUB SHARDCHANNELS [pattern]', pubsubShardChannels),
      sub('shardnumsub', -2, 'Get the count of subscribers for shard channels', 'PUBSUB SHARDNUMSUB [shardchannel [shardchannel ...]]', pubsubShardNumsub),
      sub('help', 2, 'Show helpful text about the different subcommands', 'PUBSUB HELP', pubsubHelp, ['loading', 'stale']),
    ],
  },
];
