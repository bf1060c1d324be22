/**
 * The differential suite: every case in test/compat/cases/*.ts runs on redis-server 7.0 and on `tabhive serve`,
 * and every reply must agree (see case.ts, harness.ts). One vitest test per case, one describe per file.
 *
 * Run one family: `npx vitest run test/compat/compat.test.ts -t string`. Set COMPAT_ONLY=string,keys to load
 * only those case files.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { Case } from './case.js';
import { formatMismatches, runCase, startServers, type Servers } from './harness.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'cases');
const only = process.env.COMPAT_ONLY?.split(',').map((s) => s.trim());
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .filter((f) => !only || only.includes(f.replace(/\.ts$/, '')))
  .sort();

const families: { file: string; cases: Case[] }[] = [];
for (const f of files) {
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as { cases?: Case[] };
  if (!Array.isArray(mod.cases)) throw new Error(`${f} does not export \`cases\``);
  families.push({ file: f, cases: mod.cases });
}

let servers: Servers;
beforeAll(async () => {
  servers = await startServers();
});
afterAll(async () => {
  await servers?.stop();
});

for (const { file, cases } of families) {
  describe(file.replace(/\.ts$/, ''), () => {
    const names = new Set<string>();
    for (const c of cases) {
      // Duplicate names would hide each other in reports: number them.
      let name = c.name;
      for (let i = 2; names.has(name); i++) name = `${c.name} (${i})`;
      names.add(name);
      test(name, async () => {
        const res = await runCase(servers, c);
        if (res.mismatches.length > 0) throw new Error(formatMismatches(c, res));
      });
    }
  });
}
