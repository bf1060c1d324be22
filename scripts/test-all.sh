#!/usr/bin/env bash
# `npm test`: every test tabhive has, in order — tools (Chromium, redis-server), typecheck, unit and differential
# tests (vitest, Node), end-to-end tests (Playwright, Chromium). Every step runs even when one before it failed,
# so one run shows everything that is wrong; the exit code is non-zero when any step failed. The last line sums
# up the tests: `tabhive: N passed, N failed, N skipped` (a step that failed without counting tests, like the
# typecheck, counts as one failure).
set -uo pipefail
cd "$(dirname "$0")/.."

mkdir -p .tmp
vitest_json=.tmp/vitest-results.json
e2e_json=.tmp/e2e-results.json   # written by the json reporter in playwright.config.ts
rm -f "$vitest_json" "$e2e_json"

steps=()
failed_steps=0

step() { # name, command…
  local name=$1
  shift
  echo
  echo "== $name: $*"
  if "$@"; then
    steps+=("$name ok")
  else
    steps+=("$name FAILED")
    failed_steps=$((failed_steps + 1))
    return 1
  fi
}

step deps bash scripts/ensure-deps.sh
deps_ok=$?
step typecheck npx tsc --noEmit -p .
typecheck_ok=$?
step unit npx vitest run --reporter=default --reporter=json --outputFile.json="$vitest_json"
if [ "$deps_ok" -eq 0 ]; then
  step e2e npx playwright test
else
  steps+=("e2e SKIPPED (missing tools)")
  failed_steps=$((failed_steps + 1))
fi

# Sum the runners' own counts; a step that failed but reported no failing test adds one failure.
summary=$(node - "$vitest_json" "$e2e_json" "$typecheck_ok" "$deps_ok" <<'JS'
const fs = require('node:fs');
const [vitestFile, e2eFile, typecheckRc, depsRc] = process.argv.slice(2);
const read = (f) => { try { return JSON.parse(fs.readFileSync(f, 'utf8')); } catch { return null; } };
let passed = 0, failed = 0, skipped = 0;
const v = read(vitestFile);
if (v) {
  passed += v.numPassedTests ?? 0;
  failed += v.numFailedTests ?? 0;
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  if (!v.success && !v.numFailedTests) failed += 1; // a suite that failed to load
} else failed += 1;
const e = read(e2eFile);
if (e && e.stats) {
  passed += (e.stats.expected ?? 0) + (e.stats.flaky ?? 0);
  failed += e.stats.unexpected ?? 0;
  skipped += e.stats.skipped ?? 0;
  if ((e.errors ?? []).length && !e.stats.unexpected) failed += 1; // e.g. the web server never came up
} else failed += 1;
if (typecheckRc !== '0') failed += 1;
if (depsRc !== '0') failed += 1;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
JS
)

echo
echo "steps: $(IFS=,; echo "${steps[*]}" | sed 's/,/, /g')"
echo "tabhive: $summary"
[ "$failed_steps" -eq 0 ]
