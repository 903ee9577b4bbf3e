// The report scrubber on the sample's MIMIC-CXR reports, whose inserted identifiers the generator
// records in data/sample/raw/truth.json (`report.phi`: kind and [start, end) in the decoded text):
// precision and recall per kind by @qoq/reports' evaluateScrubber, for ours and for the regex scrubber
// people write (peer_regex_scrubber.py, scored by the same function), and reports/s of each.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeReportText, evaluateScrubber, scrubPhi, truthType, type PhiSpan, type PhiType, type ScrubberCase, type ScrubberEvaluation } from '@qoq/reports';
import { DEBIAN_PYTHON } from '@qoq/testing';
import { runCapturing } from './run-capturing';

interface TruthItem {
  readonly dataset_key: string;
  readonly report?: { readonly path: string; readonly phi: readonly { type: string; text: string; start: number; end: number }[] };
}

export interface ReportBenchResult {
  readonly reports: number;
  readonly identifiers: number;
  readonly ours: ScrubberRun;
  readonly peer: ScrubberRun | { readonly error: string };
}

export interface ScrubberRun {
  readonly evaluation: ScrubberEvaluation;
  /** Medians over the rounds: per second of wall time, and per CPU-second (steadier on a loaded machine). */
  readonly reportsPerSecond: number;
  readonly reportsPerCpuSecond: number;
}

/** The sample's reports with their truth, each report once; the truth's text is checked against the file. */
export async function loadSampleReports(sampleRaw: string): Promise<ScrubberCase[]> {
  const truth = JSON.parse(await readFile(join(sampleRaw, 'truth.json'), 'utf8')) as { items: TruthItem[] };
  const folders = new Map((JSON.parse(await readFile(join(sampleRaw, 'sources.json'), 'utf8')) as { dataset_key: string; folder: string }[]).map((s) => [s.dataset_key, s.folder]));
  const seen = new Set<string>();
  const cases: ScrubberCase[] = [];
  for (const item of truth.items) {
    if (item.report === undefined || seen.has(`${item.dataset_key}/${item.report.path}`)) continue;
    seen.add(`${item.dataset_key}/${item.report.path}`);
    const folder = folders.get(item.dataset_key);
    if (folder === undefined) throw new Error(`truth.json names ${item.dataset_key}, which sources.json lacks`);
    const text = decodeReportText(new Uint8Array(await readFile(join(sampleRaw, folder, item.report.path))));
    for (const phi of item.report.phi) {
      if (text.slice(phi.start, phi.end) !== phi.text) throw new Error(`truth span [${phi.start}, ${phi.end}) of ${item.report.path} does not match its text`);
    }
    // Sentences free of identifiers: the text between the identifiers, whose tokens should survive.
    const sorted = [...item.report.phi].sort((a, b) => a.start - b.start);
    const phiFree: { start: number; end: number }[] = [];
    let at = 0;
    for (const phi of sorted) {
      if (phi.start > at) phiFree.push({ start: at, end: phi.start });
      at = Math.max(at, phi.end);
    }
    if (at < text.length) phiFree.push({ start: at, end: text.length });
    cases.push({ text, phi: item.report.phi.map(({ type, start, end }) => ({ type, start, end })), phiFree });
  }
  return cases;
}

/** Python indexes strings by code point, JavaScript by UTF-16 unit: offsets of the peer, converted. */
function utf16Offsets(text: string): number[] {
  const offsets: number[] = [];
  let unit = 0;
  for (const character of text) {
    offsets.push(unit);
    unit += character.length;
  }
  offsets.push(unit);
  return offsets;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** `rounds` alternating timings of ours and the peer, each of `repeat` passes over every report; medians. */
export async function benchReports(sampleRaw: string, scratch: string, repeat: number, rounds: number): Promise<ReportBenchResult> {
  const cases = await loadSampleReports(sampleRaw);
  const texts = cases.map((c) => c.text);
  const input = join(scratch, 'reports.json');
  await writeFile(input, JSON.stringify(texts));
  // Ours: one warm-up pass (the JIT), then `repeat` timed passes in this process.
  for (const text of texts) scrubPhi(text);
  const oursRates = { wall: [] as number[], cpu: [] as number[] };
  const peerRates = { wall: [] as number[], cpu: [] as number[] };
  let peerSpans: [string, number, number][][] | undefined;
  let peerError: string | undefined;
  for (let round = 0; round < rounds; round += 1) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    for (let pass = 0; pass < repeat; pass += 1) for (const text of texts) scrubPhi(text);
    const used = process.cpuUsage(cpu);
    oursRates.wall.push((texts.length * repeat) / ((performance.now() - started) / 1000));
    oursRates.cpu.push((texts.length * repeat) / ((used.user + used.system) / 1e6));
    if (peerError !== undefined) continue;
    try {
      const { stdout } = await runCapturing(DEBIAN_PYTHON, [fileURLToPath(new URL('./peer_regex_scrubber.py', import.meta.url)), input, String(repeat)]);
      const result = JSON.parse(stdout) as { seconds: number; cpu_seconds: number; spans: [string, number, number][][] };
      peerSpans = result.spans;
      peerRates.wall.push((texts.length * repeat) / result.seconds);
      peerRates.cpu.push((texts.length * repeat) / result.cpu_seconds);
    } catch (error) {
      peerError = String((error as Error).message ?? error);
    }
  }
  const ours = { evaluation: evaluateScrubber(cases), reportsPerSecond: median(oursRates.wall), reportsPerCpuSecond: median(oursRates.cpu) };

  let peer: ReportBenchResult['peer'] = { error: peerError ?? 'not run' };
  if (peerError === undefined && peerSpans !== undefined) {
    const spansOf = new Map<string, PhiSpan[]>(
      texts.map((text, i) => {
        const offsets = utf16Offsets(text);
        return [text, (peerSpans?.[i] ?? []).map(([type, start, end]) => ({ type: truthType(type) as PhiType, start: offsets[start] ?? start, end: offsets[end] ?? end }))];
      }),
    );
    const evaluation = evaluateScrubber(cases, (text) => {
      const spans = spansOf.get(text) ?? [];
      let scrubbed = '';
      let at = 0;
      for (const span of spans) {
        scrubbed += `${text.slice(at, span.start)}[${span.type}]`;
        at = span.end;
      }
      return { text: scrubbed + text.slice(at), spans };
    });
    peer = { evaluation, reportsPerSecond: median(peerRates.wall), reportsPerCpuSecond: median(peerRates.cpu) };
  }
  return { reports: cases.length, identifiers: cases.reduce((sum, c) => sum + c.phi.length, 0), ours, peer };
}
