import { afterEach, describe, expect, it } from 'vitest';
import { AdapterError } from '../source-sample';
import { cleanTrees, csv, readAll, writeTree } from '../test-tree.spec-helper';

afterEach(cleanTrees);

const SCP_STATEMENTS = csv([
  ',description,diag,diagnostic,form,rhythm,diagnostic_class,diagnostic_subclass',
  'NORM,normal ECG,,1.0,,,NORM,NORM',
  'IMI,inferior myocardial infarction,,1.0,,,MI,IMI',
  'ISC_,non-specific ischemic,,1.0,,,STTC,ISC_',
  'AFIB,atrial fibrillation,,,,1.0,,',
  'SR,sinus rhythm,,,,1.0,,',
  'ABQRS,abnormal QRS,,,1.0,,,',
]);

const HEADER = 'ecg_id,patient_id,age,sex,scp_codes,baseline_drift,static_noise,pacemaker,strat_fold,filename_lr,filename_hr';

function ptbXlTree(rows: string[], withRecords = ['00001', '00002', '00003', '00004']): string {
  const files: Record<string, string> = { 'ptbxl_database.csv': csv([HEADER, ...rows]), 'scp_statements.csv': SCP_STATEMENTS };
  for (const id of withRecords) files[`records500/00000/${id}_hr.hea`] = `${id}_hr 12 500 5000\n`;
  return writeTree(files);
}

describe('PTB-XL adapter', () => {
  it('keeps atrial fibrillation although its rhythm likelihood is 0.0, and thresholds diagnostic statements only', async () => {
    const root = ptbXlTree([
      `1,15709.0,56.0,1,"{'NORM': 100.0, 'SR': 0.0}",,,,3,records100/00000/00001_lr,records500/00000/00001_hr`,
      `2,13243.0,19.0,0,"{'AFIB': 0.0, 'IMI': 35.0}",", V1-V3,",,,9,records100/00000/00002_lr,records500/00000/00002_hr`,
      `3,13243.0,19.0,0,"{'IMI': 80.0,'ISC_':50.0, 'SR': 0.0}",,,,10,records100/00000/00003_lr,records500/00000/00003_hr`,
      `4,20372.0,40.0,1,"{'ABQRS': 0.0}",,,,1,records100/00000/00004_lr,records500/00000/00004_hr`,
    ]);
    const { samples, rejects } = await readAll('ecg/ptb-xl', root);
    expect(rejects).toEqual([]);
    expect(samples.map((s) => [s.media[0], s.labels, s.officialSplit, s.patientKey])).toEqual([
      ['records500/00000/00001_hr', ['Normal'], 'train', '15709'],
      // IMI at 35 % is below the default 50 %: only the rhythm statement remains.
      ['records500/00000/00002_hr', ['Atrial Fibrillation/Flutter'], 'validation', '13243'],
      ['records500/00000/00003_hr', ['Myocardial Infarction', 'ST/T Change'], 'test', '13243'],
      // A form statement maps to nothing: the catalog's fallback answer.
      ['records500/00000/00004_hr', ['Other'], 'train', '20372'],
    ]);
    expect(samples[0].mediaKind).toBe('ecg');
    expect(samples[1].attributes.baseline_drift).toBe(', V1-V3,');
    const lowered = await readAll('ecg/ptb-xl', root, { ptbXlLikelihoodThreshold: 30 });
    expect(lowered.samples[1].labels).toEqual(['Myocardial Infarction', 'Atrial Fibrillation/Flutter']);
  });

  it('rejects a missing record and a malformed scp_codes, and keeps the others', async () => {
    const root = ptbXlTree(
      [
        `1,1.0,56.0,1,"{'NORM': 100.0}",,,,3,records100/00000/00001_lr,records500/00000/00001_hr`,
        `2,2.0,19.0,0,"{'NORM': 100.0",,,,9,records100/00000/00002_lr,records500/00000/00002_hr`,
        `3,3.0,19.0,0,"{'NORM': 100.0}",,,,9,records100/00000/00003_lr,records500/00000/00003_hr`,
        `4,4.0,19.0,0,"{'NORM': 100.0}",,,9,records100/00000/00004_lr,records500/00000/00004_hr`,
      ],
      ['00001', '00002'],
    );
    const { samples, rejects } = await readAll('ecg/ptb-xl', root);
    expect(samples.map((s) => s.media[0])).toEqual(['records500/00000/00001_hr']);
    expect(rejects.map((r) => r.code).sort()).toEqual(['ADAPTER_BAD_VALUE', 'ADAPTER_MALFORMED_ROW', 'ADAPTER_MEDIA_MISSING']);
    expect(rejects.find((r) => r.code === 'ADAPTER_MEDIA_MISSING')?.path).toBe('records500/00000/00003_hr.hea');
  });

  it('fails the dataset when scp_statements.csv is missing', async () => {
    const root = writeTree({ 'ptbxl_database.csv': csv([HEADER]) });
    await expect(readAll('ecg/ptb-xl', root)).rejects.toMatchObject({ code: 'ADAPTER_CSV_MISSING', path: 'scp_statements.csv' });
    await expect(readAll('ecg/ptb-xl', root)).rejects.toBeInstanceOf(AdapterError);
  });
});

