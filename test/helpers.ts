/**
 * Test helpers for the engine in Node: an engine with fake time and a seeded random, and `cmd()` that runs
 * one command from JS strings (UTF-8, as the client means them) and returns the reply.
 */
import { fromUtf8 } from '../src/engine/bytes.js';
import { Engine } from '../src/engine/engine.js';
import type { Reply } from '../src/engine/reply.js';
import type { Session } from '../src/engine/session.js';

/** A small deterministic PRNG (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TestEngine {
  engine: Engine;
  session: Session;
  /** Fake clock: read or move it. */
  clock: { t: number };
  cmd: (...args: (string | number)[]) => Reply;
  /** Run on another session. */
  on: (s: Session, ...args: (string | number)[]) => Reply;
}

export function testEngine(start = 1_700_000_000_000, seed = 1): TestEngine {
  const clock = { t: start };
  const engine = new Engine({ now: () => clock.t, random: seeded(seed) });
  const session = engine.createSession();
  const on = (s: Session, ...args: (string | number)[]) => engine.execute(s, args.map((a) => fromUtf8(String(a))));
  return { engine, session, clock, on, cmd: (...args) => on(session, ...args) };
}
