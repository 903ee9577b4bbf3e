// In a mixed tree a file is tried as DICOM when it has the PS3.10 §7.1 "DICM" magic after the
// 128-byte preamble, or a .dcm / .dicom extension (bare data sets have no magic); other files are
// skipped and counted by the caller, not rejected.

/** `firstBytes`: at least the first 132 bytes of the file when it has them. */
export function isDicomCandidate(path: string, firstBytes: Uint8Array): boolean {
  if (/\.(dcm|dicom)$/i.test(path)) return true;
  return firstBytes.length >= 132 && firstBytes[128] === 0x44 && firstBytes[129] === 0x49 && firstBytes[130] === 0x43 && firstBytes[131] === 0x4d;
}
