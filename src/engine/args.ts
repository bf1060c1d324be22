/**
 * The argument cursor: parsing apart from executing. The dispatcher has already checked arity, so a handler
 * reads its fixed arguments with `next()` without checks, and loops over options with `has()` / `nextUpper()`.
 * Every parse failure throws Redis's exact error (a CommandError) — handlers never format parse errors.
 */
import { CommandError, E } from './errors.js';
import { parseDouble, parseI64, toIndex, type Int64 } from './numbers.js';

export class Args {
  /** Index of the next argument in argv (argv[0] is the command name). */
  i: number;
  constructor(readonly argv: readonly string[], start = 1) {
    this.i = start;
  }

  get remaining(): number {
    return this.argv.length - this.i;
  }

  has(): boolean {
    return this.i < this.argv.length;
  }

  /** The next argument as a binary string. Throws Redis's syntax error when none is left. */
  next(): string {
    if (this.i >= this.argv.length) throw new CommandError(E.SYNTAX);
    return this.argv[this.i++];
  }

  /** The next argument, upper-cased, for matching option keywords. */
  nextUpper(): string {
    return this.next().toUpperCase();
  }

  /** Look at the next argument upper-cased without consuming it ('' when none). */
  peekUpper(): string {
    return this.i < this.argv.length ? this.argv[this.i].toUpperCase() : '';
  }

  /** Every argument that is left. */
  rest(): string[] {
    const r = this.argv.slice(this.i);
    this.i = this.argv.length;
    return r;
  }

  /** A 64-bit integer; `msg` overrides the error text (default: not an integer or out of range). */
  nextInt(msg: string = E.NOT_INT): Int64 {
    const v = parseI64(this.next());
    if (v === null) throw new CommandError(msg);
    return v;
  }

  /** A 64-bit integer clamped to a JS number, for indexes and counts. */
  nextIndex(msg: string = E.NOT_INT): number {
    return toIndex(this.nextInt(msg));
  }

  /** A double as Redis parses them (`inf` accepted, NaN refused). */
  nextFloat(msg: string = E.NOT_FLOAT): number {
    const v = parseDouble(this.next());
    if (v === null) throw new CommandError(msg);
    return v;
  }

  /**
   * A blocking command's timeout in seconds (decimals allowed) → ms, 0 meaning forever, with Redis 7.0's
   * errors (getTimeoutFromObjectOrReply).
   */
  nextTimeout(): number {
    const v = parseDouble(this.next());
    if (v === null) throw new CommandError('ERR timeout is not a float or out of range');
    const ms = Math.trunc(v * 1000);
    // C's (long long) cast of a value beyond its range gives LLONG_MIN on x86: Redis then says "negative".
    if (ms < 0 || ms >= 2 ** 63) throw new CommandError('ERR timeout is negative');
    if (ms > 2 ** 63 - 1 - Date.now()) throw new CommandError('ERR timeout is out of range');
    return ms;
  }

  /** No argument may be left: anything more is Redis's syntax error. */
  finish(): void {
    if (this.i < this.argv.length) throw new CommandError(E.SYNTAX);
  }
}
