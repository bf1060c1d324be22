import { createRequire } from 'module'; const require = createRequire(import.meta.url);
import { it } from 'vitest';
import { Engine } from '../engine.js';
import { cases } from '../../../test/compat/cases/zset.js';
it('debug', () => {
  for (const c of cases) {
    const engine = new Engine();
    const s = engine.createSession();
    if (c.resp3) s.resp = 3;
    for (const st of c.steps) {
      const args = Array.isArray(st) ? st : st.args;
      require('fs').appendFileSync('/tmp/zs/dbg.log', c.name + ': ' + args.join(' ').slice(0, 80) + '\n');
      engine.execute(s, args);
    }
  }
});
