/**
 * The floor of the benchmark: the least any page ↔ worker store can cost. A bare worker holding a Map, answering
 * each message with one postMessage — no protocol, no engine, no persistence.
 */
export type EchoRequest = { id: number; op: 'set'; key: string; value: string } | { id: number; op: 'get'; key: string };
export interface EchoResponse {
  id: number;
  value: string | null;
}

const store = new Map<string, string>();

self.onmessage = (ev: MessageEvent<EchoRequest>) => {
  const m = ev.data;
  if (m.op === 'set') {
    store.set(m.key, m.value);
    self.postMessage({ id: m.id, value: 'OK' } satisfies EchoResponse);
  } else {
    self.postMessage({ id: m.id, value: store.get(m.key) ?? null } satisfies EchoResponse);
  }
};
