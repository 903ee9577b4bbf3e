// A sequential-DCT JPEG decoder (ITU-T T.81 processes 1, 2 and 4: Huffman, 8- or 12-bit samples) for
// DICOM JPEG Extended (1.2.840.10008.1.2.4.51). No npm package decodes 12-bit DCT: libjpeg-turbo's
// WASM build is 8-bit only and jpeg-lossless-decoder-js is lossless only. The inverse DCT is IJG's
// "islow" integer algorithm (jidctint.c), the one GDCM and dcmtk use, so results match them exactly.
import { DicomError } from './dicom-error';

interface FrameComponent {
  readonly id: number;
  readonly h: number;
  readonly v: number;
  readonly quantTable: number;
  blocksPerLine: number;
  blocksPerColumn: number;
  plane: Int32Array;
  planeWidth: number;
  predictor: number;
  dcTable: number;
  acTable: number;
}

interface HuffmanTable {
  readonly maxCode: Int32Array;
  readonly valPtr: Int32Array;
  readonly minCode: Int32Array;
  readonly values: Uint8Array;
}

export interface JpegDctImage {
  readonly width: number;
  readonly height: number;
  readonly precision: number;
  /** One plane per component, cropped to width × height (components at full resolution only). */
  readonly components: Uint16Array[];
}

// T.81 Figure A.6: the zig-zag order of the 64 coefficients.
const ZIGZAG = Uint8Array.from([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
  28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
  54, 47, 55, 62, 63,
]);

export function decodeJpegDct(bytes: Uint8Array, path?: string): JpegDctImage {
  const corrupt = (why: string) => new DicomError('DICOM_CORRUPT_CODESTREAM', `JPEG: ${why}.`, path);
  const u16 = (at: number) => {
    if (at + 2 > bytes.length) throw corrupt('the codestream ends inside a marker segment');
    return (bytes[at] << 8) | bytes[at + 1];
  };
  if (u16(0) !== 0xffd8) throw corrupt('no SOI marker');
  const quantTables: Int32Array[] = [];
  const dcTables: HuffmanTable[] = [];
  const acTables: HuffmanTable[] = [];
  let components: FrameComponent[] = [];
  let width = 0;
  let height = 0;
  let precision = 8;
  let restartInterval = 0;
  let hMax = 1;
  let vMax = 1;
  let at = 2;
  for (;;) {
    // Fill bytes (0xFF) may precede a marker (T.81 §B.1.1.2).
    while (at < bytes.length && bytes[at] === 0xff && bytes[at + 1] === 0xff) at++;
    const marker = u16(at);
    at += 2;
    if (marker === 0xffd9) break;
    if ((marker & 0xff00) !== 0xff00) throw corrupt(`expected a marker at byte ${at - 2}`);
    const length = u16(at);
    const end = at + length;
    if (end > bytes.length) throw corrupt('a marker segment runs past the end');
    let p = at + 2;
    switch (marker) {
      case 0xffdb: // DQT, T.81 §B.2.4.1
        while (p < end) {
          const pq = bytes[p] >> 4;
          const tq = bytes[p] & 15;
          p++;
          const table = new Int32Array(64);
          for (let k = 0; k < 64; k++) {
            table[ZIGZAG[k]] = pq === 0 ? bytes[p++] : (bytes[p++] << 8) | bytes[p++];
          }
          quantTables[tq] = table;
        }
        break;
      case 0xffc4: // DHT, T.81 §B.2.4.2
        while (p < end) {
          const tc = bytes[p] >> 4;
          const th = bytes[p] & 15;
          const counts = bytes.subarray(p + 1, p + 17);
          const total = counts.reduce((sum, n) => sum + n, 0);
          const table = buildHuffman(counts, bytes.subarray(p + 17, p + 17 + total));
          if (tc === 0) dcTables[th] = table;
          else acTables[th] = table;
          p += 17 + total;
        }
        break;
      case 0xffc0: // SOF0 baseline
      case 0xffc1: {
        // SOF1 extended sequential, Huffman
        precision = bytes[p];
        height = u16(p + 1);
        width = u16(p + 3);
        const count = bytes[p + 5];
        components = [];
        for (let c = 0; c < count; c++) {
          const q = p + 6 + 3 * c;
          components.push({
            id: bytes[q],
            h: bytes[q + 1] >> 4,
            v: bytes[q + 1] & 15,
            quantTable: bytes[q + 2],
            blocksPerLine: 0,
            blocksPerColumn: 0,
            plane: new Int32Array(0),
            planeWidth: 0,
            predictor: 0,
            dcTable: 0,
            acTable: 0,
          });
        }
        if (width === 0 || height === 0 || (precision !== 8 && precision !== 12) || count === 0) {
          throw corrupt(`unsupported frame header (precision ${precision}, ${width} × ${height})`);
        }
        hMax = Math.max(...components.map((c) => c.h));
        vMax = Math.max(...components.map((c) => c.v));
        const mcusX = Math.ceil(width / (8 * hMax));
        const mcusY = Math.ceil(height / (8 * vMax));
        for (const c of components) {
          c.blocksPerLine = Math.ceil(Math.ceil((width * c.h) / hMax) / 8);
          c.blocksPerColumn = Math.ceil(Math.ceil((height * c.v) / vMax) / 8);
          c.planeWidth = mcusX * c.h * 8;
          c.plane = new Int32Array(c.planeWidth * mcusY * c.v * 8);
        }
        break;
      }
      case 0xffdd: // DRI
        restartInterval = u16(p);
        break;
      case 0xffda: {
        // SOS, T.81 §B.2.3
        const count = bytes[p];
        const scan: FrameComponent[] = [];
        for (let c = 0; c < count; c++) {
          const component = components.find((x) => x.id === bytes[p + 1 + 2 * c]);
          if (component === undefined) throw corrupt('a scan names a component the frame does not have');
          component.dcTable = bytes[p + 2 + 2 * c] >> 4;
          component.acTable = bytes[p + 2 + 2 * c] & 15;
          scan.push(component);
        }
        at = decodeScan(bytes, end, scan, { dcTables, acTables, quantTables, restartInterval, precision, hMax, vMax, width, height }, corrupt);
        continue;
      }
      default:
        if (marker >= 0xffc2 && marker <= 0xffcf && marker !== 0xffc4 && marker !== 0xffc8 && marker !== 0xffcc) {
          throw new DicomError('DICOM_UNSUPPORTED_SYNTAX', `JPEG process with marker 0x${marker.toString(16)} is not sequential Huffman DCT.`, path);
        }
      // APPn, COM and others carry nothing the decoder needs.
    }
    at = end;
  }
  if (components.length === 0) throw corrupt('no frame header');
  return {
    width,
    height,
    precision,
    components: components.map((c) => {
      const out = new Uint16Array(width * height);
      // Components at reduced sampling are replicated (no chroma smoothing): only full-resolution
      // components are used by DICOM grey-scale 12-bit images.
      const sx = hMax / c.h;
      const sy = vMax / c.v;
      for (let y = 0; y < height; y++) {
        const row = Math.floor(y / sy) * c.planeWidth;
        for (let x = 0; x < width; x++) out[y * width + x] = c.plane[row + Math.floor(x / sx)];
      }
      return out;
    }),
  };
}

