// Builds `tabhive serve` for Node: src/server/cli.ts and the engine bundled into dist/server/cli.js, which
// bin/tabhive.js prefers over running the sources through tsx. Run after `npm run build` (which empties dist/).
import { build } from 'vite';

await build({
  configFile: false,
  logLevel: 'warn',
  build: {
    ssr: 'src/server/cli.ts',
    outDir: 'dist/server',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    rollupOptions: { output: { entryFileNames: 'cli.js', format: 'es' } },
  },
});
console.log('built dist/server/cli.js');
