import { afterEach, describe, expect, it } from 'vitest';
import { cleanTrees, csv, greyPng, readAll, TINY, writeTree } from '../test-tree.spec-helper';

afterEach(cleanTrees);

describe('HAM10000 adapters (both layouts)', () => {
  it('reads HAM10000_metadata.csv with images in either part folder, the lesion as patient key', async () => {
    const root = writeTree({
      'HAM10000_metadata.csv': csv([
        'lesion_id,image_id,dx,dx_type,age,sex,localization',
        'HAM_0000118,ISIC_0027419,bkl,histo,80.0,male,scalp',
        'HAM_0000118,ISIC_0025030,bkl,histo,80.0,male,scalp',
        'HAM_0002730,ISIC_0026769,mel,histo,80.0,male,scalp',
        'HAM_0001466,ISIC_0031633,xyz,histo,75.0,male,ear',
        'HAM_0001467,ISIC_0031634,nv,histo,75.0,male,ear',
      ]),
      'HAM10000_images_part_1/ISIC_0027419.jpg': TINY,
      'HAM10000_images_part_1/ISIC_0025030.jpg': TINY,
      'HAM10000_images_part_2/ISIC_0026769.jpg': TINY,
      'HAM10000_images_part_2/ISIC_0031633.jpg': TINY,
    });
    const { samples, rejects } = await readAll('derm/ham10000', root, {}, 'ham10000');
    expect(samples.map((s) => [s.media[0], s.labels[0], s.patientKey])).toEqual([
      ['HAM10000_images_part_1/ISIC_0025030.jpg', 'Other', 'HAM_0000118'],
      ['HAM10000_images_part_1/ISIC_0027419.jpg', 'Other', 'HAM_0000118'],
      ['HAM10000_images_part_2/ISIC_0026769.jpg', 'Melanoma', 'HAM_0002730'],
    ]);
    expect(rejects.map((r) => r.code).sort()).toEqual(['ADAPTER_MEDIA_MISSING', 'ADAPTER_UNKNOWN_LABEL']);
  });

  it('reads the ISIC 2018 Task 3 one-hot CSV by default, grouping images by lesion when a grouping is there', async () => {
    const files = {
      'ISIC2018_Task3_Training_GroundTruth.csv': csv([
        'image,MEL,NV,BCC,AKIEC,BKL,DF,VASC',
        'ISIC_0024306,0.0,1.0,0.0,0.0,0.0,0.0,0.0',
        'ISIC_0024307,0.0,1.0,0.0,0.0,0.0,0.0,0.0',
        'ISIC_0024310,1.0,0.0,0.0,0.0,0.0,0.0,0.0',
        'ISIC_0024311,0.0,0.0,0.0,0.0,0.0,1.0,0.0',
        'ISIC_0024312,1.0,1.0,0.0,0.0,0.0,0.0,0.0',
      ]),
      'ISIC2018_Task3_Validation_GroundTruth.csv': csv(['image,MEL,NV,BCC,AKIEC,BKL,DF,VASC', 'ISIC_0034321,0.0,0.0,0.0,1.0,0.0,0.0,0.0']),
      'ISIC2018_Task3_Training_Input/ISIC_0024306.jpg': TINY,
      'ISIC2018_Task3_Training_Input/ISIC_0024307.jpg': TINY,
      'ISIC2018_Task3_Training_Input/ISIC_0024310.jpg': TINY,
      'ISIC2018_Task3_Training_Input/ISIC_0024311.jpg': TINY,
      'ISIC2018_Task3_Training_Input/ISIC_0024312.jpg': TINY,
      'ISIC2018_Task3_Validation_Input/ISIC_0034321.jpg': TINY,
    };
    const withoutGrouping = await readAll('derm/ham10000', writeTree(files));
    expect(withoutGrouping.samples.map((s) => [s.labels[0], s.patientKey, s.officialSplit])).toEqual([
      ['Nevus', 'ISIC_0024306', 'train'],
      ['Nevus', 'ISIC_0024307', 'train'],
      ['Melanoma', 'ISIC_0024310', 'train'],
      ['Other', 'ISIC_0024311', 'train'],
      ['AKIEC', 'ISIC_0034321', 'validation'],
    ]);
    expect(withoutGrouping.rejects).toEqual([expect.objectContaining({ code: 'ADAPTER_BAD_VALUE', path: 'ISIC2018_Task3_Training_GroundTruth.csv' })]);
    const grouped = await readAll(
      'derm/ham10000',
      writeTree({ ...files, 'ISIC2018_Task3_Training_LesionGroupings.csv': csv(['image,lesion_id,diagnosis_confirm_type', 'ISIC_0024306,HAM_0000550,follow_up', 'ISIC_0024307,HAM_0000550,follow_up']) }),
    );
    expect(grouped.samples.slice(0, 2).map((s) => s.patientKey)).toEqual(['HAM_0000550', 'HAM_0000550']);
    // The Training part alone has no official split: it is derived later, by lesion.
    const trainingOnly = { ...files } as Record<string, string | Uint8Array>;
    delete trainingOnly['ISIC2018_Task3_Validation_GroundTruth.csv'];
    expect((await readAll('derm/ham10000', writeTree(trainingOnly))).samples.map((s) => s.officialSplit)).toEqual([null, null, null, null]);
  });
});

