// The raw dataset trees of the pairs benchmark, in the real layouts the adapters of @qoq/adapters read
// (libs/adapters/src/layouts/*.ts): label CSVs written out, media files hard links to a pool of a few
// thousand small files (the adapters only stat them), so 2.61 M files cost directory entries, not data.
// BUSI masks are real PNGs (the adapter decodes them for boxes), hard links to a small mask pool.
import { createHash } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { mulberry32 } from '@qoq/runtime';

/** Questions per domain (QoQ-Med §1: 2.61 M pairs; the 2D split is that of tools/bench/stats). */
export const PAPER_TOTAL = 2_610_000;
export const DOMAIN_MIX: Record<string, number> = {
  ecg: 78_900, chest_xray: 420_000, mammo: 60_000, derm: 70_000, fundus: 60_000, pathology: 97_100,
  ultrasound: 10_000, mri: 7_000, ct: 1_807_000,
};

/** The catalog dataset that carries each domain's share here (one per domain whose layout the catalog has). */
export const DATASET_OF_DOMAIN: Record<string, string> = {
  ecg: 'ecg/ptb-xl', chest_xray: 'chest_xray/covid19', mammo: 'mammo/vindr', derm: 'derm/isic2020', fundus: 'fundus/aptos',
  pathology: 'pathology/lc25000', ultrasound: 'ultrasound/busi', mri: 'mri/brain_tumor', ct: 'ct/rspect',
};

export type StageName = 'dicom' | 'images' | 'ecg';

/** One source file an ingest stage would have read: the stage tables map it to a pool medium. */
export interface SourceRecord {
  readonly datasetKey: string;
  readonly stage: StageName;
  /** Relative to the dataset folder, as the adapter names it (WFDB: the .hea). */
  readonly sourcePath: string;
}

export interface RawTree {
  readonly root: string;
  readonly datasets: { datasetKey: string; folder: string; samples: number }[];
  readonly sources: SourceRecord[];
  readonly links: number;
}

