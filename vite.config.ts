/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

/**
 * One config for three jobs:
 * - `vite` (npm run dev): serves the demo from demo/;
 * - `vite build` (npm run build): the library — page entry + worker — into dist/;
 * - `vitest`: engine unit tests and differential tests, in Node.
 */
export default defineConfig(({ command, mode }) => ({
  root: command === 'serve' && mode !== 'test' ? 'demo' : '.',
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
  preview: { host: '127.0.0.1' },
  worker: { format: 'es' },
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
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20000,
    hookTimeout: 60000,
    pool: 'forks',
  },
}));
