#!/usr/bin/env node
// `npm run bench`: issue 7's benchmark suite. tabhive against its peers (idb-keyval, localForage, Dexie) and the
// floors (a bare postMessage worker holding a Map, raw IndexedDB, a raw BroadcastChannel), in headless Chromium
// on an on-disk profile (launchPersistentContext: a plain new context would keep IndexedDB in memory), then the
// Node benches (engine alone: bench/engine.ts; `tabhive serve` against redis-server: scripts/redis-bench.mjs).
// A benchmark, not a test: it prints figures and never fails on them.
//
// Steps: build bench/*.html with vite (production bundle, as users get it) → serve them on 127.0.0.1 with
// cross-origin isolation (performance.now() in 5 µs steps, not 100 µs) → for each workload, warm-up runs then
// measured repetitions, the subjects' order rotating each repetition, each subject in a database of its own →
// a markdown table, issue 7's targets as ratios → JSON in bench/results/.
//
// Options: --quick (3 repetitions of smaller workloads, no Node benches: < 3 minutes) --reps N --warmup N
//          --only serial,burst,bulk,zipf,sizes,hot,cold,xtab,node --node / --no-node --headed
//          --cold 100000x100,10000x1024 (the cold-start sizes: keys x value bytes)
// Environment: TABHIVE_CHROMIUM (default /usr/bin/chromium).
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { build } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    reps: { type: 'string' },
    warmup: { type: 'string' },
    only: { type: 'string' },
    cold: { type: 'string' },
    node: { type: 'boolean' },
    'no-node': { type: 'boolean' },
    headed: { type: 'boolean', default: false },
  },
});
const quick = opts.quick;
const P = {
  reps: Number(opts.reps ?? (quick ? 3 : 10)),
  warmup: Number(opts.warmup ?? (quick ? 1 : 2)),
  serialOps: quick ? 200 : 1000,
  burst: quick ? 1000 : 10_000,
  bulk: quick ? 1000 : 10_000,
  zipfOps: quick ? 500 : 5000,
  zipfKeys: quick ? 2000 : 10_000,
  sizesOps: quick ? 20 : 100,
  sizes: [100, 1024, 10_240, 102_400],
  hot: quick ? 20_000 : 100_000,
  cold: opts.cold
    ? opts.cold.split(',').map((c) => c.split('x').map(Number))
    : quick
      ? [[10_000, 100]]
      : [[10_000, 100], [10_000, 1024], [100_000, 100], [100_000, 1024]],
  xtab: quick ? 200 : 1000,
};
const only = opts.only ? new Set(opts.only.split(',')) : null;
const runNode = opts['no-node'] ? false : opts.node ?? !quick;
const wanted = (w) => (only === null ? w !== 'node' || runNode : only.has(w));

const executablePath = process.env.TABHIVE_CHROMIUM || '/usr/bin/chromium';
// Same browser and flags as the e2e suite (e2e/chromium.ts).
const launchOptions = {
  executablePath,
  headless: !opts.headed,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};

const TABHIVE = 'tabhive';
const NO_NEAR = 'tabhive (near-cache off)';
const ECHO = 'postMessage floor';
const ECHO_PORT = 'postMessage floor (MessagePort)';
const ECHO_AWAKE = 'postMessage floor, threads kept awake';
const RAW = 'raw IndexedDB';
const PEERS = ['idb-keyval', 'localForage', 'Dexie'];

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
};

