// PNG and JPEG files through sharp (libvips). Options are spelled out so the bytes do not depend on
// sharp's defaults changing; libvips writes no timestamps, so equal pixels give equal files.
import sharp from 'sharp';

export type Channels = 1 | 3;

function raw(pixels: Uint8Array, width: number, height: number, channels: Channels) {
  return sharp(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), { raw: { width, height, channels } });
}

export async function encodePng(pixels: Uint8Array, width: number, height: number, channels: Channels): Promise<Uint8Array> {
  return raw(pixels, width, height, channels).png({ compressionLevel: 6, adaptiveFiltering: true, palette: false }).toBuffer();
}

export async function encodeJpeg(pixels: Uint8Array, width: number, height: number, channels: Channels, quality = 88): Promise<Uint8Array> {
  return raw(pixels, width, height, channels)
    .jpeg({ quality, chromaSubsampling: channels === 3 ? '4:2:0' : '4:4:4', mozjpeg: false, progressive: false, optimiseCoding: true })
    .toBuffer();
}
