/**
 * The demo console, driven as a person would: typing lines, reading what it prints. Each test gets a fresh
 * browser context, so its IndexedDB starts empty; where a test needs the data to outlive the browser itself it
 * uses a persistent context on a temporary profile directory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test, type Locator, type Page } from '@playwright/test';
import { launchOptions } from './chromium.js';

interface DemoClient {
  flush(): Promise<void>;
  get(key: string): Promise<unknown>;
  set(key: string, value: string, opts?: { PX?: number }): Promise<unknown>;
  sendCommand(args: string[]): Promise<unknown>;
}
type DemoWindow = Window & { tabhiveDemo: { db: DemoClient } };

const RED = 'rgb(239, 68, 68)';
const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

async function open(page: Page, url = '/'): Promise<void> {
  await page.goto(url);
  await expect(page.getByTestId('console')).toHaveAttribute('data-ready', 'true');
}

/** Types a line, presses Enter and returns the reply block printed for it, once it is there. */
async function type(page: Page, line: string): Promise<Locator> {
  const entries = page.getByTestId('console-entry');
  const before = await entries.count();
  await page.getByTestId('console-input').fill(line);
  await page.getByTestId('console-input').press('Enter');
  await expect(entries).toHaveCount(before + 1);
  const reply = entries.nth(before).getByTestId('console-reply').first();
  await expect(reply).toBeVisible();
  return reply;
}

/** The text the console printed for a line, as redis-cli would print it. */
async function say(page: Page, line: string): Promise<string> {
  return (await (await type(page, line)).innerText()).replace(/\n$/, '');
}

test('answers PING and SET/GET as redis-cli prints them', async ({ page }) => {
  await open(page);
  await expect(page.getByTestId('console-prompt')).toHaveText('tabhive>');
  expect(await say(page, 'PING')).toBe('PONG');
  expect(await say(page, 'SET greeting "hello world"')).toBe('OK');
  expect(await say(page, 'GET greeting')).toBe('"hello world"');
  expect(await say(page, 'GET nosuchkey')).toBe('(nil)');
  expect(await say(page, 'INCR counter')).toBe('(integer) 1');
  expect(await say(page, 'RPUSH letters a b "c d"')).toBe('(integer) 3');
  expect(await say(page, 'LRANGE letters 0 -1')).toBe('1) "a"\n2) "b"\n3) "c d"');
  expect(await say(page, 'SET quote "say \\"hi\\"\\n"')).toBe('OK');
  expect(await say(page, 'GET quote')).toBe('"say \\"hi\\"\\n"');
  expect(await say(page, 'GET "unbalanced')).toBe('Invalid argument(s)');
});

test('↑ and ↓ walk the history', async ({ page }) => {
  await open(page);
  await say(page, 'PING');
  await say(page, 'ECHO second');
  const input = page.getByTestId('console-input');
  await input.fill('draft');
  await input.press('ArrowUp');
  await expect(input).toHaveValue('ECHO second');
  await input.press('ArrowUp');
  await expect(input).toHaveValue('PING');
  await input.press('ArrowDown');
  await expect(input).toHaveValue('ECHO second');
  await input.press('ArrowDown');
  await expect(input).toHaveValue('draft');
});

test('a key survives a page reload', async ({ page }) => {
  await open(page);
  expect(await say(page, 'SET persisted yes')).toBe('OK');
  await page.evaluate(() => (window as unknown as DemoWindow).tabhiveDemo.db.flush());
  await page.reload();
  await expect(page.getByTestId('console')).toHaveAttribute('data-ready', 'true');
  expect(await say(page, 'GET persisted')).toBe('"yes"');
});

test('a key survives a browser restart', async ({ baseURL }) => {
  const profile = await mkdtemp(join(tmpdir(), 'tabhive-e2e-'));
  try {
    let context = await chromium.launchPersistentContext(profile, launchOptions);
    let page = context.pages()[0] ?? (await context.newPage());
    await open(page, `${baseURL}/`);
    expect(await say(page, 'SET durable "across restarts"')).toBe('OK');
    await page.evaluate(() => (window as unknown as DemoWindow).tabhiveDemo.db.flush());
    await context.close();

    context = await chromium.launchPersistentContext(profile, launchOptions);
    page = context.pages()[0] ?? (await context.newPage());
    await open(page, `${baseURL}/`);
    expect(await say(page, 'GET durable')).toBe('"across restarts"');
    await context.close();
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
});

test('a key set with PX 200 is gone after it', async ({ page }) => {
  await open(page);
  // SET and PTTL leave together, so the worker runs them back to back: the key exists with its deadline.
  const pttl = await page.evaluate(async () => {
    const { db } = (window as unknown as DemoWindow).tabhiveDemo;
    const [, ttl] = await Promise.all([db.set('ephemeral', 'v', { PX: 200 }), db.sendCommand(['PTTL', 'ephemeral'])]);
    return ttl;
  });
  expect(pttl).toBeGreaterThan(0);
  expect(pttl).toBeLessThanOrEqual(200);
  await expect.poll(() => say(page, 'GET ephemeral'), { timeout: 5_000 }).toBe('(nil)');
  expect(await say(page, 'EXISTS ephemeral')).toBe('(integer) 0');
});

test('a wrong-type command shows Redis’s WRONGTYPE error in red', async ({ page }) => {
  await open(page);
  expect(await say(page, 'RPUSH mylist a')).toBe('(integer) 1');
  const reply = await type(page, 'GET mylist');
  await expect(reply).toHaveText(`(error) ${WRONGTYPE}`);
  await expect(reply.getByTestId('console-error')).toHaveCSS('color', RED);
  // The client rejects with Redis's exact text too.
  const message = await page.evaluate(() =>
    (window as unknown as DemoWindow).tabhiveDemo.db.get('mylist').then(
      () => 'resolved',
      (e: Error) => `${e.name}: ${e.message}`,
    ),
  );
  expect(message).toBe(`ReplyError: ${WRONGTYPE}`);
});