describe('CSV of file and label (generic, configured by the catalog)', () => {
  it('reads ISIC 2020 with its patient_id', async () => {
    const root = writeTree({
      'ISIC_2020_Training_GroundTruth.csv': csv([
        'image_name,patient_id,lesion_id,sex,age_approx,anatom_site_general_challenge,diagnosis,benign_malignant,target',
        'ISIC_2637011,IP_7279968,IL_7972535,male,45.0,head/neck,unknown,benign,0',
        'ISIC_0015719,IP_3075186,IL_4649854,female,45.0,upper extremity,melanoma,malignant,1',
        'ISIC_0052212,IP_2842074,IL_9087444,female,50.0,lower extremity,nevus,unsure,0',
      ]),
      'train/ISIC_2637011.jpg': TINY,
      'train/ISIC_0015719.jpg': TINY,
      'train/ISIC_0052212.jpg': TINY,
    });
    const { samples, rejects } = await readAll('derm/isic2020', root);
    expect(samples.map((s) => [s.media[0], s.labels[0], s.patientKey, s.officialSplit])).toEqual([
      ['train/ISIC_0015719.jpg', 'Malignant', 'IP_3075186', null],
      ['train/ISIC_2637011.jpg', 'Benign', 'IP_7279968', null],
    ]);
    expect(rejects).toEqual([expect.objectContaining({ code: 'ADAPTER_UNKNOWN_LABEL', path: 'ISIC_2020_Training_GroundTruth.csv' })]);
  });

  it('reads PAD-UFES-20 (img_id already has its extension) and merges SCC and ACK into AKIEC', async () => {
    const root = writeTree({
      'metadata.csv': csv([
        'patient_id,lesion_id,smoke,age,diagnostic,biopsed,img_id',
        'PAT_1516,1765,,8,NEV,False,PAT_1516_1765_530.png',
        'PAT_46,881,False,55,SCC,True,PAT_46_881_939.png',
        'PAT_46,882,False,55,ACK,True,PAT_46_882_940.png',
      ]),
      'images/PAT_1516_1765_530.png': TINY,
      'images/PAT_46_881_939.png': TINY,
      'images/PAT_46_882_940.png': TINY,
    });
    const { samples } = await readAll('derm/pad_ufes_20', root);
    expect(samples.map((s) => [s.media[0], s.labels[0], s.patientKey])).toEqual([
      ['images/PAT_1516_1765_530.png', 'Nevus', 'PAT_1516'],
      ['images/PAT_46_881_939.png', 'AKIEC', 'PAT_46'],
      ['images/PAT_46_882_940.png', 'AKIEC', 'PAT_46'],
    ]);
  });

  it('reads APTOS grades, and Messidor-2 gradable images only, trying the extensions in turn', async () => {
    const aptos = writeTree({ 'train.csv': csv(['id_code,diagnosis', '000c1434d8d7,2', '001639a390f0,4', '0024cdab0c1e,9']), 'train_images/000c1434d8d7.png': TINY, 'train_images/0024cdab0c1e.png': TINY });
    const aptosRead = await readAll('fundus/aptos', aptos);
    expect(aptosRead.samples.map((s) => [s.media[0], s.labels[0], s.patientKey])).toEqual([['train_images/000c1434d8d7.png', 'Moderate DR', '000c1434d8d7']]);
    expect(aptosRead.rejects.map((r) => [r.code, r.path])).toEqual([
      ['ADAPTER_MEDIA_MISSING', 'train_images/001639a390f0.png'],
      ['ADAPTER_UNKNOWN_LABEL', 'train.csv'],
    ]);
    const messidor = writeTree({
      'messidor_data.csv': csv(['image_id,adjudicated_dr_grade,adjudicated_dme,adjudicated_gradable', '20051020_43808_0100_PP.png,0,0,1', '20051020_43832_0100_PP,3,1,1', 'IM002385.JPG,,,0']),
      'IMAGES/20051020_43808_0100_PP.png': TINY,
      'IMAGES/20051020_43832_0100_PP.tif': TINY,
    });
    expect((await readAll('fundus/Messidor-2', messidor)).samples.map((s) => [s.media[0], s.labels[0]])).toEqual([
      ['IMAGES/20051020_43808_0100_PP.png', 'No DR'],
      ['IMAGES/20051020_43832_0100_PP.tif', 'Severe DR'],
    ]);
  });

  it('fails the dataset when its CSV lacks the label column', async () => {
    await expect(readAll('fundus/aptos', writeTree({ 'train.csv': csv(['id_code,grade', 'x,1']) }))).rejects.toMatchObject({ code: 'ADAPTER_CSV_COLUMN_MISSING', path: 'train.csv' });
  });
});

