// The "Done when": Debian python3-pydicom's test files that pydicom (with GDCM) decodes, and
// generated files for the syntaxes and photometrics that corpus lacks, decode to the oracle's values.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireOracle } from '@qoq/testing';
import { decodeFrames, parseDicom, TransferSyntax } from '../src/index';
import { CASES, type ConformanceCase } from './conformance-cases';
import { renderConformance } from './conformance-table';
import { compareWithOracle, FIXTURES, pydicomArrays, type OracleArray } from './oracle-compare';

// pydicom test files that are not decodable images (no pixel data, truncated, no meta header to name
// the syntax, or a deliberately broken codestream): the parser and robustness specs use them.
const NOT_IMAGES = new Set([
  'MR_truncated.dcm',
  'ExplVR_BigEndNoMeta.dcm',
  'ExplVR_LitEndNoMeta.dcm',
  'no_meta_group_length.dcm',
  'rtplan.dcm',
  'nested_priv_SQ.dcm',
  // Four codestream bytes overwritten with a Sequence Delimiter (pydicom issue #1140): GDCM returns an
  // image from the broken SIZ marker; OpenJPEG refuses, and robustness.spec.ts expects that rejection.
  'JPEG2000-embedded-sequence-delimiter.dcm',
]);

const oracleArgument = (c: ConformanceCase) =>
  c.oracle === 'ojph_expand' ? `ojph:${join(FIXTURES, c.fixture)}` : join(FIXTURES, c.twin ?? c.fixture);

describe('the conformance table', () => {
  it('lists every decodable pydicom test file', () => {
    const files = readdirSync(join(FIXTURES, 'pydicom')).filter((name) => name.endsWith('.dcm') && !NOT_IMAGES.has(name));
    const listed = CASES.filter((c) => c.fixture.startsWith('pydicom/')).map((c) => c.fixture.slice('pydicom/'.length));
    expect([...listed].sort()).toEqual([...files].sort());
  });

  it('has a row for every transfer syntax of the TransferSyntax table', () => {
    const covered = new Set(CASES.map((c) => c.transferSyntax));
    const missing = Object.values(TransferSyntax).filter((ts) => !covered.has(ts.uid)).map((ts) => ts.uid);
    expect(missing).toEqual([]);
  });

  it('covers the photometrics and pixel cells the issue names', () => {
    const photometrics = new Set(CASES.map((c) => c.photometric));
    for (const p of ['MONOCHROME1', 'MONOCHROME2', 'RGB', 'YBR_FULL', 'YBR_FULL_422', 'YBR_RCT', 'PALETTE COLOR']) {
      expect(photometrics, p).toContain(p);
    }
    const allocated = new Set(CASES.map((c) => c.bitsAllocated));
    for (const bits of [1, 8, 16, 32]) expect(allocated, `${bits} bits allocated`).toContain(bits);
  });

  it('is what CONFORMANCE.md shows', () => {
    expect(readFileSync(join(FIXTURES, '..', 'CONFORMANCE.md'), 'utf8')).toBe(renderConformance(CASES));
  });

  it.each(CASES.map((c) => [c.fixture, c] as const))('row %s describes its file', (_, c) => {
    const dataset = parseDicom(new Uint8Array(readFileSync(join(FIXTURES, c.fixture))));
    expect({
      transferSyntax: dataset.transferSyntax.uid,
      photometric: dataset.string('PhotometricInterpretation'),
      bitsAllocated: dataset.number('BitsAllocated'),
      bitsStored: dataset.number('BitsStored'),
      frames: dataset.number('NumberOfFrames') ?? 1,
    }).toEqual({
      transferSyntax: c.transferSyntax,
      photometric: c.photometric,
      bitsAllocated: c.bitsAllocated,
      bitsStored: c.bitsStored,
      frames: c.frames,
    });
  });
});

const needsOjph = CASES.some((c) => c.oracle === 'ojph_expand');
describe.runIf(requireOracle('pydicom') && requireOracle('gdcm') && (!needsOjph || requireOracle('openjph')))(
  'decoded values equal the oracle',
  () => {
    let oracle: Map<string, OracleArray>;
    beforeAll(() => {
      oracle = pydicomArrays(CASES.map(oracleArgument));
    });

    it.each(CASES.map((c) => [c.fixture, c.oracle, c] as const))('%s (%s)', async (_, __, c) => {
      const reference = oracle.get(oracleArgument(c));
      expect(reference?.error).toBeUndefined();
      if (reference?.values === undefined) throw new Error(`no oracle array for ${c.fixture}`);
      const dataset = parseDicom(new Uint8Array(readFileSync(join(FIXTURES, c.fixture))), { path: c.fixture });
      const image = await decodeFrames(dataset, 'all');
      expect(image.frames).toHaveLength(c.frames);
      const difference = compareWithOracle(image, reference.values);
      expect(difference.maxAbs, `${difference.count} samples differ, first at ${difference.firstAt}`).toBeLessThanOrEqual(c.tolerance);
    });
  },
);
