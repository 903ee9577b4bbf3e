// PTB-XL 1.0.3 (datasets.md): ptbxl_database.csv (scp_codes as a Python-dict string, strat_fold 1–8
// train, 9 validation, 10 test, filename_lr / filename_hr), scp_statements.csv, and WFDB records
// records500/00000/00001_hr (.hea + .dat, format 16, gain 1000/mV, 12 leads in PTB-XL order) with
// their 100 Hz copies in records100/. Several patients have more than one ECG. Rhythm statements
// (SR, AFIB, AFLT) carry likelihood 0.0, diagnostic ones 100.0 or less.
import { csvText, pandasFloat, type CsvValue } from '../csv-text';
import { itemPath, writeFileMakingFolders, type DatasetGenerator, type PlanContext, type RenderTask } from '../dataset-generator';
import { decimate, synthesizeEcg, toDigital, type EcgClass } from '../ecg-synth';
import { formatSixteenBytes, wfdbHeader } from '../formats/wfdb-record';
import { planItems, truthOf } from '../item-plan';
import { Prng } from '../prng';

/** Diagnostic SCP statements per class (any one is drawn) and the rhythm statement that goes with it. */
const SCP_OF_CLASS: Record<EcgClass, { diagnostic: string[]; rhythm: string[] }> = {
  Normal: { diagnostic: ['NORM'], rhythm: ['SR'] },
  'Conduction Disturbance': { diagnostic: ['CLBBB', 'CRBBB', '1AVB', 'IRBBB'], rhythm: ['SR'] },
  Hypertrophy: { diagnostic: ['LVH'], rhythm: ['SR'] },
  'Myocardial Infarction': { diagnostic: ['IMI', 'ASMI', 'AMI'], rhythm: ['SR'] },
  'ST/T Change': { diagnostic: ['NDT', 'ISC_'], rhythm: ['SR'] },
  'Atrial Fibrillation/Flutter': { diagnostic: [], rhythm: ['AFIB', 'AFLT'] },
};

// scp_statements.csv rows: code, description, diagnostic, form, rhythm, diagnostic_class, diagnostic_subclass.
const SCP_STATEMENTS: CsvValue[][] = [
  ['1AVB', 'first degree AV block', '1.0', '', '', 'CD', '_AVB'],
  ['AFIB', 'atrial fibrillation', '', '', '1.0', '', ''],
  ['AFLT', 'atrial flutter', '', '', '1.0', '', ''],
  ['AMI', 'anterior myocardial infarction', '1.0', '', '', 'MI', 'AMI'],
  ['ASMI', 'anteroseptal myocardial infarction', '1.0', '', '', 'MI', 'AMI'],
  ['CLBBB', 'complete left bundle branch block', '1.0', '', '', 'CD', 'CLBBB'],
  ['CRBBB', 'complete right bundle branch block', '1.0', '', '', 'CD', 'CRBBB'],
  ['IMI', 'inferior myocardial infarction', '1.0', '', '', 'MI', 'IMI'],
  ['IRBBB', 'incomplete right bundle branch block', '1.0', '', '', 'CD', 'IRBBB'],
  ['ISC_', 'non-specific ischemic', '1.0', '', '', 'STTC', 'ISC_'],
  ['LVH', 'left ventricular hypertrophy', '1.0', '', '', 'HYP', 'LVH'],
  ['NDT', 'non-diagnostic T abnormalities', '1.0', '1.0', '', 'STTC', 'STTC'],
  ['NORM', 'normal ECG', '1.0', '', '', 'NORM', 'NORM'],
  ['SR', 'sinus rhythm', '', '', '1.0', '', ''],
];

interface PtbxlRender {
  readonly ecgClass: EcgClass;
  readonly recordHr: string;
  readonly recordLr: string;
  readonly signal: number;
}

export function scpCodesText(ecgClass: EcgClass, prng: Prng): string {
  const statements = SCP_OF_CLASS[ecgClass];
  const entries: string[] = [];
  if (statements.diagnostic.length > 0) entries.push(`'${prng.pick(statements.diagnostic)}': ${pandasFloat(prng.pick([100, 100, 80]))}`);
  entries.push(`'${prng.pick(statements.rhythm)}': 0.0`);
  return `{${entries.join(', ')}}`;
}

