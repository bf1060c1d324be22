/**
 * Redis's LFU counter (evict.c), kept in Entry.freq when an LFU maxmemory-policy is set: a logarithmic
 * 8-bit access counter that starts at 5 (LFU_INIT_VAL), grows with probability 1/((counter-5)·lfu-log-factor+1)
 * on each access and loses one per `lfu-decay-time` minutes without access.
 *
 * Redis packs the minute of the last decrement ("ldt", 16 bits) next to the counter; here that minute is
 * Entry.atime's, since under LFU every access updates both together. OBJECT FREQ and LFU eviction read
 * `lfuDecrAndReturn`; lookups call `lfuIncr` (via Engine.touch).
 */

export const LFU_INIT_VAL = 5;

/** Redis's 16-bit minutes clock. */
const minutes = (ms: number): number => Math.floor(ms / 60_000) & 65535;

/** Minutes since `atime`, with Redis's wrap-around of the 16-bit clock (LFUTimeElapsed). */
function elapsed(atime: number, now: number): number {
  const n = minutes(now);
  const ldt = minutes(atime);
  return n >= ldt ? n - ldt : 65535 - ldt + n;
}

/** The counter after the decay owed since the last access (LFUDecrAndReturn); the entry is not changed. */
export function lfuDecrAndReturn(freq: number, atime: number, now: number, decayTime: number): number {
  const periods = decayTime > 0 ? Math.floor(elapsed(atime, now) / decayTime) : 0;
  if (periods === 0) return freq;
  return periods > freq ? 0 : freq - periods;
}

/** One access: decay, then a logarithmic increment (LFULogIncr), saturating at 255. `rnd` returns [0,1). */
export function lfuIncr(
  freq: number, atime: number, now: number, logFactor: number, decayTime: number, rnd: () => number,
): number {
  const counter = lfuDecrAndReturn(freq, atime, now, decayTime);
  if (counter === 255) return 255;
  const base = Math.max(0, counter - LFU_INIT_VAL);
  return rnd() < 1 / (base * logFactor + 1) ? counter + 1 : counter;
}
