// MIMIC-CXR v2.0.0 (datasets.md): files/p10/p10000032/s50414267/<dicom_id>.dcm with the study's report
// beside its folder (files/p10/p10000032/s50414267.txt), mimic-cxr-2.0.0-chexpert.csv (1.0 / 0.0 /
// −1.0 / empty), -metadata.csv and -split.csv (train / validate / test), each also gzipped as
// MIMIC-CXR-JPG ships them. Images are DX in JPEG baseline, explicit VR little endian or JPEG 2000.
import { gzipSync } from 'node:zlib';
import { csvText, pandasFloat, type CsvValue } from '../csv-text';
import { drawChestXray } from '../chest-xray-scene';
import { dicomDate, hexId, imageAttributes, SOP_CLASS } from '../dicom-attributes';
import { itemPath, writeFileMakingFolders, type DatasetGenerator, type IndexFile, type PlanContext, type RenderTask } from '../dataset-generator';
import { encodeDicom, TRANSFER_SYNTAX_UID, type TransferSyntax } from '../formats/dicom-file';
import { planItems, truthOf } from '../item-plan';
import { Prng } from '../prng';
import { writeChestReport } from '../radiology-report';
import type { StudyIdentity } from '../dicom-attributes';

const CHEXPERT_CSV_COLUMNS = [
  'Atelectasis', 'Cardiomegaly', 'Consolidation', 'Edema', 'Enlarged Cardiomediastinum', 'Fracture', 'Lung Lesion', 'Lung Opacity',
  'No Finding', 'Pleural Effusion', 'Pleural Other', 'Pneumonia', 'Pneumothorax', 'Support Devices',
] as const;

interface MimicRender {
  readonly latent: readonly string[];
  readonly path: string;
  readonly signal: number;
  readonly width: number;
  readonly height: number;
  readonly transferSyntax: TransferSyntax;
  readonly identity: StudyIdentity;
  readonly viewPosition: string;
}

function transferSyntaxOf(index: number): TransferSyntax {
  if (index % 10 === 3) return 'explicit-le';
  if (index % 25 === 7) return 'jpeg2000';
  return 'jpeg-baseline';
}

