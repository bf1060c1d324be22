/**
 * A chat room over pub/sub. Each participant holds two sessions: one SUBSCRIBEd to the room's channel (a
 * subscribed session can do nothing else, as in Redis) and one that publishes. Every message is also kept in a
 * capped list, so who joins later reads the last ones.
 *
 * Every tab of the app shares the database, so PUBLISH in one tab reaches the SUBSCRIBErs of every tab (its
 * reply counts them all) and the history list is the same list in all of them. Delivery is Redis's: at most
 * once, to whoever is subscribed when PUBLISH runs — who joins later reads what was said from the history.
 */
import type { TabhiveClient } from '../../src/client/index.js';

export interface ChatMessage {
  id: string;
  from: string;
  text: string;
  /** Sent at (ms, the sender's clock). */
  at: number;
  /** The sender's tab, when it named one (ChatOptions.tab). */
  tab?: string;
}

export interface ChatOptions {
  room: string;
  name: string;
  onMessage: (m: ChatMessage) => void;
  /** Any id of this participant's tab, put in its messages: a page can tell the messages of other tabs. */
  tab?: string;
  /** Messages kept in the room's history. Default 100. */
  keep?: number;
}

export interface Chat {
  /** The last messages of the room, oldest first, as they were when this participant joined. */
  readonly history: ChatMessage[];
  /** Sends a message; resolves with the number of participants PUBLISH reached in every tab (the sender included). */
  send(text: string): Promise<number>;
  leave(): Promise<void>;
}

export const channelOf = (room: string) => `chat:${room}`;
export const historyKeyOf = (room: string) => `chat:${room}:history`;

function parse(raw: unknown): ChatMessage | null {
  try {
    const m = JSON.parse(String(raw)) as Partial<ChatMessage>;
    if (typeof m.id !== 'string' || typeof m.from !== 'string' || typeof m.text !== 'string' || typeof m.at !== 'number') return null;
    if (m.tab !== undefined && typeof m.tab !== 'string') return null;
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
      if (options.tab !== undefined) m.tab = options.tab;
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
