// tools/bench/deid (issue 5 "Done when"): precision and recall per identifier type of the report scrubber
// (on the sample's MIMIC-CXR reports and their truth) and of the DICOM header de-identifier (on seeded
// headers), each beside a peer run in the same process tree on the same inputs, with throughput ratios.
//
//   npx nx run bench-deid:run [-- --headers=2000 --repeat=3 --rounds=3 --json=FILE]
// Timings alternate between ours and the peers for --rounds rounds; the medians are printed.
// Needs the sample (npx nx run sample:generate), /usr/bin/python3 with pydicom, gdcmanon and openssl.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SEEDED_IDENTIFIER_TYPES, SEEDED_PLACEMENTS } from '@qoq/deid';
import { PHI_TYPES, type TypeScore } from '@qoq/reports';
import { findWorkspaceRoot, type Salt } from '@qoq/runtime';
import { benchHeaders, type Tally, type ToolResult, type ToolScore } from './header-bench';
import { benchReports } from './report-bench';

const { values } = parseArgs({
  options: {
    headers: { type: 'string', default: '2000' },
    repeat: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    json: { type: 'string' },
  },
});
const headerCount = Number(values.headers);
const repeat = Number(values.repeat);
const rounds = Number(values.rounds);
if (![headerCount, repeat, rounds].every((n) => Number.isInteger(n) && n >= 1)) throw new Error('--headers, --repeat and --rounds must be positive integers');

const percent = (value: number | null): string => (value === null ? '—' : `${(100 * value).toFixed(1)} %`);
const rate = (tally: Tally | undefined): string => (tally === undefined || tally.seeded === 0 ? '—' : `${percent(tally.removed / tally.seeded)} (${tally.seeded - tally.removed} left)`);
const isScore = (result: ToolResult): result is ToolScore => !('error' in result);
const rounded = (value: number): string => (value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1));

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