function buildHuffman(counts: Uint8Array, values: Uint8Array): HuffmanTable {
  // T.81 Annex C and §F.2.2.3 (DECODE procedure): MAXCODE, MINCODE and VALPTR per code length.
  const maxCode = new Int32Array(18).fill(-1);
  const minCode = new Int32Array(17);
  const valPtr = new Int32Array(17);
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    const n = counts[length - 1];
    if (n > 0) {
      valPtr[length] = k;
      minCode[length] = code;
      code += n;
      k += n;
      maxCode[length] = code - 1;
    }
    code <<= 1;
  }
  maxCode[17] = 0x7fffffff;
  return { maxCode, minCode, valPtr, values: Uint8Array.from(values) };
}

interface ScanTables {
  readonly dcTables: HuffmanTable[];
  readonly acTables: HuffmanTable[];
  readonly quantTables: Int32Array[];
  readonly restartInterval: number;
  readonly precision: number;
  readonly hMax: number;
  readonly vMax: number;
  readonly width: number;
  readonly height: number;
}

function decodeScan(
  bytes: Uint8Array,
  start: number,
  scan: FrameComponent[],
  tables: ScanTables,
  corrupt: (why: string) => DicomError,
): number {
  let at = start;
  let bitBuffer = 0;
  let bitCount = 0;
  let hitMarker = false;
  const readBit = (): number => {
    if (bitCount === 0) {
      if (hitMarker || at >= bytes.length) {
        // T.81 §F.2.2.5: past a marker the decoder is fed zeros; a codestream that relies on that is short.
        hitMarker = true;
        bitBuffer = 0;
      } else {
        bitBuffer = bytes[at++];
        if (bitBuffer === 0xff) {
          const next = bytes[at];
          if (next === 0x00) at++;
          else {
            hitMarker = true;
            at--;
            bitBuffer = 0;
          }
        }
      }
      bitCount = 8;
    }
    bitCount--;
    return (bitBuffer >> bitCount) & 1;
  };
  const receive = (length: number): number => {
    let value = 0;
    for (let i = 0; i < length; i++) value = (value << 1) | readBit();
    return value;
  };
  const extend = (value: number, length: number): number => (value < 1 << (length - 1) ? value - (1 << length) + 1 : value);
  const decodeSymbol = (table: HuffmanTable | undefined): number => {
    if (table === undefined) throw corrupt('a scan uses an undefined Huffman table');
    let code = readBit();
    let length = 1;
    while (code > table.maxCode[length]) {
      code = (code << 1) | readBit();
      length++;
      if (length > 16) throw corrupt('an invalid Huffman code');
    }
    return table.values[table.valPtr[length] + code - table.minCode[length]];
  };
  const coefficients = new Int32Array(64);
  const decodeBlock = (component: FrameComponent, blockRow: number, blockColumn: number) => {
    coefficients.fill(0);
    const t = decodeSymbol(tables.dcTables[component.dcTable]);
    const diff = t === 0 ? 0 : extend(receive(t), t);
    component.predictor += diff;
    coefficients[0] = component.predictor;
    const ac = tables.acTables[component.acTable];
    for (let k = 1; k < 64; ) {
      const rs = decodeSymbol(ac);
      const s = rs & 15;
      const r = rs >> 4;
      if (s === 0) {
        if (r < 15) break;
        k += 16;
        continue;
      }
      k += r;
      if (k > 63) throw corrupt('a run of AC coefficients past the block');
      coefficients[ZIGZAG[k]] = extend(receive(s), s);
      k++;
    }
    const quant = tables.quantTables[component.quantTable];
    if (quant === undefined) throw corrupt('a component uses an undefined quantization table');
    idctIslow(coefficients, quant, component.plane, (blockRow * component.planeWidth + blockColumn) * 8, component.planeWidth, tables.precision);
  };

  const single = scan.length === 1;
  const mcusX = single ? scan[0].blocksPerLine : Math.ceil(tables.width / (8 * tables.hMax));
  const mcusY = single ? scan[0].blocksPerColumn : Math.ceil(tables.height / (8 * tables.vMax));
  const total = mcusX * mcusY;
  for (const component of scan) component.predictor = 0;
  for (let mcu = 0; mcu < total; mcu++) {
    if (tables.restartInterval > 0 && mcu > 0 && mcu % tables.restartInterval === 0) {
      // T.81 §F.2.1.3.1: byte-align, expect RSTn, reset the DC predictions.
      bitCount = 0;
      hitMarker = false;
      while (at + 1 < bytes.length && !(bytes[at] === 0xff && bytes[at + 1] >= 0xd0 && bytes[at + 1] <= 0xd7)) at++;
      at += 2;
      for (const component of scan) component.predictor = 0;
    }
    const mcuRow = Math.floor(mcu / mcusX);
    const mcuColumn = mcu % mcusX;
    if (single) decodeBlock(scan[0], mcuRow, mcuColumn);
    else {
      for (const component of scan) {
        for (let v = 0; v < component.v; v++) {
          for (let h = 0; h < component.h; h++) decodeBlock(component, mcuRow * component.v + v, mcuColumn * component.h + h);
        }
      }
    }
  }
  // Skip to the next marker (EOI, or the next scan's tables).
  while (at + 1 < bytes.length && !(bytes[at] === 0xff && bytes[at + 1] !== 0x00 && (bytes[at + 1] < 0xd0 || bytes[at + 1] > 0xd7))) at++;
  if (at + 1 >= bytes.length) throw corrupt('the codestream ends without EOI');
  return at;
}

