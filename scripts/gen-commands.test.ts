/**
 * The README's supported-commands table must be what scripts/gen-commands.ts makes of the command table now:
 * a command added, removed or changed without `npm run gen:commands` fails here, hence in CI.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CommandSpec } from '../src/engine/command.js';
import { ALL_COMMANDS } from '../src/engine/table.js';
import { END, README, renderCommands, rows, START, updateReadme } from './gen-commands.js';

describe('the supported-commands table', () => {
  it('in README.md is current (run `npm run gen:commands` when this fails)', () => {
    const readme = readFileSync(README, 'utf8');
    expect(readme).toContain(START);
    expect(updateReadme(readme)).toBe(readme);
  });

  it('lists every command and subcommand, containers by their subcommands', () => {
    const names = rows().map((r) => r.name);
    expect(names).toContain('SET');
    expect(names).toContain('CONFIG GET');
    expect(names).toContain('COMMAND'); // a container with a handler of its own
    expect(names).toContain('COMMAND DOCS');
    expect(names).not.toContain('CONFIG');
    let expected = 0;
    for (const c of ALL_COMMANDS) expected += (c.handler !== undefined || c.sub === undefined ? 1 : 0) + (c.sub?.length ?? 0);
    expect(names.length).toBe(expected);
    expect(new Set(names).size).toBe(names.length);
  });

  it('marks a command whose spec says it differs, and escapes pipes', () => {
    const spec: CommandSpec = {
      name: 'demo', arity: 1, flags: [], acl: [], keys: [0, 0, 0], group: 'generic', summary: 'A | B',
      since: '1.0.0', syntax: 'DEMO [A | B]', differs: 'Not quite Redis.',
      handler: () => null,
    };
    const text = renderCommands([spec]);
    expect(text).toContain('- ≠ `DEMO` — Not quite Redis.');
    expect(text).toContain('| DEMO ≠ | `DEMO [A \\| B]` | A \\| B |');
    expect(text.startsWith(START)).toBe(true);
    expect(text.endsWith(END)).toBe(true);
  });

  it('replaces only what lies between the markers', () => {
    const doc = `before\n${START}\nold\n${END}\nafter\n`;
    expect(updateReadme(doc, `${START}\nnew\n${END}`)).toBe(`before\n${START}\nnew\n${END}\nafter\n`);
    expect(() => updateReadme('no markers')).toThrow(/markers/);
  });
});
