/**
 * RDB files for `tabhive serve` (the engine's rdb.ts does the format): load one at start, and write one on
 * SAVE / BGSAVE, as redis-server does with its `dir` and `dbfilename`.
 *
 * Rules, as Redis's rdbSave: the file is written whole to a temporary name in the same directory, then renamed
 * over the target, so a crash mid-write never leaves a half file under the real name. The snapshot is taken
 * at once (exportRdb is synchronous, so it is the dataset at one instant) and written afterwards; SAVE answers
 * when the file is in place, BGSAVE at once. Without save points there is nothing to refuse writes for: a
 * failed save only shows in INFO (rdb_last_bgsave_status) and SAVE's error.
 */
import { readFileSync } from 'node:fs';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Persistence } from '../engine/commands/persist.js';
import type { Engine } from '../engine/engine.js';
import { exportRdb, importRdb, type ImportResult } from '../engine/rdb.js';

/** Replace the engine's dataset with the RDB file at `path` (throws an RdbError or a file system error). */
export function loadRdbFile(engine: Engine, path: string): ImportResult {
  return importRdb(engine, readFileSync(path));
}

/** SAVE and BGSAVE writing an RDB file at `path`. */
export class RdbFile implements Persistence {
  private inProgress = false;
  private lastOk = true;
  private saves = 0;
  private lastDurationSec = -1;
  private startedAt = 0;

  constructor(
    private readonly engine: Engine,
    readonly path: string,
    /** What the start-up load found, for INFO's rdb_last_load_keys_loaded / _expired. */
    private readonly loaded: ImportResult | null = null,
  ) {}

  get bgsaveInProgress(): boolean {
    return this.inProgress;
  }

  save(): Promise<void> {
    return this.write();
  }

  bgsave(): void {
    void this.write().catch(() => undefined);
  }

  writeError(): string | null {
    return null;
  }

  info(fields: Map<string, string | number>): void {
    fields.set('rdb_bgsave_in_progress', this.inProgress ? 1 : 0);
    fields.set('rdb_last_bgsave_status', this.lastOk ? 'ok' : 'err');
    fields.set('rdb_last_bgsave_time_sec', this.lastDurationSec);
    fields.set(
      'rdb_current_bgsave_time_sec',
      this.inProgress ? Math.floor((this.engine.now() - this.startedAt) / 1000) : -1,
    );
    fields.set('rdb_saves', this.saves);
    if (this.loaded !== null) {
      fields.set('rdb_last_load_keys_expired', this.loaded.expired);
      fields.set('rdb_last_load_keys_loaded', this.loaded.loaded);
    }
  }

  /** Snapshot now, write to a temporary file, rename it over the target. */
  private async write(): Promise<void> {
    const engine = this.engine;
    this.inProgress = true;
    this.startedAt = engine.now();
    const dirtyBefore = engine.dirty;
    const tmp = join(dirname(this.path), `temp-${process.pid}-${basename(this.path)}`);
    try {
      await writeFile(tmp, exportRdb(engine));
      await rename(tmp, this.path);
      // Changes made while the file was being written stay pending, as after Redis's BGSAVE.
      engine.dirty = Math.max(0, engine.dirty - dirtyBefore);
      engine.lastSave = this.startedAt;
      this.lastOk = true;
      this.saves++;
    } catch (e) {
      this.lastOk = false;
      await unlink(tmp).catch(() => undefined);
      throw e;
    } finally {
      this.inProgress = false;
      this.lastDurationSec = Math.floor((engine.now() - this.startedAt) / 1000);
    }
  }
}
