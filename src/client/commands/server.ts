/**
 * Server and connection commands with typed methods: DBSIZE, FLUSHDB, SELECT, PING, TIME, INFO … See base.ts
 * for how a family joins the client.
 */
import { CommandBase, type Value } from './base.js';

export type FlushMode = 'ASYNC' | 'SYNC';

/** TIME's reply: the server time as a Date, and the microseconds within its second. */
export type TimeReply = Date & { microseconds: number };

export abstract class ServerCommands<S extends string | Uint8Array = string> extends CommandBase {
  /** `DBSIZE` — keys in the selected db. */
  dbSize(): Promise<number> {
    return this.run(['DBSIZE']);
  }

  /** `FLUSHDB [ASYNC | SYNC]` */
  flushDb(mode?: FlushMode): Promise<'OK'> {
    return this.run(mode === undefined ? ['FLUSHDB'] : ['FLUSHDB', mode]);
  }

  /** `FLUSHALL [ASYNC | SYNC]` */
  flushAll(mode?: FlushMode): Promise<'OK'> {
    return this.run(mode === undefined ? ['FLUSHALL'] : ['FLUSHALL', mode]);
  }

  /** `SELECT index` — this session's db from now on. */
  select(db: number): Promise<'OK'> {
    return this.run(['SELECT', db]);
  }

  /** `SWAPDB index1 index2` */
  swapDb(index1: number, index2: number): Promise<'OK'> {
    return this.run(['SWAPDB', index1, index2]);
  }

  /** `PING [message]` — 'PONG', or the message. */
  ping(message?: Value): Promise<S | 'PONG'> {
    return this.run(message === undefined ? ['PING'] : ['PING', message]);
  }

  /** `ECHO message` */
  echo(message: Value): Promise<S> {
    return this.run(['ECHO', message]);
  }

  /** `TIME` — the worker's clock as a Date, with the microseconds within the second. */
  time(): Promise<TimeReply> {
    return this.run(
      ['TIME'],
      (r) => {
        const [s, us] = r as [string, string];
        const d = new Date(Number(s) * 1000 + Number(us) / 1000) as TimeReply;
        d.microseconds = Number(us);
        return d;
      },
      false,
    );
  }

  /** `INFO [section [section ...]]` */
  info(...sections: string[]): Promise<string> {
    return this.run(['INFO', ...sections], undefined, false);
  }
}
