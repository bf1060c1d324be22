/**
 * SORT and SORT_RO with typed methods (node-redis v4's names and option shapes). See base.ts for how a family
 * joins the client.
 */
import { CommandBase, many, type Key } from './base.js';

/**
 * SORT's options: BY a pattern (`'weight_*'`, `'nosort'`), a LIMIT, GET patterns (`'#'` is the element itself,
 * `'user_*->name'` a hash field), the direction, ALPHA to compare as strings rather than numbers.
 */
export interface SortOptions {
  BY?: Key;
  LIMIT?: { offset: number; count: number };
  GET?: Key | Key[];
  DIRECTION?: 'ASC' | 'DESC';
  ALPHA?: true;
}

/** SORT's reply: the elements, or with GET the values the patterns name (null where a key or field is missing). */
export type SortReply<S, O> = O extends { GET: unknown } ? (S | null)[] : S[];

export abstract class SortCommands<S extends string | Uint8Array = string> extends CommandBase {
  /**
   * `SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA]` — a list,
   * set or sorted set's elements, sorted: `sort('ids', { BY: 'weight_*', GET: ['#', 'name_*'], LIMIT: { offset:
   * 0, count: 10 } })`.
   */
  sort<O extends SortOptions = SortOptions>(key: Key, options?: O): Promise<SortReply<S, O>> {
    return this.run(sortArgs('SORT', key, options));
  }

  /** `SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA]` — SORT without STORE. */
  sortRo<O extends SortOptions = SortOptions>(key: Key, options?: O): Promise<SortReply<S, O>> {
    return this.run(sortArgs('SORT_RO', key, options));
  }

  /**
   * `SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA] STORE
   * destination` — stores the result as a list at `destination`: its length.
   */
  sortStore(source: Key, destination: Key, options?: SortOptions): Promise<number> {
    const args = sortArgs('SORT', source, options);
    args.push('STORE', destination);
    return this.run(args);
  }
}

function sortArgs(command: string, key: Key, o: SortOptions | undefined): unknown[] {
  const args: unknown[] = [command, key];
  if (o?.BY !== undefined) args.push('BY', o.BY);
  if (o?.LIMIT !== undefined) args.push('LIMIT', o.LIMIT.offset, o.LIMIT.count);
  if (o?.GET !== undefined) for (const pattern of many(o.GET)) args.push('GET', pattern);
  if (o?.DIRECTION !== undefined) args.push(o.DIRECTION);
  if (o?.ALPHA) args.push('ALPHA');
  return args;
}
