// The header de-identifier on N seeded DICOM headers (@qoq/deid seededDicomHeader: identifying values in
// every PN role, IDs, UIDs, dates, an age over 89, institution, contacts, free text, at the top level,
// in sequences two deep and in private blocks), against, on the same files in the same run: GDCM's
// gdcmanon (its PS3.15 Basic Profile, originals encrypted into the file) and the pydicom script people
// write (peer_pydicom_deid.py, driven by our own Annex E table). For each: recall (the seeded
// identifiers of which no probe survives), the keep-list values left intact (our precision: what a
// de-identifier must not destroy), and headers/s.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDicom } from '@qoq/dicom';
import { deidentify, fromDicomDataset, seededDicomHeader, type DataSetTree, type SeededDicomHeader, type SeededIdentifierType, type SeededPlacement } from '@qoq/deid';
import { findWorkspaceRoot, type Salt } from '@qoq/runtime';
import { DEBIAN_PYTHON } from '@qoq/testing';
import { runCapturing } from './run-capturing';

export interface Tally {
  readonly seeded: number;
  readonly removed: number;
}

export interface ToolScore {
  readonly byType: ReadonlyMap<SeededIdentifierType, Tally>;
  readonly byPlacement: ReadonlyMap<SeededPlacement, Tally>;
  /** Keep-list values: how many were written, how many came out unchanged, which keywords changed most. */
  readonly kept: { readonly total: number; readonly intact: number; readonly changed: ReadonlyMap<string, number> };
  /** Attribute paths of the identifiers that survived, with how often. */
  readonly leaks: ReadonlyMap<string, number>;
  /** Medians over the rounds: per second of wall time, and per CPU-second (steadier on a loaded machine). */
  readonly headersPerSecond: number;
  readonly headersPerCpuSecond: number;
  /** What the time covers. */
  readonly timed: string;
}

export type ToolResult = ToolScore | { readonly error: string };

export interface HeaderBenchResult {
  readonly headers: number;
  readonly identifiers: number;
  readonly ours: ToolScore;
  readonly gdcmanon: ToolResult;
  readonly pydicom: ToolResult;
}

function serialize(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => (inner instanceof Uint8Array ? Buffer.from(inner).toString('latin1') : inner)).toLowerCase();
}