function challengeHeader(name: string, dx: string | null): string {
  const leads = ['I', 'II'].map((lead) => `${name}.mat 16+24 1000/mV 16 0 28 -1716 0 ${lead}`);
  const comments = ['#Age: 74', '#Sex: Male', ...(dx === null ? [] : [`#Dx: ${dx}`]), '#Rx: Unknown', '#Hx: Unknown', '#Sx: Unknown'];
  return [`${name} 2 500 7500 05-Feb-2020 11:39:16`, ...leads, ...comments].join('\n') + '\n';
}

describe('PhysioNet/CinC 2021 adapter', () => {
  it('maps #Dx SNOMED codes through the catalog, dropping sinus rhythm beside another class', async () => {
    const root = writeTree({
      'training/chapman_shaoxing/g1/JS00001.hea': challengeHeader('JS00001', '426783006'),
      'training/chapman_shaoxing/g1/JS00001.mat': new Uint8Array(24),
      'training/chapman_shaoxing/g1/JS00002.hea': challengeHeader('JS00002', '426783006, 164889003,270492004'),
      'training/chapman_shaoxing/g1/JS00002.mat': new Uint8Array(24),
      'training/chapman_shaoxing/g2/JS00011.hea': challengeHeader('JS00011', '251146004'),
      'training/chapman_shaoxing/g2/JS00011.mat': new Uint8Array(24),
      'training/georgia/g1/E00001.hea': challengeHeader('E00001', '164889003'),
      'training/georgia/g1/E00001.mat': new Uint8Array(24),
    });
    const { samples, rejects } = await readAll('ecg/chapman', root);
    expect(rejects).toEqual([]);
    expect(samples.map((s) => [s.media[0], s.labels, s.patientKey, s.officialSplit])).toEqual([
      ['training/chapman_shaoxing/g1/JS00001', ['Normal'], 'JS00001', null],
      ['training/chapman_shaoxing/g1/JS00002', ['Conduction Disturbance', 'Atrial Fibrillation/Flutter'], 'JS00002', null],
      ['training/chapman_shaoxing/g2/JS00011', ['Other'], 'JS00011', null],
    ]);
    expect(samples[1].rawCodes.map((c) => c.code)).toEqual(['426783006', '164889003', '270492004']);
    expect(samples[0].attributes).toMatchObject({ age: '74', sex: 'Male', source: 'chapman_shaoxing' });
    expect((await readAll('ecg/georgia', root)).samples.map((s) => s.labels)).toEqual([['Atrial Fibrillation/Flutter']]);
  });

  it('rejects a record without #Dx or without its .mat', async () => {
    const root = writeTree({
      'training/cpsc_2018/g1/A0001.hea': challengeHeader('A0001', null),
      'training/cpsc_2018/g1/A0001.mat': new Uint8Array(24),
      'training/cpsc_2018/g1/A0002.hea': challengeHeader('A0002', '164909002'),
    });
    const { samples, rejects } = await readAll('ecg/cpsc', root);
    expect(samples).toEqual([]);
    expect(rejects).toEqual([
      expect.objectContaining({ code: 'ADAPTER_NO_LABEL', path: 'training/cpsc_2018/g1/A0001.hea' }),
      expect.objectContaining({ code: 'ADAPTER_MEDIA_MISSING', path: 'training/cpsc_2018/g1/A0002.mat' }),
    ]);
  });

  it('fails the dataset when none of its source folders exists', async () => {
    await expect(readAll('ecg/cpsc', writeTree({ 'training/georgia/x.hea': '' }))).rejects.toMatchObject({ code: 'ADAPTER_FOLDER_MISSING' });
  });
});
