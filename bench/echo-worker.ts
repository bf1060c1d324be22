/**
 * The transport floor of the benchmark: the least any page ↔ worker store can cost. A bare worker holding a Map,
 * answering each message with one postMessage — no protocol, no engine, no persistence. `mset` / `mget` carry
 * many operations in one message and answer them in one message: the floor of a batched burst. Sent a
 * MessagePort (`{ port }`), it answers what comes on that port on that port: the floor of a dedicated channel.
 * Sent `{ spinMs }`, it keeps its thread awake after an answer as tabhive's worker does (src/worker/spin.ts, same
 * rule: when the request came within spinMs of the answer before): the floor of a round trip between awake threads.
 */
import { AnswerSpin, Spinner } from '../src/worker/spin.js';

export type EchoRequest =
  | { id: number; op: 'set'; key: string; value: string }
  | { id: number; op: 'get'; key: string }
  | { id: number; op: 'mset'; pairs: string[] }
  | { id: number; op: 'mget'; keys: string[] };
export interface EchoResponse {
  id: number;
  value: string | null | (string | null)[];
}

const store = new Map<string, string>();
let spin: AnswerSpin | null = null;

function handle(m: EchoRequest, out: { postMessage(m: EchoResponse): void }): void {
  switch (m.op) {
    case 'set':
      store.set(m.key, m.value);
      out.postMessage({ id: m.id, value: 'OK' });
      break;
    case 'get':
      out.postMessage({ id: m.id, value: store.get(m.key) ?? null });
      break;
    case 'mset': {
      const res = new Array<string>(m.pairs.length / 2);
      for (let i = 0; i + 1 < m.pairs.length; i += 2) {
        store.set(m.pairs[i], m.pairs[i + 1]);
        res[i / 2] = 'OK';
      }
      out.postMessage({ id: m.id, value: res });
      break;
    }
    case 'mget': {
      const res = new Array<string | null>(m.keys.length);
      for (let i = 0; i < m.keys.length; i++) res[i] = store.get(m.keys[i]) ?? null;
      out.postMessage({ id: m.id, value: res });
      break;
    }
  }
}

self.onmessage = (ev: MessageEvent<EchoRequest | { port: MessagePort } | { spinMs: number }>) => {
  const m = ev.data;
  if ('port' in m) {
    const port = m.port;
    port.onmessage = (e: MessageEvent<EchoRequest>) => handle(e.data, port);
    return;
  }
  if ('spinMs' in m) {
    spin = new AnswerSpin(new Spinner(() => false), m.spinMs);
    return;
  }
  if (spin === null) {
    handle(m, self);
    return;
  }
  const streak = spin.arrived(performance.now());
  handle(m, self);
  spin.answered(streak);
};
