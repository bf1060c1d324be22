import { describe, expect, it } from 'vitest';
import { testEngine } from '../../../test/helpers.js';
import { BLOCKED } from '../blocking.js';
import { err, OK, simple, type Reply } from '../reply.js';
import { MISCONF, type Persistence } from './persist.js';

/** A persistence layer under the test's control: saves settle when told, writes refused when told. */
function fakePersistence() {
  const p = {
    saves: [] as { resolve: () => void; reject: (e: Error) => void }[],
    bgsaves: 0,
    bgsaveInProgress: false,
    refusing: false,
    save: () => new Promise<void>((resolve, reject) => p.saves.push({ resolve, reject })),
    bgsave: () => {
      p.bgsaves++;
      p.bgsaveInProgress = true;
    },
    writeError: () => (p.refusing ? MISCONF : null),
    info: (f: Map<string, string | number>) => {
      f.set('rdb_saves', 42);
      f.set('tabhive_storage', 'test');
    },
  };
  return p satisfies Persistence;
}

describe('without a persistence layer (tabhive serve)', () => {
  it('SAVE and BGSAVE save nothing and succeed; LASTSAVE is the time of the last one, in seconds', () => {
    const t = testEngine();
    t.cmd('SET', 'a', '1');
    expect(t.engine.dirty).toBe(1);
    t.clock.t += 5500;
    expect(t.cmd('SAVE')).toEqual(OK);
    expect(t.engine.dirty).toBe(0);
    expect(t.cmd('LASTSAVE')).toBe(Math.floor(t.clock.t / 1000));
    t.cmd('SET', 'a', '2');
    t.clock.t += 2000;
    expect(t.cmd('BGSAVE')).toEqual(simple('Background saving started'));
    expect(t.cmd('BGSAVE', 'schedule')).toEqual(simple('Background saving started'));
    expect(t.engine.dirty).toBe(0);
    expect(t.cmd('LASTSAVE')).toBe(Math.floor(t.clock.t / 1000));
  });

  it('argument errors as Redis words them', () => {
    const t = testEngine();
    expect(t.cmd('SAVE', 'x')).toEqual(err("ERR wrong number of arguments for 'save' command"));
    expect(t.cmd('LASTSAVE', 'x')).toEqual(err("ERR wrong number of arguments for 'lastsave' command"));
    expect(t.cmd('BGSAVE', 'NOW')).toEqual(err('ERR syntax error'));
    expect(t.cmd('BGSAVE', 'SCHEDULE', 'SCHEDULE')).toEqual(err('ERR syntax error'));
  });

  it('SAVE is refused inside MULTI (no_multi) and dooms the transaction; BGSAVE there is scheduled', () => {
    const t = testEngine();
    t.cmd('MULTI');
    expect(t.cmd('SAVE')).toEqual(err('ERR Command not allowed inside a transaction'));
    expect(t.cmd('EXEC')).toEqual(err('EXECABORT Transaction discarded because of previous errors.'));
    t.cmd('MULTI');
    t.cmd('BGSAVE');
    expect(t.cmd('EXEC')).toEqual([simple('Background saving scheduled')]);
  });
});

describe('with a persistence layer', () => {
  it('SAVE answers once the save settled: OK, or ERR when it failed', async () => {
    const t = testEngine();
    const p = fakePersistence();
    t.engine.persistence = p;
    const replies: Reply[] = [];
    t.session.onUnblock = (r) => replies.push(r);
    expect(t.cmd('SAVE')).toBe(BLOCKED);
    expect(replies).toEqual([]);
    p.saves[0].resolve();
    await Promise.resolve();
    await Promise.resolve();
    expect(replies).toEqual([OK]);
    expect(t.cmd('SAVE')).toBe(BLOCKED);
    p.saves[1].reject(new Error('quota'));
    await new Promise((r) => setTimeout(r, 0));
    expect(replies).toEqual([OK, err('ERR')]);
  });

  it('BGSAVE starts one save at a time; SAVE meanwhile is refused', () => {
    const t = testEngine();
    const p = fakePersistence();
    t.engine.persistence = p;
    expect(t.cmd('BGSAVE')).toEqual(simple('Background saving started'));
    expect(p.bgsaves).toBe(1);
    expect(t.cmd('BGSAVE')).toEqual(err('ERR Background save already in progress'));
    expect(t.cmd('BGSAVE', 'SCHEDULE')).toEqual(err('ERR Background save already in progress'));
    expect(t.cmd('SAVE')).toEqual(err('ERR Background save already in progress'));
    p.bgsaveInProgress = false;
    expect(t.cmd('BGSAVE', 'SCHEDULE')).toEqual(simple('Background saving started'));
  });

  it('while saves fail: write commands and PING get MISCONF, reads and admin commands go on', () => {
    const t = testEngine();
    const p = fakePersistence();
    t.engine.persistence = p;
    t.cmd('SET', 'a', '1');
    p.refusing = true;
    expect(t.cmd('SET', 'a', '2')).toEqual(err(MISCONF));
    expect(t.cmd('DEL', 'a')).toEqual(err(MISCONF));
    expect(t.cmd('FLUSHALL')).toEqual(err(MISCONF));
    expect(t.cmd('PING')).toEqual(err(MISCONF));
    expect(t.cmd('GET', 'a')).toBe('1');
    expect(t.cmd('DBSIZE')).toBe(1);
    expect(t.cmd('ECHO', 'x')).toBe('x');
    expect(t.cmd('PUBLISH', 'ch', 'm')).toBe(0);
    expect(t.cmd('LASTSAVE')).toBe(Math.floor(t.engine.lastSave / 1000));
    expect(t.cmd('BGSAVE')).toEqual(simple('Background saving started'));
    // A write queued in MULTI is refused and dooms the transaction; a read-only one runs.
    t.cmd('MULTI');
    expect(t.cmd('INCR', 'n')).toEqual(err(MISCONF));
    expect(t.cmd('EXEC')).toEqual(err('EXECABORT Transaction discarded because of previous errors.'));
    t.cmd('MULTI');
    t.cmd('GET', 'a');
    expect(t.cmd('EXEC')).toEqual(['1']);
    expect(t.engine.stats.errors.get('MISCONF')).toBe(5);
    p.refusing = false;
    expect(t.cmd('SET', 'a', '2')).toEqual(OK);
  });

  it('an EXEC whose queue holds a write is discarded when saves started failing after it was queued', () => {
    const t = testEngine();
    const p = fakePersistence();
    t.engine.persistence = p;
    t.cmd('MULTI');
    t.cmd('SET', 'q', '1');
    p.refusing = true;
    expect(t.cmd('EXEC')).toEqual(err(`EXECABORT Transaction discarded because of: ${MISCONF}`));
    p.refusing = false;
    expect(t.cmd('EXEC')).toEqual(err('ERR EXEC without MULTI'));
    expect(t.cmd('GET', 'q')).toBe(null);
  });

  it('INFO persistence takes the fields the layer sets, keeping Redis’s order', () => {
    const t = testEngine();
    t.engine.persistence = fakePersistence();
    const text = (t.cmd('INFO', 'persistence') as { s: string }).s ?? (t.cmd('INFO', 'persistence') as string);
    const lines = String(text).split('\r\n');
    expect(lines[0]).toBe('# Persistence');
    expect(lines).toContain('rdb_saves:42');
    expect(lines.indexOf('rdb_saves:42')).toBeLessThan(lines.indexOf('aof_enabled:0'));
    expect(lines).toContain('tabhive_storage:test');
  });
});
