/**
 * The key browser and the status panel, in one tab and across two (two pages of one browser context share the
 * database as two tabs of the app do). Keys are written by another session of the database — in the same tab
 * or another, as another client would: the browser must show them from keyspace notifications alone, without a
 * rescan. The status panel shows which tab leads, and the takeover when the leader's tab closes.
 */
import type { Page } from '@playwright/test';
import { commands, expect, open, say, screenshot, test } from './demo-fixtures.js';

test('the key browser follows writes live, counts TTLs down, and edits each type', async ({ page }) => {
  await open(page, '/#keys');
  await expect(page.getByTestId('keys-count')).toContainText('0 keys in db 0');

  await commands(page, [
    ['SET', 'greeting', 'hello world'],
    ['RPUSH', 'queue:jobs', 'resize', 'upload', 'notify'],
    ['HSET', 'user:1', 'name', 'Ada Lovelace', 'lang', 'en', 'visits', '42'],
    ['SADD', 'tags', 'redis', 'browser', 'worker'],
    ['ZADD', 'leaderboard', '120', 'ada', '95', 'grace', '143.5', 'linus'],
    ['SET', 'cache:token', 'abc', 'EX', '300'],
    ['SET', 'flash', 'gone soon', 'PX', '1500'],
  ]);
  const row = (key: string) => page.locator(`[data-testid="key-row"][data-key="${key}"]`);
  // Within a second, from notifications only.
  await expect(row('flash')).toBeVisible({ timeout: 1000 });
  await expect(page.getByTestId('key-row')).toHaveCount(7);
  for (const [key, type] of [['greeting', 'string'], ['queue:jobs', 'list'], ['user:1', 'hash'], ['tags', 'set'], ['leaderboard', 'zset']]) {
    await expect(row(key).getByTestId('key-type')).toHaveText(type);
  }
  await expect(row('cache:token').getByTestId('key-ttl')).toHaveText(/^4m 5\ds$/);
  await expect(row('flash').getByTestId('key-ttl')).toHaveText(/^[01]\.\ds$/);
  await expect(row('greeting').getByTestId('key-ttl')).toHaveText('');

  // A sorted set is a table with scores, in score order.
  await row('leaderboard').click();
  await expect(page.getByTestId('detail-key')).toHaveText('leaderboard');
  const ranks = page.getByTestId('detail-row');
  await expect(ranks).toHaveCount(3);
  await expect(ranks.nth(0)).toContainText('grace');
  await expect(ranks.nth(0).getByTestId('detail-score')).toHaveValue('95');
  await expect(ranks.nth(2)).toContainText('linus');
  await expect(ranks.nth(2).getByTestId('detail-score')).toHaveValue('143.5');
  await screenshot(page, 'keys');

  // The TTL runs out: the row goes by itself.
  await expect(row('flash')).toHaveCount(0, { timeout: 5000 });

  // Edit a score: the table re-sorts.
  await ranks.nth(0).getByTestId('detail-score').fill('200');
  await ranks.nth(0).getByTestId('detail-score').press('Enter');
  await expect(ranks.nth(2)).toContainText('grace');
  expect(await commands(page, [['ZSCORE', 'leaderboard', 'grace']])).toEqual(['200']);

  // A hash: edit a value, add a field, remove one.
  await row('user:1').click();
  await expect(page.getByTestId('detail-row')).toHaveCount(3);
  const lang = page.getByTestId('detail-row').filter({ hasText: 'lang' }).getByTestId('detail-cell');
  await lang.fill('fr');
  await lang.press('Enter');
  await expect.poll(() => commands(page, [['HGET', 'user:1', 'lang']])).toEqual(['fr']);
  await page.getByTestId('detail-new-field').fill('city');
  await page.getByTestId('detail-new-value').fill('London');
  await page.getByTestId('detail-add').click();
  await expect(page.getByTestId('detail-row')).toHaveCount(4);
  await page.getByTestId('detail-row').filter({ hasText: 'visits' }).getByTestId('detail-remove').click();
  await expect(page.getByTestId('detail-row')).toHaveCount(3);
  expect(await commands(page, [['HGETALL', 'user:1']])).toEqual([['name', 'Ada Lovelace', 'lang', 'fr', 'city', 'London']]);

  // A list: remove the middle element by its index.
  await row('queue:jobs').click();
  await page.getByTestId('detail-row').nth(1).getByTestId('detail-remove').click();
  await expect(page.getByTestId('detail-row')).toHaveCount(2);
  expect(await commands(page, [['LRANGE', 'queue:jobs', '0', '-1']])).toEqual([['resize', 'notify']]);

  // A string: edit keeps its TTL; then set a TTL, persist, delete.
  await row('cache:token').click();
  await page.getByTestId('detail-value').fill('xyz');
  await page.getByTestId('detail-save').click();
  await expect.poll(() => commands(page, [['GET', 'cache:token'], ['TTL', 'cache:token']])).toEqual(['xyz', expect.any(Number)]);
  expect(((await commands(page, [['TTL', 'cache:token']])) as number[])[0]).toBeGreaterThan(290);
  await row('greeting').click();
  await page.getByTestId('detail-ttl-input').fill('100');
  await page.getByTestId('detail-expire').click();
  await expect(row('greeting').getByTestId('key-ttl')).toHaveText(/^1m 3\ds$/);
  await page.getByTestId('detail-persist').click();
  await expect(row('greeting').getByTestId('key-ttl')).toHaveText('');
  await page.getByTestId('detail-delete').click();
  await expect(row('greeting')).toHaveCount(0);
  await expect(page.getByTestId('detail-gone')).toBeVisible();

  // Filters: a pattern and a type, by SCAN.
  await page.getByTestId('keys-pattern').fill('*:*');
  await page.getByTestId('keys-scan').click();
  await expect(page.getByTestId('key-row')).toHaveCount(3); // queue:jobs, user:1, cache:token
  await page.getByTestId('keys-pattern').fill('*');
  await page.getByTestId('keys-type').selectOption('zset');
  await expect(page.getByTestId('key-row')).toHaveCount(1);
  await expect(row('leaderboard')).toBeVisible();
  // A new key matching the filters shows up; one that does not, does not.
  await commands(page, [['ZADD', 'scores', '1', 'a'], ['SET', 'serial', 'x']]);
  await expect(row('scores')).toBeVisible();
  await expect(row('serial')).toHaveCount(0);
});