async function main(): Promise<void> {
  const root = findWorkspaceRoot();
  const scratch = await mkdtemp(join(tmpdir(), 'qoq-bench-deid-'));
  const salt: Salt = { bytes: Buffer.from('bench-deid salt, not a secret!!'), isPublicSample: false };
  const out: string[] = [];
  try {
    process.stderr.write('reports: scrubbing the sample’s MIMIC-CXR reports (ours, then the regex peer)…\n');
    const reports = await benchReports(join(root, 'data/sample/raw'), scratch, repeat, rounds);
    const peer = 'error' in reports.peer ? undefined : reports.peer;
    out.push(`## Report scrubber — ${reports.reports} sample MIMIC-CXR reports, ${reports.identifiers} inserted identifiers\n`);
    const scoreCells = (score: TypeScore | undefined) => (score === undefined ? ['—', '—', '—'] : [String(score.predicted), percent(score.precision), percent(score.recall)]);
    const typeRows = PHI_TYPES.filter((type) => reports.ours.evaluation.byType[type].support > 0 || reports.ours.evaluation.byType[type].predicted > 0).map((type) => [
      type,
      String(reports.ours.evaluation.byType[type].support),
      ...scoreCells(reports.ours.evaluation.byType[type]),
      ...scoreCells(peer?.evaluation.byType[type]),
    ]);
    typeRows.push(['**all**', String(reports.ours.evaluation.overall.support), ...scoreCells(reports.ours.evaluation.overall), ...scoreCells(peer?.evaluation.overall)]);
    out.push(table(['type', 'support', 'ours spans', 'ours precision', 'ours recall', 'peer spans', 'peer precision', 'peer recall'], typeRows));
    out.push(
      `\nTokens of the text outside the identifiers that survive: ours ${percent(reports.ours.evaluation.survival.rate)}, regex peer ${percent(peer?.evaluation.survival.rate ?? null)} (of ${reports.ours.evaluation.survival.tokens}).`,
    );
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    out.push(
      peer
        ? `Throughput (medians of ${rounds} alternating rounds of ${repeat} passes, 1 thread): ours ${rounded(reports.ours.reportsPerCpuSecond)} reports per CPU-second, regex peer ${rounded(peer.reportsPerCpuSecond)} → ${ratio(reports.ours.reportsPerCpuSecond, peer.reportsPerCpuSecond)} (wall: ${rounded(reports.ours.reportsPerSecond)} vs ${rounded(peer.reportsPerSecond)} reports/s, ${ratio(reports.ours.reportsPerSecond, peer.reportsPerSecond)})\n`
        : `Throughput: ours ${rounded(reports.ours.reportsPerCpuSecond)} reports per CPU-second; the regex peer failed: ${'error' in reports.peer ? reports.peer.error : ''}\n`,
    );

    process.stderr.write(`headers: generating ${headerCount} seeded DICOM headers, then ours, gdcmanon, pydicom…\n`);
    const headers = await benchHeaders(headerCount, scratch, salt, rounds);
    const tools: [string, ToolResult][] = [
      ['ours', headers.ours],
      ['gdcmanon', headers.gdcmanon],
      ['pydicom script', headers.pydicom],
    ];
    const scored = tools.filter((entry): entry is [string, ToolScore] => isScore(entry[1]));
    out.push(`## DICOM header de-identifier — ${headers.headers} seeded headers, ${headers.identifiers} identifying values (medians of ${rounds} alternating rounds)\n`);
    out.push('Recall: identifiers of which nothing survives (left: how many survived somewhere).\n');
    out.push(
      table(
        ['identifier type', 'seeded', ...scored.map(([name]) => name)],
        SEEDED_IDENTIFIER_TYPES.map((type) => [type, String(headers.ours.byType.get(type)?.seeded ?? 0), ...scored.map(([, score]) => rate(score.byType.get(type)))]),
      ),
    );
    out.push('');
    out.push(
      table(
        ['placement', 'seeded', ...scored.map(([name]) => name)],
        SEEDED_PLACEMENTS.map((placement) => [placement, String(headers.ours.byPlacement.get(placement)?.seeded ?? 0), ...scored.map(([, score]) => rate(score.byPlacement.get(placement)))]),
      ),
    );
    out.push('\nPrecision: keep-list values (pixel module, geometry, acquisition, age < 90, sex) left intact.\n');
    out.push(
      table(
        ['', ...scored.map(([name]) => name)],
        [
          ['kept values intact', ...scored.map(([, score]) => `${percent(score.kept.intact / score.kept.total)} of ${score.kept.total}`)],
          ['most often changed', ...scored.map(([, score]) => [...score.kept.changed].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([keyword, n]) => `${keyword} (${n})`).join(', ') || '—')],
          ['most often leaked', ...scored.map(([, score]) => [...score.leaks].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([attribute, n]) => `${attribute} (${n})`).join(', ') || '—')],
          ['headers per CPU-second', ...scored.map(([, score]) => rounded(score.headersPerCpuSecond))],
          ['ours ÷ this (CPU)', ...scored.map(([, score]) => (score === headers.ours ? '—' : ratio(headers.ours.headersPerCpuSecond, score.headersPerCpuSecond)))],
          ['headers/s (wall)', ...scored.map(([, score]) => rounded(score.headersPerSecond))],
          ['ours ÷ this (wall)', ...scored.map(([, score]) => (score === headers.ours ? '—' : ratio(headers.ours.headersPerSecond, score.headersPerSecond)))],
          ['timed', ...scored.map(([, score]) => score.timed)],
        ],
      ),
    );
    for (const [name, result] of tools) if (!isScore(result)) out.push(`\n${name} failed: ${result.error}`);
    process.stdout.write(`${out.join('\n')}\n`);

    if (values.json) {
      const plain = (score: ToolResult) =>
        isScore(score)
          ? { ...score, byType: Object.fromEntries(score.byType), byPlacement: Object.fromEntries(score.byPlacement), kept: { ...score.kept, changed: Object.fromEntries(score.kept.changed) }, leaks: Object.fromEntries(score.leaks) }
          : score;
      await writeFile(
        values.json,
        `${JSON.stringify({ reports: { ...reports, ours: { ...reports.ours, evaluation: { ...reports.ours.evaluation, misses: reports.ours.evaluation.misses.length } }, peer: peer ? { ...peer, evaluation: { ...peer.evaluation, misses: peer.evaluation.misses.length } } : reports.peer }, headers: { headers: headers.headers, identifiers: headers.identifiers, ours: plain(headers.ours), gdcmanon: plain(headers.gdcmanon), pydicom: plain(headers.pydicom) } }, null, 2)}\n`,
      );
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

await main();
