import { afterEach, describe, expect, it } from 'vitest';
import { classifyRoiDicomByContent } from '../roi-mask-classifier';
import { cleanTrees, csv, readAll, TINY, writeTree } from '../test-tree.spec-helper';
import { tinyMonochromeDicom } from '../tiny-dicom.spec-helper';

afterEach(cleanTrees);

describe('VinDr-Mammo adapter', () => {
  it('labels each image with its breast BI-RADS and boxes each finding with the finding BI-RADS', async () => {
    const root = writeTree({
      'breast-level_annotations.csv': csv([
        'study_id,series_id,image_id,laterality,view_position,height,width,breast_birads,breast_density,split',
        'b8d273e8601ac6d4d5ad6a7a3ee9a1d5,6c3c4e9b,4e3a578fe535ea4f5258d3f7f4419db8,R,CC,3518,2800,BI-RADS 4,DENSITY C,training',
        'b8d273e8601ac6d4d5ad6a7a3ee9a1d5,6c3c4e9b,dac39351b0f3a8c670b7f8dc88029364,R,MLO,3518,2800,BI-RADS 1,DENSITY C,training',
        '48575a27b7c992427041a82fa750d3fa,a2c1e7b5,0a5e35e26c1eb53b3bb6d7fa1d1b8da2,L,CC,3518,2800,BI-RADS 2,DENSITY B,test',
        '48575a27b7c992427041a82fa750d3fa,a2c1e7b5,ffffffffffffffffffffffffffffffff,L,MLO,3518,2800,BI-RADS 6,DENSITY B,test',
      ]),
      'finding_annotations.csv': csv([
        'study_id,series_id,image_id,laterality,view_position,height,width,breast_birads,breast_density,finding_categories,finding_birads,xmin,ymin,xmax,ymax,split',
        `b8d273e8601ac6d4d5ad6a7a3ee9a1d5,6c3c4e9b,4e3a578fe535ea4f5258d3f7f4419db8,R,CC,3518,2800,BI-RADS 5,DENSITY C,"['Mass', 'Suspicious Calcification']",BI-RADS 3,2355.139,1731.033,2482.261,1852.643,training`,
        `b8d273e8601ac6d4d5ad6a7a3ee9a1d5,6c3c4e9b,dac39351b0f3a8c670b7f8dc88029364,R,MLO,3518,2800,BI-RADS 1,DENSITY C,['No Finding'],,,,,,training`,
        `48575a27b7c992427041a82fa750d3fa,a2c1e7b5,0a5e35e26c1eb53b3bb6d7fa1d1b8da2,L,CC,3518,2800,BI-RADS 2,DENSITY B,"[""Focal Asymmetry""]",,10,20,30.5,40,test`,
      ]),
      'images/b8d273e8601ac6d4d5ad6a7a3ee9a1d5/4e3a578fe535ea4f5258d3f7f4419db8.dicom': TINY,
      'images/b8d273e8601ac6d4d5ad6a7a3ee9a1d5/dac39351b0f3a8c670b7f8dc88029364.dicom': TINY,
      'images/48575a27b7c992427041a82fa750d3fa/0a5e35e26c1eb53b3bb6d7fa1d1b8da2.dicom': TINY,
      'images/48575a27b7c992427041a82fa750d3fa/ffffffffffffffffffffffffffffffff.dicom': TINY,
    });
    const { samples, rejects } = await readAll('mammo/vindr', root);
    expect(samples.map((s) => [s.media[0].slice(7, 15), s.labels, s.officialSplit, s.patientKey.slice(0, 4)])).toEqual([
      ['48575a27', ['BI-RADS 2'], 'test', '4857'],
      ['b8d273e8', ['BI-RADS 4'], 'train', 'b8d2'],
      ['b8d273e8', ['BI-RADS 1'], 'train', 'b8d2'],
    ]);
    // No finding_birads: the box takes the image's BI-RADS.
    expect(samples[0].boxes).toEqual([{ x_min: 10, y_min: 20, x_max: 30.5, y_max: 40, label: 'BI-RADS 2' }]);
    expect(samples[0].attributes.finding_categories).toBe('Focal Asymmetry');
    expect(samples[1].boxes).toEqual([{ x_min: 2355.139, y_min: 1731.033, x_max: 2482.261, y_max: 1852.643, label: 'BI-RADS 3' }]);
    expect(samples[1].attributes.finding_categories).toBe('Mass|Suspicious Calcification');
    expect(samples[2].boxes).toEqual([]);
    expect(samples[1].attributes).toMatchObject({ laterality: 'R', view_position: 'CC', breast_density: 'DENSITY C', height: 3518 });
    expect(rejects).toEqual([expect.objectContaining({ code: 'ADAPTER_UNKNOWN_LABEL', path: 'breast-level_annotations.csv' })]);
  });
});