test('the key browser follows writes of another tab: a key set in tab B shows in tab A, counts down and goes', async ({ page, context }) => {
  // Tab A (the leader, opened first) browses keys; tab B (a replica) writes from its console.
  await open(page, '/#keys');
  await expect(page.getByTestId('keys-count')).toContainText('0 keys in db 0');
  const other = await context.newPage();
  await open(other, '/');
  const rowIn = (p: Page, key: string) => p.locator(`[data-testid="key-row"][data-key="${key}"]`);
  const ttlOf = async (p: Page, key: string) => parseFloat(await rowIn(p, key).getByTestId('key-ttl').innerText());

  expect(await say(other, 'SET from:b "written in tab B"')).toBe('OK');
  await expect(rowIn(page, 'from:b')).toBeVisible({ timeout: 1000 });
  await expect(rowIn(page, 'from:b').getByTestId('key-type')).toHaveText('string');
  expect(await say(other, 'PEXPIRE from:b 3000')).toBe('(integer) 1');
  // The TTL set in tab B reaches tab A's row, and counts down there.
  await expect(rowIn(page, 'from:b').getByTestId('key-ttl')).toHaveText(/^[23]\.\ds$/, { timeout: 1000 });
  const first = await ttlOf(page, 'from:b');
  await expect.poll(() => ttlOf(page, 'from:b')).toBeLessThan(first - 0.5);
  // Expired at the leader, gone from both tabs.
  await expect(rowIn(page, 'from:b')).toHaveCount(0, { timeout: 4000 });
  expect(await say(other, 'EXISTS from:b')).toBe('(integer) 0');

  // The other way round: tab B's key browser (a replica's) shows a key tab A writes, with its TTL, until it expires.
  await other.evaluate(() => (location.hash = '#keys'));
  await expect(other.getByTestId('keys-count')).toContainText('0 keys in db 0');
  await commands(page, [['SET', 'from:a', 'written in tab A', 'PX', '2500']]);
  await expect(rowIn(other, 'from:a')).toBeVisible({ timeout: 1000 });
  await expect(rowIn(other, 'from:a').getByTestId('key-ttl')).toHaveText(/^[12]\.\ds$/);
  await expect(rowIn(other, 'from:a')).toHaveCount(0, { timeout: 4000 });
});

