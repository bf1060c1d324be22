import { describe, expect, it } from 'vitest';
import { testEngine } from '../../../test/helpers.js';
import type { Reply } from '../reply.js';

function listen(t: ReturnType<typeof testEngine>, s = t.engine.createSession()) {
  const got: Reply[] = [];
  s.push = (r) => got.push(r);
  return { s, got };
}

describe('pub/sub', () => {
  it('delivers to channel then pattern subscribers, counting deliveries', () => {
    const t = testEngine();
    const a = listen(t);
    const b = listen(t);
    t.on(a.s, 'SUBSCRIBE', 'news', 'sport');
    expect(a.got).toEqual([
      { k: 'push', v: ['subscribe', 'news', 1] },
      { k: 'push', v: ['subscribe', 'sport', 2] },
    ]);
    t.on(b.s, 'PSUBSCRIBE', 'n*');
    expect(t.cmd('PUBLISH', 'news', 'hi')).toBe(2);
    expect(a.got.at(-1)).toEqual({ k: 'push', v: ['message', 'news', 'hi'] });
    expect(b.got.at(-1)).toEqual({ k: 'push', v: ['pmessage', 'n*', 'news', 'hi'] });
    expect(t.cmd('PUBSUB', 'NUMSUB', 'news', 'x')).toEqual(['news', 1, 'x', 0]);
    expect(t.cmd('PUBSUB', 'NUMPAT')).toBe(1);
    expect(new Set(t.cmd('PUBSUB', 'CHANNELS') as string[])).toEqual(new Set(['news', 'sport']));
  });
  it('restricts RESP2 subscribe mode and unsubscribes all', () => {
    const t = testEngine();
    const a = listen(t);
    t.on(a.s, 'SUBSCRIBE', 'x');
    expect(t.on(a.s, 'GET', 'k')).toEqual({
      k: 'err',
      msg: "ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
    });
    t.on(a.s, 'UNSUBSCRIBE');
    expect(a.got.at(-1)).toEqual({ k: 'push', v: ['unsubscribe', 'x', 0] });
    t.on(a.s, 'UNSUBSCRIBE');
    expect(a.got.at(-1)).toEqual({ k: 'push', v: ['unsubscribe', null, 0] });
    expect(t.on(a.s, 'GET', 'k')).toBe(null);
  });
  it('keyspace events reach subscribers', () => {
    const t = testEngine();
    const a = listen(t);
    t.engine.config.set('notify-keyspace-events', 'KEA');
    t.on(a.s, 'PSUBSCRIBE', '__key*__:*');
    t.cmd('SET', 'k', 'v');
    expect(a.got.slice(1)).toEqual([
      { k: 'push', v: ['pmessage', '__key*__:*', '__keyspace@0__:k', 'set'] },
      { k: 'push', v: ['pmessage', '__key*__:*', '__keyevent@0__:set', 'k'] },
    ]);
  });
});
