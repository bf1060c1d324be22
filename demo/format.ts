/**
 * Text the demo's panels show, without the DOM: time left on a key, byte sizes, and INFO's text read into
 * sections (Redis's `# Section` / `field:value` format).
 */

/** Time left, as the key browser counts it down: `4.2s` under ten seconds, then `1m 05s`, `2h 03m`, `3d 04h`. */
export function formatTtl(ms: number): string {
  if (ms <= 0) return '0s';
  if (ms < 10_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const two = (n: number) => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}m ${two(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${two(Math.floor(s / 60) % 60)}m`;
  return `${Math.floor(s / 86_400)}d ${two(Math.floor(s / 3600) % 24)}h`;
}

/** Bytes in binary units, as INFO's `*_human` fields write them (`1.50M`). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n}B`;
  const units = ['K', 'M', 'G', 'T', 'P'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(2)}${units[i]}`;
}

/** INFO's text: section name (lower case) → field → value. */
export type Info = Map<string, Map<string, string>>;

export function parseInfo(text: string): Info {
  const info: Info = new Map();
  let section = new Map<string, string>();
  info.set('', section);
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      section = new Map();
      info.set(line.slice(1).trim().toLowerCase(), section);
      continue;
    }
    const i = line.indexOf(':');
    if (i > 0) section.set(line.slice(0, i), line.slice(i + 1));
  }
  return info;
}

/** A field of INFO, in any section. */
export function infoField(info: Info, field: string): string | undefined {
  for (const s of info.values()) {
    const v = s.get(field);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** INFO keyspace's `db0:keys=3,expires=1,avg_ttl=0`: db index → its counts. */
export function keyspaceOf(info: Info): { db: number; keys: number; expires: number }[] {
  const out: { db: number; keys: number; expires: number }[] = [];
  for (const [name, value] of info.get('keyspace') ?? []) {
    const m = /^db(\d+)$/.exec(name);
    if (m === null) continue;
    const f = new Map(value.split(',').map((kv) => kv.split('=') as [string, string]));
    out.push({ db: Number(m[1]), keys: Number(f.get('keys') ?? 0), expires: Number(f.get('expires') ?? 0) });
  }
  return out.sort((a, b) => a.db - b.db);
}
