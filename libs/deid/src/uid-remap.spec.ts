import type { Salt } from '@qoq/runtime';
import { describe, expect, it } from 'vitest';
import { remapUid } from './uid-remap';

const salt: Salt = { bytes: Buffer.from('uid remap test salt 0123456789'), isPublicSample: false };
const other: Salt = { bytes: Buffer.from('a different salt for uid tests'), isPublicSample: false };
const uids = Array.from({ length: 2000 }, (_, i) => `1.2.840.113619.2.55.3.${i}.${(i * 7919) % 100003}`);

describe('remapUid (action U)', () => {
  it('maps the same UID to the same replacement, and different UIDs apart', () => {
    const mapped = uids.map((uid) => remapUid(salt, uid));
    expect(uids.map((uid) => remapUid(salt, uid))).toEqual(mapped);
    expect(new Set(mapped).size).toBe(uids.length);
  });

  it('writes a valid 2.25 UID: digits only, at most 64 characters, no leading zero (PS3.5 §9.1, §B.2)', () => {
    for (const uid of uids) {
      const mapped = remapUid(salt, uid);
      expect(mapped).toMatch(/^2\.25\.(0|[1-9]\d*)$/);
      expect(mapped.length).toBeLessThanOrEqual(64);
      expect(BigInt(mapped.slice(5))).toBeLessThan(2n ** 128n);
    }
  });

  it('shares no replacement with another salt', () => {
    const first = new Set(uids.map((uid) => remapUid(salt, uid)));
    expect(uids.filter((uid) => first.has(remapUid(other, uid)))).toEqual([]);
  });

  it('ignores the padding a UI value may carry', () => {
    expect(remapUid(salt, '1.2.3 ')).toBe(remapUid(salt, '1.2.3'));
  });
});