function hex(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** Samples per dataset at `scale` of the paper's 2.61 M. */
export function samplesPerDataset(scale: number): Record<string, number> {
  const rows: Record<string, number> = {};
  for (const [domain, questions] of Object.entries(DOMAIN_MIX)) rows[DATASET_OF_DOMAIN[domain]] = Math.max(1, Math.round(questions * scale));
  return rows;
}

/** Buffered line writer (sync: the generator is not timed, and sync calls are the fastest here). */
class LineFile {
  private readonly fd: number;
  private buffered: string[] = [];
  private size = 0;
  constructor(path: string, header: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
    this.line(header);
  }
  line(text: string): void {
    this.buffered.push(text);
    this.size += text.length;
    if (this.size > 1 << 20) this.flush();
  }
  private flush(): void {
    writeSync(this.fd, `${this.buffered.join('\n')}\n`);
    this.buffered = [];
    this.size = 0;
  }
  close(): void {
    if (this.buffered.length > 0) this.flush();
    closeSync(this.fd);
  }
}

/** Hard links to a pool of files, each used about equally often. */
class LinkPool {
  private next = 0;
  links = 0;
  private readonly madeDirs = new Set<string>();
  constructor(private readonly files: readonly string[]) {}
  link(to: string): void {
    const folder = dirname(to);
    if (!this.madeDirs.has(folder)) {
      mkdirSync(folder, { recursive: true });
      this.madeDirs.add(folder);
    }
    linkSync(this.files[this.next], to);
    this.next = (this.next + 1) % this.files.length;
    this.links += 1;
  }
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** Writes the raw pool (`poolSize` small files) and the nine dataset trees under `root`. */
export async function generateRawTree(root: string, scale: number, poolSize: number): Promise<RawTree> {
  const poolDir = join(root, 'pool', 'raw');
  mkdirSync(poolDir, { recursive: true });
  const poolFiles: string[] = [];
  for (let i = 0; i < poolSize; i += 1) {
    const file = join(poolDir, `r${String(i).padStart(5, '0')}.bin`);
    writeFileSync(file, `raw pool file ${i}\n${'.'.repeat(200)}\n`);
    poolFiles.push(file);
  }
  const pool = new LinkPool(poolFiles);
  // BUSI masks: rectangles of various sizes, and an all-black one (normal images).
  const maskFiles: string[] = [];
  for (let i = 0; i <= 20; i += 1) {
    const mask = new Uint8Array(64 * 64);
    if (i > 0) for (let y = 8 + (i % 5); y < 30 + i; y += 1) for (let x = 10 + (i % 7); x < 28 + i; x += 1) mask[y * 64 + x] = 255;
    const file = join(root, 'pool', 'masks', `m${i}.png`);
    mkdirSync(dirname(file), { recursive: true });
    await sharp(Buffer.from(mask), { raw: { width: 64, height: 64, channels: 1 } }).png().toFile(file);
    maskFiles.push(file);
  }
  const counts = samplesPerDataset(scale);
  const raw = join(root, 'raw');
  const sources: SourceRecord[] = [];
  const datasets: RawTree['datasets'] = [];
  const random = mulberry32(20261125);
  let maskLinks = 0;

  // ct/rspect: train.csv + train/<study>/<series>/<sop>.dcm, 100–300 slices per study, one series.
  {
    const key = 'ct/rspect';
    const folder = join(raw, 'ct', 'rspect');
    const csv = new LineFile(join(folder, 'train.csv'), 'StudyInstanceUID,SeriesInstanceUID,SOPInstanceUID,pe_present_on_image,negative_exam_for_pe,qa_motion,qa_contrast,flow_artifact,rv_lv_ratio_gte_1,rv_lv_ratio_lt_1,leftsided_pe,chronic_pe,true_filling_defect_not_pe,rightsided_pe,acute_and_chronic_pe,central_pe,indeterminate');
    let written = 0;
    let study = 0;
    while (written < counts[key]) {
      const slices = Math.min(counts[key] - written, 100 + Math.floor(random() * 201));
      const studyUid = hex(`study${study}`, 12);
      const seriesUid = hex(`series${study}`, 12);
      const positive = random() < 0.3;
      const chronic = positive && random() < 0.15 ? 1 : 0;
      for (let s = 0; s < slices; s += 1) {
        const sop = hex(`sop${study}/${s}`, 12);
        const pe = positive && s > slices * 0.3 && s < slices * 0.7 ? 1 : 0;
        csv.line(`${studyUid},${seriesUid},${sop},${pe},${positive ? 0 : 1},0,0,0,0,${positive ? 1 : 0},${pe},${chronic},0,0,0,0,0`);
        const path = `train/${studyUid}/${seriesUid}/${sop}.dcm`;
        pool.link(join(folder, path));
        sources.push({ datasetKey: key, stage: 'dicom', sourcePath: path });
      }
      written += slices;
      study += 1;
    }
    csv.close();
    datasets.push({ datasetKey: key, folder, samples: written });
  }

  // ecg/ptb-xl: ptbxl_database.csv + scp_statements.csv + records500/<bucket>/<id>_hr.hea (~1.15 records per patient).
  {
    const key = 'ecg/ptb-xl';
    const folder = join(raw, 'ecg', 'ptb-xl');
    const statements = new LineFile(join(folder, 'scp_statements.csv'), ',description,diagnostic,form,rhythm,diagnostic_class,diagnostic_subclass');
    for (const [code, diagnostic, rhythm, klass] of [['NORM', '1', '', 'NORM'], ['IMI', '1', '', 'MI'], ['NDT', '1', '', 'STTC'], ['LVH', '1', '', 'HYP'], ['CLBBB', '1', '', 'CD'], ['SR', '', '1', ''], ['AFIB', '', '1', '']]) {
      statements.line(`${code},${code} statement,${diagnostic},,${rhythm},${klass},`);
    }
    statements.close();
    const database = new LineFile(join(folder, 'ptbxl_database.csv'), 'ecg_id,patient_id,age,sex,height,weight,nurse,site,device,recording_date,report,scp_codes,heart_axis,infarction_stadium1,infarction_stadium2,validated_by,second_opinion,initial_autogenerated_report,validated_by_human,baseline_drift,static_noise,burst_noise,electrodes_problems,extra_beats,pacemaker,strat_fold,filename_lr,filename_hr');
    const codes = ["{'NORM': 100.0, 'SR': 0.0}", "{'IMI': 80.0, 'SR': 0.0}", "{'NDT': 100.0, 'AFIB': 0.0}", "{'LVH': 50.0, 'SR': 0.0}", "{'CLBBB': 100.0, 'SR': 0.0}", "{'AFIB': 0.0}"];
    let patient = 0;
    let fold = 1;
    for (let id = 1; id <= counts[key]; id += 1) {
      if (id === 1 || random() < 0.87) {
        patient += 1;
        fold = 1 + Math.floor(random() * 10);
      }
      const name = String(id).padStart(5, '0');
      const bucket = String(Math.floor(id / 1000) * 1000).padStart(5, '0');
      const hr = `records500/${bucket}/${name}_hr`;
      database.line(`${id}.0,${patient}.0,${40 + (id % 50)}.0,${id % 2},,,,,,2000-01-01 00:00:00,,"${pick(random, codes)}",,,,,,,,,,,,,,${fold},records100/${bucket}/${name}_lr,${hr}`);
      pool.link(join(folder, `${hr}.hea`));
      sources.push({ datasetKey: key, stage: 'ecg', sourcePath: `${hr}.hea` });
    }
    database.close();
    datasets.push({ datasetKey: key, folder, samples: counts[key] });
  }

  // Folder-per-class datasets: chest_xray/covid19 (<class>/images/*.png), pathology/lc25000, mri/brain_tumor.
  const folderPerClass: Array<{ key: string; classes: Array<{ folder: string; prefix: string }>; extension: string }> = [
    { key: 'chest_xray/covid19', classes: ['COVID', 'Lung_Opacity', 'Normal', 'Viral Pneumonia'].map((name) => ({ folder: `${name}/images`, prefix: name })), extension: '.png' },
    {
      key: 'pathology/lc25000',
      classes: [...['lung_aca', 'lung_n', 'lung_scc'].map((name) => ({ folder: `lung_image_sets/${name}`, prefix: name.replace('_', '') })), ...['colon_aca', 'colon_n'].map((name) => ({ folder: `colon_image_sets/${name}`, prefix: name.replace('_', '') }))],
      extension: '.jpeg',
    },
    {
      key: 'mri/brain_tumor',
      classes: ['Training', 'Testing'].flatMap((split) => ['glioma', 'meningioma', 'notumor', 'pituitary'].map((name) => ({ folder: `${split}/${name}`, prefix: `${split === 'Training' ? 'Tr' : 'Te'}-${name.slice(0, 2)}` }))),
      extension: '.jpg',
    },
  ];
  for (const { key, classes, extension } of folderPerClass) {
    const folder = join(raw, ...key.split('/'));
    for (let i = 0; i < counts[key]; i += 1) {
      const cls = classes[i % classes.length];
      const path = `${cls.folder}/${cls.prefix}-${Math.floor(i / classes.length) + 1}${extension}`;
      pool.link(join(folder, path));
      sources.push({ datasetKey: key, stage: 'images', sourcePath: path });
    }
    datasets.push({ datasetKey: key, folder, samples: counts[key] });
  }

  // derm/isic2020: ISIC_2020_Training_GroundTruth.csv + train/<image>.jpg, ~16 images per patient.
  {
    const key = 'derm/isic2020';
    const folder = join(raw, 'derm', 'isic2020');
    const csv = new LineFile(join(folder, 'ISIC_2020_Training_GroundTruth.csv'), 'image_name,patient_id,sex,age_approx,anatom_site_general_challenge,diagnosis,benign_malignant,target');
    let patient = 0;
    for (let i = 0; i < counts[key]; i += 1) {
      if (i === 0 || random() < 1 / 16) patient += 1;
      const malignant = random() < 0.02;
      const name = `ISIC_${String(i + 1).padStart(7, '0')}`;
      csv.line(`${name},IP_${String(patient).padStart(7, '0')},male,45.0,torso,${malignant ? 'melanoma' : 'nevus'},${malignant ? 'malignant' : 'benign'},${malignant ? 1 : 0}`);
      pool.link(join(folder, `train/${name}.jpg`));
      sources.push({ datasetKey: key, stage: 'images', sourcePath: `train/${name}.jpg` });
    }
    csv.close();
    datasets.push({ datasetKey: key, folder, samples: counts[key] });
  }

  // fundus/aptos: train.csv (id_code, diagnosis) + train_images/<id>.png, each image its own patient.
  {
    const key = 'fundus/aptos';
    const folder = join(raw, 'fundus', 'aptos');
    const csv = new LineFile(join(folder, 'train.csv'), 'id_code,diagnosis');
    for (let i = 0; i < counts[key]; i += 1) {
      const id = hex(`aptos${i}`, 12);
      csv.line(`${id},${pick(random, [0, 0, 0, 1, 2, 2, 3, 4])}`);
      pool.link(join(folder, `train_images/${id}.png`));
      sources.push({ datasetKey: key, stage: 'images', sourcePath: `train_images/${id}.png` });
    }
    csv.close();
    datasets.push({ datasetKey: key, folder, samples: counts[key] });
  }

  // ultrasound/busi: Dataset_BUSI_with_GT/<class>/<class> (N).png with <class> (N)_mask.png (real PNG masks).
  {
    const key = 'ultrasound/busi';
    const folder = join(raw, 'ultrasound', 'busi');
    const classes = ['benign', 'malignant', 'normal'];
    for (let i = 0; i < counts[key]; i += 1) {
      const cls = classes[i % 3];
      const stem = `Dataset_BUSI_with_GT/${cls}/${cls} (${Math.floor(i / 3) + 1})`;
      pool.link(join(folder, `${stem}.png`));
      linkSync(maskFiles[cls === 'normal' ? 0 : 1 + (i % 20)], join(folder, `${stem}_mask.png`));
      maskLinks += 1;
      sources.push({ datasetKey: key, stage: 'images', sourcePath: `${stem}.png` });
    }
    datasets.push({ datasetKey: key, folder, samples: counts[key] });
  }

  // mammo/vindr: breast-level_annotations.csv + images/<study>/<image>.dicom, four views per study.
  {
    const key = 'mammo/vindr';
    const folder = join(raw, 'mammo', 'vindr');
    const csv = new LineFile(join(folder, 'breast-level_annotations.csv'), 'study_id,series_id,image_id,laterality,view_position,height,width,breast_birads,breast_density,split');
    const views = [['L', 'CC'], ['L', 'MLO'], ['R', 'CC'], ['R', 'MLO']];
    let study = '';
    let split = 'training';
    for (let i = 0; i < counts[key]; i += 1) {
      if (i % 4 === 0) {
        study = hex(`vindr-study${i / 4}`, 32);
        split = random() < 0.8 ? 'training' : 'test';
      }
      const image = hex(`vindr-image${i}`, 32);
      const [laterality, view] = views[i % 4];
      csv.line(`${study},${hex(`series${study}${laterality}`, 32)},${image},${laterality},${view},3518,2800,BI-RADS ${pick(random, [1, 1, 1, 2, 2, 3, 4, 5])},DENSITY C,${split}`);
      pool.link(join(folder, `images/${study}/${image}.dicom`));
      sources.push({ datasetKey: key, stage: 'dicom', sourcePath: `images/${study}/${image}.dicom` });
    }
    csv.close();
    datasets.push({ datasetKey: key, folder, samples: counts[key] });
  }

  return { root, datasets, sources, links: pool.links + maskLinks };
}
