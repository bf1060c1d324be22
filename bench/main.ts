/**
 * The in-page half of `npm run bench` (scripts/bench.mjs drives it). Every repetition runs every workload on
 * every subject, the subjects' order rotating so that none always goes first; the first `warmup` repetitions
 * are thrown away. Each operation is timed on its own; the result lands in `window.benchResult`.
 *
 * Query parameters: reps (10), warmup (2), ops (1000), size (value bytes, 100).
 */
import { subjects, workloads, type Store } from './subjects.js';

export interface Row {
  subject: string;
  workload: string;
  floor: boolean;
  samples: number;
  medianUs: number;
  p95Us: number;
  meanUs: number;
  /** Mean µs per operation of each measured repetition. */
  repMeansUs: number[];
}

export interface BenchResult {
  params: { reps: number; warmup: number; ops: number; size: number };
  userAgent: string;
  crossOriginIsolated: boolean;
  timerResolutionUs: number;
  rows: Row[];
}

declare global {
  interface Window {
    benchResult?: BenchResult;
    benchError?: string;
  }
}

const q = new URLSearchParams(location.search);
const num = (name: string, dflt: number): number => {
  const v = Number(q.get(name) ?? dflt);
  return Number.isInteger(v) && v >= 0 ? v : dflt;
};
const params = { reps: Math.max(1, num('reps', 10)), warmup: num('warmup', 2), ops: Math.max(1, num('ops', 1000)), size: num('size', 100) };
const logEl = document.getElementById('log')!;
const log = (s: string): void => {
  logEl.textContent += `\n${s}`;
};

function quantile(sorted: Float64Array, p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i];
}

/** The smallest step performance.now() takes here (100 µs unless the page is cross-origin isolated). */
function timerResolution(): number {
  let best = Infinity;
  for (let i = 0; i < 50; i++) {
    const a = performance.now();
    let b = a;
    while (b === a) b = performance.now();
    best = Math.min(best, b - a);
  }
  return best * 1000;
}

function makeValue(size: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let s = '';
  for (let i = 0; i < size; i++) s += alphabet[(i * 7 + 3) % alphabet.length];
  return s;
}

async function main(): Promise<void> {
  const value = makeValue(params.size);
  const keys = Array.from({ length: params.ops }, (_, i) => `bench:key:${i}`);
  const stores: Store[] = [];
  for (const s of subjects) stores.push(await s.open());
  const samples = subjects.map(() => workloads.map(() => [] as number[]));
  const repMeans = subjects.map(() => workloads.map(() => [] as number[]));

  for (let rep = 0; rep < params.warmup + params.reps; rep++) {
    const measured = rep >= params.warmup;
    for (let j = 0; j < subjects.length; j++) {
      const si = (rep + j) % subjects.length;
      for (let wi = 0; wi < workloads.length; wi++) {
        const w = workloads[wi];
        const store = stores[si];
        const out = measured ? samples[si][wi] : null;
        let last: unknown;
        const started = performance.now();
        for (let i = 0; i < params.ops; i++) {
          const t0 = performance.now();
          last = await w.op(store, keys[i], value);
          if (out) out.push(performance.now() - t0);
        }
        const total = performance.now() - started;
        if (w.check && !w.check(last, value)) {
          throw new Error(`${subjects[si].name} ${w.name}: unexpected result ${JSON.stringify(last)}`);
        }
        if (measured) repMeans[si][wi].push((total / params.ops) * 1000);
      }
    }
    log(`${measured ? 'repetition' : 'warm-up'} ${measured ? rep - params.warmup + 1 : rep + 1} done`);
  }
  for (const s of stores) await s.close();

  const rows: Row[] = [];
  subjects.forEach((s, si) =>
    workloads.forEach((w, wi) => {
      const sorted = Float64Array.from(samples[si][wi]).sort();
      const sum = sorted.reduce((a, b) => a + b, 0);
      rows.push({
        subject: s.name,
        workload: w.name,
        floor: !!s.floor,
        samples: sorted.length,
        medianUs: quantile(sorted, 0.5) * 1000,
        p95Us: quantile(sorted, 0.95) * 1000,
        meanUs: (sum / sorted.length) * 1000,
        repMeansUs: repMeans[si][wi],
      });
    }),
  );
  window.benchResult = {
    params,
    userAgent: navigator.userAgent,
    crossOriginIsolated: self.crossOriginIsolated,
    timerResolutionUs: timerResolution(),
    rows,
  };
  log('done');
}

main().catch((e: unknown) => {
  window.benchError = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
  log(`failed: ${window.benchError}`);
});
