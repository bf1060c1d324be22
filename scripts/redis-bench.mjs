// A benchmark, not a test: redis-benchmark against redis-server 7.0 and against `tabhive serve`, one after the
// other on this machine, and the ratio. Usage: node scripts/redis-bench.mjs [-n 200000] [-P 16] [-t set,get,incr]
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
  const p = spawnSync('redis-benchmark', ['-h', '127.0.0.1', '-p', String(port), '-t', tests, '-P', pipeline, '-q', '-n', String(count)], {
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

const dir = mkdtempSync(join(tmpdir(), 'tabhive-bench-'));
const redisPort = await freePort();
const redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'], { stdio: 'ignore' });
const thPort = await freePort();
const tabhive = spawn(process.execPath, [join(root, 'bin', 'tabhive.js'), 'serve', '--port', String(thPort)], { stdio: ['ignore', 'ignore', 'inherit'] });
try {
  await Promise.all([waitForPort(redisPort, redis), waitForPort(thPort, tabhive)]);
  console.log(`redis-benchmark -t ${tests} -P ${pipeline} -n ${n} (each server in its own process, loopback, after a 50,000-request warm-up)`);
  // A short unreported round on each first: tabhive's JIT warms up, as any long-running server's would.
  bench(redisPort, 50000);
  bench(thPort, 50000);
  const { res: r, error: re } = bench(redisPort);
  const { res: t, error: te } = bench(thPort);
  console.log(`${'test'.padEnd(8)} ${'redis-server'.padStart(14)} ${'tabhive'.padStart(14)} ${'tabhive/redis'.padStart(14)}`);
  for (const k of Object.keys(r)) {
    const a = r[k];
    const b = t[k];
    const ratio = b === undefined ? 'n/a' : (b / a).toFixed(2);
    console.log(`${k.padEnd(8)} ${a.toFixed(0).padStart(14)} ${(b === undefined ? 'failed' : b.toFixed(0)).padStart(14)} ${ratio.padStart(14)}`);
  }
  console.log('(requests per second)');
  if (re) console.log(`redis-server: ${re}`);
  if (te) console.log(`tabhive: ${te}`);
} finally {
  await Promise.all([stop(redis), stop(tabhive)]);
  rmSync(dir, { recursive: true, force: true });
}
