#!/usr/bin/env node
// `npm run bench:persist`: tabhive's persistence against raw IndexedDB doing the same I/O, in headless Chromium
// on an on-disk profile (a plain new context keeps IndexedDB in memory). A benchmark, not a test: it prints
// figures and never fails on them. See bench/persist.ts for what is measured.
//
// Options: --reps N (5) --keys N (10000) --cold N (100000) --burst N (1000) --size BYTES (100) --headed
// Environment: TABHIVE_CHROMIUM (default /usr/bin/chromium).
import { execFileSync } from 'node:child_process';
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
    reps: { type: 'string', default: '5' },
    keys: { type: 'string', default: '10000' },
    cold: { type: 'string', default: '100000' },
    burst: { type: 'string', default: '1000' },
    size: { type: 'string', default: '100' },
    headed: { type: 'boolean', default: false },
  },
});

// Same browser and flags as the e2e suite (e2e/chromium.ts).
const executablePath = process.env.TABHIVE_CHROMIUM || '/usr/bin/chromium';
const launchOptions = {
  executablePath,
  headless: !opts.headed,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};

const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

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
        // Cross-origin isolated: performance.now() in 5 µs steps.
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

const ms = (s) => `${s.medianMs.toFixed(1)} ms (${s.minMs.toFixed(1)}–${s.maxMs.toFixed(1)})`;

function table(r) {
  const ratio = (a, b) => `${(a.medianMs / b.medianMs).toFixed(2)}×`;
  const p = r.params;
  return [
    '| measure | tabhive (median, min–max) | floor (median, min–max) | ratio |',
    '| --- | ---: | ---: | ---: |',
    `| flush of ${p.keys} changed keys vs raw bulk put | ${ms(r.flush.tabhive)} | ${ms(r.flush.raw)} | ${ratio(r.flush.tabhive, r.flush.raw)} |`,
    `| cold start with ${p.cold} keys (worker up to first GET) vs raw open + getAll | ${ms(r.coldStart.tabhive)} | ${ms(r.coldStart.raw)} | ${ratio(r.coldStart.tabhive, r.coldStart.raw)} |`,
    `| always: ${p.burst} concurrent SETs vs one strict commit of 1 record | ${ms(r.always.burst)} | ${ms(r.always.strictOne)} | ${ratio(r.always.burst, r.always.strictOne)} |`,
    `| always: ${p.burst} concurrent SETs vs one strict commit of ${p.burst} records | ${ms(r.always.burst)} | ${ms(r.always.strictBulk)} | ${ratio(r.always.burst, r.always.strictBulk)} |`,
    '',
    `always: transactions per burst of ${p.burst} SETs: ${r.always.commitsPerBurst.join(', ')}`,
  ].join('\n');
}

function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

async function main() {
  const work = join(root, '.tmp');
  await mkdir(work, { recursive: true });
  const outDir = join(work, 'bench-persist-dist');
  console.error('bench:persist: building bench/persist.html …');
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    worker: { format: 'es' },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      rollupOptions: { input: { persist: join(root, 'bench/persist.html') } },
    },
  });
  const server = await serve(outDir);
  const { port } = server.address();
  const profile = await mkdtemp(join(tmpdir(), 'tabhive-bench-persist-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, launchOptions);
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('crash', () => console.error('page crashed'));
    page.on('pageerror', (e) => console.error('page error', e));
    page.on('console', (m) => {
      if (m.type() === 'error') console.error(`page: ${m.text()}`);
    });
    const query = new URLSearchParams({ reps: opts.reps, keys: opts.keys, cold: opts.cold, burst: opts.burst, size: opts.size });
    const url = `http://127.0.0.1:${port}/bench/persist.html?${query}`;
    console.error(`bench:persist: running ${url} in ${executablePath} (on-disk profile ${profile})`);
    await page.goto(url);
    await page.waitForFunction(() => window.persistResult || window.persistError, null, {
      timeout: 20 * 60_000,
      polling: 250,
    });
    const error = await page.evaluate(() => window.persistError);
    if (error) throw new Error(`benchmark failed in the page: ${error}`);
    const result = await page.evaluate(() => window.persistResult);
    console.error(await page.evaluate(() => document.getElementById('log').textContent));
    const report = { date: new Date().toISOString(), commit: gitCommit(), node: process.version, cpus: cpus().length, ...result };
    console.log(`\n${result.params.reps} measured repetitions (after one warm-up), ${result.params.size}-byte values.\n`);
    console.log(table(result));
    const resultsDir = join(root, 'bench', 'results');
    await mkdir(resultsDir, { recursive: true });
    const file = join(resultsDir, `persist-${report.date.replace(/[:.]/g, '-')}.json`);
    await writeFile(file, JSON.stringify(report, null, 2) + '\n');
    console.log(`\nwritten to ${file.slice(root.length + 1)}`);
  } finally {
    await context?.close().catch(() => {});
    server.close();
    await rm(profile, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
