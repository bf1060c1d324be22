/**
 * What a call can reject with. A Redis error reply is a `ReplyError` whose message is Redis's text word for
 * word; everything else (misuse, a closed client, a dead worker, a failed write to IndexedDB) is a plain Error
 * of a named class, never a ReplyError, so callers can tell Redis's answers from the plumbing's failures.
 */

/** Redis answered with an error: `message` is its text (`WRONGTYPE Operation against a key …`). */
export class ReplyError extends Error {
  override name = 'ReplyError';

  /** The error code: the message's first word (`ERR`, `WRONGTYPE`, `EXECABORT` …). */
  get code(): string {
    const sp = this.message.indexOf(' ');
    return sp < 0 ? this.message : this.message.slice(0, sp);
  }
}

/** A call on a client that was closed by `quit()` or `disconnect()`. */
export class ClientClosedError extends Error {
  override name = 'ClientClosedError';
  constructor(message = 'The client is closed') {
    super(message);
  }
}

/** The worker stopped (crashed, terminated, failed to start) or could not do what was asked (persistence). */
export class WorkerError extends Error {
  override name = 'WorkerError';
}

/**
 * `importRdb()` refused the bytes: not an RDB file tabhive can load (bad signature or checksum, truncated, a
 * stream or module value …). `message` is what Redis logs for the same file; nothing was changed.
 */
export class RdbFileError extends Error {
  override name = 'RdbFileError';
}