function serve(dir) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const file = normalize(join(dir, decodeURIComponent(url.pathname)));
    if (!file.startsWith(dir + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const st = await stat(file);
      if (!st.isFile()) throw new Error('not a file');
      res.writeHead(200, {
        'content-type': MIME[extname(file)] ?? 'application/octet-stream',
        'content-length': st.size,
        'cache-control': 'no-store',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      });
      createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

// ---- statistics ---------------------------------------------------------------------------------------------------

function quantile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** Pooled series: `${workload}\0${subject}` → { workload, subject, unit, values, perRun }. */
const series = new Map();
function add(workload, subject, unit, values, perRun) {
  const k = `${workload}\0${subject}`;
  let s = series.get(k);
  if (s === undefined) series.set(k, (s = { workload, subject, unit, values: [], perRun }));
  s.values.push(...values);
}

function rows() {
  const out = [];
  for (const s of series.values()) {
    const sorted = Float64Array.from(s.values).sort();
    const sum = sorted.reduce((a, b) => a + b, 0);
    out.push({
      workload: s.workload,
      subject: s.subject,
      unit: s.unit,
      samples: sorted.length,
      median: quantile(sorted, 0.5),
      p95: quantile(sorted, 0.95),
      p99: quantile(sorted, 0.99),
      mean: sum / sorted.length,
      perRun: s.perRun,
    });
  }
  return out;
}

function find(all, workload, subject) {
  return all.find((r) => r.workload === workload && r.subject === subject);
}

// ---- the browser ------------------------------------------------------------------------------------------------

const log = (s) => process.stderr.write(`${s}\n`);

/** Rotate `list` by `n`: each repetition starts with another subject. */
const rotate = (list, n) => list.map((_, i) => list[(i + n) % list.length]);

async function runWorkload(page, { id, label, subjects, params, metrics, db = 'bench' }) {
  for (const s of subjects) await page.evaluate(([n, d]) => window.benchApi.open(n, d), [s, db]);
  const total = P.warmup + P.reps;
  for (let rep = 0; rep < total; rep++) {
    for (const s of rotate(subjects, rep)) {
      const out = await page.evaluate(([w, n, p]) => window.benchApi.run(w, n, p), [id, s, { ...params, rep }]);
      if (rep < P.warmup) continue;
      for (const [key, values] of Object.entries(out)) {
        const m = metrics[key.split('|')[0]];
        if (m === undefined) continue;
        const variant = key.includes('|') ? `, ${key.split('|')[1]}` : '';
        add(`${label} ${m.name}`, `${s}${variant}`, m.unit, values, m.perRun ?? false);
      }
    }
    log(`  ${label}: ${rep < P.warmup ? 'warm-up' : 'repetition'} ${rep < P.warmup ? rep + 1 : rep - P.warmup + 1} done`);
  }
}

async function coldStart(context, page, base, n, size) {
  const tag = `cold-${n}-${size}`;
  const subjects = [TABHIVE, RAW, 'idb-keyval', 'Dexie', ...(n <= 10_000 ? ['localForage'] : [])];
  log(`  cold start ${n} × ${size} B: filling ${subjects.length} databases …`);
  for (const s of subjects) await page.evaluate(([x, d, k, b]) => window.benchApi.populate(x, d, k, b), [s, tag, n, size]);
  const label = `4 cold start ${n.toLocaleString('en')} × ${size >= 1024 ? `${size / 1024} KB` : `${size} B`}`;
  for (let rep = 0; rep < P.warmup + P.reps; rep++) {
    for (const s of rotate(subjects, rep)) {
      const p = await context.newPage();
      const q = new URLSearchParams({ s, db: tag, n: String(n) });
      await p.goto(`${base}/bench/cold.html?${q}`);
      await p.waitForFunction(() => window.coldResult || window.coldError, null, { timeout: 120_000, polling: 20 });
      const err = await p.evaluate(() => window.coldError);
      if (err) throw new Error(`cold start ${s}: ${err}`);
      const r = await p.evaluate(() => window.coldResult);
      await p.close();
      if (rep < P.warmup) continue;
      add(`${label}: first GET`, s, 'ms', [r.fromNavigationMs], true);
      add(`${label}: first GET after script start`, s, 'ms', [r.fromScriptMs], true);
      add(`8 long tasks during ${label.slice(2)}`, s, 'count', [r.longTasks], true);
    }
    log(`  ${label}: ${rep < P.warmup ? 'warm-up' : 'repetition'} done`);
  }
  await page.evaluate((part) => window.benchApi.dropDatabases(part), tag);
}

/**
 * Workload 7: page A → page B, one way (half a round trip), for the BroadcastChannel floor and for tabhive (SET
 * seen through a keyspace event, PUBLISH seen by a subscriber). Each repetition opens a fresh page A; for
 * tabhive, B is opened first, so B leads and A's writes cross to it and back.
 */
async function crossTab(context, base) {
  const kinds = [
    ['bc', 'BroadcastChannel floor', '7 cross-tab: one way, page A → page B'],
    ['set', 'tabhive', '7 cross-tab: SET in A until B sees it (keyspace event)'],
    ['pub', 'tabhive', '7 cross-tab: PUBLISH in A until B\'s listener runs'],
  ];
  for (const [kind, subject, workload] of kinds) {
    const run = `${Date.now()}-${kind}`;
    const b = await context.newPage();
    await b.goto(`${base}/bench/xtab.html?role=b&kind=${kind}&run=${run}`);
    await b.waitForFunction(() => window.xtabReady, null, { timeout: 60_000 });
    for (let rep = 0; rep < P.warmup + P.reps; rep++) {
      const a = await context.newPage();
      await a.goto(`${base}/bench/xtab.html?role=a&kind=${kind}&run=${run}&n=${P.xtab}`);
      await a.waitForFunction(() => window.xtabResult, null, { timeout: 120_000 });
      const r = await a.evaluate(() => window.xtabResult);
      await a.close();
      if (rep >= P.warmup) add(workload, subject, 'µs', r.oneWayUs, false);
    }
    await b.close();
  }
}

// ---- Node benches ---------------------------------------------------------------------------------------------

function runCommand(cmd, args) {
  return new Promise((resolveRun) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolveRun({ code, out, err }));
    child.on('error', (e) => resolveRun({ code: -1, out, err: String(e) }));
  });
}

