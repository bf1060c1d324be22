/**
 * Connection commands (Redis's networking.c, server.c, acl.c): PING, ECHO, HELLO, AUTH, QUIT, RESET and CLIENT.
 * SELECT lives with the keyspace commands (keys.ts).
 *
 * Rules:
 * - tabhive has one user, `default`, with no password (a Redis with no requirepass): AUTH and HELLO AUTH
 *   accept `default` with any password and refuse any other user, in Redis's words;
 * - state other layers keep per session (MULTI, pub/sub, tracking …) is reached through the session layers
 *   (session.ts), so RESET and CLIENT LIST here need not know them;
 * - closing a connection is the transport's: QUIT and CLIENT KILL of oneself set `closeAfterReply`, CLIENT
 *   KILL of another session closes it in the engine and calls its `onKill`.
 */
import type { CommandSpec } from '../command.js';
import type { Ctx } from '../ctx.js';
import { CommandError, E, wrongArity, cstr } from '../errors.js';
import { parseI64 } from '../numbers.js';
import { err, helpReply, map, OK, PONG, simple, verbatim, type Reply } from '../reply.js';
import { clientInfo, sessionLayers, type Session } from '../session.js';

// ---- helpers shared by the family -----------------------------------------------------------------------

const SERVER_VERSION = '7.0.15';

const WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';

/** The only user: `default`, no password. Returns false when Redis would refuse the pair. */
function authenticate(user: string, _password: string): boolean {
  return user === 'default';
}

/** CLIENT SETNAME / HELLO SETNAME: '' unsets; otherwise only printable ASCII without spaces (CLIENT LIST splits on them). */
function setName(s: Session, name: string): void {
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch < 0x21 || ch > 0x7e) {
      throw new CommandError('ERR Client names cannot contain spaces, newlines or special characters.');
    }
  }
  s.name = name;
}

/** The session with this id, if connected. */
function sessionById(c: Ctx, id: number | bigint): Session | undefined {
  for (const s of c.engine.sessions) if (s.id === id) return s;
  return undefined;
}

// CLIENT LIST flag letters, in the order Redis prints them.
const FLAG_ORDER = 'OSMPxbtRBdcuAUre';

/** Redis's client type of a session (CLIENT LIST TYPE, CLIENT KILL TYPE): only normal and pubsub exist here. */
function clientType(flags: string): 'normal' | 'pubsub' {
  return flags.includes('P') ? 'pubsub' : 'normal';
}

/** A TYPE argument as Redis's getClientTypeByName, or undefined when unknown. */
function parseClientType(name: string): string | undefined {
  const t = name.toLowerCase();
  if (t === 'normal' || t === 'pubsub' || t === 'master') return t;
  if (t === 'slave' || t === 'replica') return 'replica';
  return undefined;
}

/** Byte length of argv as a RESP multibulk (what Redis's query buffer holds while the command runs). */
function respLength(argv: readonly string[]): number {
  let n = 1 + String(argv.length).length + 2;
  for (const a of argv) n += 1 + String(a.length).length + 2 + a.length + 2;
  return n;
}

// What a Redis client's buffers hold when it is the one asking: a 16 KB reply buffer, a query buffer of
// 20474 bytes in all, and about 790 bytes of client struct. Others show idle buffers, as Redis's cron leaves them.
const REPLY_BUF = 16384;
const QUERY_BUF = 20474;
const CLIENT_STRUCT = 790;