describe('Folder per class (generic, configured by the catalog)', () => {
  it('reads LC25000 from its two image sets', async () => {
    const root = writeTree({
      'lung_image_sets/lung_aca/lungaca1.jpeg': TINY,
      'lung_image_sets/lung_n/lungn1.jpeg': TINY,
      'lung_image_sets/lung_scc/lungscc1.jpeg': TINY,
      'colon_image_sets/colon_aca/colonca1.jpeg': TINY,
      'colon_image_sets/colon_n/colonn1.jpeg': TINY,
      'colon_image_sets/colon_n/Thumbs.db': 'x',
    });
    const { samples, rejects } = await readAll('pathology/lc25000', root);
    expect(rejects).toEqual([]);
    expect(samples.map((s) => [s.media[0], s.labels[0]])).toEqual([
      ['colon_image_sets/colon_aca/colonca1.jpeg', 'Colon Adenocarcinoma'],
      ['colon_image_sets/colon_n/colonn1.jpeg', 'Benign Colon Tissue'],
      ['lung_image_sets/lung_aca/lungaca1.jpeg', 'Lung Adenocarcinoma'],
      ['lung_image_sets/lung_n/lungn1.jpeg', 'Benign Lung Tissue'],
      ['lung_image_sets/lung_scc/lungscc1.jpeg', 'Lung Squamous Cell Carcinoma'],
    ]);
  });

  it('reads Brain Tumor MRI with the Training / Testing split and rejects an unknown class folder once', async () => {
    const root = writeTree({
      'Training/glioma/Tr-gl_0010.jpg': TINY,
      'Training/notumor/Tr-no_0010.jpg': TINY,
      'Training/edema/Tr-ed_0001.jpg': TINY,
      'Training/edema/Tr-ed_0002.jpg': TINY,
      'Testing/pituitary/Te-pi_0010.jpg': TINY,
      'Testing/meningioma/Te-me_0010.jpg': TINY,
    });
    const { samples, rejects } = await readAll('mri/brain_tumor', root);
    expect(samples.map((s) => [s.media[0], s.labels[0], s.officialSplit])).toEqual([
      ['Testing/meningioma/Te-me_0010.jpg', 'Meningioma', 'test'],
      ['Testing/pituitary/Te-pi_0010.jpg', 'Pituitary Tumor', 'test'],
      ['Training/glioma/Tr-gl_0010.jpg', 'Glioma', 'train'],
      ['Training/notumor/Tr-no_0010.jpg', 'No Tumor', 'train'],
    ]);
    expect(rejects).toEqual([expect.objectContaining({ code: 'ADAPTER_UNKNOWN_LABEL', path: 'Training/edema' })]);
  });
});

