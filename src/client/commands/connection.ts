/**
 * Connection commands with typed methods (node-redis v4's names, arguments and reply shapes): PING, ECHO, HELLO,
 * AUTH, RESET and CLIENT's subcommands. See base.ts for how a family joins the client.
 *
 * `quit()` and `disconnect()` are the client's own (client.ts): closing a session is the page's business, so
 * `quit()` flushes and closes it without sending QUIT. MULTI / EXEC / DISCARD are `multi()`'s.
 *
 * CLIENT INFO and CLIENT LIST come back parsed, one object per client, their numbers as numbers; the text
 * replies are read the same under RESP2 and RESP3 (a verbatim string arrives as a string either way).
 */
import type { WireReply } from '../../worker/protocol.js';
import { ascii, CommandBase, many, pairsOf, toBoolean, toRecord, type Key, type Value } from './base.js';

/** HELLO's options: the protocol (2 or 3) with AUTH credentials and a connection name. */
export interface HelloOptions {
  protover: 2 | 3;
  auth?: { username: Key; password: Key };
  clientName?: string;
}

/** HELLO's reply: who answers and the session's protocol and id. */
export interface HelloReply {
  server: string;
  version: string;
  proto: 2 | 3;
  id: number;
  mode: string;
  role: string;
  /** The loaded modules: none in tabhive. */
  modules: Record<string, unknown>[];
}

/** AUTH's arguments: a password, for the user `default` unless a username is given. */
export interface AuthOptions {
  username?: Key;
  password: Key;
}

/** One client, as CLIENT INFO and CLIENT LIST describe it: Redis's fields, kebab-case names in camelCase. */
export interface ClientInfoReply {
  id: number;
  addr: string;
  laddr: string;
  fd: number;
  name: string;
  age: number;
  idle: number;
  flags: string;
  db: number;
  sub: number;
  psub: number;
  ssub: number;
  multi: number;
  qbuf: number;
  qbufFree: number;
  argvMem: number;
  multiMem: number;
  rbs: number;
  rbp: number;
  obl: number;
  oll: number;
  omem: number;
  totMem: number;
  events: string;
  cmd: string;
  user: string;
  redir: number;
  resp: number;
}

/** CLIENT LIST's filter: clients of one type, or these ids. */
export type ClientListFilter =
  | { TYPE: 'NORMAL' | 'MASTER' | 'REPLICA' | 'PUBSUB'; ID?: never }
  | { ID: number | string | (number | string)[]; TYPE?: never };

/**
 * One CLIENT KILL filter (node-redis v4's shapes): `{ filter: 'ID', id: 7 }`, `{ filter: 'TYPE', type: 'pubsub' }`,
 * `{ filter: 'ADDR', address }`, `{ filter: 'LADDR', localAddress }`, `{ filter: 'USER', username }`,
 * `{ filter: 'SKIPME', skipMe: false }`. A client is killed when it matches them all.
 */
export type ClientKillFilter =
  | { filter: 'ADDR'; address: string }
  | { filter: 'LADDR'; localAddress: string }
  | { filter: 'ID'; id: number | `${number}` }
  | { filter: 'TYPE'; type: 'normal' | 'master' | 'replica' | 'pubsub' }
  | { filter: 'USER'; username: string }
  | { filter: 'SKIPME'; skipMe: boolean };

export abstract class ConnectionCommands<S extends string | Uint8Array = string> extends CommandBase {
  /** `PING [message]` — 'PONG', or the message. */
  ping(message?: Value): Promise<S | 'PONG'> {
    return this.run(message === undefined ? ['PING'] : ['PING', message]);
  }

  /** `ECHO message` */
  echo(message: Value): Promise<S> {
    return this.run(['ECHO', message]);
  }

  /**
   * `HELLO [protover [AUTH username password] [SETNAME clientname]]` — the server, its version and this session's
   * protocol and id, as an object. `hello({ protover: 3 })` switches this session (and its `withBytes()` /
   * `withStrings()` views) to RESP3: typed methods read both protocols, `sendCommand` then sees Maps.
   */
  hello(options?: HelloOptions): Promise<HelloReply> {
    const args: unknown[] = ['HELLO'];
    if (options !== undefined) {
      args.push(options.protover);
      if (options.auth !== undefined) args.push('AUTH', options.auth.username, options.auth.password);
      if (options.clientName !== undefined) args.push('SETNAME', options.clientName);
    }
    return this.run(args, toHello, false);
  }

  /**
   * `AUTH [username] password` — tabhive has one user, `default`, with no password: `auth({ username: 'default',
   * password })` answers 'OK' whatever the password, another user rejects with Redis's WRONGPASS, and a password
   * alone rejects with Redis's "AUTH <password> called without any password configured for the default user".
   */
  auth(options: AuthOptions): Promise<'OK'> {
    const { username, password } = options;
    return this.run(username === undefined ? ['AUTH', password] : ['AUTH', username, password], undefined, false);
  }

  /**
   * `RESET` — this session back to its start: db 0, RESP2, no WATCH, no MULTI, no name. Resolves 'RESET'.
   */
  reset(): Promise<'RESET'> {
    return this.run(['RESET'], undefined, false);
  }

