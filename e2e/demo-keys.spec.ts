/**
 * The key browser and the status panel. Keys are written by another session of the page's database, as another
 * client would: the browser must show them from keyspace notifications alone, without a rescan.
 */
import { commands, expect, open, screenshot, test, type DemoWindow } from './demo-fixtures.js';

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

test('the status panel tells what the engine knows, and that this is a single tab', async ({ page }) => {
  await open(page, '/#status');
  await commands(page, [
    ['SET', 'a', '1'], ['SET', 'b', '2', 'EX', '100'], ['GET', 'a'], ['GET', 'nosuchkey'], ['SELECT', '2'], ['SET', 'c', '3'],
  ]);
  await expect(page.getByTestId('status-role')).toHaveText('single tab');
  await expect(page.getByTestId('status-keys')).toContainText('db0');
  await expect(page.getByTestId('status-keys').locator('tr').filter({ hasText: 'db0' })).toHaveText(/db0\s*2\s*1/);
  await expect(page.getByTestId('status-keys').locator('tr').filter({ hasText: 'db2' })).toHaveText(/db2\s*1\s*0/);
  await expect(page.getByTestId('status-appendfsync')).toHaveText('everysec');
  await expect(page.getByTestId('status-persistent')).toHaveText('storing changes');
  await expect(page.getByTestId('status-maxmemory')).toHaveText('no limit');
  await expect(page.getByTestId('status-evicted')).toHaveText('0');
  await expect(page.getByTestId('status-hits')).toHaveText('1 / 1 (50.0% hits)');
  await expect(page.getByTestId('status-lastsave')).not.toBeEmpty();

  // maxmemory and evictions, as INFO reports them.
  await commands(page, [['CONFIG', 'SET', 'maxmemory', '64mb']]);
  await expect(page.getByTestId('status-maxmemory')).toHaveText('64.00M');
  await screenshot(page, 'status');
  await commands(page, [['CONFIG', 'SET', 'maxmemory', '0']]);
});
