/**
 * Helpers for the persistence end-to-end tests: a Chromium on a persistent on-disk profile (a plain new context
 * keeps IndexedDB in memory), killed like a crash — SIGKILL to the browser's whole process group, no chance to
 * flush or close anything — and relaunched on the same profile.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { launchOptions } from './chromium.js';

/** The page the tests drive: a blank page of the dev server's origin with tabhive's client module loaded. */
export type TestWindow = Window & { tabhive: typeof import('../src/client/index.js') };

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** SIGKILL the browser's process group: a crash, as far as the profile can tell. */
  kill(): Promise<void>;
  close(): Promise<void>;
}

export async function tempProfile(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'tabhive-persist-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The repository's root as the dev server names it (`/@fs/…`): the client is imported from source. */
const ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const PAGE_PATH = '/__tabhive-persistence-e2e';

/**
 * Launch Chromium on `profile` and open a page of the dev server's origin (IndexedDB is per origin) that loads
 * tabhive's client — not the demo, so these tests do not depend on it. The page itself is served by Playwright
 * (an empty document); modules and the worker come from the dev server.
 */
export async function launch(profile: string, baseURL: string): Promise<Browser> {
  const context = await chromium.launchPersistentContext(profile, launchOptions);
  const pid = browserPid(profile);
  await context.route(`${baseURL}${PAGE_PATH}`, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><meta charset="utf-8"><title>tabhive e2e</title>' }),
  );
  const page = await openPage(context, baseURL, context.pages()[0]);
  return {
    context,
    page,
    async kill() {
      // Playwright starts the browser as the leader of its own process group: this takes every process of it.
      process.kill(-pid, 'SIGKILL');
      await context.close().catch(() => {});
    },
    close: () => context.close(),
  };
}

/**
 * Open (or reuse) a page of the test origin with tabhive's client loaded as `window.tabhive`: another tab of the
 * same profile. Pages of one context share IndexedDB, Web Locks and BroadcastChannel, as tabs do.
 */
export async function openPage(context: BrowserContext, baseURL: string, reuse?: Page): Promise<Page> {
  const page = reuse ?? (await context.newPage());
  await page.goto(`${baseURL}${PAGE_PATH}`);
  await page.evaluate(async (url) => {
    (window as unknown as TestWindow).tabhive = await import(/* @vite-ignore */ url);
  }, `/@fs${ROOT}/src/client/index.ts`);
  return page;
}

/**
 * The browser process Playwright started on `profile`: the process-group leader whose command line names this
 * (unique, temporary) profile directory.
 */
function browserPid(profile: string): number {
  const flag = `--user-data-dir=${profile}`;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    let stat: string;
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile, or not ours to read
    }
    if (!args.includes(flag)) continue;
    // Fields after the command name in parentheses: state, ppid, pgrp.
    const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    if (pgrp === Number(entry)) return pgrp;
  }
  throw new Error(`no browser process found for profile ${profile}`);
}

/** A deterministic PRNG (mulberry32), so a failing kill point can be replayed from its seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
