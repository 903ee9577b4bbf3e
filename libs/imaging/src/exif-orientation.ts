// EXIF / TIFF Orientation (tag 274; TIFF 6.0 §"Orientation", Exif 2.32 §4.6.4): how the stored pixel
// rows and columns map to the displayed image. ingest:images applies it (the PNG is the image as
// displayed) and records the stored size as source_width × source_height; a box given in stored
// pixels — the convention of every dataset we read — reaches the PNG through `storedBoxToOutput`.

/** 1 = as stored; 2 mirrored; 3 rotated 180°; 4 flipped; 5 transposed; 6 rotated 90° clockwise to display; 7 transversed; 8 rotated 90° anticlockwise. */
export type ExifOrientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

export function isExifOrientation(value: unknown): value is ExifOrientation {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 8;
}

/** Orientations 5–8 swap width and height. */
export function swapsAxes(orientation: ExifOrientation | null): boolean {
  return orientation !== null && orientation >= 5;
}

/** The displayed size of an image stored as width × height. */
export function orientedSize(width: number, height: number, orientation: ExifOrientation | null): { width: number; height: number } {
  return swapsAxes(orientation) ? { width: height, height: width } : { width, height };
}

/**
 * Maps a point of the stored image (continuous pixel coordinates: the image spans [0, width] ×
 * [0, height], pixel (i, j) covers [i, i + 1] × [j, j + 1]) to the displayed image.
 */
export function orientPoint(x: number, y: number, width: number, height: number, orientation: ExifOrientation | null): [number, number] {
  switch (orientation ?? 1) {
    case 2:
      return [width - x, y];
    case 3:
      return [width - x, height - y];
    case 4:
      return [x, height - y];
    case 5:
      return [y, x];
    case 6:
      return [height - y, x];
    case 7:
      return [height - y, width - x];
    case 8:
      return [y, width - x];
    default:
      return [x, y];
  }
}

/** What `storedBoxToOutput` needs of an images.parquet row. */
export interface ImageGeometry {
  /** The stored size (source_width, source_height). */
  readonly sourceWidth: number;
  readonly sourceHeight: number;
  /** exif_orientation; null when the file has none (= 1). */
  readonly exifOrientation: ExifOrientation | null;
  /** The PNG's size (output_width, output_height). */
  readonly outputWidth: number;
  readonly outputHeight: number;
}

/**
 * A box `[x_min, y_min, x_max, y_max]` in stored-pixel coordinates (edges, as above) → the same
 * box in the output PNG: oriented as displayed, then scaled by output / displayed size on each axis.
 * Not rounded; callers round for their format.
 */
export function storedBoxToOutput(box: readonly [number, number, number, number], geometry: ImageGeometry): [number, number, number, number] {
  const { sourceWidth, sourceHeight, exifOrientation } = geometry;
  const [ax, ay] = orientPoint(box[0], box[1], sourceWidth, sourceHeight, exifOrientation);
  const [bx, by] = orientPoint(box[2], box[3], sourceWidth, sourceHeight, exifOrientation);
  const displayed = orientedSize(sourceWidth, sourceHeight, exifOrientation);
  const sx = geometry.outputWidth / displayed.width;
  const sy = geometry.outputHeight / displayed.height;
  return [Math.min(ax, bx) * sx, Math.min(ay, by) * sy, Math.max(ax, bx) * sx, Math.max(ay, by) * sy];
}