/** One CLIENT LIST line (no newline), as Redis's catClientInfoString. */
function clientLine(c: Ctx, s: Session): string {
  const info = clientInfo(s);
  let letters = info.flags;
  if (s.blocked !== null) letters += 'b';
  if (s.closeAfterReply) letters += 'c';
  if (s.noEvict) letters += 'e';
  let flags = '';
  for (const f of FLAG_ORDER) if (letters.includes(f)) flags += f;
  if (flags === '') flags = 'N';
  const self = s === c.session;
  const qbuf = self ? respLength(c.argv) : 0;
  const qbufFree = self ? Math.max(0, QUERY_BUF - qbuf) : 0;
  const argvMem = self ? c.argv.reduce((n, a) => n + a.length, 0) : 0;
  const totMem = qbuf + qbufFree + REPLY_BUF + argvMem + info.multiMem + CLIENT_STRUCT;
  const sec = (ms: number) => Math.floor(ms / 1000);
  return (
    `id=${s.id} addr=${s.addr} laddr=${s.laddr} fd=-1 name=${s.name} ` +
    `age=${sec(c.now) - sec(s.createdAt)} idle=${sec(c.now) - sec(s.lastInteraction)} flags=${flags} ` +
    `db=${s.db.id} sub=${info.sub} psub=${info.psub} ssub=${info.ssub} multi=${info.multi} ` +
    `qbuf=${qbuf} qbuf-free=${qbufFree} argv-mem=${argvMem} multi-mem=${info.multiMem} ` +
    `rbs=${REPLY_BUF} rbp=${self ? REPLY_BUF : 0} obl=0 oll=0 omem=0 tot-mem=${totMem} events=r ` +
    `cmd=${s.lastCommand || 'NULL'} user=default redir=${info.redir} resp=${s.resp}`
  );
}

/** Redis's reply to a subcommand called with the wrong number of arguments where the table cannot say. */
function subcommandSyntaxError(c: Ctx): never {
  throw new CommandError(
    `ERR unknown subcommand or wrong number of arguments for '${c.argv[1].slice(0, 128)}'. Try CLIENT HELP.`,
  );
}

// ---- commands ---------------------------------------------------------------------------------------------

// PING [message]
function ping(c: Ctx): Reply {
  if (c.argv.length > 2) return err(wrongArity('ping'));
  // A RESP2 connection in subscribe mode can only take pushes apart by shape: PING answers as one.
  if (c.session.resp === 2 && c.engine.pubsub.subscribed(c.session)) {
    return ['pong', c.args.has() ? c.args.next() : ''];
  }
  return c.args.has() ? c.args.next() : PONG;
}

// ECHO message
function echo(c: Ctx): Reply {
  return c.args.next();
}

// HELLO [protover [AUTH username password] [SETNAME clientname]]
function hello(c: Ctx): Reply {
  const a = c.args;
  let ver = 0;
  if (a.has()) {
    const v = parseI64(a.next());
    if (v === null) throw new CommandError('ERR Protocol version is not an integer or out of range');
    if (v < 2 || v > 3) throw new CommandError('NOPROTO unsupported protocol version');
    ver = Number(v);
  }
  // Options take effect one by one, as in Redis: a bad option after SETNAME leaves the name set.
  while (a.has()) {
    const opt = a.next();
    const more = a.remaining;
    const up = opt.toUpperCase();
    if (up === 'AUTH' && more >= 2) {
      const user = a.next();
      if (!authenticate(user, a.next())) throw new CommandError(WRONGPASS);
    } else if (up === 'SETNAME' && more >= 1) {
      setName(c.session, a.next());
    } else {
      throw new CommandError(`ERR Syntax error in HELLO option '${cstr(opt)}'`);
    }
  }
  if (ver) c.session.resp = ver as 2 | 3;
  return map([
    'server', 'redis',
    'version', SERVER_VERSION,
    'proto', c.session.resp,
    'id', c.session.id,
    'mode', 'standalone',
    'role', 'master',
    'modules', [],
  ]);
}

// AUTH [username] password
function auth(c: Ctx): Reply {
  if (c.argv.length > 3) throw new CommandError(E.SYNTAX);
  if (c.argv.length === 2) {
    throw new CommandError(
      'ERR AUTH <password> called without any password configured for the default user. ' +
        'Are you sure your configuration is correct?',
    );
  }
  if (!authenticate(c.args.next(), c.args.next())) throw new CommandError(WRONGPASS);
  return OK;
}

// QUIT
function quit(c: Ctx): Reply {
  c.session.closeAfterReply = true;
  return OK;
}

// RESET
function reset(c: Ctx): Reply {
  const s = c.session;
  s.db = c.engine.dbs[0];
  s.resp = 2;
  c.engine.watches.unwatchAll(s);
  for (const l of sessionLayers()) l.reset?.(s);
  s.name = '';
  return simple('RESET');
}

// CLIENT ID
function clientId(c: Ctx): Reply {
  return c.session.id;
}

// CLIENT GETNAME
function clientGetname(c: Ctx): Reply {
  return c.session.name === '' ? null : c.session.name;
}

