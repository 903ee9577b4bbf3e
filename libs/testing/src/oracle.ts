// Independent oracles (dcmtk, pydicom, scipy, torch, chromium) come from Debian packages that
// .ci/run installs from tools/ci/apt-packages.txt. A test that needs one must never pass silently
// without it: under CI=true a missing oracle is a failure, on a developer's machine a visible skip.
import { spawnSync } from 'node:child_process';

/** Debian's interpreter, where python3-pydicom, -scipy and -torch live (not a pyenv python on PATH). */
export const DEBIAN_PYTHON = '/usr/bin/python3';

export interface OracleProbe {
  /** What the oracle is, for the message: `pydicom (python3-pydicom)`. */
  readonly name: string;
  /** A command and arguments that exit 0 when the oracle is usable. */
  readonly probe: readonly [string, ...string[]];
}

export const ORACLES = {
  pydicom: { name: 'pydicom (python3-pydicom)', probe: [DEBIAN_PYTHON, '-c', 'import pydicom, numpy'] },
  gdcm: { name: 'GDCM (python3-gdcm)', probe: [DEBIAN_PYTHON, '-c', 'import gdcm'] },
  scipy: { name: 'SciPy (python3-scipy)', probe: [DEBIAN_PYTHON, '-c', 'import scipy.signal'] },
  torch: { name: 'PyTorch (python3-torch)', probe: [DEBIAN_PYTHON, '-c', 'import torch'] },
  pil: { name: 'Pillow (python3-pil)', probe: [DEBIAN_PYTHON, '-c', 'import PIL.Image, PIL.ImageCms, numpy'] },
  dcmtk: { name: 'dcmtk (dcmtk)', probe: ['dcmdump', '--version'] },
  gdcmconv: { name: 'gdcmconv (libgdcm-tools)', probe: ['gdcmconv', '--version'] },
  openjph: { name: 'OpenJPH (openjph-tools)', probe: ['ojph_compress', '-h'] },
  opj: { name: 'OpenJPEG (libopenjp2-tools)', probe: ['opj_decompress', '-h'] },
  chromium: { name: 'Chromium (chromium)', probe: ['chromium', '--version'] },
} as const satisfies Record<string, OracleProbe>;

export type OracleName = keyof typeof ORACLES;

const cache = new Map<OracleName, boolean>();

/** True when the oracle runs here. */
export function oracleAvailable(name: OracleName): boolean {
  const known = cache.get(name);
  if (known !== undefined) return known;
  const [command, ...args] = ORACLES[name].probe;
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 60_000 });
  // Some tools print usage and exit non-zero for -h; "ran at all" is what matters (ENOENT is not).
  const available = result.error === undefined && (result.status === 0 || name === 'openjph' || name === 'opj');
  cache.set(name, available);
  return available;
}

/**
 * Decides whether an oracle-backed test runs. Returns true to run it; false to skip it (only outside
 * CI). Under CI=true a missing oracle throws, so the suite fails instead of skipping.
 */
export function requireOracle(name: OracleName): boolean {
  if (oracleAvailable(name)) return true;
  const message = `oracle ${ORACLES[name].name} is not installed: see tools/ci/apt-packages.txt`;
  if (process.env['CI'] === 'true') throw new Error(message);
  console.warn(`SKIPPED: ${message}`);
  return false;
}
