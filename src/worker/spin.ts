/**
 * Keeping a thread awake around a round trip (spin, then park). On the machines measured, most of a page ↔ worker
 * round trip is neither side's work but the two wake-ups of a parked thread: an echo worker answers in ~100 µs,
 * and in ~30 µs when both threads are kept busy (bench: "postMessage floor, threads kept awake"). A thread is
 * kept awake by posting itself a message and, on receipt, another: its event loop never parks, yet every other
 * task (a message from the other side, a timer, input, rendering) runs in between as usual. Nothing blocks.
 *
 * Rules:
 * - a spin is bounded: it stops at its deadline, or as soon as `idle()` says what it waited for came;
 * - callers spin only when a reply or a request is expected soon (connection.ts: a batch is in flight and the
 *   last one was answered quickly; host.ts: the page sent its last batch soon after the answer before): an idle
 *   page or worker never spins;
 * - on one core it would take the time from the very thread it waits for: `defaultSpinMs` is 0 there.
 */
export const SPIN_MS = 0.25;
/** The most a connection may ask (OpenRequest.spinMs). */
export const MAX_SPIN_MS = 20;

/** The spin budget a client uses unless told: SPIN_MS where there are two cores or more, else 0 (off). */
export function defaultSpinMs(): number {
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return typeof n === "number" && n >= 2 ? SPIN_MS : 0;
}

export class Spinner {
  private channel: MessageChannel | null = null;
  private until = 0;
  private active = false;
  /** Spinning now. */
  get spinning(): boolean {
    return this.active;
  }
  /** Spins begun, and self-posted turns taken (stats). */
  spins = 0;
  turns = 0;

  /** `idle()`: nothing to wait for any more, the spin may stop. */
  constructor(private readonly idle: () => boolean) {}

  /** Keep the thread awake until `deadline` (performance.now() ms), or until idle. */
  spinUntil(deadline: number): void {
    if (deadline > this.until) this.until = deadline;
    if (this.active) return;
    this.active = true;
    this.spins++;
    this.port().postMessage(null);
  }

  /** Stop for good (the connection or worker closes). */
  close(): void {
    this.until = 0;
    this.active = false;
    const ch = this.channel;
    this.channel = null;
    ch?.port1.close();
    ch?.port2.close();
  }

  private port(): MessagePort {
    if (this.channel === null) {
      const ch = new MessageChannel();
      ch.port1.onmessage = this.turn;
      // Node: an idle spinner must not keep the process alive.
      (ch.port1 as { unref?: () => void }).unref?.();
      (ch.port2 as { unref?: () => void }).unref?.();
      this.channel = ch;
    }
    return this.channel.port2;
  }

  private readonly turn = (): void => {
    if (!this.active) return;
    if (this.idle() || performance.now() >= this.until) {
      this.active = false;
      return;
    }
    this.turns++;
    this.channel?.port2.postMessage(null);
  };
}

/**
 * The page's rule: while a reply is awaited, stay awake until it comes or the budget ends — if the last reply
 * came within the budget (a reply that takes longer, a flush waiting for IndexedDB or a command forwarded to
 * another tab, would only be spun for in vain).
 */
export class ReplySpin {
  private quick = true;

  constructor(
    readonly spinner: Spinner,
    readonly ms: number,
  ) {}

  /** A request left at `at` (performance.now()). */
  sent(at: number): void {
    if (this.quick) this.spinner.spinUntil(at + this.ms);
  }

  /** The reply to the request sent at `sentAt` came. */
  answered(sentAt: number): void {
    this.quick = performance.now() - sentAt <= this.ms;
  }
}

/**
 * The worker's rule: after answering, stay awake for the budget if the request came within the budget of the
 * answer before it (the page is sending one after another); a lone request leaves the thread to park.
 */
export class AnswerSpin {
  private answeredAt = -Infinity;

  constructor(
    readonly spinner: Spinner,
    readonly ms: number,
  ) {}

  /** A request arrived at `at` (performance.now()): whether its answer should be followed by a spin. */
  arrived(at: number): boolean {
    return at - this.answeredAt <= this.ms;
  }

  /** The answer to a request left; `streak` is what `arrived` said of it. */
  answered(streak: boolean): void {
    this.answeredAt = performance.now();
    if (streak) this.spinner.spinUntil(this.answeredAt + this.ms);
  }
}