async function nodeBenches() {
  const result = {};
  log('node: npm run bench:engine (bench/engine.ts) …');
  const engine = await runCommand(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'bench/engine.ts']);
  result.engine = { command: 'npm run bench:engine', code: engine.code, rows: [] };
  for (const line of engine.out.split('\n')) {
    const m = /^\| (.+?) \| (\d+) \| ([\d,]+) \| (\d+) \|$/.exec(line.trim());
    if (m) result.engine.rows.push({ workload: m[1], ops: Number(m[2]), opsPerSec: Number(m[3].replaceAll(',', '')), nsPerOp: Number(m[4]) });
  }
  if (engine.code !== 0) result.engine.error = engine.err.trim().split('\n').pop();
  log('node: scripts/redis-bench.mjs -t set,get -P 16 (tabhive serve vs redis-server) …');
  const redis = await runCommand(process.execPath, [join(root, 'scripts', 'redis-bench.mjs'), '-t', 'set,get', '-P', '16']);
  result.redis = { command: 'node scripts/redis-bench.mjs -t set,get -P 16 (npm run bench:redis adds the data types)', code: redis.code, rows: [] };
  for (const line of redis.out.split('\n')) {
    // test, the medians of both servers, their ratio, then each round's ratio.
    const m = /^(SET|GET)\s+(\d+)\s+(\d+|failed)\s+([\d.]+|n\/a)((?:\s+(?:[\d.]+|n\/a))*)$/.exec(line.trim());
    if (m) {
      const rounds = m[5].trim() === '' ? [] : m[5].trim().split(/\s+/).map(Number);
      result.redis.rows.push({ test: m[1], redis: Number(m[2]), tabhive: Number(m[3]), ratio: Number(m[4]), rounds });
    }
  }
  if (redis.code !== 0 || result.redis.rows.length === 0) result.redis.error = (redis.err || redis.out).trim().split('\n').pop();
  return result;
}

// ---- report -----------------------------------------------------------------------------------------------------

