// A minimal Part-10 file (PS3.10 §7.1: preamble, "DICM", File Meta group; PS3.5 §7.1.2 explicit VR
// little endian) holding one 8-bit MONOCHROME2 frame: enough for content checks of CBIS-DDSM ROI files.
function element(group: number, elementNumber: number, vr: string, value: Uint8Array): Uint8Array {
  const longForm = ['OB', 'OW', 'SQ', 'UN', 'UT'].includes(vr);
  const padded = value.length % 2 === 0 ? value : Uint8Array.from([...value, vr === 'UI' ? 0 : vr === 'OB' ? 0 : 0x20]);
  const header = new Uint8Array(longForm ? 12 : 8);
  const view = new DataView(header.buffer);
  view.setUint16(0, group, true);
  view.setUint16(2, elementNumber, true);
  header[4] = vr.charCodeAt(0);
  header[5] = vr.charCodeAt(1);
  if (longForm) view.setUint32(8, padded.length, true);
  else view.setUint16(6, padded.length, true);
  return Uint8Array.from([...header, ...padded]);
}

const text = (value: string): Uint8Array => new TextEncoder().encode(value);
const us = (value: number): Uint8Array => new Uint8Array(new Uint16Array([value]).buffer);

export function tinyMonochromeDicom(rows: number, columns: number, pixels: Uint8Array): Uint8Array {
  const metaBody = [
    element(0x0002, 0x0001, 'OB', Uint8Array.from([0, 1])),
    element(0x0002, 0x0002, 'UI', text('1.2.840.10008.5.1.4.1.1.7')),
    element(0x0002, 0x0003, 'UI', text('1.2.3.4')),
    element(0x0002, 0x0010, 'UI', text('1.2.840.10008.1.2.1')),
  ];
  const metaLength = metaBody.reduce((sum, part) => sum + part.length, 0);
  const metaGroupLength = new Uint8Array(new Uint32Array([metaLength]).buffer);
  const body = [
    element(0x0008, 0x0016, 'UI', text('1.2.840.10008.5.1.4.1.1.7')),
    element(0x0028, 0x0002, 'US', us(1)),
    element(0x0028, 0x0004, 'CS', text('MONOCHROME2')),
    element(0x0028, 0x0010, 'US', us(rows)),
    element(0x0028, 0x0011, 'US', us(columns)),
    element(0x0028, 0x0100, 'US', us(8)),
    element(0x0028, 0x0101, 'US', us(8)),
    element(0x0028, 0x0102, 'US', us(7)),
    element(0x0028, 0x0103, 'US', us(0)),
    element(0x7fe0, 0x0010, 'OB', pixels),
  ];
  const parts = [new Uint8Array(128), text('DICM'), element(0x0002, 0x0000, 'UL', metaGroupLength), ...metaBody, ...body];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
