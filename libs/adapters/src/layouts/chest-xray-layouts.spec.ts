import { afterEach, describe, expect, it } from 'vitest';
import { CHEXPERT_PAPER_UNCERTAINTY } from '../adapter-options';
import { cleanTrees, csv, gzip, readAll, TINY, writeTree } from '../test-tree.spec-helper';

afterEach(cleanTrees);

const LABELS = ['Atelectasis', 'Cardiomegaly', 'Consolidation', 'Edema', 'Enlarged Cardiomediastinum', 'Fracture', 'Lung Lesion', 'Lung Opacity', 'No Finding', 'Pleural Effusion', 'Pleural Other', 'Pneumonia', 'Pneumothorax', 'Support Devices'];

/** A label row in the column order above: cells by label name, the rest empty. */
function labelCells(cells: Record<string, string>): string {
  return LABELS.map((label) => cells[label] ?? '').join(',');
}

describe('CheXpert adapter', () => {
  const header = `Path,Sex,Age,Frontal/Lateral,AP/PA,${LABELS.join(',')}`;
  const image = (patient: string, view: string) => `CheXpert-v1.0-small/train/${patient}/study1/${view}.jpg`;

  function tree(): string {
    return writeTree({
      'CheXpert-v1.0-small/train.csv': csv(
        [
          header,
          `${image('patient00001', 'view1_frontal')},Female,68,Frontal,AP,${labelCells({ 'No Finding': '1.0', 'Support Devices': '1.0' })}`,
          `${image('patient00001', 'view2_lateral')},Female,68,Lateral,,${labelCells({ 'No Finding': '1.0' })}`,
          `${image('patient00002', 'view1_frontal')},Male,87,Frontal,AP,${labelCells({ Atelectasis: '-1.0', Cardiomegaly: '-1.0', Edema: '1.0', 'No Finding': '1.0' })}`,
          `${image('patient00003', 'view1_frontal')},Male,41,Frontal,PA,${labelCells({ Pneumonia: '-1.0' })}`,
          `${image('patient00004', 'view1_frontal')},Male,41,Frontal,PA,${labelCells({ Pneumonia: 'maybe' })}`,
          `${image('patient00005', 'view1_frontal')},Male,41,Frontal,PA,${labelCells({ Fracture: '1.0' })}`,
        ],
        '\r\n',
      ),
      'CheXpert-v1.0-small/valid.csv': csv([header, `CheXpert-v1.0-small/valid/patient64541/study1/view1_frontal.jpg,Male,73,Frontal,AP,${labelCells({ Cardiomegaly: '1.0' })}`]),
      [image('patient00001', 'view1_frontal')]: TINY,
      [image('patient00001', 'view2_lateral')]: TINY,
      [image('patient00002', 'view1_frontal')]: TINY,
      [image('patient00003', 'view1_frontal')]: TINY,
      [image('patient00004', 'view1_frontal')]: TINY,
      'CheXpert-v1.0-small/valid/patient64541/study1/view1_frontal.jpg': TINY,
    });
  }

  it('reads frontal images with the paper’s U-Ones for Atelectasis/Edema, U-Zeros elsewhere, and a consistent No Finding', async () => {
    const { samples, rejects } = await readAll('chest_xray/chexpert_full', tree(), { uncertainty: CHEXPERT_PAPER_UNCERTAINTY });
    expect(samples.map((s) => [s.media[0], s.labels, s.patientKey, s.officialSplit])).toEqual([
      // No Finding beside Support Devices is dropped: No Finding only when nothing else is positive.
      [image('patient00001', 'view1_frontal'), ['Support Devices'], 'patient00001', 'train'],
      // Uncertain Atelectasis becomes positive, uncertain Cardiomegaly negative; No Finding is dropped beside findings.
      [image('patient00002', 'view1_frontal'), ['Atelectasis', 'Edema'], 'patient00002', 'train'],
      // Only an uncertain Pneumonia (U-Zeros): nothing positive is left, so the image has no finding.
      [image('patient00003', 'view1_frontal'), ['No Finding'], 'patient00003', 'train'],
      ['CheXpert-v1.0-small/valid/patient64541/study1/view1_frontal.jpg', ['Cardiomegaly'], 'patient64541', 'test'],
    ]);
    expect(rejects.map((r) => r.code).sort()).toEqual(['ADAPTER_BAD_VALUE', 'ADAPTER_MEDIA_MISSING']);
    expect(samples[1].rawCodes).toContainEqual({ codeSystem: 'chexpert-column', code: 'Cardiomegaly=-1.0' });
  });

  it('treats uncertain mentions as negative by default (U-Zeros)', async () => {
    const { samples } = await readAll('chest_xray/chexpert_full', tree());
    expect(samples.map((s) => s.labels)).toEqual([['Support Devices'], ['Edema'], ['No Finding'], ['Cardiomegaly']]);
  });

  it('applies per-label uncertainty, ignore, the lateral views and the validation split on request', async () => {
    const root = tree();
    const ones = await readAll('chest_xray/chexpert_full', root, { uncertainty: 'ones', views: 'all', chexpertValidSplit: 'validation' });
    expect(ones.samples.map((s) => s.labels)).toEqual([
      ['Support Devices'],
      ['No Finding'],
      ['Atelectasis', 'Cardiomegaly', 'Edema'],
      ['Pneumonia'],
      ['Cardiomegaly'],
    ]);
    expect(ones.samples[4].officialSplit).toBe('validation');
    const ignore = await readAll('chest_xray/chexpert_full', root, { uncertainty: { ...CHEXPERT_PAPER_UNCERTAINTY, Pneumonia: 'ignore' } });
    expect(ignore.samples.map((s) => s.patientKey)).toEqual(['patient00001', 'patient00002', 'patient64541']);
    const raw = await readAll('chest_xray/chexpert_full', root, { noFinding: 'as-labelled', uncertainty: 'zeros' });
    expect(raw.samples.map((s) => s.labels)).toEqual([['Support Devices', 'No Finding'], ['Edema', 'No Finding'], ['Cardiomegaly']]);
    expect(raw.rejects.map((r) => r.code)).toContain('ADAPTER_NO_LABEL');
  });
});

