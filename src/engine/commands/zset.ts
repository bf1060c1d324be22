/**
 * zset family — not yet implemented.
 */
import type { CommandSpec } from '../command.js';

export const commands: CommandSpec[] = [];
