/**
 * The Web Locks API as replication/ uses it (exclusive locks, `ifAvailable`, `steal`), for Node tests where
 * several "tabs" live in one process. Each tab gets a view bound to an owner; `kill(owner)` drops every lock
 * that owner holds or waits for, as the browser does when a tab's worker dies.
 */
import type { Locks } from '../src/replication/replication.js';

interface Held {
  owner: string;
  abort: (e: Error) => void;
}

interface Waiting {
  owner: string;
  grant: () => void;
}

export class LockRegistry {
  /**
   * A frozen tab does not run: it learns nothing of a steal until it wakes. With this set, a steal takes the
   * lock without telling the holder (its request neither settles nor rejects).
   */
  silentSteal = false;
  private readonly held = new Map<string, Held>();
  private readonly queues = new Map<string, Waiting[]>();

  for(owner: string): Locks {
    return {
      request: (name, options, callback) => this.request(owner, name, options, callback),
    };
  }

  holder(name: string): string | null {
    return this.held.get(name)?.owner ?? null;
  }

  /** The owner's worker died: its locks go to the next in line. */
  kill(owner: string): void {
    for (const [name, q] of this.queues) {
      this.queues.set(name, q.filter((w) => w.owner !== owner));
    }
    for (const [name, h] of [...this.held]) {
      if (h.owner === owner) {
        this.held.delete(name);
        this.next(name);
      }
    }
  }

  private request(
    owner: string,
    name: string,
    options: { ifAvailable?: boolean; steal?: boolean },
    callback: (lock: unknown) => unknown,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const grant = () => {
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          if (this.held.get(name) === h) {
            this.held.delete(name);
            this.next(name);
          }
        };
        const h: Held = {
          owner,
          abort: (e) => {
            released = true;
            reject(e);
          },
        };
        this.held.set(name, h);
        let result: unknown;
        try {
          result = callback({ name, mode: 'exclusive' });
        } catch (e) {
          release();
          reject(e);
          return;
        }
        Promise.resolve(result).then(
          (v) => {
            release();
            resolve(v);
          },
          (e: unknown) => {
            release();
            reject(e);
          },
        );
      };
      const current = this.held.get(name);
      if (options.steal) {
        if (current !== undefined) {
          this.held.delete(name);
          const e = new Error('The lock was stolen');
          e.name = 'AbortError';
          if (!this.silentSteal) current.abort(e);
        }
        grant();
        return;
      }
      const queue = this.queues.get(name) ?? [];
      if (current === undefined && queue.length === 0) {
        grant();
        return;
      }
      if (options.ifAvailable) {
        Promise.resolve(callback(null)).then(resolve, reject);
        return;
      }
      queue.push({ owner, grant });
      this.queues.set(name, queue);
    });
  }

  private next(name: string): void {
    const q = this.queues.get(name);
    const w = q?.shift();
    if (w !== undefined) queueMicrotask(w.grant);
  }
}
