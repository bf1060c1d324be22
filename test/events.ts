/**
 * Keyspace-event capture for unit tests: turns notifications on and records what is published, as
 * `event key` (from the __keyevent@db__ channels), so a test can assert Redis's exact sequence.
 */
import type { Engine } from '../src/engine/engine.js';

export function captureEvents(engine: Engine): string[] {
  const seen: string[] = [];
  const err = engine.config.set('notify-keyspace-events', 'KEA');
  if (err) throw new Error(err);
  engine.publish = (channel, message) => {
    const m = /^__keyevent@(\d+)__:(.*)$/s.exec(channel);
    if (m) seen.push(`${m[2]} ${message}`);
    return 0;
  };
  return seen;
}

/** Keys signalled as modified, in order. */
export function captureModified(engine: Engine): string[] {
  const seen: string[] = [];
  engine.onKeyModified((_db, key) => seen.push(key));
  return seen;
}
