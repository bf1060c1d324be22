/**
 * Pub/sub commands with typed methods (node-redis v4's names and reply shapes): PUBLISH, SPUBLISH and PUBSUB's
 * introspection subcommands. Subscribing is the client's own (`subscribe()` & co. in client.ts, pubsub.ts): it
 * takes a session of its own. See base.ts for how a family joins the client.
 *
 * Subscriber counts come back as records with no prototype (`Object.create(null)`): a channel named `__proto__`
 * or `constructor` is an ordinary property.
 */
import { CommandBase, many, toRecord, type Key, type Value } from './base.js';

export abstract class PubSubCommands<S extends string | Uint8Array = string> extends CommandBase {
  /** `PUBLISH channel message` — how many subscribers received it. */
  publish(channel: Key, message: Value): Promise<number> {
    return this.run(['PUBLISH', channel, message]);
  }

  /** `SPUBLISH shardchannel message` — how many subscribers received it. */
  sPublish(channel: Key, message: Value): Promise<number> {
    return this.run(['SPUBLISH', channel, message]);
  }

  /** `PUBSUB CHANNELS [pattern]` — the channels with at least one subscriber, those matching the glob pattern. */
  pubSubChannels(pattern?: Key): Promise<S[]> {
    return this.run(pattern === undefined ? ['PUBSUB', 'CHANNELS'] : ['PUBSUB', 'CHANNELS', pattern]);
  }

  /** `PUBSUB SHARDCHANNELS [pattern]` — as pubSubChannels, for shard channels. */
  pubSubShardChannels(pattern?: Key): Promise<S[]> {
    return this.run(pattern === undefined ? ['PUBSUB', 'SHARDCHANNELS'] : ['PUBSUB', 'SHARDCHANNELS', pattern]);
  }

  /** `PUBSUB NUMPAT` — how many patterns are subscribed to (by all clients, counted once each). */
  pubSubNumPat(): Promise<number> {
    return this.run(['PUBSUB', 'NUMPAT']);
  }

  /**
   * `PUBSUB NUMSUB [channel [channel ...]]` — each channel's subscriber count, as a record with no prototype
   * (`{}` without channels). Channel names given as bytes are keyed by their UTF-8 text.
   */
  pubSubNumSub(channels?: Key | Key[]): Promise<Record<string, number>> {
    return this.run(['PUBSUB', 'NUMSUB', ...(channels === undefined ? [] : many(channels))], toRecord<number>);
  }

  /** `PUBSUB SHARDNUMSUB [shardchannel [shardchannel ...]]` — as pubSubNumSub, for shard channels. */
  pubSubShardNumSub(channels?: Key | Key[]): Promise<Record<string, number>> {
    return this.run(['PUBSUB', 'SHARDNUMSUB', ...(channels === undefined ? [] : many(channels))], toRecord<number>);
  }
}
