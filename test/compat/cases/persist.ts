import { step, type Case } from '../case.js';

/**
 * SAVE, BGSAVE, LASTSAVE as `tabhive serve` answers them: it stores nothing (no persistence layer), so a save
 * succeeds at once, as redis-server's does. Failing saves and MISCONF are covered by src/persist's tests.
 */
export const cases: Case[] = [
  {
    name: 'COMMAND INFO and DOCS of the persistence commands',
    steps: [
      ['COMMAND', 'INFO', 'save', 'bgsave', 'lastsave'],
      // BGSAVE's docs carry its argument's `since` (3.2.2), which the docs builder does not model yet.
      ['COMMAND', 'DOCS', 'save', 'lastsave'],
    ],
  },
  {
    name: 'SAVE and LASTSAVE',
    steps: [
      ['SET', 'k', 'v'],
      ['SAVE'],
      step('type', 'LASTSAVE'),
      ['SAVE', 'x'],
      ['LASTSAVE', 'x'],
      ['GET', 'k'],
      ['DBSIZE'],
    ],
  },
  {
    name: 'SAVE is not allowed inside MULTI and dooms it',
    steps: [['MULTI'], ['SET', 'a', '1'], ['SAVE'], ['EXEC'], ['GET', 'a']],
  },
  {
    name: 'BGSAVE arguments',
    steps: [
      ['BGSAVE', 'FOO'],
      ['BGSAVE', 'SCHEDULE', 'X'],
      ['BGSAVE', 'schedule', 'schedule'],
      ['MULTI'], ['LASTSAVE'], ['SET', 'a', '1'], ['EXEC'],
    ],
  },
  {
    // Last: redis-server's save runs in a child for a while after this.
    name: 'BGSAVE inside EXEC is scheduled',
    steps: [['MULTI'], ['BGSAVE'], ['EXEC']],
  },
];
