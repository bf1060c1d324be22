/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';

/**
 * Library build: Vite emits the worker as dist/tabhive-worker.js and references it through an expression that
 * only works where dist/ is served as is. This rewrites that reference to the standard
 * `new Worker(new URL('./tabhive-worker.js', import.meta.url), …)`, which works unbundled and which an
 * app's bundler (Vite, webpack 5, Parcel …) recognises, so it emits the worker with the app. The build fails if
 * the pattern is not found, rather than ship a page entry whose worker cannot be found.
 */
function portableWorkerUrl(): Plugin {
  const viteForm = /new URL\(\s*\/\* @vite-ignore \*\/\s*new URL\((["'])([^"']+\.js)\1, import\.meta\.url\)\.href,\s*"" \+ import\.meta\.url\s*\)/g;
  return {
    name: 'tabhive:portable-worker-url',
    apply: 'build',
    renderChunk(code, chunk) {
      if (!chunk.isEntry || chunk.name !== 'tabhive') return null;
      let found = 0;
      const out = code.replace(viteForm, (_m, q: string, file: string) => {
        found++;
        return `new URL(${q}./${file}${q}, import.meta.url)`;
      });
      if (found !== 1) this.error(`expected one worker reference in the tabhive entry, found ${found}`);
      return { code: out, map: null };
    },
  };
}

/**
 * One config for three jobs:
 * - `vite` (npm run dev): serves the demo from demo/;
 * - `vite build` (npm run build): the library — page entry + worker — into dist/;
 * - `vitest`: engine unit tests and differential tests, in Node.
 */
export default defineConfig(({ command, mode }) => ({
  root: command === 'serve' && mode !== 'test' ? 'demo' : '.',
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: false,
    // The e2e suite (playwright.config.ts) sets TABHIVE_STATIC=1: no hot reload, no file watching, so an edit
    // made while the tests run cannot reload a page under them.
    ...(process.env.TABHIVE_STATIC ? { hmr: false, watch: null } : {}),
  },
  preview: { host: '127.0.0.1' },
  // Relative asset URLs in the library build, so dist/ works wherever it is put.
  base: command === 'build' ? './' : '/',
  // The worker keeps a stable name in the library build (dist/tabhive-worker.js, exported as 'tabhive/worker'),
  // so an app can also start it itself (createClient's `worker` option).
  worker: { format: 'es', rollupOptions: { output: { entryFileNames: 'tabhive-worker.js' } } },
  plugins: [portableWorkerUrl()],
  // Pre-bundled up front: the worker's imports are not seen by the dependency scan, and finding them on first
  // load would make the dev server reload the page mid-session.
  optimizeDeps: { include: ['comlink', 'idb'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    lib: {
      entry: { tabhive: 'src/client/index.ts' },
      formats: ['es'],
    },
    rollupOptions: { external: [] },
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'demo/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20000,
    hookTimeout: 60000,
    pool: 'forks',
  },
}));
