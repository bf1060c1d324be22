/**
 * The demo console's redis-cli features, typed as a person types them: help, hints and completion from
 * COMMAND DOCS, a transaction shown as one block, and subscribe mode. The expected texts are what redis-cli
 * 7.0.15 prints for the same lines against redis-server 7.0.15.
 */
import { commands, expect, open, say, screenshot, test, text, type } from './demo-fixtures.js';

const SET_PARAMS =
  'key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]';

test('help, hints and completion come from COMMAND DOCS', async ({ page }) => {
  await open(page);
  expect(await say(page, 'help set')).toBe(
    ['', `  SET ${SET_PARAMS}`, '  summary: Set the string value of a key', '  since: 1.0.0', '  group: string', ''].join('\n'),
  );
  expect(await say(page, 'help @transactions')).toContain('\n  MULTI \n  summary: Mark the start of a transaction block\n  since: 1.2.0\n');
  expect(await say(page, 'help nosuchcommand')).toBe('');

  const input = page.getByTestId('console-input');
  const hint = page.getByTestId('console-hint');
  await input.fill('SET');
  await expect.poll(() => hint.textContent()).toBe(` ${SET_PARAMS}`);
  await input.fill('SET greeting ');
  await expect(hint).toHaveText(SET_PARAMS.replace('key ', ''));
  await expect(page.getByTestId('console-help')).toContainText('Set the string value of a key');
  await input.fill('config get ');
  await expect(hint).toHaveText('parameter [parameter ...]');

  // Tab cycles through the candidates, then back to what was typed, as linenoise does.
  await input.fill('zrangeb');
  await input.press('Tab');
  await expect(input).toHaveValue('ZRANGEBYLEX');
  await expect(page.getByTestId('console-help')).toContainText('ZRANGEBYLEX  ZRANGEBYSCORE');
  await input.press('Tab');
  await expect(input).toHaveValue('ZRANGEBYSCORE');
  await input.press('Tab');
  await expect(input).toHaveValue('zrangeb');
  await input.fill('subsc');
  await input.press('Tab');
  await expect(input).toHaveValue('SUBSCRIBE');
  await input.press('Escape');
  await expect(input).toHaveValue('subsc');
});

test('a transaction prints as redis-cli prints it, in one block; pasted lines run one by one', async ({ page }) => {
  await open(page);
  expect(await say(page, 'MULTI')).toBe('OK');
  await expect(page.getByTestId('console-prompt')).toHaveText('tabhive(TX)>');
  expect(await say(page, 'SET visits 1')).toBe('QUEUED');
  expect(await say(page, 'INCR visits')).toBe('QUEUED');
  expect(await say(page, 'LPUSH visits x')).toBe('QUEUED');
  expect(await say(page, 'EXEC')).toBe(
    '1) OK\n2) (integer) 2\n3) (error) WRONGTYPE Operation against a key holding the wrong kind of value',
  );
  await expect(page.getByTestId('console-prompt')).toHaveText('tabhive>');
  const block = page.getByTestId('console-tx');
  await expect(block).toHaveCount(1);
  await expect(block.getByTestId('console-entry')).toHaveCount(5);
  await expect.poll(text(block.getByTestId('console-error'))).toBe(
    '3) (error) WRONGTYPE Operation against a key holding the wrong kind of value',
  );

  // A terminal hands redis-cli pasted lines one at a time: so does the console.
  await page.getByTestId('console-input').evaluate((el, text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, 'MULTI\nHSET user:1 name Ada lang en\nHGETALL user:1\nEXEC\n');
  await expect(page.getByTestId('console-tx')).toHaveCount(2);
  const last = page.getByTestId('console-tx').nth(1).getByTestId('console-entry').last();
  await expect.poll(text(last.getByTestId('console-reply'))).toBe('1) (integer) 2\n2) 1) "name"\n   2) "Ada"\n   3) "lang"\n   4) "en"');

  // The README's picture: a sorted set, a transaction, and a hint while typing.
  await page.getByTestId('console-input').fill('clear');
  await page.getByTestId('console-input').press('Enter');
  await expect(page.getByTestId('console-entry')).toHaveCount(0);
  expect(await say(page, 'ZADD board 3 ada 5 grace 4 linus')).toBe('(integer) 3');
  expect(await say(page, 'ZRANGE board 0 -1 WITHSCORES')).toBe('1) "ada"\n2) "3"\n3) "linus"\n4) "4"\n5) "grace"\n6) "5"');
  expect(await say(page, 'MULTI')).toBe('OK');
  expect(await say(page, 'ZINCRBY board 2 ada')).toBe('QUEUED');
  expect(await say(page, 'ZREVRANGE board 0 0')).toBe('QUEUED');
  expect(await say(page, 'EXEC')).toBe('1) "5"\n2) 1) "grace"');
  expect(await say(page, 'GET board')).toBe('(error) WRONGTYPE Operation against a key holding the wrong kind of value');
  await page.getByTestId('console-input').fill('ZADD board ');
  await screenshot(page, 'console');
});

test('subscribe mode prints messages as redis-cli does until Ctrl+C', async ({ page }) => {
  await open(page);
  const entry = await type(page, 'SUBSCRIBE news alerts');
  const printed = () => entry.getByTestId('console-reply').allInnerTexts().then((r) => r.join('\n'));
  await expect.poll(printed).toBe(
    [
      'Reading messages... (press Ctrl-C to quit)',
      '1) "subscribe"\n2) "news"\n3) (integer) 1',
      '1) "subscribe"\n2) "alerts"\n3) (integer) 2',
    ].join('\n'),
  );
  await expect(page.getByTestId('console-form')).toBeHidden();
  await expect(page.getByTestId('console-reading')).toBeVisible();

  expect(await commands(page, [['PUBLISH', 'news', 'hello world'], ['PUBLISH', 'alerts', 'disk "full"'], ['PUBLISH', 'other', 'x']])).toEqual([1, 1, 0]);
  await expect.poll(printed).toContain('1) "message"\n2) "news"\n3) "hello world"\n1) "message"\n2) "alerts"\n3) "disk \\"full\\""');
  await screenshot(page, 'console-subscribe');

  await page.getByTestId('console').press('Control+c');
  await expect(page.getByTestId('console-form')).toBeVisible();
  expect(await say(page, 'PING')).toBe('PONG');
  expect(await say(page, 'PUBSUB NUMSUB news alerts')).toBe('1) "news"\n2) (integer) 0\n3) "alerts"\n4) (integer) 0');
  const p = await type(page, 'PSUBSCRIBE n*');
  await expect.poll(text(p.getByTestId('console-reply').nth(1))).toBe('1) "psubscribe"\n2) "n*"\n3) (integer) 1');
  await commands(page, [['PUBLISH', 'news', 'via pattern']]);
  await expect.poll(text(p.getByTestId('console-reply').nth(2))).toBe('1) "pmessage"\n2) "n*"\n3) "news"\n4) "via pattern"');
  await page.getByRole('button', { name: 'stop' }).click();
  await expect(page.getByTestId('console-form')).toBeVisible();
});
