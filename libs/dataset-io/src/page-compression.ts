// Page codecs. Measured (tools/bench/dataset-io/writers.ts and README): a pure-JS Snappy runs at
// ~80 MB/s on one core, below what 200,000 rows/s of 700-character prompts need, and Node 20's zlib
// has no Zstandard (zlib.zstdCompress arrives in Node 22.15). GZIP through native zlib at level 1
// runs at ~400 MB/s on the libuv thread pool, off the main thread, and every Parquet reader has it —
// so GZIP is the default. ZSTD is used only where the running Node provides it, and only when asked.
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { datasetIoFailure } from './dataset-io-error';

export type ParquetCodec = 'GZIP' | 'ZSTD' | 'UNCOMPRESSED';

/** parquet.thrift CompressionCodec */
export const CODEC_ID: Record<ParquetCodec, number> = { UNCOMPRESSED: 0, GZIP: 2, ZSTD: 6 };

type Compress = (parts: Buffer[]) => Promise<Buffer[]>;

interface ZstdZlib {
  createZstdCompress?: (options: object) => zlib.Gzip;
  constants: Record<string, number>;
}

/** Streams the parts through one zlib stream (thread pool), so that the page is never concatenated. */
function compressWith(createStream: () => zlib.Gzip): Compress {
  return (parts) =>
    new Promise((resolve, reject) => {
      const stream = createStream();
      const output: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => output.push(chunk));
      stream.on('error', reject);
      stream.on('end', () => resolve(output));
      for (const part of parts) stream.write(part);
      stream.end();
    });
}

export function pageCompressor(codec: ParquetCodec, level?: number): Compress {
  if (codec === 'UNCOMPRESSED') return async (parts) => parts;
  if (codec === 'GZIP') {
    const gzip = promisify(zlib.gzip);
    return async (parts) => [await gzip(parts.length === 1 ? parts[0] : Buffer.concat(parts), { level: level ?? 1 })];
  }
  const zstd = zlib as unknown as ZstdZlib;
  const createZstd = zstd.createZstdCompress;
  if (!createZstd) {
    throw datasetIoFailure('DATASET_CODEC_UNAVAILABLE', `ZSTD needs Node ≥ 22.15 (this is ${process.version}); use GZIP`, 'codec');
  }
  const levelParameter = zstd.constants.ZSTD_c_compressionLevel;
  return compressWith(() => createZstd({ params: { [levelParameter]: level ?? 1 } }));
}