// CLIENT SETNAME connection-name
function clientSetname(c: Ctx): Reply {
  setName(c.session, c.args.next());
  return OK;
}

// CLIENT INFO
function clientInfoCmd(c: Ctx): Reply {
  return verbatim(clientLine(c, c.session) + '\n');
}

// CLIENT LIST [TYPE <NORMAL | MASTER | REPLICA | PUBSUB>] [ID client-id [client-id ...]]
function clientList(c: Ctx): Reply {
  const argc = c.argv.length;
  let out = '';
  if (argc === 4 && c.argv[2].toUpperCase() === 'TYPE') {
    const type = parseClientType(c.argv[3]);
    if (type === undefined) throw new CommandError(`ERR Unknown client type '${cstr(c.argv[3])}'`);
    for (const s of c.engine.sessions) {
      if (clientType(clientInfo(s).flags) === type) out += clientLine(c, s) + '\n';
    }
  } else if (argc > 3 && c.argv[2].toUpperCase() === 'ID') {
    for (let i = 3; i < argc; i++) {
      const id = parseI64(c.argv[i]);
      if (id === null) throw new CommandError('ERR Invalid client ID');
      const s = sessionById(c, id);
      if (s !== undefined) out += clientLine(c, s) + '\n';
    }
  } else if (argc !== 2) {
    throw new CommandError(E.SYNTAX);
  } else {
    for (const s of c.engine.sessions) out += clientLine(c, s) + '\n';
  }
  return verbatim(out);
}

// CLIENT KILL <ip:port | <[ID client-id] | [TYPE <NORMAL | MASTER | SLAVE | REPLICA | PUBSUB>] | [USER username] | [ADDR ip:port] | [LADDR ip:port] | [SKIPME <YES | NO>]> [...]>
function clientKill(c: Ctx): Reply {
  const argv = c.argv;
  const oldStyle = argv.length === 3;
  let addr: string | undefined;
  let laddr: string | undefined;
  let type: string | undefined;
  let id = 0;
  let skipme = true;
  if (oldStyle) {
    addr = argv[2];
    skipme = false; // the old form may kill the caller itself
  } else {
    for (let i = 2; i < argv.length; i += 2) {
      const opt = argv[i].toUpperCase();
      const more = argv.length > i + 1;
      if (opt === 'ID' && more) {
        const v = parseI64(argv[i + 1]);
        if (v === null || v < 1) throw new CommandError('ERR client-id should be greater than 0');
        id = Number(v);
      } else if (opt === 'TYPE' && more) {
        type = parseClientType(argv[i + 1]);
        if (type === undefined) throw new CommandError(`ERR Unknown client type '${cstr(argv[i + 1])}'`);
      } else if (opt === 'ADDR' && more) {
        addr = argv[i + 1];
      } else if (opt === 'LADDR' && more) {
        laddr = argv[i + 1];
      } else if (opt === 'USER' && more) {
        if (argv[i + 1] !== 'default') throw new CommandError(`ERR No such user '${cstr(argv[i + 1])}'`);
      } else if (opt === 'SKIPME' && more) {
        const v = argv[i + 1].toLowerCase();
        if (v === 'yes') skipme = true;
        else if (v === 'no') skipme = false;
        else throw new CommandError(E.SYNTAX);
      } else {
        throw new CommandError(E.SYNTAX);
      }
    }
  }
  let killed = 0;
  let killSelf = false;
  for (const s of [...c.engine.sessions]) {
    if (addr !== undefined && s.addr !== addr) continue;
    if (laddr !== undefined && s.laddr !== laddr) continue;
    if (type !== undefined && clientType(clientInfo(s).flags) !== type) continue;
    if (id !== 0 && s.id !== id) continue;
    if (s === c.session && skipme) continue;
    if (s === c.session) {
      killSelf = true;
    } else {
      c.engine.closeSession(s);
      s.onKill();
    }
    killed++;
  }
  // The caller's own connection closes only after this reply is written.
  if (killSelf) c.session.closeAfterReply = true;
  if (oldStyle) return killed === 0 ? err('ERR No such client') : OK;
  return killed;
}

