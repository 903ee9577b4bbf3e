// Features of the learnability check, read back from the written files (never from the generator's
// memory): a 16 × 16 grey thumbnail, an 8 × 8 colour thumbnail and a 16-bin grey histogram.
import sharp from 'sharp';

export const THUMBNAIL = 16;
const COLOUR_THUMBNAIL = 8;
const HISTOGRAM_BINS = 16;

/** Features from a grey 0..1 thumbnail (16 × 16) and a grey 0..1 64 × 64 image for the histogram. */
export function greyFeatures(thumbnail: ArrayLike<number>, histogramSource: ArrayLike<number>): number[] {
  const histogram = new Array<number>(HISTOGRAM_BINS).fill(0);
  for (let index = 0; index < histogramSource.length; index += 1) {
    histogram[Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor(histogramSource[index] * HISTOGRAM_BINS)))] += 1 / histogramSource.length;
  }
  return [...Array.from(thumbnail), ...histogram];
}

/** Area average of a square grey image down to `size` × `size`. */
function areaAverage(pixels: ArrayLike<number>, from: number, size: number): number[] {
  const factor = from / size;
  const out = new Array<number>(size * size).fill(0);
  for (let y = 0; y < from; y += 1) for (let x = 0; x < from; x += 1) out[Math.floor(y / factor) * size + Math.floor(x / factor)] += pixels[y * from + x] / (factor * factor);
  return out;
}

export async function imageFileFeatures(path: string): Promise<number[]> {
  const colour = await sharp(path).removeAlpha().toColourspace('srgb').resize(64, 64, { fit: 'fill' }).raw().toBuffer();
  const grey = new Float64Array(64 * 64);
  for (let index = 0; index < grey.length; index += 1) grey[index] = (0.299 * colour[index * 3] + 0.587 * colour[index * 3 + 1] + 0.114 * colour[index * 3 + 2]) / 255;
  const channels = [0, 1, 2].map((channel) => areaAverage(Array.from({ length: 64 * 64 }, (_, index) => colour[index * 3 + channel] / 255), 64, COLOUR_THUMBNAIL));
  return [...greyFeatures(areaAverage(grey, 64, THUMBNAIL), grey), ...channels.flat()];
}

/**
 * The same grey features for DICOM files, computed by pydicom (an independent decoder): modality LUT
 * (CT: HU, windowed W700/L80 as the RSPECT source does), MONOCHROME1 inverted, scaled to 0..1, area-
 * averaged. Reads paths from stdin (one a line), prints one JSON array a line.
 */
export const PYDICOM_FEATURES_SCRIPT = `
import sys, json, numpy as np, pydicom
from pydicom.pixel_data_handlers.util import apply_modality_lut
def area(image, size):
    h, w = image.shape
    ys = (np.arange(size + 1) * h) // size
    xs = (np.arange(size + 1) * w) // size
    out = np.empty((size, size))
    for i in range(size):
        band = image[ys[i]:ys[i + 1]]
        for j in range(size):
            out[i, j] = band[:, xs[j]:xs[j + 1]].mean()
    return out
for path in sys.stdin.read().split('\\n'):
    if not path:
        continue
    ds = pydicom.dcmread(path)
    pixels = ds.pixel_array
    if getattr(ds, 'NumberOfFrames', 1) and int(getattr(ds, 'NumberOfFrames', 1)) > 1:
        pixels = pixels[len(pixels) // 2]
    pixels = pixels.astype(np.float64)
    if ds.Modality == 'CT':
        hu = apply_modality_lut(pixels, ds)
        unit = np.clip((hu - (80 - 350)) / 700, 0, 1)
    else:
        unit = pixels / float(2 ** int(ds.BitsStored) - 1)
        if ds.PhotometricInterpretation == 'MONOCHROME1':
            unit = 1 - unit
    thumbnail = area(unit, 16).ravel()
    histogram_source = area(unit, 64).ravel()
    histogram = np.bincount(np.clip((histogram_source * 16).astype(int), 0, 15), minlength=16) / histogram_source.size
    print(json.dumps([round(float(v), 5) for v in list(thumbnail) + list(histogram)]))
`;