describe('MIMIC-CXR adapter', () => {
  const chexpertHeader = `subject_id,study_id,${LABELS.join(',')}`;
  const metadataHeader = 'dicom_id,subject_id,study_id,PerformedProcedureStepDescription,ViewPosition,Rows,Columns,StudyDate,StudyTime';
  const csvs = {
    chexpert: csv([chexpertHeader, `10000032,50414267,${labelCells({ 'No Finding': '1.0' })}`, `10000764,57375967,${labelCells({ Consolidation: '-1.0', Edema: '-1.0', Pneumonia: '1.0' })}`]),
    metadata: csv([
      metadataHeader,
      '02aa804e-bde0afdd-112c0b34-7bc16630-4e384014,10000032,50414267,CHEST (PA AND LAT),PA,3056,2544,21800506,213014.531',
      '174413ec-4ec4c1f7-34ea26b7-c5f994f8-79ef1962,10000032,50414267,CHEST (PA AND LAT),LATERAL,3056,2544,21800506,213014.531',
      '096052b7-d256dc40-453a102b-fa7d01c6-1b22c6b4,10000764,57375967,CHEST (PORTABLE AP),AP,2705,2539,21321015,145325.531',
      'b79e55c3-735ce5ac-64412506-cdc9ea79-f1af521f,10000764,57375967,CHEST (PORTABLE AP),AP,2544,3056,21321015,145325.531',
    ]),
    split: csv([
      'dicom_id,study_id,subject_id,split',
      '02aa804e-bde0afdd-112c0b34-7bc16630-4e384014,50414267,10000032,train',
      '174413ec-4ec4c1f7-34ea26b7-c5f994f8-79ef1962,50414267,10000032,train',
      '096052b7-d256dc40-453a102b-fa7d01c6-1b22c6b4,57375967,10000764,validate',
      'b79e55c3-735ce5ac-64412506-cdc9ea79-f1af521f,57375967,10000764,validate',
    ]),
  };

  it('reads MIMIC-CXR-JPG with gzipped CSVs, frontal views only, one row per image', async () => {
    // Study 57375967: Pneumonia 1.0, uncertain Consolidation and Edema; the paper's policy makes Edema positive.
    const root = writeTree({
      'mimic-cxr-2.0.0-chexpert.csv.gz': gzip(csvs.chexpert),
      'mimic-cxr-2.0.0-metadata.csv.gz': gzip(csvs.metadata),
      'mimic-cxr-2.0.0-split.csv.gz': gzip(csvs.split),
      'files/p10/p10000032/s50414267/02aa804e-bde0afdd-112c0b34-7bc16630-4e384014.jpg': TINY,
      'files/p10/p10000032/s50414267/174413ec-4ec4c1f7-34ea26b7-c5f994f8-79ef1962.jpg': TINY,
      'files/p10/p10000764/s57375967/096052b7-d256dc40-453a102b-fa7d01c6-1b22c6b4.jpg': TINY,
      'files/p10/p10000764/s57375967/b79e55c3-735ce5ac-64412506-cdc9ea79-f1af521f.jpg': TINY,
      'files/p10/p10000032/s50414267.txt': 'FINDINGS: ___ normal.',
    });
    const { samples, rejects } = await readAll('chest_xray/mimic-cxr', root, { uncertainty: CHEXPERT_PAPER_UNCERTAINTY });
    expect(rejects).toEqual([]);
    expect(samples.map((s) => [s.media, s.labels, s.patientKey, s.officialSplit, s.attributes.view_position])).toEqual([
      [['files/p10/p10000032/s50414267/02aa804e-bde0afdd-112c0b34-7bc16630-4e384014.jpg'], ['No Finding'], '10000032', 'train', 'PA'],
      [['files/p10/p10000764/s57375967/096052b7-d256dc40-453a102b-fa7d01c6-1b22c6b4.jpg'], ['Edema', 'Pneumonia'], '10000764', 'validation', 'AP'],
      [['files/p10/p10000764/s57375967/b79e55c3-735ce5ac-64412506-cdc9ea79-f1af521f.jpg'], ['Edema', 'Pneumonia'], '10000764', 'validation', 'AP'],
    ]);
    expect(samples[0].attributes.report_path).toBe('files/p10/p10000032/s50414267.txt');
  });

  it('reads MIMIC-CXR DICOMs with plain CSVs, per study on request, and rejects a missing image', async () => {
    const root = writeTree({
      'mimic-cxr-2.0.0-chexpert.csv': csvs.chexpert,
      'mimic-cxr-2.0.0-metadata.csv': csvs.metadata,
      'files/p10/p10000032/s50414267/02aa804e-bde0afdd-112c0b34-7bc16630-4e384014.dcm': TINY,
      'files/p10/p10000764/s57375967/096052b7-d256dc40-453a102b-fa7d01c6-1b22c6b4.dcm': TINY,
      'files/p10/p10000764/s57375967/b79e55c3-735ce5ac-64412506-cdc9ea79-f1af521f.dcm': TINY,
    });
    const perStudy = await readAll('chest_xray/mimic-cxr', root, { mimicGranularity: 'study', views: 'all' });
    expect(perStudy.samples.map((s) => s.media.length)).toEqual([1, 2]);
    expect(perStudy.samples[1].officialSplit).toBeNull();
    expect(perStudy.rejects).toEqual([expect.objectContaining({ code: 'ADAPTER_MEDIA_MISSING', path: 'files/p10/p10000032/s50414267/174413ec-4ec4c1f7-34ea26b7-c5f994f8-79ef1962.dcm' })]);
  });

  it('fails the dataset without its label CSV', async () => {
    await expect(readAll('chest_xray/mimic-cxr', writeTree({ 'mimic-cxr-2.0.0-metadata.csv.gz': gzip(csvs.metadata) }))).rejects.toMatchObject({ code: 'ADAPTER_CSV_MISSING' });
  });
});

