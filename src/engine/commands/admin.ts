/**
 * Server commands (COMMAND, INFO, CONFIG, TIME, DBSIZE, FLUSHDB, FLUSHALL, SWAPDB, DEBUG …).
 */
import type { CommandSpec } from '../command.js';

export const commands: CommandSpec[] = [];
