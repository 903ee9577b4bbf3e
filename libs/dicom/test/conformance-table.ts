// Renders CONFORMANCE.md from the conformance rows (run write-conformance.ts after changing them).
import { TransferSyntax } from '../src/index';
import type { ConformanceCase } from './conformance-cases';

export function renderConformance(cases: readonly ConformanceCase[]): string {
  const names = new Map<string, string>(Object.values(TransferSyntax).map((ts) => [ts.uid, ts.name]));
  const lines = [
    '# libs/dicom conformance',
    '',
    'Every row is a test in `test/conformance.spec.ts`: the fixture is decoded by `decodeFrames(…, "all")` and',
    'compared sample by sample with the oracle (tolerance = largest allowed |ours − oracle|; 0 is exact).',
    'This file is rendered from `test/conformance-cases.ts` by `npx tsx libs/dicom/test/write-conformance.ts`;',
    'a test fails when it is stale or when a transfer syntax of the `TransferSyntax` table has no row.',
    '',
    'Oracles: **pydicom+gdcm** — Debian python3-pydicom 2.3 `pixel_array` with python3-gdcm (YCbCr',
    'converted with pydicom `convert_color_space`, palettes with `apply_color_lut`); **ojph_expand** —',
    'OpenJPH (openjph-tools) on each frame\'s codestream; **pydicom twin** — pydicom on a file with the',
    'same values stored without the quirk under test.',
    '',
    '| transfer syntax | UID | photometric (stored) | bits alloc/stored | frames | fixture | oracle | tolerance | note |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const order = [...names.keys()];
  const sorted = [...cases].sort((a, b) => order.indexOf(a.transferSyntax) - order.indexOf(b.transferSyntax));
  for (const c of sorted) {
    lines.push(
      `| ${names.get(c.transferSyntax) ?? '?'} | ${c.transferSyntax} | ${c.photometric} | ${c.bitsAllocated}/${c.bitsStored} | ${c.frames} | \`${c.fixture}\` | ${c.oracle} | ±${c.tolerance} | ${c.note ?? ''} |`,
    );
  }
  lines.push('', 'Status: every row passes in the last run of `npx vitest run` in libs/dicom (a failing row fails the suite).', '');
  return lines.join('\n');
}
