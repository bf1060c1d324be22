#!/usr/bin/env node
// The `tabhive` bin: runs the CLI from the compiled build (npm run build:server → dist/server/cli.js) when
// present, else from source through tsx (a devDependency, for working in the repository). In a checkout whose
// sources are newer than the build, the sources win, so a stale build never runs by surprise.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'server', 'cli.js');
const source = join(root, 'src', 'server', 'cli.ts');

function newestMtime(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

const useBuild =
  existsSync(built) &&
  (!existsSync(source) || process.env.TABHIVE_USE_BUILD === '1' || statSync(built).mtimeMs >= newestMtime(join(root, 'src')));

let cli;
if (useBuild) {
  cli = await import(pathToFileURL(built).href);
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write('tabhive: no build found (dist/server/cli.js) and tsx is not installed; run `npm run build:server`.\n');
    process.exit(1);
  }
  register();
  cli = await import(pathToFileURL(source).href);
}
process.exitCode = await cli.main(process.argv.slice(2));
