/**
 * A chat room over pub/sub. Each participant holds two sessions: one SUBSCRIBEd to the room's channel (a
 * subscribed session can do nothing else, as in Redis) and one that publishes. Every message is also kept in a
 * capped list, so who joins later reads the last ones.
 *
 * Delivery is Redis's: at most once, to whoever is subscribed when PUBLISH runs, in the engine that runs it.
 * Tabs do not share one engine yet, so today a message reaches the participants in the same tab only; the
 * code does not change when tabs share one engine — PUBLISH will then reach every tab's subscribers.
 */
import type { TabhiveClient } from '../../src/client/index.js';

export interface ChatMessage {
  id: string;
  from: string;
  text: string;
  /** Sent at (ms, the sender's clock). */
  at: number;
}

export interface ChatOptions {
  room: string;
  name: string;
  onMessage: (m: ChatMessage) => void;
  /** Messages kept in the room's history. Default 100. */
  keep?: number;
}

export interface Chat {
  /** The last messages of the room, oldest first, as they were when this participant joined. */
  readonly history: ChatMessage[];
  /** Sends a message; resolves with the number of participants PUBLISH reached (the sender included). */
  send(text: string): Promise<number>;
  leave(): Promise<void>;
}

export const channelOf = (room: string) => `chat:${room}`;
export const historyKeyOf = (room: string) => `chat:${room}:history`;

function parse(raw: unknown): ChatMessage | null {
  try {
    const m = JSON.parse(String(raw)) as Partial<ChatMessage>;
    if (typeof m.id !== 'string' || typeof m.from !== 'string' || typeof m.text !== 'string' || typeof m.at !== 'number') return null;
    return m as ChatMessage;
  } catch {
    return null;
  }
}

export async function joinChat(db: TabhiveClient, options: ChatOptions): Promise<Chat> {
  const channel = channelOf(options.room);
  const historyKey = historyKeyOf(options.room);
  const keep = options.keep ?? 100;
  const sub = db.duplicate();
  const pub = db.duplicate();
  sub.onPush((push) => {
    if (push[0] !== 'message' || push[1] !== channel) return;
    const m = parse(push[2]);
    if (m !== null) options.onMessage(m);
  });
  // Subscribe first, then read the history: a message sent in between is in both, and is told apart by its id.
  await sub.sendCommand(['SUBSCRIBE', channel]);
  const history = ((await pub.sendCommand(['LRANGE', historyKey, String(-keep), '-1'])) as string[])
    .map(parse)
    .filter((m): m is ChatMessage => m !== null);

  return {
    history,
    async send(text: string): Promise<number> {
      const m: ChatMessage = { id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`, from: options.name, text, at: Date.now() };
      const raw = JSON.stringify(m);
      const [, , , , exec] = await Promise.all([
        pub.sendCommand(['MULTI']),
        pub.sendCommand(['RPUSH', historyKey, raw]),
        pub.sendCommand(['LTRIM', historyKey, String(-keep), '-1']),
        pub.sendCommand(['PUBLISH', channel, raw]),
        pub.sendCommand(['EXEC']),
      ]);
      return (exec as number[])[2];
    },
    async leave(): Promise<void> {
      await Promise.all([sub.quit(), pub.quit()]);
    },
  };
}