function valueAt(tree: DataSetTree, tag: string): string | number | undefined {
  const element = tree.find((candidate) => candidate.tag === tag);
  if (element?.value.kind === 'text') return element.value.values.join('\\');
  if (element?.value.kind === 'numbers') return element.value.values[0];
  return undefined;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

class Scorer {
  private readonly byType = new Map<SeededIdentifierType, { seeded: number; removed: number }>();
  private readonly byPlacement = new Map<SeededPlacement, { seeded: number; removed: number }>();
  private readonly changed = new Map<string, number>();
  private readonly leaks = new Map<string, number>();
  private keptTotal = 0;
  private keptIntact = 0;

  /** `output`: everything the tool handed on, as lower-case text; `tree`: its de-identified data set. */
  score(header: SeededDicomHeader, output: string, tree: DataSetTree): void {
    for (const identifier of header.identifiers) {
      const survived = identifier.probes.some((probe) => output.includes(probe.toLowerCase()));
      for (const [map, key] of [[this.byType, identifier.type], [this.byPlacement, identifier.placement]] as const) {
        const tally = (map as Map<string, { seeded: number; removed: number }>).get(key) ?? { seeded: 0, removed: 0 };
        tally.seeded += 1;
        if (!survived) tally.removed += 1;
        (map as Map<string, { seeded: number; removed: number }>).set(key, tally);
      }
      if (survived) this.leaks.set(identifier.attribute, (this.leaks.get(identifier.attribute) ?? 0) + 1);
    }
    for (const kept of header.kept) {
      this.keptTotal += 1;
      const value = valueAt(tree, kept.tag);
      if (value === kept.value || (typeof value === 'string' && value.trim() === String(kept.value))) this.keptIntact += 1;
      else this.changed.set(kept.keyword, (this.changed.get(kept.keyword) ?? 0) + 1);
    }
  }

  result(rates: { wall: number[]; cpu: number[] }, timed: string): ToolScore {
    return {
      byType: this.byType,
      byPlacement: this.byPlacement,
      kept: { total: this.keptTotal, intact: this.keptIntact, changed: this.changed },
      leaks: this.leaks,
      headersPerSecond: median(rates.wall),
      headersPerCpuSecond: median(rates.cpu),
      timed,
    };
  }
}

const nameOf = (index: number): string => `${String(index).padStart(6, '0')}.dcm`;

/** Scores a peer's output folder: each file parsed by @qoq/dicom, its raw bytes searched as well. */
async function scoreFolder(headers: readonly SeededDicomHeader[], folder: string, rates: { wall: number[]; cpu: number[] }, timed: string): Promise<ToolScore> {
  const scorer = new Scorer();
  for (const [index, header] of headers.entries()) {
    const bytes = new Uint8Array(await readFile(join(folder, nameOf(index))));
    const tree = fromDicomDataset(parseDicom(bytes));
    scorer.score(header, `${Buffer.from(bytes).toString('latin1').toLowerCase()}\n${serialize(tree)}`, tree);
  }
  return scorer.result(rates, timed);
}


/**
 * `rounds` alternating timings of the three (ours, gdcmanon, pydicom, ours, …), so that the load of a
 * shared machine falls on all of them alike; headers/s is the median, the scores are those of round 1.
 */
export async function benchHeaders(count: number, scratch: string, salt: Salt, rounds: number): Promise<HeaderBenchResult> {
  const input = join(scratch, 'headers');
  await mkdir(input, { recursive: true });
  const headers = Array.from({ length: count }, (_, index) => seededDicomHeader(index + 1, { rows: 64, columns: 64 }));
  for (const [index, header] of headers.entries()) await writeFile(join(input, nameOf(index)), header.bytes);
  const paths = headers.map((_, index) => join(input, nameOf(index)));

  // Ours: read, parse, de-identify (dates shifted, the stage's default), in this process, after a warm-up
  // pass over the first 100 files. No DICOM is written: the stage hands on the de-identified tree.
  const once = async (path: string) => deidentify(fromDicomDataset(parseDicom(new Uint8Array(await readFile(path)))), { salt, dateMode: 'shift', burnedIn: 'flagged' });
  for (const path of paths.slice(0, 100)) await once(path);
  const oursRates = { wall: [] as number[], cpu: [] as number[] };
  const runOurs = async () => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const results = [];
    for (const path of paths) results.push(await once(path));
    const used = process.cpuUsage(cpu);
    oursRates.wall.push(count / ((performance.now() - started) / 1000));
    oursRates.cpu.push(count / ((used.user + used.system) / 1e6));
    return results;
  };

  const key = join(scratch, 'key.pem');
  const certificate = join(scratch, 'cert.pem');
  let gdcmanonError: string | undefined;
  try {
    await runCapturing('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', certificate, '-days', '1', '-subj', '/CN=qoq-bench-deid']);
  } catch (error) {
    gdcmanonError = String((error as Error).message ?? error);
  }
  const gdcmanonRates = { wall: [] as number[], cpu: [] as number[] };
  const runGdcmanon = async (out: string) => {
    await mkdir(out, { recursive: true });
    // GNU time prints the process's user and system CPU seconds as the last line of standard error.
    const run = await runCapturing('/usr/bin/time', ['-f', '%U %S', 'gdcmanon', '-e', '-c', certificate, '-i', input, '-o', out, '-r', '--continue'], scratch);
    const [user, system] = (run.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
    gdcmanonRates.wall.push(count / run.seconds);
    gdcmanonRates.cpu.push(count / ((user ?? Number.NaN) + (system ?? Number.NaN)));
  };

  const specs = join(findWorkspaceRoot(), 'data-specs/deid');
  const script = fileURLToPath(new URL('./peer_pydicom_deid.py', import.meta.url));
  const pydicomRates = { wall: [] as number[], cpu: [] as number[] };
  const writeSeconds: number[] = [];
  const runPydicom = async (out: string) => {
    await mkdir(out, { recursive: true });
    const { stdout } = await runCapturing(DEBIAN_PYTHON, [script, join(specs, 'basic-profile.json'), join(specs, 'keep-list.json'), input, out, salt.bytes.toString('latin1')]);
    const timing = JSON.parse(stdout) as { files: number; deid_seconds: number; deid_cpu_seconds: number; write_seconds: number };
    pydicomRates.wall.push(timing.files / timing.deid_seconds);
    pydicomRates.cpu.push(timing.files / timing.deid_cpu_seconds);
    writeSeconds.push(timing.write_seconds);
  };

  let oursResults: Awaited<ReturnType<typeof runOurs>> = [];
  let pydicomError: string | undefined;
  for (let round = 0; round < rounds; round += 1) {
    const results = await runOurs();
    if (round === 0) oursResults = results;
    if (gdcmanonError === undefined) {
      try {
        await runGdcmanon(join(scratch, `gdcmanon-${round}`));
      } catch (error) {
        gdcmanonError = String((error as Error).message ?? error);
      }
    }
    if (pydicomError === undefined) {
      try {
        await runPydicom(join(scratch, `pydicom-${round}`));
      } catch (error) {
        pydicomError = String((error as Error).message ?? error);
      }
    }
  }

  const scorer = new Scorer();
  oursResults.forEach((result, index) => scorer.score(headers[index] as SeededDicomHeader, serialize({ elements: result.elements, metadata: result.metadata, audit: result.audit }), result.elements));
  const ours = scorer.result(oursRates, 'read + parse + de-identify, 1 thread (no DICOM written)');
  const gdcmanon: ToolResult =
    gdcmanonError !== undefined
      ? { error: gdcmanonError }
      : await scoreFolder(headers, join(scratch, 'gdcmanon-0'), gdcmanonRates, 'the whole process: read + de-identify + encrypt originals + write');
  const pydicom: ToolResult =
    pydicomError !== undefined
      ? { error: pydicomError }
      : await scoreFolder(headers, join(scratch, 'pydicom-0'), pydicomRates, `read + de-identify in its loop (writing: ${median(writeSeconds).toFixed(1)} s more)`);
  return { headers: count, identifiers: headers.reduce((sum, header) => sum + header.identifiers.length, 0), ours, gdcmanon, pydicom };
}
