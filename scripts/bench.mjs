#!/usr/bin/env node
// `npm run bench`: tabhive against the floor (a bare postMessage worker holding a Map), in headless Chromium on
// an on-disk profile. A benchmark, not a test: it prints figures and never fails on them.
//
// Steps: build bench/index.html with vite (production bundle, as users get it) → serve it on 127.0.0.1 with
// cross-origin isolation (so performance.now() has 5 µs steps, not 100 µs) → run it in Chromium → print a
// markdown table → write the JSON to bench/results/.
//
// Options: --reps N (10) --warmup N (2) --ops N (1000) --size BYTES (100) --headed
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
    reps: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    ops: { type: 'string', default: '1000' },
    size: { type: 'string', default: '100' },
    headed: { type: 'boolean', default: false },
  },
});

// Same browser and flags as the e2e suite (e2e/chromium.ts).
const executablePath = process.env.TABHIVE_CHROMIUM || '/usr/bin/chromium';
const launchOptions = {
  executablePath,
  headless: !opts.headed,
  args: [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
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

function table(result) {
  const floors = new Map(result.rows.filter((r) => r.floor).map((r) => [r.workload, r]));
  const f = (x) => x.toFixed(1);
  const lines = [
    '| workload | subject | median µs/op | p95 µs/op | mean µs/op | median ratio | p95 ratio |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  // Grouped by workload, the floor first: each row's ratio reads against the line above it.
  const order = [...new Set(result.rows.map((r) => r.workload))];
  const rows = [...result.rows].sort(
    (a, b) => order.indexOf(a.workload) - order.indexOf(b.workload) || Number(b.floor) - Number(a.floor),
  );
  for (const r of rows) {
    const floor = floors.get(r.workload);
    const ratio = (a, b) => (floor && !r.floor ? `${(a / b).toFixed(1)}×` : '1.0×');
    lines.push(
      `| ${r.workload} | ${r.subject} | ${f(r.medianUs)} | ${f(r.p95Us)} | ${f(r.meanUs)} | ` +
        `${ratio(r.medianUs, floor?.medianUs)} | ${ratio(r.p95Us, floor?.p95Us)} |`,
    );
  }
  return lines.join('\n');
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
  const outDir = join(work, 'bench-dist');
  console.error('bench: building bench/index.html …');
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    worker: { format: 'es' },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      rollupOptions: { input: { bench: join(root, 'bench/index.html') } },
    },
  });

  const server = await serve(outDir);
  const { port } = server.address();
  const profile = await mkdtemp(join(tmpdir(), 'tabhive-bench-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, launchOptions);
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => {
      if (m.type() === 'error') console.error(`page: ${m.text()}`);
    });
    const query = new URLSearchParams({ reps: opts.reps, warmup: opts.warmup, ops: opts.ops, size: opts.size });
    const url = `http://127.0.0.1:${port}/bench/index.html?${query}`;
    console.error(`bench: running ${url} in ${executablePath} (on-disk profile)`);
    await page.goto(url);
    await page.waitForFunction(() => window.benchResult || window.benchError, null, {
      timeout: 15 * 60_000,
      polling: 250,
    });
    const error = await page.evaluate(() => window.benchError);
    if (error) throw new Error(`benchmark failed in the page: ${error}`);
    const result = await page.evaluate(() => window.benchResult);
    const browserVersion = context.browser()?.version() ?? (await page.evaluate(() => navigator.userAgent));

    const report = {
      date: new Date().toISOString(),
      commit: gitCommit(),
      node: process.version,
      browser: browserVersion,
      cpus: cpus().length,
      ...result,
    };
    const { params } = result;
    console.log(
      `\n${params.reps} repetitions (after ${params.warmup} warm-up) × ${params.ops} sequential awaited ops, ` +
        `${params.size}-byte values; timer step ${result.timerResolutionUs.toFixed(1)} µs` +
        `${result.crossOriginIsolated ? ' (cross-origin isolated)' : ''}. Ratios are against the postMessage floor.\n`,
    );
    console.log(table(result));
    const resultsDir = join(root, 'bench', 'results');
    await mkdir(resultsDir, { recursive: true });
    const file = join(resultsDir, `${report.date.replace(/[:.]/g, '-')}.json`);
    await writeFile(file, JSON.stringify(report, null, 2) + '\n');
    console.log(`\nwritten to ${file.slice(root.length + 1)}`);
  } finally {
    await context?.close().catch(() => {});
    server.close();
    await rm(profile, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack ?? e.message : e);
  process.exit(1);
});
