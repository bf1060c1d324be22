/**
 * The demo as static files: `npm run build:demo` writes demo/dist/, which any static file server can serve
 * (`npx vite preview --config demo/vite.config.ts` serves it on 127.0.0.1:4173). Relative URLs, so it works
 * from any path. The dev server (`npm run dev`) uses the root vite.config.ts instead.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: dirname(fileURLToPath(import.meta.url)),
  base: './',
  worker: { format: 'es' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  preview: { host: '127.0.0.1' },
});
