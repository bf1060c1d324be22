/**
 * Connection commands (PING, ECHO, HELLO, SELECT, QUIT, RESET, CLIENT …).
 */
import type { CommandSpec } from '../command.js';
import type { Ctx } from '../ctx.js';
import { PONG, type Reply } from '../reply.js';

// PING [message]
function ping(c: Ctx): Reply {
  return c.args.has() ? c.args.next() : PONG;
}

export const commands: CommandSpec[] = [
  {
    name: 'ping', arity: -1, flags: ['fast'], acl: ['connection'], keys: [0, 0, 0], group: 'connection',
    summary: 'Ping the server', since: '1.0.0', syntax: 'PING [message]', complexity: 'O(1)', handler: ping,
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
  },
];
