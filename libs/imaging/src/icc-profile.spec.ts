// The profile description of real profiles (libvips' bundled v4 sRGB / P3 and v2 CMYK), and no crash
// on bytes that are not a profile.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { iccProfileDescription } from './icc-profile';

async function embeddedProfile(name: 'p3' | 'cmyk' | 'srgb'): Promise<Buffer> {
  const tiff = await sharp(Buffer.alloc(4 * 4 * 3, 128), { raw: { width: 4, height: 4, channels: 3 } }).withIccProfile(name).tiff().toBuffer();
  const { icc } = await sharp(tiff).metadata();
  if (icc === undefined) throw new Error('sharp embedded no profile');
  return icc;
}

describe('iccProfileDescription', () => {
  it("reads a version 4 profile's multiLocalizedUnicode description", async () => {
    const p3 = await embeddedProfile('p3');
    expect(p3[8]).toBe(4); // profile version 4
    expect(iccProfileDescription(p3)).toBe('sP3C');
    expect(iccProfileDescription(await embeddedProfile('srgb'))).toBe('sRGB');
  });

  it("reads a version 2 profile's textDescription", async () => {
    const cmyk = await embeddedProfile('cmyk');
    expect(cmyk[8]).toBe(2);
    expect(iccProfileDescription(cmyk)).toBe('Chemical proof');
  });

  it('gives null for no profile, a truncated profile or bytes without the acsp signature', async () => {
    const p3 = await embeddedProfile('p3');
    expect(iccProfileDescription(undefined)).toBeNull();
    expect(iccProfileDescription(p3.subarray(0, 200))).toBeNull();
    const unsigned = Buffer.from(p3);
    unsigned.write('xxxx', 36, 'latin1');
    expect(iccProfileDescription(unsigned)).toBeNull();
    expect(iccProfileDescription(new Uint8Array(64))).toBeNull();
  });
});