describe('VinDr-CXR adapter', () => {
  const COLUMNS = ['Aortic enlargement', 'Cardiomegaly', 'Nodule/Mass', 'Pleural effusion', 'COPD', 'Pneumonia', 'Tuberculosis', 'No finding'];
  const row = (image: string, reader: string | null, marked: string[]) => [image, ...(reader === null ? [] : [reader]), ...COLUMNS.map((c) => (marked.includes(c) ? '1' : '0'))].join(',');
  const boxHeader = 'image_id,rad_id,class_name,x_min,y_min,x_max,y_max';

  function tree(): string {
    return writeTree({
      'annotations/image_labels_train.csv': csv([
        `image_id,rad_id,${COLUMNS.join(',')}`,
        row('000434271f63a053c4128a0ba6352c7f', 'R2', ['Cardiomegaly', 'Pleural effusion']),
        row('000434271f63a053c4128a0ba6352c7f', 'R3', ['Cardiomegaly', 'Nodule/Mass']),
        row('000434271f63a053c4128a0ba6352c7f', 'R6', ['Cardiomegaly', 'Pleural effusion', 'Pneumonia']),
        row('00053190460d56c53cc3e57321387478', 'R11', ['No finding']),
        row('00053190460d56c53cc3e57321387478', 'R8', ['No finding']),
        row('00053190460d56c53cc3e57321387478', 'R9', ['Aortic enlargement']),
      ]),
      'annotations/annotations_train.csv': csv([
        boxHeader,
        '000434271f63a053c4128a0ba6352c7f,R2,Cardiomegaly,100,200,300,400',
        '000434271f63a053c4128a0ba6352c7f,R3,Cardiomegaly,110,210,310,410',
        '000434271f63a053c4128a0ba6352c7f,R6,Cardiomegaly,120,190,290,420',
        '000434271f63a053c4128a0ba6352c7f,R2,Pleural effusion,10,10,50,60',
        '000434271f63a053c4128a0ba6352c7f,R6,Pleural effusion,500,500,540,560',
        '000434271f63a053c4128a0ba6352c7f,R3,Nodule/Mass,5,5,15,15',
        '00053190460d56c53cc3e57321387478,R11,No finding,,,,',
        '00053190460d56c53cc3e57321387478,R8,No finding,,,,',
        '00053190460d56c53cc3e57321387478,R9,Aortic enlargement,1,2,3,4',
      ]),
      'annotations/image_labels_test.csv': csv([`image_id,${COLUMNS.join(',')}`, row('002a34c58c5b758217ed1f584ccbcfe9', null, ['Tuberculosis', 'Aortic enlargement'])]),
      'annotations/annotations_test.csv': csv(['image_id,class_name,x_min,y_min,x_max,y_max', '002a34c58c5b758217ed1f584ccbcfe9,Aortic enlargement,7,8,9,10']),
      'train/000434271f63a053c4128a0ba6352c7f.dicom': TINY,
      'train/00053190460d56c53cc3e57321387478.dicom': TINY,
      'test/002a34c58c5b758217ed1f584ccbcfe9.dicom': TINY,
    });
  }

  it('keeps what a majority of the three readers marked and fuses their boxes by IoU ≥ 0.5', async () => {
    const { samples, rejects } = await readAll('chest_xray/vindr', tree());
    expect(rejects).toEqual([]);
    // Sorted by media path: test/ before train/.
    const [test, first, second] = samples;
    expect(first.labels).toEqual(['Cardiomegaly', 'Pleural effusion']);
    expect(first.boxes).toEqual([
      // Three overlapping Cardiomegaly boxes → their mean; two disjoint effusion boxes stay two.
      { x_min: 110, y_min: 200, x_max: 300, y_max: 410, label: 'Cardiomegaly' },
      { x_min: 10, y_min: 10, x_max: 50, y_max: 60, label: 'Pleural effusion' },
      { x_min: 500, y_min: 500, x_max: 540, y_max: 560, label: 'Pleural effusion' },
    ]);
    expect(second.labels).toEqual(['No finding']);
    expect(second.boxes).toEqual([]);
    expect(test).toMatchObject({ media: ['test/002a34c58c5b758217ed1f584ccbcfe9.dicom'], labels: ['Aortic enlargement', 'Tuberculosis'], officialSplit: 'test' });
    expect(test.boxes).toEqual([{ x_min: 7, y_min: 8, x_max: 9, y_max: 10, label: 'Aortic enlargement' }]);
    expect(first).toMatchObject({ patientKey: '000434271f63a053c4128a0ba6352c7f', officialSplit: 'train', media: ['train/000434271f63a053c4128a0ba6352c7f.dicom'] });
  });

  it('takes every reader’s labels and boxes under union fusion', async () => {
    const { samples } = await readAll('chest_xray/vindr', tree(), { readerFusion: 'union' });
    expect(samples[1].labels).toEqual(['Cardiomegaly', 'Nodule/Mass', 'Pleural effusion', 'Pneumonia']);
    expect(samples[1].boxes.map((b) => b.label)).toEqual(['Cardiomegaly', 'Nodule/Mass', 'Pleural effusion', 'Pleural effusion']);
    expect(samples[2].labels).toEqual(['Aortic enlargement']);
    expect(samples[2].boxes).toEqual([{ x_min: 1, y_min: 2, x_max: 3, y_max: 4, label: 'Aortic enlargement' }]);
  });
});

