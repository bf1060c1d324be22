/**
 * Pub/sub and transaction figures (a benchmark, not a test):
 *
 *   npx tsx bench/pubsub-multi.ts           # Node: the engine alone, then the client over the worker code
 *   npx tsx bench/pubsub-multi.ts --page    # also in headless Chromium: a page and a real Worker
 *
 * Node runs the worker code (src/worker/host.ts) on the other end of a MessageChannel — the page's wire minus
 * the browser. The page variant starts a Vite dev server in-process (no build) and imports the client source;
 * it uses the system Chromium (TABHIVE_CHROMIUM, default /usr/bin/chromium), never a downloaded one. Dev-mode
 * modules are not minified, so the page figures are a little pessimistic next to `npm run bench`'s build.
 *
 * Prints markdown tables; writes bench/results/pubsub-multi-<time>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../src/engine/engine.js';
import { createClient } from '../src/client/index.js';
import type { WorkerLike } from '../src/client/connection.js';
import { serve, type Endpoint } from '../src/worker/host.js';
import type { ToWorker } from '../src/worker/protocol.js';
import { measure, type BenchClient, type BenchRow } from './pubsub-multi-core.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const withPage = process.argv.includes('--page');

function table(title: string, rows: BenchRow[]): string {
  const lines = [`### ${title}`, '', '| workload | samples | median µs | p99 µs | mean µs |', '|---|---:|---:|---:|---:|'];
  for (const r of rows) lines.push(`| ${r.workload} | ${r.samples} | ${r.medianUs} | ${r.p99Us} | ${r.meanUs} |`);
  return lines.join('\n') + '\n';
}

/** The engine alone: Engine.execute, no transport. */
function engineOnly(): BenchRow[] {
  const rows: BenchRow[] = [];
  const time = (workload: string, reps: number, per: number, body: () => void) => {
    for (let i = 0; i < Math.min(100, reps); i++) body(); // warm-up
    const us: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      body();
      us.push(((performance.now() - t0) * 1000) / per);
    }
    us.sort((a, b) => a - b);
    const r1 = (x: number) => Math.round(x * 100) / 100;
    rows.push({
      workload,
      samples: reps,
      medianUs: r1(us[Math.floor(us.length / 2)]),
      p99Us: r1(us[Math.ceil(us.length * 0.99) - 1]),
      meanUs: r1(us.reduce((a, b) => a + b, 0) / us.length),
    });
  };
  const e = new Engine();
  const pub = e.createSession();
  const sub = e.createSession();
  let got = 0;
  sub.push = () => void got++;
  e.execute(sub, ['SUBSCRIBE', 'ch']);
  time('engine: PUBLISH to one subscriber, per message (µs)', 200, 1000, () => {
    for (let i = 0; i < 1000; i++) e.execute(pub, ['PUBLISH', 'ch', 'hello']);
  });
  const s = e.createSession();
  const cmds = Array.from({ length: 100 }, (_, i) => (i % 2 ? ['INCR', `n${i % 10}`] : ['SET', `k${i}`, 'v']));
  time('engine: MULTI + 100 + EXEC, per transaction (µs)', 2000, 1, () => {
    e.execute(s, ['MULTI']);
    for (const c of cmds) e.execute(s, c);
    e.execute(s, ['EXEC']);
  });
  time('engine: the same 100 commands, per batch (µs)', 2000, 1, () => {
    for (const c of cmds) e.execute(s, c);
  });
  if (got === 0) throw new Error('no message delivered');
  return rows;
}

/** The client over the worker code on a MessageChannel. */
async function nodeClient(): Promise<BenchRow[]> {
  const { port1, port2 } = new MessageChannel();
  const server = serve(port2 as unknown as Endpoint, {});
  const worker: WorkerLike & { close(): void } = {
    postMessage: (m: ToWorker) => port1.postMessage(m),
    addEventListener: (type, l) => port1.addEventListener(type, l as (ev: Event) => void),
    removeEventListener: (type, l) => port1.removeEventListener(type, l as (ev: Event) => void),
    start: () => port1.start(),
    close: () => port1.close(),
  };
  const db = await createClient({ name: 'bench', durability: 'memory', worker });
  const rows = await measure(db as unknown as BenchClient);
  await db.quit();
  await server.stop();
  port1.close();
  port2.close();
  return rows;
}

/** The same measurements in headless Chromium, against a real Worker, through a Vite dev server. */
async function page(): Promise<{ rows: BenchRow[]; userAgent: string; crossOriginIsolated: boolean }> {
  const { createServer } = await import('vite');
  const { chromium } = await import('@playwright/test');
  const server = await createServer({
    configFile: false,
    root,
    logLevel: 'error',
    // Cross-origin isolation: performance.now() then has 5 µs steps rather than 100 µs.
    server: {
      host: '127.0.0.1',
      port: 0,
      hmr: false,
      watch: null,
      headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
    },
    worker: { format: 'es' },
    optimizeDeps: { include: ['comlink', 'idb'] },
    // An empty page to run in (the repository root has no index.html).
    plugins: [
      {
        name: 'bench-blank-page',
        configureServer(s) {
          s.middlewares.use('/blank.html', (_req, res) => {
            res.setHeader('content-type', 'text/html');
            res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
            res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
            res.end('<!doctype html><title>pubsub-multi</title>');
          });
        },
      },
    ],
  });
  await server.listen();
  const port = (server.httpServer!.address() as { port: number }).port;
  const browser = await chromium.launch({
    executablePath: process.env.TABHIVE_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const p = await browser.newPage();
    await p.goto(`http://127.0.0.1:${port}/blank.html`);
    const out = await p.evaluate(async () => {
      const { createClient: make } = (await import('/src/client/index.ts' as string)) as typeof import('../src/client/index.js');
      const core = (await import('/bench/pubsub-multi-core.ts' as string)) as typeof import('./pubsub-multi-core.js');
      const db = await make({ name: 'bench-page', durability: 'memory' });
      const rows = await core.measure(db as unknown as Parameters<typeof core.measure>[0]);
      await db.quit();
      return { rows, userAgent: navigator.userAgent, crossOriginIsolated };
    });
    return out;
  } finally {
    await browser.close();
    await server.close();
  }
}

const result: Record<string, unknown> = { node: process.version };
let md = '';
const engineRows = engineOnly();
md += table('Engine only (Node, no transport)', engineRows);
result.engine = engineRows;
const nodeRows = await nodeClient();
md += '\n' + table('Client → worker code over a MessageChannel (Node)', nodeRows);
result.nodeClient = nodeRows;
if (withPage) {
  const p = await page();
  const ua = p.userAgent.match(/(Headless)?Chrome\/[\d.]+/)?.[0] ?? 'Chromium';
  md += '\n' + table(`Page → Worker (${ua}, crossOriginIsolated ${p.crossOriginIsolated})`, p.rows);
  result.page = p;
}
console.log(md);
const dir = join(root, 'bench', 'results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `pubsub-multi-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify(result, null, 2));
console.log(`written ${file}`);
