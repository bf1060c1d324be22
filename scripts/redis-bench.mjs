// A benchmark, not a test: redis-benchmark against redis-server 7.0 and against `tabhive serve`, one after the
// other on this machine, and the ratio. Usage: node scripts/redis-bench.mjs [-n 200000] [-P 16] [-t set,get,incr]
// [--rounds 5] [--types] — the -t tests run --rounds times, the two servers alternating, and each figure is the
// median of its rounds (one run swings by ±30% on 2 cores); where `taskset` exists, the servers run on the first
// core and redis-benchmark on the last, the same for both, so neither server fights its load generator for a core.
// --types adds the data-structure workloads (ZADD of 1,000,000 members, ZRANGE BYSCORE LIMIT and ZRANK
// on them, LPUSH/LPOP of 1,000,000, HSET of 1,000,000 fields), the same commands on both servers.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const n = opt('-n', '200000');
const pipeline = opt('-P', '16');
const tests = opt('-t', 'set,get,incr');
const rounds = Math.max(1, Number(opt('--rounds', '5')));

const cores = (await import('node:os')).cpus().length;
const hasTaskset = cores >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
/** [command, args] run on core `core` when taskset is there. */
const pinned = (core, cmd, args) => (hasTaskset ? ['taskset', ['-c', String(core), cmd, ...args]] : [cmd, args]);
const LOAD_CORE = cores - 1;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, child, ms = 20000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server on ${port} exited (${child.exitCode})`);
    const ok = await new Promise((resolve) => {
      const c = createConnection({ port, host: '127.0.0.1' }, () => {
        c.end();
        resolve(true);
      });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listening on ${port}`);
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Run redis-benchmark -q and return { TEST: requests per second } and its error, if it stopped on one. */
function bench(port, count = n) {
  const p = spawnSync(...pinned(LOAD_CORE, 'redis-benchmark', ['-h', '127.0.0.1', '-p', String(port), '-t', tests, '-P', pipeline, '-q', '-n', String(count)]), {
    encoding: 'utf8',
  });
  const res = {};
  // -q prints progress lines ending in \r before each final line.
  for (const line of (p.stdout ?? '').split(/[\r\n]+/)) {
    const m = /^([A-Z_]+(?: \([^)]*\))?): ([\d.]+) requests per second/.exec(line.trim());
    if (m) res[m[1]] = Number(m[2]);
  }
  const error = p.status === 0 ? null : (p.stderr ?? '').split('\n').filter((l) => l && !l.startsWith('WARNING')).pop() ?? `exit ${p.status}`;
  return { res, error };
}

/** Data-structure workloads: [label, requests, redis-benchmark arguments after the options]. */
const TYPE_WORKLOADS = [
  ['ZADD x1M (random of 1M)', 1_000_000, ['-r', '1000000', 'zadd', 'bz', '__rand_int__', 'm:__rand_int__']],
  ['ZRANGE BYSCORE LIMIT 0 10', 100_000, ['-r', '1000000', 'zrange', 'bz', '__rand_int__', '+inf', 'BYSCORE', 'LIMIT', '0', '10']],
  ['ZRANK', 100_000, ['-r', '1000000', 'zrank', 'bz', 'm:__rand_int__']],
  ['LPUSH x1M', 1_000_000, ['lpush', 'bl', 'x']],
  ['LPOP x1M', 1_000_000, ['lpop', 'bl']],
  ['HSET x1M (random of 1M)', 1_000_000, ['-r', '1000000', 'hset', 'bh', 'f:__rand_int__', 'v']],
];

/** One custom-command run: requests per second, or null when it failed. */
function benchCommand(port, count, args) {
  const p = spawnSync(...pinned(LOAD_CORE, 'redis-benchmark', ['-h', '127.0.0.1', '-p', String(port), '-P', pipeline, '-q', '-n', String(count), ...args]), {
    encoding: 'utf8',
  });
  for (const line of (p.stdout ?? '').split(/[\r\n]+/)) {
    const m = /: ([\d.]+) requests per second/.exec(line.trim());
    if (m) return Number(m[1]);
  }
  return null;
}

const dir = mkdtempSync(join(tmpdir(), 'tabhive-bench-'));
const redisPort = await freePort();
const redis = spawn(...pinned(0, 'redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning']), { stdio: 'ignore' });
const thPort = await freePort();
const tabhive = spawn(...pinned(0, process.execPath, [join(root, 'bin', 'tabhive.js'), 'serve', '--port', String(thPort)]), { stdio: ['ignore', 'ignore', 'inherit'] });
try {
  await Promise.all([waitForPort(redisPort, redis), waitForPort(thPort, tabhive)]);
  console.log(
    `redis-benchmark -t ${tests} -P ${pipeline} -n ${n} (each server in its own process, loopback, after a 50,000-request warm-up; ` +
      `median of ${rounds} alternating rounds; ${hasTaskset ? `servers on core 0, redis-benchmark on core ${LOAD_CORE}` : 'not pinned to cores'})`,
  );
  // A short unreported round on each first: tabhive's JIT warms up, as any long-running server's would.
  bench(redisPort, 50000);
  bench(thPort, 50000);
  const runs = { r: [], t: [] };
  let re = null;
  let te = null;
  for (let i = 0; i < rounds; i++) {
    const a = bench(redisPort);
    const b = bench(thPort);
    runs.r.push(a.res);
    runs.t.push(b.res);
    re ??= a.error;
    te ??= b.error;
  }
  const median = (xs) => {
    const v = xs.filter((x) => x !== undefined).sort((x, y) => x - y);
    return v.length === 0 ? undefined : v[Math.floor((v.length - 1) / 2)];
  };
  console.log(`${'test'.padEnd(8)} ${'redis-server'.padStart(14)} ${'tabhive'.padStart(14)} ${'tabhive/redis'.padStart(14)}   rounds' ratios`);
  for (const k of Object.keys(runs.r[0])) {
    const a = median(runs.r.map((x) => x[k]));
    const b = median(runs.t.map((x) => x[k]));
    const ratios = runs.r.map((x, i) => (runs.t[i][k] === undefined ? 'n/a' : (runs.t[i][k] / x[k]).toFixed(2)));
    const ratio = b === undefined ? 'n/a' : (b / a).toFixed(2);
    console.log(`${k.padEnd(8)} ${a.toFixed(0).padStart(14)} ${(b === undefined ? 'failed' : b.toFixed(0)).padStart(14)} ${ratio.padStart(14)}   ${ratios.join(' ')}`);
  }
  console.log('(requests per second)');
  if (argv.includes('--types')) {
    console.log(`\ndata structures (redis-benchmark -P ${pipeline}, same commands on both; zset commands run on the 1M-member set)`);
    console.log(`${'workload'.padEnd(28)} ${'redis-server'.padStart(14)} ${'tabhive'.padStart(14)} ${'tabhive/redis'.padStart(14)}`);
    for (const [label, count, args] of TYPE_WORKLOADS) {
      const a = benchCommand(redisPort, count, args);
      const b = benchCommand(thPort, count, args);
      const ratio = a && b ? (b / a).toFixed(2) : 'n/a';
      console.log(`${label.padEnd(28)} ${String(a?.toFixed(0) ?? 'failed').padStart(14)} ${String(b?.toFixed(0) ?? 'failed').padStart(14)} ${ratio.padStart(14)}`);
    }
  }
  if (re) console.log(`redis-server: ${re}`);
  if (te) console.log(`tabhive: ${te}`);
} finally {
  await Promise.all([stop(redis), stop(tabhive)]);
  rmSync(dir, { recursive: true, force: true });
}
