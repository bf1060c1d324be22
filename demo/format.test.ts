import { describe, expect, it } from 'vitest';
import { formatBytes, formatTtl, infoField, keyspaceOf, parseInfo } from './format.js';

describe('formatTtl', () => {
  it('counts tenths under ten seconds, then coarser', () => {
    expect(formatTtl(-5)).toBe('0s');
    expect(formatTtl(1499)).toBe('1.4s');
    expect(formatTtl(9999)).toBe('9.9s');
    expect(formatTtl(10_000)).toBe('10s');
    expect(formatTtl(65_000)).toBe('1m 05s');
    expect(formatTtl(3_600_000 + 3 * 60_000)).toBe('1h 03m');
    expect(formatTtl(3 * 86_400_000 + 4 * 3_600_000)).toBe('3d 04h');
  });
});

describe('formatBytes', () => {
  it('writes binary units as INFO does', () => {
    expect(formatBytes(900)).toBe('900B');
    expect(formatBytes(876_400)).toBe('855.86K');
    expect(formatBytes(64 * 1024 * 1024)).toBe('64.00M');
  });
});

describe('parseInfo', () => {
  const info = parseInfo('# Server\r\nredis_version:7.0.15\r\n\r\n# Keyspace\r\ndb0:keys=3,expires=1,avg_ttl=0\r\ndb12:keys=1,expires=0,avg_ttl=0\r\n');
  it('reads sections and fields', () => {
    expect(info.get('server')?.get('redis_version')).toBe('7.0.15');
    expect(infoField(info, 'redis_version')).toBe('7.0.15');
    expect(infoField(info, 'nope')).toBeUndefined();
  });
  it('reads the keyspace lines', () => {
    expect(keyspaceOf(info)).toEqual([{ db: 0, keys: 3, expires: 1 }, { db: 12, keys: 1, expires: 0 }]);
  });
});
