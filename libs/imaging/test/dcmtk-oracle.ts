// dcmtk as the rendering oracle: dcmj2pnm / dcml2pnm write 8-bit binary PGM (P5) or PPM (P6), read here
// by their header (netpbm pgm(5) / ppm(5): magic, width, height, maxval, one whitespace, samples).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pnm {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  readonly samples: Uint8Array;
}

export function parsePnm(bytes: Uint8Array): Pnm {
  let offset = 0;
  const tokens: string[] = [];
  while (tokens.length < 4) {
    while (offset < bytes.length && /\s/.test(String.fromCharCode(bytes[offset]))) offset++;
    if (bytes[offset] === 0x23) {
      while (offset < bytes.length && bytes[offset] !== 0x0a) offset++;
      continue;
    }
    let token = '';
    while (offset < bytes.length && !/\s/.test(String.fromCharCode(bytes[offset]))) token += String.fromCharCode(bytes[offset++]);
    tokens.push(token);
  }
  offset += 1; // the single whitespace after maxval
  const [magic, width, height, maxval] = tokens;
  if ((magic !== 'P5' && magic !== 'P6') || maxval !== '255') throw new Error(`not an 8-bit binary PGM/PPM: ${tokens.join(' ')}`);
  const channels = magic === 'P5' ? 1 : 3;
  const count = Number(width) * Number(height) * channels;
  return { width: Number(width), height: Number(height), channels, samples: bytes.subarray(offset, offset + count) };
}

export type DcmtkRoute = 'dcmj2pnm' | 'dcml2pnm' | 'gdcmconv-raw';

/** Renders the first frame with dcmtk's min-max window (+Wm) read as LINEAR (+Wfl: dcmtk would otherwise
 * keep the header's VOI LUT Function, e.g. SIGMOID, for its computed window; ours is LINEAR), at original size. */
export function dcmtkMinMaxRendering(file: string, route: DcmtkRoute): Pnm {
  const scratch = mkdtempSync(join(tmpdir(), 'qoq-dcmtk-'));
  try {
    let input = file;
    if (route === 'gdcmconv-raw') {
      input = join(scratch, 'raw.dcm');
      execFileSync('gdcmconv', ['--raw', file, input], { stdio: 'pipe' });
    }
    const output = join(scratch, 'out.pnm');
    execFileSync(route === 'dcml2pnm' ? 'dcml2pnm' : 'dcmj2pnm', ['+Wm', '+Wfl', '+op', input, output], { stdio: 'pipe' });
    return parsePnm(new Uint8Array(readFileSync(output)));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
