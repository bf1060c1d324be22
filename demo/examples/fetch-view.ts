/**
 * The fetch-cache example's page: a URL, the cache's two times, a button, and what each request got — from the
 * network, fresh from the cache, or stale from the cache while it is fetched again. "Simulate offline" makes
 * every network call fail, as a lost connection does (the e2e test cuts the real network instead).
 */
import type { TabhiveClient } from '../../src/client/index.js';
import { h, message } from '../dom.js';
import { formatTtl } from '../format.js';
import { createFetchCache, type CachedResponse, type FetchCache } from './fetch-cache.js';

const SOURCE_TEXT: Record<CachedResponse['source'], string> = {
  network: 'from the network (now cached)',
  fresh: 'from the cache — fresh, the network was not asked',
  stale: 'from the cache — stale, revalidating in the background',
};

export function startFetchCache(db: TabhiveClient, el: HTMLElement): { show(): void } {
  const client = db.duplicate();
  const url = h('input', { value: 'data/quote.json', testid: 'fetch-url', class: 'grow', spellcheck: 'false' });
  const ttl = h('input', { type: 'number', min: 1, value: 30, testid: 'fetch-ttl', class: 'narrow' });
  const swr = h('input', { type: 'number', min: 0, value: 60, testid: 'fetch-swr', class: 'narrow' });
  const offline = h('input', { type: 'checkbox', testid: 'fetch-offline' });
  const result = h('div', { class: 'result', testid: 'fetch-result' }, h('p', { class: 'dim' }, 'Nothing fetched yet.'));
  const log = h('ol', { class: 'log', testid: 'fetch-log', reversed: true });

  let cache: FetchCache | null = null;
  let cacheFor = '';
  const cacheOf = (): FetchCache => {
    const sig = `${ttl.value}/${swr.value}`;
    if (cache === null || cacheFor !== sig) {
      cacheFor = sig;
      cache = createFetchCache(client, {
        ttl: Number(ttl.value) * 1000,
        staleWhileRevalidate: Number(swr.value) * 1000,
        fetch: async (u) => {
          if (offline.checked) throw new TypeError('Failed to fetch (simulated offline)');
          return fetch(u, { cache: 'no-store' });
        },
        onRevalidated: (u, r) =>
          note(r instanceof Error ? `revalidation of ${u} failed (${r.message}): the stale copy stays` : `revalidated ${u} in the background`),
      });
    }
    return cache;
  };

  function note(text: string, testid?: string): void {
    log.prepend(h('li', testid ? { testid } : null, h('time', null, new Date().toLocaleTimeString()), ' ', text));
    while (log.children.length > 12) log.lastElementChild!.remove();
  }

  async function run(): Promise<void> {
    const u = url.value;
    const started = performance.now();
    try {
      const r = await cacheOf().get(u);
      const ms = performance.now() - started;
      const pttl = await client.pTTL(cacheOf().keyOf(u));
      result.replaceChildren(
        h('p', null, h('span', { class: `badge src-${r.source}`, testid: 'fetch-source' }, r.source), ' ', SOURCE_TEXT[r.source], ` in ${ms.toFixed(1)} ms`),
        h('p', { class: 'dim' },
          `fetched ${new Date(r.fetchedAt).toLocaleTimeString()} · HTTP ${r.status} · ${r.type || 'no content type'} · key `,
          h('code', null, cacheOf().keyOf(u)),
          pttl > 0 ? ` expires in ${formatTtl(pttl)}` : ''),
        h('pre', { class: 'body', testid: 'fetch-body' }, r.body),
      );
      note(`${u}: ${r.source}`, 'fetch-log-entry');
    } catch (e) {
      result.replaceChildren(h('p', { class: 'error', testid: 'fetch-error' }, `${u}: ${message(e)} — nothing cached to fall back on.`));
      note(`${u}: failed (${message(e)})`, 'fetch-log-entry');
    }
  }

  el.append(
    h('h2', null, 'An offline cache for fetch'),
    h('p', { class: 'lede' },
      'Each response is a hash ', h('code', null, 'fetch:<url>'), '. Within its fresh time it is served without asking the network — ' +
        'so it works offline; in the stale window after that it is served at once and fetched again behind. The key expires ' +
        '(PEXPIRE) when the stale window ends, so Redis’s expiry is the eviction. Source: ',
      h('code', null, 'demo/examples/fetch-cache.ts'), '.'),
    h('form', { class: 'toolbar wrap', onsubmit: (ev: Event) => { ev.preventDefault(); void run(); } },
      h('label', { class: 'grow' }, 'URL ', url),
      h('label', null, 'fresh for ', ttl, ' s'),
      h('label', null, 'then stale for ', swr, ' s'),
      h('label', null, offline, ' simulate offline'),
      h('button', { type: 'submit', testid: 'fetch-go' }, 'Fetch'),
      h('button', { type: 'button', testid: 'fetch-forget', onclick: () => void client.del(cacheOf().keyOf(url.value)).then(() => note(`forgot ${url.value}`)) }, 'Forget'),
    ),
    result,
    h('h3', null, 'Requests'),
    log,
  );
  return { show() {} };
}
