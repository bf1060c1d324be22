/**
 * Cold start (workload 4), one measurement per page load: open subject `s` on database `db` (filled beforehand
 * by benchApi.populate with n keys `c:<i>`) and read one key. Times are from the navigation's start
 * (performance.timeOrigin), so they include loading the page's code, starting the worker and reading
 * IndexedDB; `fromScriptMs` leaves the page load out. Long tasks on the main thread over the same span are
 * counted (workload 8).
 *
 * tabhive loads every key at start, so its first GET answers after all of them are in memory; the raw
 * IndexedDB floor opens the database and reads every record with one getAll. The peers read lazily: their first
 * get costs opening the database and one read, whatever the database holds (shown for reference).
 */
import { subject } from './subjects.js';

declare global {
  interface Window {
    coldResult?: { fromNavigationMs: number; fromScriptMs: number; longTasks: number; longTaskMs: number; records: number };
    coldError?: string;
  }
}

const scriptStart = performance.now();
const tasks: PerformanceEntry[] = [];
try {
  new PerformanceObserver((l) => tasks.push(...l.getEntries())).observe({ type: 'longtask', buffered: true });
} catch {
  // No Long Tasks API.
}

async function main(): Promise<void> {
  const q = new URLSearchParams(location.search);
  const name = q.get('s')!;
  const db = q.get('db')!;
  const n = Number(q.get('n'));
  const store = await subject(name).open(db, false);
  let records = -1;
  if (store.loadAll !== undefined) records = await store.loadAll();
  const v = await store.get(`c:${n - 1}`);
  const end = performance.now();
  if (typeof v !== 'string') throw new Error(`${name}: key c:${n - 1} not found after start`);
  if (store.loadAll !== undefined && records !== n) throw new Error(`${name}: getAll read ${records} records, not ${n}`);
  await new Promise((r) => setTimeout(r, 0));
  const during = tasks.filter((t) => t.startTime <= end);
  window.coldResult = {
    fromNavigationMs: end,
    fromScriptMs: end - scriptStart,
    longTasks: during.length,
    longTaskMs: during.reduce((a, t) => a + t.duration, 0),
    records,
  };
  // keep=1: leave it open (a profiler is still attached to its worker).
  if (q.get('keep') !== '1') await store.close();
}

main().catch((e: unknown) => {
  window.coldError = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
});
