/**
 * What the demo's e2e specs share: a `test` whose pages must log no console error and throw no uncaught
 * exception (checked after each test), the console helpers, and screenshots for the README.
 *
 * Screenshots go to docs/screenshots/ (TABHIVE_SCREENSHOTS to put them elsewhere): the README shows the ones
 * the last run took.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test as base, expect, type BrowserContext, type Locator, type Page } from '@playwright/test';

export { expect };

export const SCREENSHOTS = process.env.TABHIVE_SCREENSHOTS || join(process.cwd(), 'docs', 'screenshots');

/** Console errors and page errors of a page, except those matching `allowed` (expected failures). */
export interface ErrorLog {
  errors: string[];
  allowed: RegExp[];
}

export function watch(page: Page, log: ErrorLog): void {
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = `${m.text()} (${m.location().url})`;
    if (!log.allowed.some((r) => r.test(text))) log.errors.push(`console.error: ${text}`);
  });
  page.on('pageerror', (e) => log.errors.push(`uncaught: ${e.message}`));
}

/** Every page of a context, present and future. */
export function watchContext(context: BrowserContext, log: ErrorLog): void {
  for (const p of context.pages()) watch(p, log);
  context.on('page', (p) => watch(p, log));
}

export const test = base.extend<{ errorLog: ErrorLog }>({
  errorLog: [
    async ({ context }, use) => {
      const log: ErrorLog = { errors: [], allowed: [] };
      watchContext(context, log);
      await use(log);
      expect(log.errors, 'console errors and uncaught exceptions').toEqual([]);
    },
    { auto: true },
  ],
});

/** Opens the demo (at a view: '/#keys') and waits for its console to be ready. */
export async function open(page: Page, url = '/'): Promise<void> {
  await page.goto(url);
  await expect(page.getByTestId('console')).toHaveAttribute('data-ready', 'true');
}

/** Types a line into the console and returns its entry once a reply is printed. */
export async function type(page: Page, line: string): Promise<Locator> {
  const entries = page.getByTestId('console-entry');
  const before = await entries.count();
  await page.getByTestId('console-input').fill(line);
  await page.getByTestId('console-input').press('Enter');
  await expect(entries).toHaveCount(before + 1);
  const entry = entries.nth(before);
  await expect(entry.getByTestId('console-reply').first()).toBeAttached();
  return entry;
}

/** Everything the console printed for a line (its replies, not the prompt line). */
export async function say(page: Page, line: string): Promise<string> {
  const entry = await type(page, line);
  return (await entry.getByTestId('console-reply').allInnerTexts()).join('\n');
}

/** A console reply's text exactly as printed (toHaveText would fold its line breaks). */
export function text(reply: Locator): () => Promise<string> {
  return () => reply.innerText();
}

/** A screenshot for the README: docs/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** The page's demo client (window.tabhiveDemo.db), for setting up data as another client would. */
export interface DemoDb {
  sendCommand(args: (string | number)[]): Promise<unknown>;
  flush(): Promise<void>;
  quit(): Promise<unknown>;
}
export type DemoWindow = Window & { tabhiveDemo: { db: DemoDb & { duplicate(): DemoDb } } };

/** Runs commands on a fresh session of the page's database, in order; resolves with their replies. */
export function commands(page: Page, cmds: (string | number)[][]): Promise<unknown[]> {
  return page.evaluate(async (cmds) => {
    const db = (window as unknown as DemoWindow).tabhiveDemo.db.duplicate();
    const out: unknown[] = [];
    for (const c of cmds) out.push(await db.sendCommand(c));
    await db.quit();
    return out;
  }, cmds);
}