export const mimicCxr: DatasetGenerator = {
  layout: 'mimic-cxr',
  plan({ spec, dataset, seed, scale }: PlanContext) {
    const items = planItems(spec, dataset, scale, seed, { perPatient: [1, 4] });
    const prng = Prng.derive(seed, dataset.dataset_key, 'ids');
    const truth = [];
    const renders: RenderTask[] = [];
    const chexpertRows: CsvValue[][] = [];
    const metadataRows: CsvValue[][] = [];
    const splitRows: CsvValue[][] = [];
    const reportFiles: IndexFile[] = [];
    const subjects = new Map<number, { subjectId: string; sex: 'M' | 'F'; age: number; name: string; firstDay: number }>();
    for (const item of items) {
      let subject = subjects.get(item.patient);
      if (!subject) {
        subject = { subjectId: `1${prng.digits(7)}`, sex: prng.pick(['M', 'F'] as const), age: prng.intBetween(20, 90), name: `${prng.pick(['Smith', 'Garcia', 'Khan', 'Rossi'])}^${prng.pick(['Ann', 'Luis', 'Omar', 'Ida'])}`, firstDay: prng.int(2000) };
        subjects.set(item.patient, subject);
      }
      const studyId = `5${prng.digits(7)}`;
      const dicomId = [8, 8, 8, 8, 8].map((length) => hexId(prng, length)).join('-');
      const folder = `files/p${subject.subjectId.slice(0, 2)}/p${subject.subjectId}`;
      const path = `${folder}/s${studyId}/${dicomId}.dcm`;
      const reportPath = `${folder}/s${studyId}.txt`;
      const multiMegapixel = item.index === 5;
      const transferSyntax = multiMegapixel ? 'jpeg-baseline' : transferSyntaxOf(item.index);
      const width = multiMegapixel ? 1400 : transferSyntax === 'jpeg-baseline' ? 256 : 160;
      const height = multiMegapixel ? 1700 : transferSyntax === 'jpeg-baseline' ? 256 + 16 * prng.int(5) : 192;
      const studyDay = subject.firstDay + item.visit * 40;
      const viewPosition = prng.chance(0.6) ? 'PA' : 'AP';
      const identity: StudyIdentity = {
        patientId: subject.subjectId,
        patientName: subject.name,
        patientSex: subject.sex,
        patientAge: subject.age,
        studyInstanceUid: prng.uid(),
        seriesInstanceUid: prng.uid(),
        sopInstanceUid: prng.uid(),
        studyDate: dicomDate(studyDay),
        accessionNumber: prng.digits(8),
      };
      const report = writeChestReport(item.labels, { age: subject.age, sex: subject.sex, studyDay, mrn: prng.digits(7), accession: identity.accessionNumber }, Prng.derive(seed, 'mimic-report', item.index));
      const cells = CHEXPERT_CSV_COLUMNS.map((column) => (item.labels.includes(column) ? pandasFloat(1) : column !== 'No Finding' && prng.chance(0.2) ? pandasFloat(0) : ''));
      chexpertRows.push([subject.subjectId, studyId, ...cells]);
      metadataRows.push([dicomId, subject.subjectId, studyId, 'CHEST (PA AND LAT)', viewPosition, height, width, identity.studyDate, '101500.000', 'CHEST (PA AND LAT)', viewPosition === 'PA' ? 'postero-anterior' : 'antero-posterior', 'Erect']);
      splitRows.push([dicomId, studyId, subject.subjectId, item.split === 'validation' ? 'validate' : item.split]);
      truth.push(
        truthOf(dataset, item, {
          id: path,
          patientId: subject.subjectId,
          format: { width, height, transfer_syntax: TRANSFER_SYNTAX_UID[transferSyntax], photometric: 'MONOCHROME2', frames: 1, study_id: studyId },
          report: { path: reportPath, phi: report.phi },
        }),
      );
      renders.push({ layout: 'mimic-cxr', folder: dataset.folder, seed, index: item.index, params: { latent: item.latent, path, signal: item.signal, width, height, transferSyntax, identity, viewPosition } satisfies MimicRender });
      reportFiles.push({ path: reportPath, content: report.text });
    }
    const byFirst = (a: CsvValue[], b: CsvValue[]) => (String(a[0]) + String(a[1]) < String(b[0]) + String(b[1]) ? -1 : 1);
    const csvFiles: Array<[string, string]> = [
      ['mimic-cxr-2.0.0-chexpert.csv', csvText(['subject_id', 'study_id', ...CHEXPERT_CSV_COLUMNS], chexpertRows.sort(byFirst))],
      ['mimic-cxr-2.0.0-metadata.csv', csvText(['dicom_id', 'subject_id', 'study_id', 'PerformedProcedureStepDescription', 'ViewPosition', 'Rows', 'Columns', 'StudyDate', 'StudyTime', 'ProcedureCodeSequence_CodeMeaning', 'ViewCodeSequence_CodeMeaning', 'PatientOrientationCodeSequence_CodeMeaning'], metadataRows.sort(byFirst))],
      ['mimic-cxr-2.0.0-split.csv', csvText(['dicom_id', 'study_id', 'subject_id', 'split'], splitRows.sort(byFirst))],
    ];
    const indexFiles: IndexFile[] = [];
    for (const [name, text] of csvFiles) {
      indexFiles.push({ path: name, content: text });
      // gzip with no file name and mtime 0: the same bytes every run.
      indexFiles.push({ path: `${name}.gz`, content: gzipSync(Buffer.from(text), { level: 9 }) });
    }
    return { truth, renders, indexFiles: [...indexFiles, ...reportFiles] };
  },
  async render(task, outputRoot) {
    const params = task.params as MimicRender;
    const scene = drawChestXray(params.latent, params.signal, Prng.derive(task.seed, 'mimic-cxr', task.index), params.width, params.height);
    const eightBit = params.transferSyntax === 'jpeg-baseline';
    for (let index = 0; index < scene.raster.pixels.length; index += 1) scene.raster.pixels[index] *= eightBit ? 255 : 4095;
    const bytes = await encodeDicom({
      attributes: imageAttributes(params.identity, SOP_CLASS.digitalXRayPresentation, 'DX', { ViewPosition: params.viewPosition, PresentationIntentType: 'FOR PRESENTATION', BodyPartExamined: 'CHEST' }),
      rows: params.height,
      columns: params.width,
      bitsStored: eightBit ? 8 : 12,
      photometricInterpretation: 'MONOCHROME2',
      frames: [eightBit ? scene.raster.toUint8() : scene.raster.toUint16(4095)],
      transferSyntax: params.transferSyntax,
    });
    writeFileMakingFolders(itemPath(outputRoot, task, params.path), bytes);
    return scene.boxes;
  },
};