const fmt = (x) => (x === undefined || Number.isNaN(x) ? 'n/a' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

function table(all) {
  const lines = [
    '| workload | subject | median | p95 | p99 | unit | samples | vs floor (median) |',
    '| --- | --- | ---: | ---: | ---: | --- | ---: | ---: |',
  ];
  const order = [...new Set(all.map((r) => r.workload))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  // The floor each row is divided by: the disk's for bulk writes and cold starts, else the transport's.
  const floorNames = (w) =>
    /^(3 bulk|4 cold|8 long)/.test(w) ? [RAW] : [`${ECHO}, one message`, ECHO, 'BroadcastChannel floor'];
  for (const w of order) {
    const group = all.filter((r) => r.workload === w);
    // Cross-tab rows compare with the BroadcastChannel floor, measured as a workload of its own.
    const pool = w.startsWith('7 ') ? all.filter((r) => r.workload.startsWith('7 ')) : group;
    const floor = floorNames(w).map((n) => pool.find((r) => r.subject === n)).find((r) => r !== undefined);
    for (const r of group) {
      const higherIsBetter = r.unit === 'ops/s';
      const ratio =
        floor && r !== floor && r.unit !== 'count' && r.unit !== '%' && floor.median > 0
          ? higherIsBetter ? floor.median / r.median : r.median / floor.median
          : null;
      lines.push(
        `| ${w} | ${r.subject} | ${fmt(r.median)} | ${fmt(r.p95)} | ${r.perRun ? '' : fmt(r.p99)} | ${r.unit} | ${r.samples} | ` +
          `${ratio === null ? '' : `${ratio.toFixed(2)}× ${floor.subject}`} |`,
      );
    }
  }
  return lines.join('\n');
}

function targets(all, node) {
  const out = [];
  const t = (goal, measured, ok, note = '') => out.push({ goal, measured, ok, note });
  const serialFloorSet = find(all, '1 serial SET', ECHO);
  const serialFloorGet = find(all, '1 serial GET', ECHO);
  const thSet = find(all, '1 serial SET', TABHIVE);
  const thGet = find(all, '1 serial GET', TABHIVE);
  const thGetNoNear = find(all, '1 serial GET', NO_NEAR);
  // tabhive keeps both threads awake around a round trip (src/worker/spin.ts): also said against the floor that
  // does the same.
  const awake = (w, th) => {
    const f = find(all, w, ECHO_AWAKE);
    return f && th ? `; ${(th.median / f.median).toFixed(2)}× the echo with threads kept awake (${fmt(f.median)} µs)` : '';
  };
  if (thSet && serialFloorSet) {
    const r = thSet.median / serialFloorSet.median;
    t('serial SET ≤ 1.5× raw postMessage round trip', `${fmt(thSet.median)} µs vs ${fmt(serialFloorSet.median)} µs = ${r.toFixed(2)}×`, r <= 1.5,
      awake('1 serial SET', thSet).slice(2));
  }
  if (thGet && serialFloorGet) {
    const r = thGet.median / serialFloorGet.median;
    t('serial GET ≤ 1.5× raw postMessage round trip', `${fmt(thGet.median)} µs vs ${fmt(serialFloorGet.median)} µs = ${r.toFixed(2)}×`, r <= 1.5,
      `read after write: every GET goes to the worker${awake('1 serial GET', thGet)}`);
  }
  const burst = find(all, '2 burst SET', TABHIVE);
  const burstFloor = find(all, '2 burst SET', `${ECHO}, one message`);
  if (burst && burstFloor) {
    const r = burst.median / burstFloor.median;
    t(`burst of ${P.burst.toLocaleString('en')} SETs ≤ 2× one-message batch (per op)`, `${fmt(burst.median)} µs vs ${fmt(burstFloor.median)} µs = ${r.toFixed(2)}×`, r <= 2);
  }
  for (const peer of PEERS) {
    const ps = find(all, '1 serial SET', peer);
    if (ps && thSet) {
      const r = ps.median / thSet.median;
      t(`serial SET ≥ 5× faster than ${peer} (everysec)`, `${fmt(ps.median)} µs / ${fmt(thSet.median)} µs = ${r.toFixed(1)}×`, r >= 5);
    }
  }
  for (const peer of PEERS) {
    const pg = find(all, '1 serial GET', peer);
    if (pg && thGetNoNear) {
      const r = pg.median / thGetNoNear.median;
      t(`serial GET ≥ 3× faster than ${peer}, near-cache off`, `${fmt(pg.median)} µs / ${fmt(thGetNoNear.median)} µs = ${r.toFixed(1)}×`, r >= 3);
    }
  }
  const hot = find(all, 'hot GET (near-cache hit)', TABHIVE);
  if (hot) t('hot GET with the near-cache ≤ 1 µs', `${fmt(hot.median)} µs`, hot.median <= 1);
  for (const size of ['100 B', '1 KB']) {
    const w = `4 cold start 100,000 × ${size}: first GET`;
    const a = find(all, w, TABHIVE);
    const f = find(all, w, RAW);
    if (a && f) {
      const r = a.median / f.median;
      t(`cold start 100,000 × ${size} ≤ 2× raw getAll`, `${fmt(a.median)} ms vs ${fmt(f.median)} ms = ${r.toFixed(2)}×`, r <= 2,
        'both from navigation start');
    } else t(`cold start 100,000 × ${size} ≤ 2× raw getAll`, 'not measured (--quick measures 10,000 keys)', null);
  }
  if (node?.redis?.rows?.length) {
    for (const r of node.redis.rows) {
      t(`tabhive serve ≥ 0.5× redis-server, ${r.test} -P 16`, `${r.tabhive.toLocaleString('en')} vs ${r.redis.toLocaleString('en')} req/s = ${r.ratio.toFixed(2)}×`, r.ratio >= 0.5,
        r.rounds.length > 1 ? `medians of ${r.rounds.length} alternating rounds; each round: ${r.rounds.map((x) => x.toFixed(2)).join(', ')}` : '');
    }
  } else t('tabhive serve ≥ 0.5× redis-server (-P 16 -t set,get)', node ? `failed: ${node.redis?.error ?? 'no figures'}` : 'not run (npm run bench:redis)', null);
  return out;
}

function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

// ---- main -------------------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  const work = join(root, '.tmp');
  await mkdir(work, { recursive: true });
  const outDir = join(work, 'bench-dist');
  log('bench: building bench/*.html …');
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    worker: { format: 'es' },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      rollupOptions: {
        input: {
          bench: join(root, 'bench/index.html'),
          cold: join(root, 'bench/cold.html'),
          xtab: join(root, 'bench/xtab.html'),
        },
      },
    },
  });

  const server = await serve(outDir);
  const base = `http://127.0.0.1:${server.address().port}`;
  const profile = await mkdtemp(join(tmpdir(), 'tabhive-bench-'));
  let context;
  let browserVersion = null;
  let timerUs = null;
  let isolated = null;
  try {
    context = await chromium.launchPersistentContext(profile, launchOptions);
    browserVersion = context.browser()?.version() ?? null;
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => {
      if (m.type() === 'error') log(`page: ${m.text()}`);
    });
    page.on('pageerror', (e) => log(`page error: ${e.message}`));
    await page.goto(`${base}/bench/index.html`);
    await page.waitForFunction(() => window.benchApi !== undefined);
    timerUs = await page.evaluate(() => window.benchApi.timerResolutionUs());
    isolated = await page.evaluate(() => self.crossOriginIsolated);
    browserVersion ??= await page.evaluate(() => navigator.userAgent);
    log(`bench: Chromium ${browserVersion}, on-disk profile ${profile}, timer step ${timerUs.toFixed(1)} µs`);

    const all = [TABHIVE, NO_NEAR, ECHO, ECHO_AWAKE, ECHO_PORT, RAW, ...PEERS];
    const perOp = (name) => ({ name, unit: 'µs/op' });
    if (wanted('serial')) {
      await runWorkload(page, {
        id: 'serial', label: '1 serial', subjects: all, params: { ops: P.serialOps, size: 100 },
        metrics: { SET: perOp('SET'), GET: perOp('GET') },
      });
    }
    if (wanted('hot')) {
      await runWorkload(page, {
        id: 'hot', label: 'hot', subjects: [TABHIVE], params: { n: P.hot },
        metrics: { GET: { name: 'GET (near-cache hit)', unit: 'µs/op', perRun: true } },
      });
    }
    if (wanted('burst')) {
      await runWorkload(page, {
        id: 'burst', label: '2 burst', subjects: [TABHIVE, NO_NEAR, ECHO, ECHO_PORT, ...PEERS], params: { n: P.burst, size: 100 },
        metrics: { SET: { name: 'SET', unit: 'µs/op', perRun: true }, GET: { name: 'GET', unit: 'µs/op', perRun: true } },
      });
    }
    if (wanted('bulk')) {
      await runWorkload(page, {
        id: 'bulk', label: `3 bulk ${P.bulk.toLocaleString('en')}`, subjects: [TABHIVE, ECHO, RAW, ...PEERS],
        params: { n: P.bulk, size: 100 },
        metrics: {
          'ack ms': { name: 'acknowledged', unit: 'ms', perRun: true },
          'stored ms': { name: 'stored on disk', unit: 'ms', perRun: true },
          'long tasks': { name: '(8) long tasks', unit: 'count', perRun: true },
        },
      });
    }
    if (wanted('zipf')) {
      for (const [read, mix] of [[0.9, '90/10'], [0.5, '50/50']]) {
        await runWorkload(page, {
          id: 'zipf', label: `5 Zipfian ${mix}`, subjects: all,
          params: { ops: P.zipfOps, keys: P.zipfKeys, read, size: 100 },
          metrics: {
            'ops/s': { name: 'throughput', unit: 'ops/s', perRun: true },
            latency: { name: 'latency', unit: 'µs/op' },
            'hit rate': { name: 'near-cache hit rate', unit: '%', perRun: true },
          },
        });
      }
    }
    if (wanted('sizes')) {
      for (const size of P.sizes) {
        const label = `6 size ${size >= 1024 ? `${size / 1024} KB` : `${size} B`}`;
        await runWorkload(page, {
          id: 'sizes', label, subjects: [TABHIVE, ECHO, ...PEERS], params: { ops: P.sizesOps, size },
          metrics: { SET: perOp('SET'), GET: perOp('GET') },
        });
      }
    }
    for (const s of all) await page.evaluate((n) => window.benchApi.close(n), s);
    if (wanted('cold')) for (const [n, size] of P.cold) await coldStart(context, page, base, n, size);
    if (wanted('xtab')) {
      log('  cross-tab …');
      await crossTab(context, base);
    }
  } finally {
    await context?.close().catch(() => {});
    server.close();
    await rm(profile, { recursive: true, force: true });
  }

  const node = wanted('node') ? await nodeBenches() : null;
  const all = rows();
  const goals = targets(all, node);
  const report = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    node: process.version,
    browser: browserVersion,
    cpus: cpus().length,
    crossOriginIsolated: isolated,
    timerResolutionUs: timerUs,
    params: P,
    seconds: Math.round((Date.now() - started) / 1000),
    rows: all,
    targets: goals,
    nodeBenches: node,
  };

  console.log(
    `\n## tabhive benchmark (${quick ? 'quick' : 'full'}: ${P.reps} repetitions after ${P.warmup} warm-up, subjects interleaved)\n\n` +
      `Chromium ${browserVersion}, on-disk profile, ${cpus().length} CPUs, timer step ${timerUs?.toFixed(1)} µs` +
      `${isolated ? ' (cross-origin isolated)' : ''}; tabhive with durability 'everysec'. Per-op rows pool every measured ` +
      `operation; rows with no p99 have one figure per repetition.\n`,
  );
  console.log(table(all));
  if (node) {
    console.log(`\n### Node: engine alone (${node.engine.command})\n`);
    if (node.engine.rows.length) {
      console.log('| workload | ops/s | ns/op |\n| --- | ---: | ---: |');
      for (const r of node.engine.rows) console.log(`| ${r.workload} | ${r.opsPerSec.toLocaleString('en')} | ${r.nsPerOp} |`);
    } else console.log(`failed: ${node.engine.error}`);
    console.log(`\n### Node: tabhive serve vs redis-server (${node.redis.command})\n`);
    if (node.redis.rows.length) {
      console.log('| test | redis-server req/s | tabhive req/s | ratio |\n| --- | ---: | ---: | ---: |');
      for (const r of node.redis.rows) console.log(`| ${r.test} | ${r.redis.toLocaleString('en')} | ${r.tabhive.toLocaleString('en')} | ${r.ratio.toFixed(2)} |`);
    } else console.log(`failed: ${node.redis.error}`);
  } else {
    console.log('\nNode benches not run here: `npm run bench:engine` (engine alone), `npm run bench:redis` (tabhive serve vs redis-server).');
  }
  console.log('\n### Issue 7 targets\n\n| goal | measured | met |\n| --- | --- | :---: |');
  for (const g of goals) console.log(`| ${g.goal} | ${g.measured}${g.note ? ` (${g.note})` : ''} | ${g.ok === null ? '—' : g.ok ? 'yes' : 'NO'} |`);
  const resultsDir = join(root, 'bench', 'results');
  await mkdir(resultsDir, { recursive: true });
  const file = join(resultsDir, `bench-${quick ? 'quick-' : ''}${report.date.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, JSON.stringify(report, null, 2) + '\n');
  console.log(`\nwritten to ${file.slice(root.length + 1)} (${report.seconds} s)`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack ?? e.message : e);
  process.exit(1);
});
