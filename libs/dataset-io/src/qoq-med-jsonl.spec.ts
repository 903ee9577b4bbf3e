import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DatasetRow } from './column-spec';
import { QOQ_MED_FIELDS, qoqMedJsonLine, toQoqMedRecord, writeQoqMedJsonl } from './qoq-med-jsonl';
import { syntheticPairRecords } from './synthetic-pair-records';

const root = mkdtempSync(join(tmpdir(), 'qoq-jsonl-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const imageRow: DatasetRow = {
  id: 'r1', problem: '<image>\nWhat is the BI-RADS? \u2028 🫀', answer: 'BI-RADS 4', images: ['mammo/vindr/ab12.png'],
  'time-series': null, dataset: 'vindr', bbox: [10, 20.5, 300, 400], segmentation_path: null,
  dataset_key: 'mammo/vindr', domain: 'mammo', split: 'train', labels: ['BI-RADS 4'],
};
const ecgRow: DatasetRow = {
  id: 'r2', problem: '<ecg>\nDiagnosis?', answer: 'Normal', images: [], 'time-series': ['ecg/ptb-xl/cd34.npy'],
  dataset: 'ptb-xl', bbox: null, segmentation_path: null, dataset_key: 'ecg/ptb-xl', domain: 'ecg', split: 'test',
};

describe('the official QoQ-Med JSONL export', () => {
  it('writes a line that parses to exactly the official fields, in the official order', async () => {
    const parsed = JSON.parse(qoqMedJsonLine(await toQoqMedRecord({ ...imageRow, segmentation_path: 'mammo/vindr/ab12_mask.png', 'time-series': ['x.npy'] })));
    expect(Object.keys(parsed)).toEqual([...QOQ_MED_FIELDS]);
  });

  it('omits the optional fields that are null and never leaks our own columns', async () => {
    const image = JSON.parse(qoqMedJsonLine(await toQoqMedRecord(imageRow)));
    expect(image).toEqual({ problem: imageRow.problem, answer: 'BI-RADS 4', images: ['mammo/vindr/ab12.png'], dataset: 'vindr', bbox: [10, 20.5, 300, 400] });
    expect(Object.keys(image)).toEqual(['problem', 'answer', 'images', 'dataset', 'bbox']);
    const ecg = JSON.parse(qoqMedJsonLine(await toQoqMedRecord(ecgRow)));
    expect(Object.keys(ecg)).toEqual(['problem', 'answer', 'images', 'time-series', 'dataset']);
  });

  it('keeps one record on one line even with U+2028 in the prompt', async () => {
    const line = qoqMedJsonLine(await toQoqMedRecord(imageRow));
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(JSON.parse(line).problem).toBe(imageRow.problem);
  });

  it('passes every media path through the hook (where the pairs stage copies and converts media)', async () => {
    const seen: string[] = [];
    const record = await toQoqMedRecord({ ...ecgRow, segmentation_path: 'ecg/ptb-xl/m.png' }, (path, role) => {
      seen.push(`${role}:${path}`);
      return role === 'time-series' ? path.replace(/\.npy$/, '.pt') : path;
    });
    expect(record['time-series']).toEqual(['ecg/ptb-xl/cd34.pt']);
    expect(seen).toEqual(['time-series:ecg/ptb-xl/cd34.npy', 'segmentation:ecg/ptb-xl/m.png']);
  });

  it('writes train, validation and test files whose every line has exactly official keys', async () => {
    const exportDir = join(root, 'qoq-med');
    const files = await writeQoqMedJsonl(syntheticPairRecords(5_000, 9), exportDir);
    expect(readdirSync(exportDir).sort()).toEqual(['test.jsonl', 'train.jsonl', 'validation.jsonl']);
    const expectedBySplit = { train: 0, validation: 0, test: 0 } as Record<string, number>;
    for (const row of syntheticPairRecords(5_000, 9)) expectedBySplit[row.split as string]++;
    const official = new Set<string>(QOQ_MED_FIELDS);
    for (const file of files) {
      const lines = readFileSync(join(exportDir, file.name), 'utf8').split('\n').filter(Boolean);
      expect(lines.length).toBe(expectedBySplit[file.split]);
      expect(file.rows).toBe(lines.length);
      for (const line of lines) {
        const keys = Object.keys(JSON.parse(line));
        expect(keys.every((k) => official.has(k))).toBe(true);
        expect(keys.filter((k) => ['problem', 'answer', 'images', 'dataset'].includes(k))).toEqual(['problem', 'answer', 'images', 'dataset']);
      }
    }
  });

  it('refuses a row with an unknown split and leaves no file behind', async () => {
    const exportDir = join(root, 'bad-split');
    await expect(writeQoqMedJsonl([{ ...imageRow, split: 'dev' }], exportDir)).rejects.toMatchObject({ code: 'EXPORT_RECORD_INVALID' });
    expect(readdirSync(exportDir)).toEqual([]);
  });
});
