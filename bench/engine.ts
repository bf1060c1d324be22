/**
 * Engine-only benchmark in Node (a benchmark, not a test): commands per second straight through
 * Engine.execute — no transport — for the hot commands, and the data-structure workloads whose growth must be
 * O(log n) (sorted sets) or O(1) (list ends, hash fields), at two sizes so growth shows.
 *
 *   npx tsx bench/engine.ts [--quick]
 *
 * Prints a markdown table and writes bench/results/engine-<time>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Engine } from '../src/engine/engine.js';
import { lookupCommand } from '../src/engine/table.js';

const quick = process.argv.includes('--quick');
const BIG = quick ? 100_000 : 1_000_000;
const SMALL = 10_000;
const rows: { workload: string; n: number; ops: number; nsPerOp: number }[] = [];

function run(workload: string, n: number, body: (i: number) => void, ops = n): void {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) body(i);
  const ns = Number(process.hrtime.bigint() - t0);
  rows.push({ workload, n: ops, ops: Math.round((ops / ns) * 1e9), nsPerOp: Math.round(ns / ops) });
}

function fresh(): { exec: (...argv: string[]) => unknown } {
  const engine = new Engine();
  const s = engine.createSession();
  return { exec: (...argv) => engine.execute(s, argv) };
}

const has = (name: string) => lookupCommand(name) !== undefined;
const value = 'x'.repeat(100);

// Hot commands on 10,000 keys.
{
  const { exec } = fresh();
  run('SET (100 B, 10k keys)', 200_000, (i) => exec('SET', `key:${i % SMALL}`, value));
  run('GET (10k keys)', 200_000, (i) => exec('GET', `key:${i % SMALL}`));
  run('INCR', 200_000, (i) => exec('INCR', `ctr:${i % 100}`));
  if (has('hset')) run('HSET (one hash, 10k fields)', 200_000, (i) => exec('HSET', 'h', `f${i % SMALL}`, value));
  if (has('lpush')) run('LPUSH', 200_000, () => exec('LPUSH', 'l', value));
  if (has('zadd')) run('ZADD (10k members)', 200_000, (i) => exec('ZADD', 'z', String(i % 997), `m${i % SMALL}`));
}

// Data-structure growth: the same per-op work at 10k and at BIG elements.
for (const size of [SMALL, BIG]) {
  if (has('zadd')) {
    const { exec } = fresh();
    run(`ZADD ${size} members`, size, (i) => exec('ZADD', 'z', String((i * 7919) % size), `m${i}`));
    run(`ZRANGE BYSCORE LIMIT 0 10 @${size}`, 100_000, (i) =>
      exec('ZRANGE', 'z', String(i % size), '+inf', 'BYSCORE', 'LIMIT', '0', '10'));
    run(`ZRANK @${size}`, 100_000, (i) => exec('ZRANK', 'z', `m${(i * 31) % size}`));
  }
  if (has('lpush')) {
    const { exec } = fresh();
    run(`LPUSH ${size}`, size, (i) => exec('LPUSH', 'l', String(i)));
    run(`LPOP ${size}`, size, () => exec('LPOP', 'l'));
  }
  if (has('hset')) {
    const { exec } = fresh();
    run(`HSET ${size} fields`, size, (i) => exec('HSET', 'h', `f${i}`, 'v'));
  }
}

console.log('| workload | ops | ops/s | ns/op |');
console.log('|---|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.workload} | ${r.n} | ${r.ops.toLocaleString('en')} | ${r.nsPerOp} |`);
mkdirSync('bench/results', { recursive: true });
const file = `bench/results/engine-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(file, JSON.stringify({ node: process.version, quick, rows }, null, 2));
console.log(`\nwritten ${file}`);
