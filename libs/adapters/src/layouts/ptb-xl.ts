// PTB-XL 1.0.3 (datasets.md): ptbxl_database.csv (ecg_id, patient_id, …, scp_codes as a Python-dict
// string code → likelihood %, …, strat_fold, filename_lr, filename_hr) and scp_statements.csv (first
// column the SCP code; diagnostic, rhythm, diagnostic_class).
// Labels: a DIAGNOSTIC statement (diagnostic == 1) with likelihood ≥ the threshold gives its
// diagnostic_class (code system ptb-xl-diagnostic-class); every statement is also looked up as itself
// (code system scp-code: AFIB, AFLT) WITHOUT threshold, because rhythm statements carry 0.0.
// Row granularity: one sample per ECG record (media = the WFDB record name, no extension).
// Patient key: patient_id. Split: strat_fold 1–8 train, 9 validation, 10 test (PTB-XL's recommendation).
import type { RawCode, Split } from '@qoq/catalog';
import type { Adapter } from '../adapter-context';
import { newSample } from '../adapter-context';
import { csvRows, isCsvRow, isFile, requiredFile, sortedItems } from '../dataset-files';
import { parsePythonDict } from '../python-literal';
import { AdapterError, rejectItem, sampleItem, type AdapterItem } from '../source-sample';

const QUALITY_COLUMNS = ['baseline_drift', 'static_noise', 'burst_noise', 'electrodes_problems', 'extra_beats', 'pacemaker'];

function splitOfFold(fold: number): Split | null {
  if (fold >= 1 && fold <= 8) return 'train';
  if (fold === 9) return 'validation';
  if (fold === 10) return 'test';
  return null;
}

/** pandas writes integer ids as floats ("15709.0"): the patient key is the integer. */
function integerText(value: string): string {
  const number = Number(value);
  return value.trim() !== '' && Number.isInteger(number) ? String(number) : value;
}

export const readPtbXl: Adapter = async function* (context) {
  const { root, options, catalog, dataset } = context;
  const threshold = options.ptbXlLikelihoodThreshold ?? 50;
  if (!Number.isFinite(threshold)) throw new AdapterError('ADAPTER_BAD_OPTION', `ptbXlLikelihoodThreshold ${threshold} is not a number`, '');
  const recordColumn = (options.ptbXlSamplingFrequency ?? 500) === 100 ? 'filename_lr' : 'filename_hr';
  const databasePath = await requiredFile(root, ['ptbxl_database.csv']);
  const statementsPath = await requiredFile(root, ['scp_statements.csv']);
  const keyed: Array<{ key: string; item: AdapterItem }> = [];

  const diagnosticClassOf = new Map<string, string>();
  let codeColumn: string | null = null;
  for await (const row of csvRows(root, statementsPath, ['diagnostic', 'diagnostic_class'])) {
    if (!isCsvRow(row)) {
      keyed.push({ key: statementsPath, item: row });
      continue;
    }
    codeColumn ??= Object.keys(row.values)[0]; // the index column: unnamed in the release
    if (Number(row.values.diagnostic) === 1 && row.values.diagnostic_class !== '') diagnosticClassOf.set(row.values[codeColumn], row.values.diagnostic_class);
  }

  for await (const row of csvRows(root, databasePath, ['ecg_id', 'patient_id', 'scp_codes', 'strat_fold', recordColumn])) {
    if (!isCsvRow(row)) {
      keyed.push({ key: databasePath, item: row });
      continue;
    }
    const values = row.values;
    const record = values[recordColumn];
    let statements: Map<string, unknown>;
    try {
      statements = parsePythonDict(values.scp_codes);
    } catch (error) {
      keyed.push({ key: record, item: rejectItem('ADAPTER_BAD_VALUE', databasePath, `line ${row.line}: scp_codes: ${(error as Error).message}`) });
      continue;
    }
    const rawCodes: RawCode[] = [];
    for (const [code, likelihood] of statements) {
      rawCodes.push({ codeSystem: 'scp-code', code });
      const diagnosticClass = diagnosticClassOf.get(code);
      if (diagnosticClass !== undefined && typeof likelihood === 'number' && likelihood >= threshold) {
        rawCodes.push({ codeSystem: 'ptb-xl-diagnostic-class', code: diagnosticClass });
      }
    }
    const labels = catalog.labelsFromCodes(dataset.dataset_key, rawCodes);
    if (labels === null) {
      keyed.push({ key: record, item: rejectItem('ADAPTER_UNKNOWN_LABEL', databasePath, `line ${row.line}: no statement maps to an answer`) });
      continue;
    }
    if (!(await isFile(root, `${record}.hea`))) {
      keyed.push({ key: record, item: rejectItem('ADAPTER_MEDIA_MISSING', `${record}.hea`, `ecg_id ${values.ecg_id}: WFDB header not found`) });
      continue;
    }
    const attributes: Record<string, string | number | null> = { ecg_id: integerText(values.ecg_id), strat_fold: Number(values.strat_fold), age: values.age ?? null, sex: values.sex ?? null };
    for (const column of QUALITY_COLUMNS) if (column in values) attributes[column] = values[column] === '' ? null : values[column];
    keyed.push({
      key: record,
      item: sampleItem(newSample(context, {
        media: [record],
        labels,
        rawCodes,
        boxes: [],
        masks: [],
        patientKey: integerText(values.patient_id),
        officialSplit: splitOfFold(Number(values.strat_fold)),
        attributes,
      })),
    });
  }
  yield* sortedItems(keyed);
};
