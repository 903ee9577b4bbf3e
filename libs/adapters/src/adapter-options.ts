// Label policies and layout choices, with their defaults (../shared/datasets.md, issue 7).

/** CheXpert labeler values: how an uncertain (−1.0) mention becomes an answer (Irvin et al. 2019 §3.2). */
export type UncertaintyPolicy = 'ones' | 'zeros' | 'ignore';

/** Content check of a CBIS-DDSM ROI-folder DICOM: the ROI mask is binary, the cropped image is not. */
export type RoiDicomClassifier = (absolutePath: string) => Promise<'mask' | 'image'>;

export interface AdapterOptions {
  /**
   * CheXpert / MIMIC-CXR uncertain labels, per label (answer string) or one policy for all.
   * 'ones' = positive, 'zeros' = negative, 'ignore' = the image or study is skipped (U-Ignore masks the
   * label in the loss; a text answer cannot leave one label out). Default: 'zeros' for every label.
   */
  uncertainty?: UncertaintyPolicy | Record<string, UncertaintyPolicy>;
  /**
   * 'consistent' (default): "No Finding" only when no other label is positive (Support Devices included,
   * stricter than the CheXpert labeler, which allows it beside No Finding), and a record with no positive
   * label at all answers "No Finding" (VinDr-CXR "No finding" likewise). 'as-labelled': the
   * source's columns as they are; a record with no positive label is rejected (ADAPTER_NO_LABEL).
   */
  noFinding?: 'consistent' | 'as-labelled';
  /** CheXpert `Frontal/Lateral` and MIMIC-CXR `ViewPosition` filter. Default 'frontal' (PA, AP, and CheXpert "Frontal"). */
  views?: 'frontal' | 'all';
  /** MIMIC-CXR rows: one per image (default) or one per study with its (filtered) images. */
  mimicGranularity?: 'image' | 'study';
  /** CheXpert v1.0-small has no public test set: its radiologist-labelled valid.csv is our test split by default. */
  chexpertValidSplit?: 'validation' | 'test';
  /** VinDr-CXR training images, three readers each: 'majority' (default, > half of the readers) or 'union'. */
  readerFusion?: 'majority' | 'union';
  /** VinDr-CXR box fusion: boxes of one class overlapping a cluster's mean box by IoU ≥ this are averaged. Default 0.5. */
  boxFusionIou?: number;
  /** PTB-XL: minimum likelihood (%) of a DIAGNOSTIC statement; rhythm/form statements are never thresholded. Default 50. */
  ptbXlLikelihoodThreshold?: number;
  /** PTB-XL record set: 500 Hz `filename_hr` (default) or 100 Hz `filename_lr`. */
  ptbXlSamplingFrequency?: 500 | 100;
  /** CBIS-DDSM: tells the ROI mask from the cropped image by content. Default: decode with @qoq/dicom, binary = mask. */
  classifyRoiDicom?: RoiDicomClassifier;
}

/**
 * The default uncertainty is U-Zeros for every label: the answer lists only what the report asserts
 * (also what the sample corpus' truth.json records). This is the alternative that follows Irvin et al.
 * (2019, Table 2), where U-Ones did best for Atelectasis and Edema: U-Ones there, U-Zeros elsewhere.
 */
export const CHEXPERT_PAPER_UNCERTAINTY: Readonly<Record<string, UncertaintyPolicy>> = { Atelectasis: 'ones', Edema: 'ones' };

export function uncertaintyPolicyFor(options: AdapterOptions, label: string): UncertaintyPolicy {
  const policy = options.uncertainty;
  if (typeof policy === 'string') return policy;
  return policy?.[label] ?? 'zeros';
}
