/**
 * The command table: every family's specs in one map. Adding a family = adding its import here.
 */
import type { CommandSpec } from './command.js';
import { commands as admin } from './commands/admin.js';
import { commands as connection } from './commands/connection.js';
import { commands as dump } from './commands/dump.js';
import { commands as hash } from './commands/hash.js';
import { commands as keys } from './commands/keys.js';
import { commands as list } from './commands/list.js';
import { commands as memory } from './commands/memory.js';
import { commands as multi } from './commands/multi.js';
import { commands as persist } from './commands/persist.js';
import { commands as pubsub } from './commands/pubsub.js';
import { commands as set } from './commands/set.js';
import { commands as sort } from './commands/sort.js';
import { commands as string } from './commands/string.js';
import { commands as zset } from './commands/zset.js';

export type { CommandSpec } from './command.js';

export const ALL_COMMANDS: readonly CommandSpec[] = [
  ...string, ...list, ...hash, ...set, ...zset, ...keys, ...multi, ...pubsub, ...connection, ...admin, ...memory,
  ...persist,
  ...sort,
  ...dump,
];

const TABLE = new Map<string, CommandSpec>();
for (const c of ALL_COMMANDS) {
  if (TABLE.has(c.name)) throw new Error(`duplicate command ${c.name}`);
  TABLE.set(c.name, c);
}

// Clients mostly send names in upper case (redis-cli, redis-benchmark, node-redis): index those too, so the
// hot path finds them without allocating a lower-cased copy.
for (const c of ALL_COMMANDS) TABLE.set(c.name.toUpperCase(), c);

/** Case-insensitive lookup by name. */
export function lookupCommand(name: string): CommandSpec | undefined {
  return TABLE.get(name) ?? TABLE.get(name.toLowerCase());
}