describe('CBIS-DDSM adapter', () => {
  const HEADER =
    'patient_id,breast_density,left or right breast,image view,abnormality id,abnormality type,mass shape,mass margins,assessment,pathology,subtlety,image file path,cropped image file path,ROI mask file path';
  const mask = tinyMonochromeDicom(4, 4, Uint8Array.from([0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0]));
  const crop = tinyMonochromeDicom(4, 4, Uint8Array.from({ length: 16 }, (_, i) => i * 13));

  function tree(): string {
    return writeTree({
      'mass_case_description_train_set.csv': csv([
        HEADER,
        // Real CBIS paths: the CSV's names (000000.dcm, 000001.dcm) are not the downloaded ones, and the
        // ROI path ends with a newline inside its quotes.
        'P_00001,3,LEFT,CC,1,mass,IRREGULAR,SPICULATED,4,MALIGNANT,4,Mass-Training_P_00001_LEFT_CC/1.3.6.1.4.1.9590.100.1.2.422112722213189649807611434612228974994/1.3.6.1.4.1.9590.100.1.2.342386194811267636608694132590482924515/000000.dcm,Mass-Training_P_00001_LEFT_CC_1/1.3.6.1.4.1.9590.100.1.2.108268213011361124203859148071588939106/1.3.6.1.4.1.9590.100.1.2.296736403313792599626368780122205399650/000000.dcm,"Mass-Training_P_00001_LEFT_CC_1/1.3.6.1.4.1.9590.100.1.2.108268213011361124203859148071588939106/1.3.6.1.4.1.9590.100.1.2.296736403313792599626368780122205399650/000001.dcm\n"',
        'P_00004,3,LEFT,MLO,1,mass,ROUND,CIRCUMSCRIBED,3,BENIGN,3,Mass-Training_P_00004_LEFT_MLO/a/b/000000.dcm,Mass-Training_P_00004_LEFT_MLO_1/c/d/000000.dcm,"Mass-Training_P_00004_LEFT_MLO_1/c/d/000001.dcm\n"',
        'P_00009,2,RIGHT,CC,1,mass,OVAL,ILL_DEFINED,7,BENIGN,2,Mass-Training_P_00009_RIGHT_CC/a/b/000000.dcm,Mass-Training_P_00009_RIGHT_CC_1/c/d/000000.dcm,Mass-Training_P_00009_RIGHT_CC_1/c/d/000001.dcm',
      ]),
      'calc_case_description_test_set.csv': csv([
        'patient_id,breast density,left or right breast,image view,abnormality id,abnormality type,calc type,calc distribution,assessment,pathology,subtlety,image file path,cropped image file path,ROI mask file path',
        'P_00038,2,LEFT,CC,1,calcification,PUNCTATE,CLUSTERED,0,BENIGN,2,Calc-Test_P_00038_LEFT_CC/x/y/000000.dcm,Calc-Test_P_00038_LEFT_CC_1/z/w/000000.dcm,Calc-Test_P_00038_LEFT_CC_1/z/w/000001.dcm',
      ]),
      // The download: mask and crop named 1-1 / 1-2 in either order, sometimes in two series folders.
      'CBIS-DDSM/Mass-Training_P_00001_LEFT_CC/07-20-2016-DDSM-74994/1.000000-full mammogram images-24515/1-1.dcm': TINY,
      'CBIS-DDSM/Mass-Training_P_00001_LEFT_CC_1/07-21-2016-DDSM-92279/1.000000-ROI mask images-11898/1-1.dcm': crop,
      'CBIS-DDSM/Mass-Training_P_00001_LEFT_CC_1/07-21-2016-DDSM-92279/1.000000-ROI mask images-11898/1-2.dcm': mask,
      'CBIS-DDSM/Mass-Training_P_00004_LEFT_MLO/08-07-2016-DDSM-1/1.000000-full mammogram images-1/1-1.dcm': TINY,
      'CBIS-DDSM/Mass-Training_P_00004_LEFT_MLO_1/08-07-2016-DDSM-2/1.000000-ROI mask images-2/1-1.dcm': mask,
      'CBIS-DDSM/Mass-Training_P_00004_LEFT_MLO_1/08-07-2016-DDSM-2/2.000000-cropped images-3/1-1.dcm': crop,
      'CBIS-DDSM/Mass-Training_P_00009_RIGHT_CC/a/b/1-1.dcm': TINY,
      'CBIS-DDSM/Calc-Test_P_00038_LEFT_CC/a/b/1-1.dcm': TINY,
      'CBIS-DDSM/Calc-Test_P_00038_LEFT_CC_1/a/b/1-1.dcm': crop,
    });
  }

  it('tells a binary ROI mask from a cropped image by decoding their pixels', async () => {
    const root = writeTree({ 'mask.dcm': mask, 'crop.dcm': crop });
    expect(await classifyRoiDicomByContent(`${root}/mask.dcm`)).toBe('mask');
    expect(await classifyRoiDicomByContent(`${root}/crop.dcm`)).toBe('image');
  });

  it('matches DICOMs by folder, finds the mask by content, and rejects what cannot be matched', async () => {
    const { samples, rejects } = await readAll('mammo/cbis', tree());
    expect(samples.map((s) => [s.media, s.masks, s.labels, s.patientKey, s.officialSplit])).toEqual([
      [
        ['CBIS-DDSM/Mass-Training_P_00001_LEFT_CC/07-20-2016-DDSM-74994/1.000000-full mammogram images-24515/1-1.dcm'],
        ['CBIS-DDSM/Mass-Training_P_00001_LEFT_CC_1/07-21-2016-DDSM-92279/1.000000-ROI mask images-11898/1-2.dcm'],
        ['BI-RADS 4'],
        'P_00001',
        'train',
      ],
      [
        ['CBIS-DDSM/Mass-Training_P_00004_LEFT_MLO/08-07-2016-DDSM-1/1.000000-full mammogram images-1/1-1.dcm'],
        ['CBIS-DDSM/Mass-Training_P_00004_LEFT_MLO_1/08-07-2016-DDSM-2/1.000000-ROI mask images-2/1-1.dcm'],
        ['BI-RADS 3'],
        'P_00004',
        'train',
      ],
    ]);
    expect(samples[0].attributes).toMatchObject({
      cropped_image: 'CBIS-DDSM/Mass-Training_P_00001_LEFT_CC_1/07-21-2016-DDSM-92279/1.000000-ROI mask images-11898/1-1.dcm',
      pathology: 'MALIGNANT',
      abnormality_type: 'mass',
    });
    expect(rejects.map((r) => [r.code, r.path])).toEqual([
      ['ADAPTER_MASK_MISSING', 'CBIS-DDSM/Calc-Test_P_00038_LEFT_CC_1'],
      ['ADAPTER_UNKNOWN_LABEL', 'mass_case_description_train_set.csv'],
    ]);
  });

  it('uses the classifier hook given in the options', async () => {
    const calls: string[] = [];
    const { samples } = await readAll('mammo/cbis', tree(), {
      classifyRoiDicom: async (path) => {
        calls.push(path);
        return path.endsWith('1-1.dcm') ? 'mask' : 'image';
      },
    });
    expect(calls.length).toBe(5);
    // P_00004's folder now holds two "masks": ambiguous, rejected; P_00038's only file is now its mask.
    expect(samples.map((s) => [s.patientKey, s.masks[0].endsWith('/1-1.dcm')])).toEqual([['P_00038', true], ['P_00001', true]]); // sorted by image folder: Calc- before Mass-
  });
});