describe('BUSI adapter', () => {
  it('takes every mask, _mask_1 included, as segmentation and boxes, and ignores empty normal masks', async () => {
    const root = writeTree({
      'Dataset_BUSI_with_GT/benign/benign (1).png': await greyPng(8, 6),
      'Dataset_BUSI_with_GT/benign/benign (1)_mask.png': await greyPng(8, 6, (x, y) => x >= 1 && x <= 3 && y >= 2 && y <= 4),
      'Dataset_BUSI_with_GT/benign/benign (1)_mask_1.png': await greyPng(8, 6, (x, y) => x === 6 && y === 0),
      'Dataset_BUSI_with_GT/malignant/malignant (10).png': await greyPng(8, 6),
      'Dataset_BUSI_with_GT/malignant/malignant (10)_mask.png': await greyPng(8, 6, (x, y) => x >= 4 && y >= 3),
      'Dataset_BUSI_with_GT/normal/normal (2).png': await greyPng(8, 6),
      'Dataset_BUSI_with_GT/normal/normal (2)_mask.png': await greyPng(8, 6),
      'Dataset_BUSI_with_GT/normal/normal (3)_mask.png': await greyPng(8, 6),
    });
    const { samples, rejects } = await readAll('ultrasound/busi', root);
    expect(samples.map((s) => [s.media[0], s.labels[0], s.masks, s.boxes])).toEqual([
      [
        'Dataset_BUSI_with_GT/benign/benign (1).png',
        'Benign',
        ['Dataset_BUSI_with_GT/benign/benign (1)_mask.png', 'Dataset_BUSI_with_GT/benign/benign (1)_mask_1.png'],
        [
          { x_min: 1, y_min: 2, x_max: 4, y_max: 5, label: 'Benign' },
          { x_min: 6, y_min: 0, x_max: 7, y_max: 1, label: 'Benign' },
        ],
      ],
      ['Dataset_BUSI_with_GT/malignant/malignant (10).png', 'Malignant', ['Dataset_BUSI_with_GT/malignant/malignant (10)_mask.png'], [{ x_min: 4, y_min: 3, x_max: 8, y_max: 6, label: 'Malignant' }]],
      ['Dataset_BUSI_with_GT/normal/normal (2).png', 'Normal', ['Dataset_BUSI_with_GT/normal/normal (2)_mask.png'], []],
    ]);
    expect(rejects).toEqual([expect.objectContaining({ code: 'ADAPTER_MEDIA_MISSING', path: 'Dataset_BUSI_with_GT/normal/normal (3).png' })]);
  });

  it('rejects an image whose mask is not a readable PNG', async () => {
    const root = writeTree({ 'benign/benign (4).png': await greyPng(4, 4), 'benign/benign (4)_mask.png': 'not a png' });
    const { samples, rejects } = await readAll('ultrasound/busi', root);
    expect(samples).toEqual([]);
    expect(rejects).toEqual([expect.objectContaining({ code: 'ADAPTER_MASK_UNREADABLE', path: 'benign/benign (4).png' })]);
  });
});

describe('RSPECT adapter', () => {
  it('labels each slice from pe_present_on_image and chronic_pe', async () => {
    const study = '6897fa9de148';
    const series = '2bfbb7fd2e8b';
    const root = writeTree({
      'train.csv': csv([
        'StudyInstanceUID,SeriesInstanceUID,SOPInstanceUID,pe_present_on_image,negative_exam_for_pe,qa_motion,qa_contrast,flow_artifact,rv_lv_ratio_gte_1,rv_lv_ratio_lt_1,leftsided_pe,chronic_pe,true_filling_defect_not_pe,rightsided_pe,acute_and_chronic_pe,central_pe,indeterminate',
        `${study},${series},c0f3cb036d06,0,0,0,0,0,0,1,1,0,0,1,0,0,0`,
        `${study},${series},f57ffd3883b6,1,0,0,0,0,0,1,1,0,0,1,0,0,0`,
        `${study},${series},41220fda34a3,1,0,0,0,0,0,1,1,1,0,1,0,0,0`,
        `${study},${series},13b685b4b14f,0,0,0,0,0,0,1,1,1,0,1,0,0,0`,
        `${study},${series},aaaaaaaaaaaa,2,0,0,0,0,0,1,1,1,0,1,0,0,0`,
        `${study},${series},bbbbbbbbbbbb,1,0,0,0,0,0,1,1,0,0,1,0,0,0`,
      ]),
      ...Object.fromEntries(['c0f3cb036d06', 'f57ffd3883b6', '41220fda34a3', '13b685b4b14f', 'aaaaaaaaaaaa'].map((sop) => [`train/${study}/${series}/${sop}.dcm`, TINY])),
    });
    const { samples, rejects } = await readAll('ct/rspect', root);
    expect(samples.map((s) => [s.media[0].split('/')[3], s.labels[0], s.patientKey])).toEqual([
      ['c0f3cb036d06.dcm', 'No PE', study],
      ['f57ffd3883b6.dcm', 'Acute PE', study],
      ['41220fda34a3.dcm', 'Chronic PE', study],
      ['13b685b4b14f.dcm', 'No PE', study],
    ]);
    expect(samples[1].attributes).toMatchObject({ rightsided_pe: '1', negative_exam_for_pe: '0' });
    expect(rejects.map((r) => r.code)).toEqual(['ADAPTER_UNKNOWN_LABEL', 'ADAPTER_MEDIA_MISSING']);
  });
});