describe('COVID-19 Radiography (folder per class) and CoronaHack adapters', () => {
  it('reads <class>/images only, never the lung masks', async () => {
    const root = writeTree({
      'COVID/images/COVID-1.png': TINY,
      'COVID/masks/COVID-1.png': TINY,
      'Lung_Opacity/images/Lung_Opacity-1.png': TINY,
      'Viral Pneumonia/images/Viral Pneumonia-1.png': TINY,
      'Viral Pneumonia/images/notes.txt': 'x',
      'Normal/images/Normal-1.PNG': TINY,
      'COVID.metadata.xlsx': 'x',
    });
    const { samples, rejects } = await readAll('chest_xray/covid19', root);
    expect(rejects).toEqual([]);
    expect(samples.map((s) => [s.media[0], s.labels[0], s.masks])).toEqual([
      ['COVID/images/COVID-1.png', 'COVID-19', []],
      ['Lung_Opacity/images/Lung_Opacity-1.png', 'Lung Opacity', []],
      ['Normal/images/Normal-1.PNG', 'Normal', []],
      ['Viral Pneumonia/images/Viral Pneumonia-1.png', 'Viral Pneumonia', []],
    ]);
    expect(samples.every((s) => s.boxes.length === 0)).toBe(true);
  });

  it('labels CoronaHack by Label then Label_1_Virus_category, with the TRAIN / TEST split', async () => {
    const base = 'Coronahack-Chest-XRay-Dataset/Coronahack-Chest-XRay-Dataset';
    const root = writeTree({
      'Chest_xray_Corona_Metadata.csv': csv([
        ',X_ray_image_name,Label,Dataset_type,Label_2_Virus_category,Label_1_Virus_category',
        '0,IM-0128-0001.jpeg,Normal,TRAIN,,',
        '1,person1_virus_6.jpeg,Pnemonia,TRAIN,,Virus',
        '2,person1000_bacteria_2931.jpeg,Pnemonia,TEST,,bacteria',
        '3,person1_smoker.jpeg,Pnemonia,TRAIN,,Stress-Smoking',
        '4,gone.jpeg,Normal,TEST,,',
      ]),
      [`${base}/train/IM-0128-0001.jpeg`]: TINY,
      [`${base}/train/person1_virus_6.jpeg`]: TINY,
      [`${base}/test/person1000_bacteria_2931.jpeg`]: TINY,
      [`${base}/train/person1_smoker.jpeg`]: TINY,
    });
    const { samples, rejects } = await readAll('chest_xray/coronahack', root);
    expect(samples.map((s) => [s.media[0].slice(base.length + 1), s.labels, s.officialSplit])).toEqual([
      ['test/person1000_bacteria_2931.jpeg', ['Bacterial Pneumonia'], 'test'],
      ['train/IM-0128-0001.jpeg', ['Normal'], 'train'],
      ['train/person1_virus_6.jpeg', ['Viral Pneumonia'], 'train'],
    ]);
    expect(rejects.map((r) => r.code).sort()).toEqual(['ADAPTER_MEDIA_MISSING', 'ADAPTER_UNKNOWN_LABEL']);
  });
});
