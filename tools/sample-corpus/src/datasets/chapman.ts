// PhysioNet/CinC Challenge 2021, Chapman-Shaoxing source (datasets.md): training/chapman_shaoxing/g1/
// JS00001.hea + JS00001.mat. The .mat is MATLAB v4 with one int16 matrix 'val' (leads × samples) whose
// data start at byte 24, hence the header's `16+24`; the record line puts the date before the time
// (`JS00001 12 500 5000 05-Feb-2020 11:39:16`); comments give #Age, #Sex, #Dx (SNOMED CT codes), #Rx,
// #Hx, #Sx. Each class maps to SNOMED codes the catalog maps back (one class per record).
import { itemPath, writeFileMakingFolders, type DatasetGenerator, type PlanContext, type RenderTask } from '../dataset-generator';
import { synthesizeEcg, toDigital, type EcgClass } from '../ecg-synth';
import { matlabV4Bytes, wfdbHeader } from '../formats/wfdb-record';
import { planItems, truthOf } from '../item-plan';
import { Prng } from '../prng';

const SNOMED_OF_CLASS: Record<EcgClass, string[]> = {
  Normal: ['426783006'],
  'Atrial Fibrillation/Flutter': ['164889003', '164890007'],
  'Conduction Disturbance': ['164909002', '59118001', '270492004'],
  'ST/T Change': ['164934002'],
  'Myocardial Infarction': ['164865005'],
  Hypertrophy: ['164873001'],
};
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const RECORDS_PER_GROUP = 150;

interface ChapmanRender {
  readonly ecgClass: EcgClass;
  readonly record: string;
  readonly signal: number;
  readonly comments: string[];
  readonly baseTimeAndDate: string;
}

export const chapman: DatasetGenerator = {
  layout: 'physionet-2021',
  plan({ spec, dataset, seed, scale }: PlanContext) {
    const items = planItems(spec, dataset, scale, seed, { perPatient: [1, 1] });
    const prng = Prng.derive(seed, dataset.dataset_key, 'rows');
    const truth = [];
    const renders: RenderTask[] = [];
    for (const item of items) {
      const name = `JS${String(item.index + 1).padStart(5, '0')}`;
      const record = `training/chapman_shaoxing/g${1 + Math.floor(item.index / RECORDS_PER_GROUP)}/${name}`;
      const dx = prng.pick(SNOMED_OF_CLASS[item.labels[0] as EcgClass]);
      const two = (value: number) => String(value).padStart(2, '0');
      const baseTimeAndDate = `${two(1 + prng.int(28))}-${prng.pick(MONTHS)}-2020 ${two(prng.int(24))}:${two(prng.int(60))}:${two(prng.int(60))}`;
      const comments = [`#Age: ${prng.intBetween(20, 89)}`, `#Sex: ${prng.pick(['Male', 'Female'])}`, `#Dx: ${dx}`, '#Rx: Unknown', '#Hx: Unknown', '#Sx: Unknown'];
      truth.push(truthOf(dataset, item, { id: `${record}.hea`, patientId: name, format: { record, sampling_frequency: 500, samples: 5000, dx } }));
      renders.push({ layout: 'physionet-2021', folder: dataset.folder, seed, index: item.index, params: { ecgClass: item.latent[0] as EcgClass, record, signal: item.signal, comments, baseTimeAndDate } satisfies ChapmanRender });
    }
    return { truth, renders, indexFiles: [] };
  },
  async render(task, outputRoot) {
    const params = task.params as ChapmanRender;
    const ecg = synthesizeEcg(params.ecgClass, params.signal, Prng.derive(task.seed, 'chapman', task.index));
    const leads = ecg.leads.map((trace) => toDigital(trace));
    const name = params.record.slice(params.record.lastIndexOf('/') + 1);
    writeFileMakingFolders(itemPath(outputRoot, task, `${params.record}.mat`), matlabV4Bytes(leads));
    writeFileMakingFolders(
      itemPath(outputRoot, task, `${params.record}.hea`),
      wfdbHeader(leads, { recordName: name, samplingFrequency: 500, signalFile: `${name}.mat`, format: '16+24', gain: '1000/mV', baseTimeAndDate: params.baseTimeAndDate, comments: params.comments }),
    );
  },
};
