/**
 * Generic keyspace commands (Redis's db.c, expire.c, object.c).
 */
import type { CommandSpec } from '../command.js';
import type { Ctx } from '../ctx.js';
import { NotifyClass } from '../notify.js';
import type { Reply } from '../reply.js';

// DEL key [key ...]
function del(c: Ctx): Reply {
  let n = 0;
  while (c.args.has()) {
    const key = c.args.next();
    if (c.write(key) === undefined) continue;
    c.db.remove(key);
    c.modified(key);
    c.notify(NotifyClass.Generic, 'del', key);
    n++;
  }
  return n;
}

export const commands: CommandSpec[] = [
  {
    name: 'del', arity: -2, flags: ['write'], acl: ['keyspace'], keys: [1, -1, 1], group: 'generic',
    summary: 'Delete a key', since: '1.0.0', syntax: 'DEL key [key ...]', complexity: 'O(N)', handler: del,
  },
];