test('the status panel: the first tab leads, a second is its replica, and takes over when the leader tab closes', async ({ page, context }) => {
  await open(page, '/#status');
  await commands(page, [
    ['SET', 'a', '1'], ['SET', 'b', '2', 'EX', '100'], ['GET', 'a'], ['GET', 'nosuchkey'], ['SELECT', '2'], ['SET', 'c', '3'],
  ]);
  await expect(page.getByTestId('status-role')).toHaveText('leader');
  await expect(page.getByTestId('status-leader')).toHaveText('this tab');
  await expect(page.getByTestId('status-tabs')).toHaveText('1');
  await expect(page.getByTestId('status-keys')).toContainText('db0');
  await expect(page.getByTestId('status-keys').locator('tr').filter({ hasText: 'db0' })).toHaveText(/db0\s*2\s*1/);
  await expect(page.getByTestId('status-keys').locator('tr').filter({ hasText: 'db2' })).toHaveText(/db2\s*1\s*0/);
  await expect(page.getByTestId('status-appendfsync')).toHaveText('everysec');
  await expect(page.getByTestId('status-persistent')).toHaveText('storing changes');
  await expect(page.getByTestId('status-maxmemory')).toHaveText('no limit');
  await expect(page.getByTestId('status-evicted')).toHaveText('0');
  await expect(page.getByTestId('status-hits')).toHaveText('1 / 1 (50.0% hits)');
  await expect(page.getByTestId('status-lastsave')).not.toBeEmpty();
  const leaderId = (await page.getByTestId('status-tab-id').getAttribute('data-tab'))!;
  expect(leaderId).toMatch(/^[0-9a-f-]{32,36}$/);
  await expect(page.getByTestId('status-tab-id')).toHaveText(leaderId.slice(0, 8));
  const epoch = Number(await page.getByTestId('status-epoch').innerText());
  expect(epoch).toBeGreaterThan(0);

  // A second tab: a replica of the first, at the same epoch and, once the stream has reached it, the same offset.
  const other = await context.newPage();
  await open(other, '/#status');
  await expect(other.getByTestId('status-role')).toHaveText('replica');
  await expect(other.getByTestId('status-leader')).toHaveText(leaderId.slice(0, 8));
  await expect(other.getByTestId('status-leader')).toHaveAttribute('data-tab', leaderId);
  await expect(other.getByTestId('status-tab-id')).not.toHaveAttribute('data-tab', leaderId);
  for (const p of [page, other]) await expect(p.getByTestId('status-tabs')).toHaveText('2');
  await expect(other.getByTestId('status-epoch')).toHaveText(String(epoch));
  await expect(other.getByTestId('status-syncing')).toHaveText('in sync with the leader');
  await expect(other.getByTestId('status-keys').locator('tr').filter({ hasText: 'db0' })).toHaveText(/db0\s*2\s*1/);
  // A write from the replica goes through the leader: both offsets move to the same place.
  const before = Number(await page.getByTestId('status-offset').innerText());
  await commands(other, [['SET', 'd', '4']]);
  await expect.poll(async () => Number(await page.getByTestId('status-offset').innerText())).toBeGreaterThan(before);
  await expect.poll(async () => (await Promise.all([page, other].map((p) => p.getByTestId('status-offset').innerText()))).every((t, _, a) => t === a[0])).toBe(true);

  // maxmemory set from the replica applies to the database: both tabs report it.
  await commands(other, [['CONFIG', 'SET', 'maxmemory', '64mb']]);
  for (const p of [page, other]) await expect(p.getByTestId('status-maxmemory')).toHaveText('64.00M');
  await screenshot(other, 'status');
  await commands(other, [['CONFIG', 'SET', 'maxmemory', '0']]);

  // The leader's tab closes: the other one leads within a couple of seconds, at a later epoch, with every key.
  const closedAt = Date.now();
  await page.close();
  await expect(other.getByTestId('status-role')).toHaveText('leader', { timeout: 3000 });
  expect(Date.now() - closedAt).toBeLessThan(3000);
  await expect(other.getByTestId('status-leader')).toHaveText('this tab');
  await expect(other.getByTestId('status-tabs')).toHaveText('1');
  expect(Number(await other.getByTestId('status-epoch').innerText())).toBeGreaterThan(epoch);
  expect(await commands(other, [['MGET', 'a', 'b', 'd']])).toEqual([['1', '2', '4']]);
});
