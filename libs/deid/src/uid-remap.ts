// Action U (PS3.15 Table E.1-1): a replacement UID "internally consistent within a set of Instances".
// PS3.5 §B.2: a UUID-derived UID is "2.25." followed by the 128-bit integer in decimal; here the integer
// is the first 128 bits of the salted HMAC of the original UID, so the same UID maps to the same
// replacement within one salt (references stay intact) and to an unrelated one under another salt.
import { saltedHash, type Salt } from '@qoq/runtime';

export const UID_REMAP_PURPOSE = 'uid-remap';

export function remapUid(salt: Salt, uid: string): string {
  const integer = BigInt(`0x${saltedHash(salt, UID_REMAP_PURPOSE, uid.trim()).slice(0, 32)}`);
  // BigInt's decimal form has no leading zeros, as PS3.5 §9.1 requires of every component; at most
  // 39 digits, so the UID is at most 44 characters (the limit is 64).
  return `2.25.${integer.toString(10)}`;
}