// IJG jidctint.c constants, CONST_BITS = 13.
const CONST_BITS = 13;
const FIX_0_298631336 = 2446;
const FIX_0_390180644 = 3196;
const FIX_0_541196100 = 4433;
const FIX_0_765366865 = 6270;
const FIX_0_899976223 = 7373;
const FIX_1_175875602 = 9633;
const FIX_1_501321110 = 12299;
const FIX_1_847759065 = 15137;
const FIX_1_961570560 = 16069;
const FIX_2_053119869 = 16819;
const FIX_2_562915447 = 20995;
const FIX_3_072711026 = 25172;

// DESCALE with floor division: 12-bit products can pass 2^31, where JS shifts would wrap. Scaling by a
// power of two is exact in doubles.
const descale = (x: number, n: number) => Math.floor((x + HALF[n]) * INVERSE[n]);
const HALF = Array.from({ length: 32 }, (_, n) => (n === 0 ? 0 : 2 ** (n - 1)));
const INVERSE = Array.from({ length: 32 }, (_, n) => 2 ** -n);
const odd = new Float64Array(4);

const workspace = new Float64Array(64);

// No closures inside these loops: tsx/esbuild wraps every created function in __name(), which would
// dominate the run time.
function idctIslow(input: Int32Array, quant: Int32Array, out: Int32Array, offset: number, stride: number, precision: number): void {
  // PASS1_BITS is 2 for 8-bit and 1 for 12-bit samples (jidctint.c), keeping intermediates in range.
  const pass1Bits = precision === 8 ? 2 : 1;
  const maxSample = (1 << precision) - 1;
  const center = 1 << (precision - 1);
  const n1 = CONST_BITS - pass1Bits;
  const scale = 2 ** CONST_BITS;
  for (let c = 0; c < 8; c++) {
    const z2a = input[16 + c] * quant[16 + c];
    const z3a = input[48 + c] * quant[48 + c];
    const z1 = (z2a + z3a) * FIX_0_541196100;
    const tmp2 = z1 + z3a * -FIX_1_847759065;
    const tmp3 = z1 + z2a * FIX_0_765366865;
    const z2 = input[c] * quant[c];
    const z3 = input[32 + c] * quant[32 + c];
    const tmp0 = (z2 + z3) * scale;
    const tmp1 = (z2 - z3) * scale;
    const tmp10 = tmp0 + tmp3;
    const tmp13 = tmp0 - tmp3;
    const tmp11 = tmp1 + tmp2;
    const tmp12 = tmp1 - tmp2;
    oddPart(input[56 + c] * quant[56 + c], input[40 + c] * quant[40 + c], input[24 + c] * quant[24 + c], input[8 + c] * quant[8 + c]);
    workspace[c] = descale(tmp10 + odd[3], n1);
    workspace[56 + c] = descale(tmp10 - odd[3], n1);
    workspace[8 + c] = descale(tmp11 + odd[2], n1);
    workspace[48 + c] = descale(tmp11 - odd[2], n1);
    workspace[16 + c] = descale(tmp12 + odd[1], n1);
    workspace[40 + c] = descale(tmp12 - odd[1], n1);
    workspace[24 + c] = descale(tmp13 + odd[0], n1);
    workspace[32 + c] = descale(tmp13 - odd[0], n1);
  }
  const n2 = CONST_BITS + pass1Bits + 3;
  for (let r = 0; r < 8; r++) {
    const w = 8 * r;
    const z1 = (workspace[w + 2] + workspace[w + 6]) * FIX_0_541196100;
    const even2 = z1 + workspace[w + 6] * -FIX_1_847759065;
    const even3 = z1 + workspace[w + 2] * FIX_0_765366865;
    const even0 = (workspace[w] + workspace[w + 4]) * scale;
    const even1 = (workspace[w] - workspace[w + 4]) * scale;
    const tmp10 = even0 + even3;
    const tmp13 = even0 - even3;
    const tmp11 = even1 + even2;
    const tmp12 = even1 - even2;
    oddPart(workspace[w + 7], workspace[w + 5], workspace[w + 3], workspace[w + 1]);
    const row = offset + r * stride;
    rowOut[0] = tmp10 + odd[3];
    rowOut[7] = tmp10 - odd[3];
    rowOut[1] = tmp11 + odd[2];
    rowOut[6] = tmp11 - odd[2];
    rowOut[2] = tmp12 + odd[1];
    rowOut[5] = tmp12 - odd[1];
    rowOut[3] = tmp13 + odd[0];
    rowOut[4] = tmp13 - odd[0];
    for (let k = 0; k < 8; k++) {
      const sample = descale(rowOut[k], n2) + center;
      out[row + k] = sample < 0 ? 0 : sample > maxSample ? maxSample : sample;
    }
  }
}

const rowOut = new Float64Array(8);

/** The odd part of one 1-D pass (jidctint.c), written into `odd`. */
function oddPart(t0: number, t1: number, t2: number, t3: number): void {
  let z1 = t0 + t3;
  let z2 = t1 + t2;
  let z3 = t0 + t2;
  let z4 = t1 + t3;
  const z5 = (z3 + z4) * FIX_1_175875602;
  const tmp0 = t0 * FIX_0_298631336;
  const tmp1 = t1 * FIX_2_053119869;
  const tmp2 = t2 * FIX_3_072711026;
  const tmp3 = t3 * FIX_1_501321110;
  z1 *= -FIX_0_899976223;
  z2 *= -FIX_2_562915447;
  z3 = z3 * -FIX_1_961570560 + z5;
  z4 = z4 * -FIX_0_390180644 + z5;
  odd[0] = tmp0 + z1 + z3;
  odd[1] = tmp1 + z2 + z4;
  odd[2] = tmp2 + z2 + z3;
  odd[3] = tmp3 + z1 + z4;
}