export const ptbxl: DatasetGenerator = {
  layout: 'ptb-xl',
  plan({ spec, dataset, seed, scale }: PlanContext) {
    const items = planItems(spec, dataset, scale, seed, { perPatient: [1, 3] });
    const prng = Prng.derive(seed, dataset.dataset_key, 'rows');
    const truth = [];
    const renders: RenderTask[] = [];
    const rows: CsvValue[][] = [];
    const patients = new Map<number, { id: number; age: number; sex: number }>();
    for (const item of items) {
      let patient = patients.get(item.patient);
      if (!patient) {
        patient = { id: 1000 + item.patient * 7 + prng.int(7), age: prng.intBetween(18, 89), sex: prng.int(2) };
        patients.set(item.patient, patient);
      }
      const ecgId = item.index + 1;
      const folder = String(Math.floor(ecgId / 1000) * 1000).padStart(5, '0');
      const name = String(ecgId).padStart(5, '0');
      const recordHr = `records500/${folder}/${name}_hr`;
      const recordLr = `records100/${folder}/${name}_lr`;
      const strataFold = item.split === 'test' ? 10 : item.split === 'validation' ? 9 : 1 + (item.patient % 8);
      const day = 1 + prng.int(28);
      rows.push([
        ecgId, pandasFloat(patient.id), pandasFloat(patient.age), patient.sex, '', '', pandasFloat(prng.int(12)), pandasFloat(prng.int(3)), prng.pick(['CS-12   E', 'AT-6 C 5.5', 'CS100    3']),
        `19${prng.intBetween(86, 99)}-${String(1 + prng.int(12)).padStart(2, '0')}-${String(day).padStart(2, '0')} 09:${String(prng.int(60)).padStart(2, '0')}:00`,
        'sinusrhythmus normales ekg', scpCodesText(item.labels[0] as EcgClass, prng), '', '', '', '', 'False', 'False', 'True',
        prng.chance(0.08) ? ', V1-V3,' : '', prng.chance(0.1) ? ', I-AVR,' : '', '', '', '', '', strataFold, recordLr, recordHr,
      ]);
      truth.push(truthOf(dataset, item, { id: `${recordHr}.hea`, patientId: String(patient.id), format: { record: recordHr, record_lr: recordLr, sampling_frequency: 500, samples: 5000, strat_fold: strataFold } }));
      renders.push({ layout: 'ptb-xl', folder: dataset.folder, seed, index: item.index, params: { ecgClass: item.latent[0] as EcgClass, recordHr, recordLr, signal: item.signal } satisfies PtbxlRender });
    }
    const header = [
      'ecg_id', 'patient_id', 'age', 'sex', 'height', 'weight', 'nurse', 'site', 'device', 'recording_date', 'report', 'scp_codes', 'heart_axis',
      'infarction_stadium1', 'infarction_stadium2', 'validated_by', 'second_opinion', 'initial_autogenerated_report', 'validated_by_human',
      'baseline_drift', 'static_noise', 'burst_noise', 'electrodes_problems', 'extra_beats', 'pacemaker', 'strat_fold', 'filename_lr', 'filename_hr',
    ];
    return {
      truth,
      renders,
      indexFiles: [
        { path: 'ptbxl_database.csv', content: csvText(header, rows) },
        { path: 'scp_statements.csv', content: csvText(['', 'description', 'diagnostic', 'form', 'rhythm', 'diagnostic_class', 'diagnostic_subclass'], SCP_STATEMENTS) },
      ],
    };
  },
  async render(task, outputRoot) {
    const params = task.params as PtbxlRender;
    const ecg = synthesizeEcg(params.ecgClass, params.signal, Prng.derive(task.seed, 'ptb-xl', task.index));
    for (const [record, factor, frequency] of [[params.recordHr, 1, 500], [params.recordLr, 5, 100]] as const) {
      const leads = ecg.leads.map((trace) => toDigital(factor === 1 ? trace : decimate(trace, factor)));
      const name = record.slice(record.lastIndexOf('/') + 1);
      writeFileMakingFolders(itemPath(outputRoot, task, `${record}.dat`), formatSixteenBytes(leads));
      writeFileMakingFolders(
        itemPath(outputRoot, task, `${record}.hea`),
        wfdbHeader(leads, { recordName: name, samplingFrequency: frequency, signalFile: `${name}.dat`, format: '16', gain: '1000.0(0)/mV', baseTimeAndDate: '', comments: [] }),
      );
    }
  },
};
