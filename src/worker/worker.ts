/**
 * The module worker's entry: one engine for the page that started this worker, served on `self`. The page
 * starts it with `new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module' })`
 * (client/connection.ts), which Vite bundles as a separate chunk both for the demo and in library mode.
 */
import { serve, type Endpoint } from './host.js';

serve(self as unknown as Endpoint);
