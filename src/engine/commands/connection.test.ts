import { describe, expect, it } from 'vitest';
import { testEngine } from '../../../test/helpers.js';
import { Ctx } from '../ctx.js';
import { NULL_ARRAY, type Reply } from '../reply.js';

const OK = { k: 'simple', s: 'OK' };
const e = (msg: string) => ({ k: 'err', msg });
const helloMap = (proto: number, id: number) => ({
  k: 'map',
  v: ['server', 'redis', 'version', '7.0.15', 'proto', proto, 'id', id, 'mode', 'standalone', 'role', 'master', 'modules', []],
});
/** A CLIENT LIST / INFO line split into its fields. */
const fields = (r: Reply): Map<string, string> => {
  const s = (r as { s: string }).s.replace(/\n$/, '');
  return new Map(s.split(' ').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
};

describe('PING / ECHO', () => {
  it('answers PONG, a message as a bulk string, and refuses more', () => {
    const { cmd } = testEngine();
    expect(cmd('PING')).toEqual({ k: 'simple', s: 'PONG' });
    expect(cmd('ping', 'é')).toBe('\xc3\xa9');
    expect(cmd('PING', '')).toBe('');
    expect(cmd('PING', 'a', 'b')).toEqual(e("ERR wrong number of arguments for 'ping' command"));
    expect(cmd('ECHO', '\xff')).toBe('\xc3\xbf');
    expect(cmd('ECHO')).toEqual(e("ERR wrong number of arguments for 'echo' command"));
    expect(cmd('ECHO', 'a', 'b')).toEqual(e("ERR wrong number of arguments for 'echo' command"));
  });
  it('answers ["pong", message] in RESP2 subscribe mode', () => {
    const t = testEngine();
    t.cmd('SUBSCRIBE', 'ch');
    expect(t.cmd('PING')).toEqual(['pong', '']);
    expect(t.cmd('PING', 'x')).toEqual(['pong', 'x']);
    t.session.resp = 3;
    expect(t.cmd('PING')).toEqual({ k: 'simple', s: 'PONG' });
  });
});

describe('HELLO / AUTH', () => {
  it('reports the connection and switches protocol', () => {
    const t = testEngine();
    const id = t.session.id;
    expect(t.cmd('HELLO')).toEqual(helloMap(2, id));
    expect(t.cmd('HELLO', '3')).toEqual(helloMap(3, id));
    expect(t.session.resp).toBe(3);
    expect(t.cmd('HELLO')).toEqual(helloMap(3, id));
    expect(t.cmd('HELLO', '2')).toEqual(helloMap(2, id));
    expect(t.session.resp).toBe(2);
  });
  it('refuses bad versions and options in Redis words', () => {
    const t = testEngine();
    expect(t.cmd('HELLO', '4')).toEqual(e('NOPROTO unsupported protocol version'));
    expect(t.cmd('HELLO', '1')).toEqual(e('NOPROTO unsupported protocol version'));
    expect(t.cmd('HELLO', '-1')).toEqual(e('NOPROTO unsupported protocol version'));
    expect(t.cmd('HELLO', 'abc')).toEqual(e('ERR Protocol version is not an integer or out of range'));
    expect(t.cmd('HELLO', '02')).toEqual(e('ERR Protocol version is not an integer or out of range'));
    expect(t.cmd('HELLO', '99999999999999999999')).toEqual(e('ERR Protocol version is not an integer or out of range'));
    expect(t.cmd('HELLO', '2', 'foo')).toEqual(e("ERR Syntax error in HELLO option 'foo'"));
    expect(t.cmd('HELLO', '2', 'AUTH', 'a')).toEqual(e("ERR Syntax error in HELLO option 'AUTH'"));
    expect(t.cmd('HELLO', '2', 'SETNAME')).toEqual(e("ERR Syntax error in HELLO option 'SETNAME'"));
    expect(t.cmd('HELLO', '3', 'AUTH', 'bob', 'pw')).toEqual(
      e('WRONGPASS invalid username-password pair or user is disabled.'),
    );
    expect(t.session.resp).toBe(2);
  });
  it('AUTH default works with any password; SETNAME applies in order', () => {
    const t = testEngine();
    expect(t.cmd('HELLO', '3', 'auth', 'default', 'x', 'setname', 'n1')).toEqual(helloMap(3, t.session.id));
    expect(t.cmd('CLIENT', 'GETNAME')).toBe('n1');
    // SETNAME took effect before the bad option failed the command, as in Redis.
    expect(t.cmd('HELLO', '2', 'SETNAME', 'n2', 'FOO')).toEqual(e("ERR Syntax error in HELLO option 'FOO'"));
    expect(t.cmd('CLIENT', 'GETNAME')).toBe('n2');
    expect(t.session.resp).toBe(3);
    expect(t.cmd('HELLO', '2', 'SETNAME', 'a b')).toEqual(
      e('ERR Client names cannot contain spaces, newlines or special characters.'),
    );
  });
  it('AUTH answers as a Redis without a password', () => {
    const { cmd } = testEngine();
    expect(cmd('AUTH', 'x')).toEqual(
      e('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?'),
    );
    expect(cmd('AUTH', 'default', 'x')).toEqual(OK);
    expect(cmd('AUTH', 'bob', 'x')).toEqual(e('WRONGPASS invalid username-password pair or user is disabled.'));
    expect(cmd('AUTH', 'a', 'b', 'c')).toEqual(e('ERR syntax error'));
    expect(cmd('AUTH')).toEqual(e("ERR wrong number of arguments for 'auth' command"));
  });
});

describe('QUIT / RESET', () => {
  it('QUIT replies OK and asks the transport to close', () => {
    const t = testEngine();
    expect(t.session.closeAfterReply).toBe(false);
    expect(t.cmd('QUIT', 'extra')).toEqual(OK);
    expect(t.session.closeAfterReply).toBe(true);
  });
  it('RESET clears db, protocol, name, MULTI, WATCH and subscriptions but not NO-EVICT', () => {
    const t = testEngine();
    t.cmd('HELLO', '3', 'SETNAME', 'me');
    t.cmd('SELECT', '5');
    t.cmd('CLIENT', 'NO-EVICT', 'on');
    t.cmd('WATCH', 'k');
    t.cmd('SUBSCRIBE', 'ch');
    t.cmd('MULTI');
    expect(t.cmd('RESET')).toEqual({ k: 'simple', s: 'RESET' });
    expect(t.session.db.id).toBe(0);
    expect(t.session.resp).toBe(2);
    expect(t.session.multi).toBe(null);
    expect(t.session.watching.size).toBe(0);
    expect(t.engine.watches.size).toBe(0);
    expect(t.engine.pubsub.subscribed(t.session)).toBe(false);
    expect(t.cmd('CLIENT', 'GETNAME')).toBe(null);
    expect(fields(t.cmd('CLIENT', 'INFO')).get('flags')).toBe('e');
    expect(t.cmd('RESET', 'x')).toEqual(e("ERR wrong number of arguments for 'reset' command"));
  });
});

describe('CLIENT', () => {
  it('ID, GETNAME, SETNAME with validation', () => {
    const t = testEngine();
    expect(t.cmd('CLIENT', 'ID')).toBe(t.session.id);
    expect(t.cmd('CLIENT', 'GETNAME')).toBe(null);
    expect(t.cmd('CLIENT', 'SETNAME', 'conn-1')).toEqual(OK);
    expect(t.cmd('CLIENT', 'GETNAME')).toBe('conn-1');
    for (const bad of ['a b', 'a\nb', '\xff', 'é', '\x7f']) {
      expect(t.cmd('CLIENT', 'SETNAME', bad)).toEqual(
        e('ERR Client names cannot contain spaces, newlines or special characters.'),
      );
    }
    expect(t.cmd('CLIENT', 'GETNAME')).toBe('conn-1');
    expect(t.cmd('CLIENT', 'SETNAME', '')).toEqual(OK);
    expect(t.cmd('CLIENT', 'GETNAME')).toBe(null);
    expect(t.cmd('CLIENT', 'ID', 'x')).toEqual(e("ERR wrong number of arguments for 'client|id' command"));
    expect(t.cmd('CLIENT', 'SETNAME')).toEqual(e("ERR wrong number of arguments for 'client|setname' command"));
    expect(t.cmd('CLIENT')).toEqual(e("ERR wrong number of arguments for 'client' command"));
    expect(t.cmd('CLIENT', 'FOO')).toEqual(e("ERR unknown subcommand 'FOO'. Try CLIENT HELP."));
  });
  it('INFO and LIST speak Redis\'s format', () => {
    const t = testEngine();
    t.session.addr = '127.0.0.1:5000';
    t.session.laddr = '127.0.0.1:6379';
    t.cmd('CLIENT', 'SETNAME', 'me');
    t.cmd('SELECT', '3');
    t.clock.t += 5000;
    const r = t.cmd('CLIENT', 'INFO') as { k: string; fmt: string; s: string };
    expect(r.k).toBe('verbatim');
    expect(r.fmt).toBe('txt');
    expect(r.s).toMatch(
      /^id=\d+ addr=127\.0\.0\.1:5000 laddr=127\.0\.0\.1:6379 fd=-?\d+ name=me age=5 idle=0 flags=N db=3 sub=0 psub=0 ssub=0 multi=-1 qbuf=26 qbuf-free=\d+ argv-mem=10 multi-mem=0 rbs=\d+ rbp=\d+ obl=0 oll=0 omem=0 tot-mem=\d+ events=r cmd=client\|info user=default redir=-1 resp=2\n$/,
    );
    const other = t.engine.createSession();
    t.on(other, 'MULTI');
    t.on(other, 'SET', 'a', 'b');
    t.clock.t += 2000;
    const list = (t.cmd('CLIENT', 'LIST') as { s: string }).s.split('\n');
    expect(list).toHaveLength(3);
    expect(list[2]).toBe('');
    const o = fields({ k: 'verbatim', fmt: 'txt', s: list[1] } as Reply);
    expect(o.get('id')).toBe(String(other.id));
    expect(o.get('flags')).toBe('x');
    expect(o.get('multi')).toBe('1');
    expect(o.get('idle')).toBe('2');
    expect(o.get('qbuf')).toBe('0');
    expect(o.get('cmd')).toBe('set');
    expect(o.get('name')).toBe('');
  });
  it('LIST filters by TYPE and ID, with Redis\'s errors', () => {
    const t = testEngine();
    const sub = t.engine.createSession();
    t.on(sub, 'SUBSCRIBE', 'c');
    const ids = (r: Reply) =>
      (r as { s: string }).s.split('\n').filter(Boolean).map((l) => Number(fields({ k: 'verbatim', fmt: 'txt', s: l } as Reply).get('id')));
    expect(ids(t.cmd('CLIENT', 'LIST', 'TYPE', 'pubsub'))).toEqual([sub.id]);
    expect(ids(t.cmd('CLIENT', 'LIST', 'type', 'NORMAL'))).toEqual([t.session.id]);
    expect(ids(t.cmd('CLIENT', 'LIST', 'TYPE', 'replica'))).toEqual([]);
    expect(ids(t.cmd('CLIENT', 'LIST', 'TYPE', 'master'))).toEqual([]);
    expect(ids(t.cmd('CLIENT', 'LIST', 'ID', sub.id, 999999, t.session.id))).toEqual([sub.id, t.session.id]);
    expect(t.cmd('CLIENT', 'LIST', 'TYPE', 'foo')).toEqual(e("ERR Unknown client type 'foo'"));
    expect(t.cmd('CLIENT', 'LIST', 'ID', '1', 'x')).toEqual(e('ERR Invalid client ID'));
    expect(t.cmd('CLIENT', 'LIST', 'ID')).toEqual(e('ERR syntax error'));
    expect(t.cmd('CLIENT', 'LIST', 'x')).toEqual(e('ERR syntax error'));
    expect(t.cmd('CLIENT', 'LIST', 'TYPE', 'normal', 'x')).toEqual(e('ERR syntax error'));
    expect(fields(t.cmd('CLIENT', 'LIST', 'ID', sub.id)).get('flags')).toBe('P');
    expect(fields(t.cmd('CLIENT', 'LIST', 'ID', sub.id)).get('sub')).toBe('1');
  });
  it('KILL by address (old form), ID, TYPE, USER, SKIPME', () => {
    const t = testEngine();
    const a = t.engine.createSession();
    a.addr = '10.0.0.1:1';
    let killedA = 0;
    a.onKill = () => killedA++;
    const b = t.engine.createSession();
    b.addr = '10.0.0.2:2';
    t.session.addr = '10.0.0.9:9';
    expect(t.cmd('CLIENT', 'KILL', '1.2.3.4:5')).toEqual(e('ERR No such client'));
    expect(t.cmd('CLIENT', 'KILL', '10.0.0.1:1')).toEqual(OK);
    expect(killedA).toBe(1);
    expect(a.closed).toBe(true);
    expect(t.engine.sessions.has(a)).toBe(false);
    expect(t.cmd('CLIENT', 'KILL', 'ID', '999999')).toBe(0);
    expect(t.cmd('CLIENT', 'KILL', 'ID', '0')).toEqual(e('ERR client-id should be greater than 0'));
    expect(t.cmd('CLIENT', 'KILL', 'ID', 'abc')).toEqual(e('ERR client-id should be greater than 0'));
    expect(t.cmd('CLIENT', 'KILL', 'ID', '1', 'foo')).toEqual(e('ERR syntax error'));
    expect(t.cmd('CLIENT', 'KILL', 'ID', '1', 'SKIPME', 'maybe')).toEqual(e('ERR syntax error'));
    expect(t.cmd('CLIENT', 'KILL', 'USER', 'bob')).toEqual(e("ERR No such user 'bob'"));
    expect(t.cmd('CLIENT', 'KILL', 'TYPE', 'foo')).toEqual(e("ERR Unknown client type 'foo'"));
    expect(t.cmd('CLIENT', 'KILL', 'TYPE', 'pubsub')).toBe(0);
    expect(t.cmd('CLIENT', 'KILL', 'TYPE', 'master')).toBe(0);
    // The caller is skipped by default in the new form.
    expect(t.cmd('CLIENT', 'KILL', 'USER', 'default')).toBe(1);
    expect(b.closed).toBe(true);
    expect(t.session.closeAfterReply).toBe(false);
    expect(t.cmd('CLIENT', 'KILL', 'ADDR', '10.0.0.9:9', 'SKIPME', 'no')).toBe(1);
    expect(t.session.closeAfterReply).toBe(true);
    expect(t.session.closed).toBe(false); // the transport closes it after the reply
  });
  it('KILL LADDR and the old form on oneself', () => {
    const t = testEngine();
    t.session.addr = '1.1.1.1:1';
    t.session.laddr = '127.0.0.1:6379';
    const o = t.engine.createSession();
    o.laddr = '127.0.0.1:7000';
    expect(t.cmd('CLIENT', 'KILL', 'LADDR', '127.0.0.1:7000')).toBe(1);
    expect(o.closed).toBe(true);
    expect(t.cmd('CLIENT', 'KILL', '1.1.1.1:1')).toEqual(OK);
    expect(t.session.closeAfterReply).toBe(true);
  });
  it('UNBLOCK a blocked client with the timeout reply or an error', () => {
    const t = testEngine();
    const b = t.engine.createSession();
    const got: Reply[] = [];
    b.onUnblock = (r) => got.push(r);
    // Block the way BLPOP does, without depending on the list family.
    const block = () =>
      t.engine.blocking.block(new Ctx(t.engine, b, ['BLPOP', 'q', '0'], 3), ['q'], 0, () => undefined, NULL_ARRAY);
    block();
    expect(b.blocked).not.toBe(null);
    expect(fields(t.cmd('CLIENT', 'LIST', 'ID', b.id)).get('flags')).toBe('b');
    expect(t.cmd('INFO', 'clients')).toMatchObject({ s: expect.stringContaining('blocked_clients:1\r\n') });
    expect(t.cmd('CLIENT', 'UNBLOCK', b.id)).toBe(1);
    expect(got).toEqual([{ k: 'nullarr' }]);
    expect(t.cmd('CLIENT', 'UNBLOCK', b.id)).toBe(0);
    block();
    expect(t.cmd('CLIENT', 'UNBLOCK', b.id, 'error')).toBe(1);
    expect(got[1]).toEqual(e('UNBLOCKED client unblocked via CLIENT UNBLOCK'));
    expect(t.cmd('CLIENT', 'UNBLOCK', '99999')).toBe(0);
    expect(t.cmd('CLIENT', 'UNBLOCK', 'abc')).toEqual(e('ERR value is not an integer or out of range'));
    expect(t.cmd('CLIENT', 'UNBLOCK', '1', 'foo')).toEqual(e('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR'));
    expect(t.cmd('CLIENT', 'UNBLOCK', 'abc', 'foo')).toEqual(e('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR'));
    expect(t.cmd('CLIENT', 'UNBLOCK', '1', 'timeout', 'x')).toEqual(
      e("ERR unknown subcommand or wrong number of arguments for 'UNBLOCK'. Try CLIENT HELP."),
    );
  });
  it('NO-EVICT and HELP', () => {
    const t = testEngine();
    expect(t.cmd('CLIENT', 'NO-EVICT', 'on')).toEqual(OK);
    expect(fields(t.cmd('CLIENT', 'INFO')).get('flags')).toBe('e');
    expect(t.cmd('CLIENT', 'NO-EVICT', 'OFF')).toEqual(OK);
    expect(fields(t.cmd('CLIENT', 'INFO')).get('flags')).toBe('N');
    expect(t.cmd('CLIENT', 'NO-EVICT', 'maybe')).toEqual(e('ERR syntax error'));
    const help = t.cmd('CLIENT', 'HELP') as { s: string }[];
    expect(help[0].s).toBe('CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
    expect(help[help.length - 1].s).toBe('    Prints this help.');
    expect(help).toHaveLength(48);
  });
});