// CLIENT UNBLOCK client-id [TIMEOUT | ERROR]
function clientUnblock(c: Ctx): Reply {
  if (c.argv.length > 4) subcommandSyntaxError(c);
  let asError = false;
  if (c.argv.length === 4) {
    const why = c.argv[3].toUpperCase();
    if (why === 'ERROR') asError = true;
    else if (why !== 'TIMEOUT') throw new CommandError('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
  }
  const id = c.args.nextInt();
  const target = sessionById(c, id);
  if (target === undefined || target.blocked === null) return 0;
  const done = c.engine.blocking.unblock(
    target,
    asError ? err('UNBLOCKED client unblocked via CLIENT UNBLOCK') : undefined,
  );
  return done ? 1 : 0;
}

// CLIENT NO-EVICT <ON | OFF>
function clientNoEvict(c: Ctx): Reply {
  const v = c.args.nextUpper();
  if (v === 'ON') c.session.noEvict = true;
  else if (v === 'OFF') c.session.noEvict = false;
  else throw new CommandError(E.SYNTAX);
  return OK;
}

const CLIENT_HELP = [
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
];

// CLIENT HELP
// Redis's text word for word, which also lists the subcommands tabhive answers "unknown subcommand" to
// (CACHING, GETREDIR, PAUSE, UNPAUSE, REPLY, TRACKING, TRACKINGINFO: see the README).
function clientHelp(): Reply {
  return helpReply('CLIENT', CLIENT_HELP);
}

// ---- the table ----------------------------------------------------------------------------------------------

const CLIENT_SUB: CommandSpec[] = [
  {
    name: 'client|id', arity: 2, flags: ['noscript', 'loading', 'stale'], acl: ['connection'], keys: [0, 0, 0],
    group: 'connection', summary: 'Returns the client ID for the current connection', since: '5.0.0',
    syntax: 'CLIENT ID', complexity: 'O(1)', handler: clientId,
  },
  {
    name: 'client|getname', arity: 2, flags: ['noscript', 'loading', 'stale'], acl: ['connection'],
    keys: [0, 0, 0], group: 'connection', summary: 'Get the current connection name', since: '2.6.9',
    syntax: 'CLIENT GETNAME', complexity: 'O(1)', handler: clientGetname,
  },
  {
    name: 'client|setname', arity: 3, flags: ['noscript', 'loading', 'stale'], acl: ['connection'],
    keys: [0, 0, 0], group: 'connection', summary: 'Set the current connection name', since: '2.6.9',
    syntax: 'CLIENT SETNAME connection-name', complexity: 'O(1)', handler: clientSetname,
  },
  {
    name: 'client|info', arity: 2, flags: ['noscript', 'loading', 'stale'], acl: ['connection'], keys: [0, 0, 0],
    tips: ['nondeterministic_output'], group: 'connection',
    summary: 'Returns information about the current client connection.', since: '6.2.0', syntax: 'CLIENT INFO',
    complexity: 'O(1)', handler: clientInfoCmd,
    differs: 'Sessions have no socket: `fd=-1`; in the browser `addr` and `laddr` are empty.',
  },
  {
    name: 'client|list', arity: -2, flags: ['admin', 'noscript', 'loading', 'stale'], acl: ['connection'],
    keys: [0, 0, 0], tips: ['nondeterministic_output'], group: 'connection',
    summary: 'Get the list of client connections', since: '2.4.0',
    syntax: 'CLIENT LIST [TYPE <NORMAL | MASTER | REPLICA | PUBSUB>] [ID client-id [client-id ...]]',
    complexity: 'O(N) where N is the number of client connections', handler: clientList,
    differs: 'Sessions have no socket: `fd=-1`; in the browser `addr` and `laddr` are empty.',
    history: [
      ['2.8.12', 'Added unique client `id` field.'],
      ['5.0.0', 'Added optional `TYPE` filter.'],
      ['6.0.0', 'Added `user` field.'],
      ['6.2.0', 'Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter.'],
      ['7.0.0', 'Added `resp`, `multi-mem`, `rbs` and `rbp` fields.'],
      ['7.0.3', 'Added `ssub` field.'],
    ],
  },
  {
    name: 'client|kill', arity: -3, flags: ['admin', 'noscript', 'loading', 'stale'], acl: ['connection'],
    keys: [0, 0, 0], group: 'connection', summary: 'Kill the connection of a client', since: '2.4.0',
    syntax:
      'CLIENT KILL <ip:port | <[ID client-id] | [TYPE <NORMAL | MASTER | SLAVE | REPLICA | PUBSUB>] | ' +
      '[USER username] | [ADDR ip:port] | [LADDR ip:port] | [SKIPME <YES | NO>]> [...]>',
    complexity: 'O(N) where N is the number of client connections', handler: clientKill,
    history: [
      ['2.8.12', 'Added new filter format.'],
      ['2.8.12', '`ID` option.'],
      ['3.2.0', 'Added `master` type in for `TYPE` option.'],
      ['5.0.0', 'Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility.'],
      ['6.2.0', '`LADDR` option.'],
    ],
  },
  {
    name: 'client|unblock', arity: -3, flags: ['admin', 'noscript', 'loading', 'stale'], acl: ['connection'],
    keys: [0, 0, 0], group: 'connection',
    summary: 'Unblock a client blocked in a blocking command from a different connection', since: '5.0.0',
    syntax: 'CLIENT UNBLOCK client-id [TIMEOUT | ERROR]',
    complexity: 'O(log N) where N is the number of client connections', handler: clientUnblock,
  },
  {
    name: 'client|no-evict', arity: 3, flags: ['admin', 'noscript', 'loading', 'stale'], acl: ['connection'],
    keys: [0, 0, 0], group: 'connection', summary: 'Set client eviction mode for the current connection',
    since: '7.0.0', syntax: 'CLIENT NO-EVICT <ON | OFF>', complexity: 'O(1)', handler: clientNoEvict,
  },
  {
    name: 'client|help', arity: 2, flags: ['loading', 'stale'], acl: ['connection'], keys: [0, 0, 0],
    group: 'connection', summary: 'Show helpful text about the different subcommands', since: '5.0.0',
    syntax: 'CLIENT HELP', complexity: 'O(1)', handler: clientHelp,
  },
];

const CONN_FLAGS: CommandSpec['flags'] = ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'];

export const commands: CommandSpec[] = [
  {
    name: 'ping', arity: -1, flags: ['fast'], acl: ['connection'], keys: [0, 0, 0], group: 'connection',
    summary: 'Ping the server', since: '1.0.0', syntax: 'PING [message]', complexity: 'O(1)', handler: ping,
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
  },
  {
    name: 'echo', arity: 2, flags: ['loading', 'stale', 'fast'], acl: ['connection'], keys: [0, 0, 0],
    group: 'connection', summary: 'Echo the given string', since: '1.0.0', syntax: 'ECHO message',
    complexity: 'O(1)', handler: echo,
  },
  {
    name: 'hello', arity: -1, flags: CONN_FLAGS, acl: ['connection'], keys: [0, 0, 0], group: 'connection',
    summary: 'Handshake with Redis', since: '6.0.0',
    syntax: 'HELLO [protover [AUTH username password] [SETNAME clientname]]', complexity: 'O(1)', handler: hello,
    history: [
      ['6.2.0', "`protover` made optional; when called without arguments the command reports the current connection's context."],
    ],
  },
  {
    name: 'auth', arity: -2, flags: CONN_FLAGS, acl: ['connection'], keys: [0, 0, 0], group: 'connection',
    summary: 'Authenticate to the server', since: '1.0.0', syntax: 'AUTH [username] password',
    complexity: 'O(N) where N is the number of passwords defined for the user', handler: auth,
    history: [['6.0.0', 'Added ACL style (username and password).']],
  },
  {
    name: 'quit', arity: -1, flags: CONN_FLAGS, acl: ['connection'], keys: [0, 0, 0], group: 'connection',
    summary: 'Close the connection', since: '1.0.0', syntax: 'QUIT', complexity: 'O(1)', handler: quit,
  },
  {
    name: 'reset', arity: 1, flags: CONN_FLAGS, acl: ['connection'], keys: [0, 0, 0], group: 'connection',
    summary: 'Reset the connection', since: '6.2.0', syntax: 'RESET', complexity: 'O(1)', handler: reset,
  },
  {
    name: 'client', arity: -2, flags: [], acl: [], keys: [0, 0, 0], group: 'connection',
    summary: 'A container for client connection commands', since: '2.4.0', complexity: 'Depends on subcommand.',
    sub: CLIENT_SUB,
  },
];
