/**
 * Redis's error texts, word for word (Redis 7.0). A handler either returns an ErrorReply or throws a
 * CommandError; the dispatcher turns the throw into the reply. Argument parsers throw, so handlers read
 * straight-line.
 */
import { err, type ErrorReply } from './reply.js';

export class CommandError extends Error {
  readonly reply: ErrorReply;
  constructor(msg: string) {
    // Redis maps CR/LF in formatted errors to spaces, so an error can never break the protocol.
    const clean = msg.includes('\r') || msg.includes('\n') ? msg.replace(/[\r\n]/g, ' ') : msg;
    super(clean);
    this.reply = err(clean);
  }
}

/**
 * An argument quoted in an error message, as Redis's `%s` prints it: up to its first NUL byte (C strings end
 * there). Use it wherever a message quotes user input.
 */
export const cstr = (s: string): string => {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
};

export const fail = (msg: string): never => {
  throw new CommandError(msg);
};

export const E = {
  SYNTAX: 'ERR syntax error',
  WRONGTYPE: 'WRONGTYPE Operation against a key holding the wrong kind of value',
  NOT_INT: 'ERR value is not an integer or out of range',
  NOT_FLOAT: 'ERR value is not a valid float',
  OVERFLOW: 'ERR increment or decrement would overflow',
  NO_KEY: 'ERR no such key',
  DB_INDEX: 'ERR DB index is out of range',
  INVALID_DB: 'ERR invalid DB index',
  INVALID_CURSOR: 'ERR invalid cursor',
  NAN_INF: 'ERR increment would produce NaN or Infinity',
  MAX_STRING: 'ERR string exceeds maximum allowed size (proto-max-bulk-len)',
  OFFSET_RANGE: 'ERR offset is out of range',
  SAME_OBJECT: 'ERR source and destination objects are the same',
  NOT_POSITIVE: 'ERR value is out of range, must be positive',
  OOM: "OOM command not allowed when used memory > 'maxmemory'.",
} as const;

export const wrongArity = (name: string) => `ERR wrong number of arguments for '${name}' command`;
export const invalidExpire = (name: string) => `ERR invalid expire time in '${name}' command`;
