import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DOMAIN_IDS } from '@qoq/catalog';
import { requireOracle } from '@qoq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStatsCommand } from './stats-stage';
import { writeSyntheticCorpus } from './synthetic-corpus';
import { writeSyntheticStages } from './synthetic-stages';

const run = promisify(execFile);
let workDir: string;
let reportPath: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'qoq-stats-report-'));
  const corpus = join(workDir, 'corpus');
  const plan = {
    rows: { 'ecg/ptb-xl': 40, 'chest_xray/vindr': 60, 'mammo/vindr': 20, 'derm/ham10000': 30, 'fundus/aptos': 15, 'pathology/lc25000': 12, 'ultrasound/busi': 9, 'mri/brain_tumor': 8, 'ct/rspect': 90 },
  };
  await writeSyntheticCorpus(corpus, plan);
  await writeSyntheticStages(join(workDir, 'ingest'), corpus, plan);
  const lines: string[] = [];
  for (let step = 0; step < 3; step++) {
    for (const key of ['ecg/ptb-xl', 'ct/rspect', 'derm/ham10000']) {
      for (let rollout = 0; rollout < 4; rollout++) {
        const accuracy = ((step + rollout) % 3) / 2;
        lines.push(JSON.stringify({ step, question_id: `${key}-${step}`, domain: key.split('/')[0], dataset_key: key, reward: accuracy + 0.3, components: { accuracy, format: 0.3 } }));
      }
    }
  }
  writeFileSync(join(workDir, 'rollouts.jsonl'), lines.join('\n') + '\n');
  const output = join(workDir, 'stats');
  await runStatsCommand('report', [`--input=${corpus}`, `--output=${output}`, `--rollouts=${join(workDir, 'rollouts.jsonl')}`, `--media-from=${join(workDir, 'ingest')}`], { stdout: () => undefined });
  reportPath = join(output, 'report.html');
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function chromiumArgs(profile: string): string[] {
  return ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${profile}`, '--enable-logging=stderr', '--v=0'];
}

describe('report.html in headless Chromium', () => {
  it.runIf(requireOracle('chromium'))('lists all nine domains, every plot has marks, no console errors, and a screenshot is taken', async () => {
    const dump = await run('/usr/bin/chromium', [...chromiumArgs(join(workDir, 'profile-dom')), '--dump-dom', `file://${reportPath}`], { timeout: 90_000, maxBuffer: 64 << 20 });
    const dom = dump.stdout;
    for (const domain of DOMAIN_IDS) expect(dom).toContain(`<th scope="row">${domain}</th>`);
    const plots = [...dom.matchAll(/<svg class="plot" data-plot="([^"]+)"([^>]*)>([\s\S]*?)<\/svg>/g)].map(([, kind, attributes, body]) => [kind, attributes, body]);
    const kinds = new Set(plots.map((plot) => plot[0]));
    expect([...kinds].sort()).toEqual(['composition', 'ecg-durations', 'image-sizes', 'label-prevalence', 'rarity-difficulty', 'reward-distribution']);
    for (const [kind, , body] of plots) {
      const marks = kind === 'rarity-difficulty' || kind === 'image-sizes' ? (body.match(/<circle/g) ?? []).length : (body.match(/<rect/g) ?? []).length;
      expect(marks, kind).toBeGreaterThan(0);
    }
    const circles = (measure: string): number => (plots.find((p) => p[0] === 'rarity-difficulty' && p[1].includes(measure))?.[2].match(/<circle/g) ?? []).length;
    expect(circles('chance-set-f1')).toBe(9);
    expect(circles('mean-reward')).toBe(3);
    // Image sizes: one circle per (domain, distinct source size), a legend entry per image domain (8 + the
    // synthetic stages' local/extra, domain (unknown)).
    const sizes = plots.find((p) => p[0] === 'image-sizes')?.[2] ?? '';
    expect((sizes.match(/<circle/g) ?? []).length).toBeGreaterThan(8);
    expect((sizes.match(/<rect/g) ?? []).length).toBe(9);
    expect(dom).toContain('<h2>Media and pipeline</h2>');
    for (const stage of ['ingest:dicom', 'ingest:images', 'ingest:ecg']) expect(dom).toContain(`<th scope="row">${stage}</th>`);
    expect(dump.stderr).not.toMatch(/CONSOLE|Uncaught|Refused to/);

    const png = join(workDir, 'report.png');
    await run('/usr/bin/chromium', [...chromiumArgs(join(workDir, 'profile-shot')), `--screenshot=${png}`, '--window-size=1280,2400', `file://${reportPath}`], { timeout: 90_000 });
    expect(existsSync(png)).toBe(true);
    expect(readFileSync(png).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  }, 200_000);
});