  /** `CLIENT ID` — this session's id. */
  clientId(): Promise<number> {
    return this.run(['CLIENT', 'ID']);
  }

  /** `CLIENT GETNAME` — this session's name, null when it has none. */
  clientGetName(): Promise<string | null> {
    return this.run(['CLIENT', 'GETNAME'], undefined, false);
  }

  /**
   * `CLIENT SETNAME connection-name` — '' removes the name; a name with spaces or characters outside printable
   * ASCII rejects.
   */
  clientSetName(name: string): Promise<'OK'> {
    return this.run(['CLIENT', 'SETNAME', name], undefined, false);
  }

  /** `CLIENT INFO` — this session, parsed. */
  clientInfo(): Promise<ClientInfoReply> {
    return this.run(['CLIENT', 'INFO'], (r) => toClientInfo(text(r)), false);
  }

  /**
   * `CLIENT LIST [TYPE <NORMAL | MASTER | REPLICA | PUBSUB>] [ID client-id [client-id ...]]` — the sessions of this
   * database (every tab's), parsed: `clientList()`, `clientList({ TYPE: 'PUBSUB' })`, `clientList({ ID: [1, 2] })`.
   */
  clientList(filter?: ClientListFilter): Promise<ClientInfoReply[]> {
    const args: unknown[] = ['CLIENT', 'LIST'];
    if (filter?.TYPE !== undefined) args.push('TYPE', filter.TYPE);
    else if (filter?.ID !== undefined) args.push('ID', ...many(filter.ID));
    return this.run(args, toClientList, false);
  }

  /**
   * `CLIENT KILL <filter value> [...]` — close the sessions matching every filter (the caller's own too with
   * `{ filter: 'SKIPME', skipMe: false }`); how many were closed. A killed client's calls reject with
   * ClientClosedError.
   */
  clientKill(filters: ClientKillFilter | ClientKillFilter[]): Promise<number> {
    const args: unknown[] = ['CLIENT', 'KILL'];
    for (const f of many(filters)) {
      switch (f.filter) {
        case 'ADDR':
          args.push('ADDR', f.address);
          break;
        case 'LADDR':
          args.push('LADDR', f.localAddress);
          break;
        case 'ID':
          args.push('ID', f.id);
          break;
        case 'TYPE':
          args.push('TYPE', f.type);
          break;
        case 'USER':
          args.push('USER', f.username);
          break;
        case 'SKIPME':
          args.push('SKIPME', f.skipMe ? 'yes' : 'no');
          break;
      }
    }
    return this.run(args);
  }

  /**
   * `CLIENT UNBLOCK client-id [TIMEOUT | ERROR]` — end the blocking command (BLPOP …) that session `clientId` waits
   * in, as if it timed out (or with an UNBLOCKED error); true when it was blocked.
   */
  clientUnblock(clientId: number, mode?: 'TIMEOUT' | 'ERROR'): Promise<boolean> {
    const args: unknown[] = ['CLIENT', 'UNBLOCK', clientId];
    if (mode !== undefined) args.push(mode);
    return this.run(args, toBoolean);
  }

  /** `CLIENT NO-EVICT <ON | OFF>` */
  clientNoEvict(value: boolean): Promise<'OK'> {
    return this.run(['CLIENT', 'NO-EVICT', value ? 'ON' : 'OFF'], undefined, false);
  }
}

// ---- reply transforms ---------------------------------------------------------------------------------------------

/** A text reply (verbatim or bulk) as a string. */
function text(r: WireReply): string {
  return typeof r === 'string' ? r : ascii(r as Uint8Array);
}

function toHello(r: WireReply): HelloReply {
  const f = new Map(pairsOf(r).map(([k, v]) => [text(k as string), v]));
  return {
    server: f.get('server') as string,
    version: f.get('version') as string,
    proto: f.get('proto') as 2 | 3,
    id: f.get('id') as number,
    mode: f.get('mode') as string,
    role: f.get('role') as string,
    modules: ((f.get('modules') ?? []) as WireReply[]).map((m) => toRecord<unknown>(m)),
  };
}

/** CLIENT INFO fields that are text; every other one is a number. */
const TEXT_FIELDS = new Set(['addr', 'laddr', 'name', 'flags', 'events', 'cmd', 'user']);

/**
 * One CLIENT LIST line: `k=v` fields separated by single spaces. A value never holds a space (names cannot), but
 * may hold '=' (a name can): a field's name ends at its first '='.
 */
function toClientInfo(line: string): ClientInfoReply {
  const out: Record<string, string | number> = {};
  for (const field of line.trim().split(' ')) {
    const eq = field.indexOf('=');
    if (eq <= 0) continue;
    const k = field.slice(0, eq);
    const v = field.slice(eq + 1);
    out[k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] = TEXT_FIELDS.has(k) ? v : Number(v);
  }
  return out as unknown as ClientInfoReply;
}

function toClientList(r: WireReply): ClientInfoReply[] {
  return text(r)
    .split('\n')
    .filter((line) => line !== '')
    .map(toClientInfo);
}
