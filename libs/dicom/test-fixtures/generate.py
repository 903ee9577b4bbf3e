#!/usr/bin/python3
# Generates test-fixtures/generated/*.dcm: the transfer syntaxes and photometric interpretations that
# pydicom's own test files lack (issue 4, "Done when"). Run with Debian's python3 (python3-pydicom,
# -numpy) and tools dcmtk (dcmcjpeg, dcmcjpls, dcmodify), libgdcm-tools (gdcmconv) and openjph-tools
# (ojph_compress):   /usr/bin/python3 libs/dicom/test-fixtures/generate.py
# The outputs are committed; conformance specs decode them and compare with the oracles at test time.
# Images are synthetic (no patient data): smooth anatomy-like shapes plus seeded noise.
import os, subprocess, tempfile, zlib
import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.encaps import encapsulate, encapsulate_extended, generate_pixel_data_frame
from pydicom.uid import (ExplicitVRLittleEndian, RLELossless, generate_uid)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'generated')
os.makedirs(OUT, exist_ok=True)
TMP = tempfile.mkdtemp(prefix='qoq-dicom-gen-')
rng = np.random.default_rng(20251125)
UID_ROOT = '1.2.826.0.1.3680043.10.1234.'  # fixed so re-runs give identical files


def run(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)


def phantom(rows, columns, frames, bits):
    """Ellipses and a gradient with Gaussian noise, full use of `bits`."""
    y, x = np.mgrid[0:rows, 0:columns]
    out = []
    for f in range(frames):
        body = ((x - columns / 2) / (columns * 0.42)) ** 2 + ((y - rows / 2) / (rows * 0.45)) ** 2 < 1
        lung = ((x - columns * (0.32 + 0.02 * f)) / (columns * 0.12)) ** 2 + ((y - rows * 0.45) / (rows * 0.25)) ** 2 < 1
        img = 0.15 + 0.55 * body - 0.4 * lung + 0.2 * (x / columns) + rng.normal(0, 0.03, (rows, columns))
        out.append(np.clip(img, 0, 1) * (2 ** bits - 1))
    return np.rint(np.stack(out)).astype(np.uint16 if bits > 8 else np.uint8)


def base_dataset(name, arr, photometric='MONOCHROME2', bits_stored=None, signed=False, samples=1):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.7'  # Secondary Capture
    meta.MediaStorageSOPInstanceUID = UID_ROOT + str(zlib.crc32(name.encode()))
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.ImplementationClassUID = UID_ROOT + '1'
    ds = FileDataset(name, {}, file_meta=meta, preamble=b'\0' * 128)
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = UID_ROOT + '2'
    ds.SeriesInstanceUID = UID_ROOT + '3'
    ds.Modality = 'OT'
    ds.PatientName = 'Synthetic^Phantom'
    ds.PatientID = 'PHANTOM'
    frames = arr.shape[0]
    ds.SamplesPerPixel = samples
    ds.PhotometricInterpretation = photometric
    ds.Rows, ds.Columns = arr.shape[1], arr.shape[2]
    if frames > 1:
        ds.NumberOfFrames = frames
    allocated = arr.dtype.itemsize * 8
    ds.BitsAllocated = allocated
    ds.BitsStored = bits_stored or allocated
    ds.HighBit = ds.BitsStored - 1
    ds.PixelRepresentation = 1 if signed else 0
    if samples == 3:
        ds.PlanarConfiguration = 0
    ds.PixelData = arr.tobytes()
    ds.is_little_endian, ds.is_implicit_VR = True, False
    return ds


def save(ds, name):
    path = os.path.join(OUT, name)
    uid = str(ds.file_meta.TransferSyntaxUID)
    # pydicom 2.3 does not know the HTJ2K UIDs: write as JPEG 2000, then set the UID in the meta header.
    if uid.startswith('1.2.840.10008.1.2.4.20'):
        ds.file_meta.TransferSyntaxUID = '1.2.840.10008.1.2.4.90'
    ds.save_as(path, write_like_original=False)
    if uid.startswith('1.2.840.10008.1.2.4.20'):
        ds.file_meta.TransferSyntaxUID = uid
        set_transfer_syntax(path, uid)
    return path


def set_transfer_syntax(path, uid):
    import struct
    data = open(path, 'rb').read()
    at, elements = 132, []
    while data[at:at + 2] == b'\x02\x00':
        tag = data[at:at + 4]
        vr = data[at + 4:at + 6]
        if vr in (b'OB', b'OW', b'UN', b'SQ', b'UT'):
            length = struct.unpack('<I', data[at + 8:at + 12])[0]
            header = 12
        else:
            length = struct.unpack('<H', data[at + 6:at + 8])[0]
            header = 8
        elements.append((tag, vr, header, data[at + header:at + header + length]))
        at += header + length
    value = uid.encode() + (b'\0' if len(uid) % 2 else b'')
    body = b''
    for tag, vr, header, old in elements:
        if tag == b'\x02\x00\x00\x00':
            continue
        new = value if tag == b'\x02\x00\x10\x00' else old
        body += tag + vr + (struct.pack('<H', len(new)) if header == 8 else b'\0\0' + struct.pack('<I', len(new))) + new
    group_length = b'\x02\x00\x00\x00UL' + struct.pack('<HI', 4, len(body))
    open(path, 'wb').write(data[:132] + group_length + body + data[at:])


def tmp(name):
    return os.path.join(TMP, name)


# 1. A 12-bit, 3-frame grey image: the source of the JPEG family, JPEG-LS and JPEG 2000 variants.
mono12 = phantom(96, 83, 3, 12)
mono12_path = save(base_dataset('mono12', mono12, bits_stored=12), 'mono12_explicit_le.dcm')
run('dcmcjpeg', '+el', '+sv', '6', mono12_path, os.path.join(OUT, 'mono12_jpeg_lossless_sv6.dcm'))  # .4.57
run('dcmcjpeg', '+e1', mono12_path, os.path.join(OUT, 'mono12_jpeg_lossless_sv1.dcm'))  # .4.70
run('dcmcjpeg', '+ee', mono12_path, os.path.join(OUT, 'mono12_jpeg_extended.dcm'))  # .4.51, 12-bit DCT
# Frames split into 1 KiB fragments with an empty Basic Offset Table: frames found by SOI markers.
run('dcmcjpeg', '+el', '+fs', '1', '-ot', mono12_path, os.path.join(OUT, 'mono12_jpeg_lossless_fragmented_nobot.dcm'))
run('dcmcjpls', '+el', mono12_path, os.path.join(OUT, 'mono12_jpegls_lossless.dcm'))  # .4.80
run('dcmcjpls', '+en', mono12_path, os.path.join(OUT, 'mono12_jpegls_near_lossless.dcm'))  # .4.81, NEAR 2
run('gdcmconv', '--j2k', mono12_path, os.path.join(OUT, 'mono12_j2k_lossless.dcm'))  # .4.90
run('gdcmconv', '--j2k', '--lossy', '-q', '40', mono12_path, os.path.join(OUT, 'mono12_j2k_lossy.dcm'))  # .4.91

# Extended Offset Table (PS3.3 C.7.6.3.1.9): the JPEG-LS frames re-encapsulated with an empty BOT.
ls = pydicom.dcmread(os.path.join(OUT, 'mono12_jpegls_lossless.dcm'))
frames = list(generate_pixel_data_frame(ls.PixelData, 3))
pixel_data, offsets, lengths = encapsulate_extended(frames)
ls.PixelData = pixel_data
ls['PixelData'].is_undefined_length = True
ls.ExtendedOffsetTable = offsets
ls.ExtendedOffsetTableLengths = lengths
ls.SOPInstanceUID = ls.file_meta.MediaStorageSOPInstanceUID = UID_ROOT + '50'
save(ls, 'mono12_jpegls_extended_offset_table.dcm')


# 2. HTJ2K (.4.201 lossless, .4.202 lossless RPCL, .4.203 lossy) from ojph_compress, wrapped here.
def write_pgm(path, frame, maxval):
    with open(path, 'wb') as f:
        f.write(f'P5\n{frame.shape[1]} {frame.shape[0]}\n{maxval}\n'.encode())
        f.write(frame.astype('>u2' if maxval > 255 else 'u1').tobytes())


def write_ppm(path, frame):
    with open(path, 'wb') as f:
        f.write(f'P6\n{frame.shape[1]} {frame.shape[0]}\n255\n'.encode())
        f.write(frame.astype('u1').tobytes())


def htj2k(name, arr, syntax, options, photometric='MONOCHROME2', bits_stored=12, samples=1):
    streams = []
    for i, frame in enumerate(arr):
        src = tmp(f'{name}-{i}.' + ('ppm' if samples == 3 else 'pgm'))
        (write_ppm(src, frame) if samples == 3 else write_pgm(src, frame, 2 ** bits_stored - 1))
        out = tmp(f'{name}-{i}.j2c')
        run('ojph_compress', '-i', src, '-o', out, *options)
        with open(out, 'rb') as f:
            streams.append(f.read())
    ds = base_dataset(name, arr, photometric=photometric, bits_stored=bits_stored, samples=samples)
    ds.file_meta.TransferSyntaxUID = syntax
    ds.PixelData = encapsulate(streams)
    ds['PixelData'].is_undefined_length = True
    ds['PixelData'].VR = 'OB'
    if syntax.endswith('203'):
        ds.LossyImageCompression = '01'
    return save(ds, name + '.dcm')


htj2k('mono12_htj2k_lossless', mono12, '1.2.840.10008.1.2.4.201', ['-reversible', 'true', '-prog_order', 'LRCP'])
htj2k('mono12_htj2k_lossless_rpcl', mono12, '1.2.840.10008.1.2.4.202', ['-reversible', 'true', '-prog_order', 'RPCL'])
htj2k('mono12_htj2k_lossy', mono12, '1.2.840.10008.1.2.4.203', ['-qstep', '0.005'])

# 3. 8-bit RGB: planar configuration 1 (native), JPEG-LS near-lossless, RLE, HTJ2K with the RCT.
grey8 = phantom(64, 75, 1, 8)[0].astype(np.int16)
rgb = np.stack([grey8, np.clip(grey8 * 0.8 + 30, 0, 255), np.clip(255 - grey8, 0, 255)], axis=-1).astype(np.uint8)[None]
rgb_ds = base_dataset('rgb8', rgb, photometric='RGB', samples=3)
rgb_path = save(rgb_ds, 'rgb8_explicit_le.dcm')
planar = base_dataset('rgb8_planar', rgb, photometric='RGB', samples=3)
planar.PlanarConfiguration = 1
planar.PixelData = np.ascontiguousarray(rgb[0].transpose(2, 0, 1)).tobytes()
save(planar, 'rgb8_planar1.dcm')
run('dcmcjpls', '+en', rgb_path, os.path.join(OUT, 'rgb8_jpegls_near_lossless.dcm'))
rle = pydicom.dcmread(rgb_path)
rle.compress(RLELossless)
save(rle, 'rgb8_rle.dcm')
htj2k('rgb8_htj2k_lossless_rct', rgb, '1.2.840.10008.1.2.4.201', ['-reversible', 'true'], photometric='YBR_RCT', bits_stored=8, samples=3)

# YBR_FULL native with planar configuration 1 (converted to RGB by the decoder, PS3.3 C.7.6.3.1.2).
ybr = pydicom.pixel_data_handlers.util.convert_color_space(rgb[0], 'RGB', 'YBR_FULL')
ybr_ds = base_dataset('ybr_planar', ybr[None], photometric='YBR_FULL', samples=3)
ybr_ds.PlanarConfiguration = 1
ybr_ds.PixelData = np.ascontiguousarray(ybr.transpose(2, 0, 1)).tobytes()
save(ybr_ds, 'ybr_full_planar1.dcm')

# 4. MONOCHROME1 (dcmodify on a copy of the 8-bit grey image).
mono1_path = save(base_dataset('mono1', phantom(64, 75, 1, 8)), 'mono1_explicit_le.dcm')
run('dcmodify', '-nb', '-m', '(0028,0004)=MONOCHROME1', mono1_path)

# 5. PALETTE COLOR: 16-bit LUT, 8-bit LUT, and a segmented 16-bit LUT (PS3.3 C.7.9.2).
indices = (phantom(48, 57, 1, 8)).astype(np.uint8)


def palette_dataset(name):
    ds = base_dataset(name, indices, photometric='PALETTE COLOR')
    return ds


ramp = np.arange(256)
ds = palette_dataset('palette16')
ds.RedPaletteColorLookupTableDescriptor = [256, 0, 16]
ds.GreenPaletteColorLookupTableDescriptor = [256, 0, 16]
ds.BluePaletteColorLookupTableDescriptor = [256, 0, 16]
ds.RedPaletteColorLookupTableData = (ramp * 257).astype('<u2').tobytes()
ds.GreenPaletteColorLookupTableData = ((255 - ramp) * 257).astype('<u2').tobytes()
ds.BluePaletteColorLookupTableData = (np.abs(128 - ramp) * 400).astype('<u2').tobytes()
save(ds, 'palette_color_16bit.dcm')

ds = palette_dataset('palette8')
ds.RedPaletteColorLookupTableDescriptor = [200, 16, 8]  # first mapped 16, 200 entries: clamping both ends
ds.GreenPaletteColorLookupTableDescriptor = [200, 16, 8]
ds.BluePaletteColorLookupTableDescriptor = [200, 16, 8]
ds.RedPaletteColorLookupTableData = (np.arange(200) % 256).astype('<u2').tobytes()
ds.GreenPaletteColorLookupTableData = ((np.arange(200) * 3) % 256).astype('<u2').tobytes()
ds.BluePaletteColorLookupTableData = (255 - np.arange(200)).astype('<u2').tobytes()
save(ds, 'palette_color_8bit_first_mapped.dcm')

ds = palette_dataset('palette_segmented')
for color, segments in (
    ('Red', [0, 1, 0, 1, 255, 65535]),          # discrete 0, then linear ramp to 65535 over 255 entries
    ('Green', [0, 2, 65535, 32768, 1, 254, 0]),  # discrete pair, linear down to 0
    ('Blue', [0, 1, 1000, 1, 127, 1000, 1, 128, 60000]),  # flat then ramp
):
    setattr(ds, f'{color}PaletteColorLookupTableDescriptor', [256, 0, 16])
    setattr(ds, f'Segmented{color}PaletteColorLookupTableData', np.array(segments, '<u2').tobytes())
save(ds, 'palette_color_segmented.dcm')

# 6. Modality LUT Sequence, VOI LUT Sequence, several windows, SIGMOID, Presentation LUT Shape INVERSE.
ds = base_dataset('luts', mono12[:1], bits_stored=12)
modality = Dataset()
modality.LUTDescriptor = [4096, 0, 16]
modality.ModalityLUTType = 'HU'
modality.add_new(0x00283006, 'US', [int(v) for v in (np.arange(4096) * 2 % 65536)])
ds.ModalityLUTSequence = [modality]
voi = Dataset()
voi.LUTDescriptor = [2048, 100, 12]
voi.LUTExplanation = 'SOFT TISSUE'
voi.add_new(0x00283006, 'US', [int(v) for v in np.clip(np.arange(2048) * 2, 0, 4095)])
ds.VOILUTSequence = [voi]
ds.WindowCenter = ['2048', '1000']
ds.WindowWidth = ['4096', '500']
ds.WindowCenterWidthExplanation = ['FULL', 'NARROW']
ds.VOILUTFunction = 'SIGMOID'
ds.PresentationLUTShape = 'INVERSE'
save(ds, 'mono12_lut_sequences.dcm')

# 7. Enhanced multi-frame functional groups (PS3.3 C.7.6.16): per-frame rescale and window.
ds = base_dataset('enhanced', mono12, bits_stored=12)
ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.2.1'  # Enhanced CT
shared = Dataset()
measures = Dataset()
measures.PixelSpacing = ['0.5', '0.5']
shared.PixelMeasuresSequence = [measures]
shared_voi = Dataset()
shared_voi.WindowCenter = '40'
shared_voi.WindowWidth = '400'
shared.FrameVOILUTSequence = [shared_voi]
ds.SharedFunctionalGroupsSequence = [shared]
per_frame = []
for f in range(3):
    item = Dataset()
    transform = Dataset()
    transform.RescaleSlope = str(1 + f)
    transform.RescaleIntercept = str(-1024 - 10 * f)
    transform.RescaleType = 'HU'
    item.PixelValueTransformationSequence = [transform]
    if f != 1:  # frame 2 falls back to the shared window
        frame_voi = Dataset()
        frame_voi.WindowCenter = str(100 * (f + 1))
        frame_voi.WindowWidth = str(1000 + f)
        item.FrameVOILUTSequence = [frame_voi]
    per_frame.append(item)
ds.PerFrameFunctionalGroupsSequence = per_frame
save(ds, 'enhanced_mono12_functional_groups.dcm')

# 8. Bits stored below bits allocated with junk in the unused high bits, signed: the decoder must mask
# and sign-extend from bit 11. The clean twin is the oracle.
signed = (mono12[:1].astype(np.int32) - 2048).astype(np.int16)
clean = base_dataset('signed12', signed, bits_stored=12, signed=True)
clean.PixelData = signed.tobytes()
save(clean, 'signed12_clean.dcm')
dirty = base_dataset('signed12_junk', signed, bits_stored=12, signed=True)
junk = (signed.view(np.uint16) & 0x0FFF) | (rng.integers(0, 16, signed.shape, dtype=np.uint16) << 12)
dirty.PixelData = junk.astype('<u2').tobytes()
save(dirty, 'signed12_junk_high_bits.dcm')

# 9. The icon image must never be decoded: an Icon Image Sequence with its own (RLE-looking) pixel data.
ds = base_dataset('icon', phantom(32, 32, 1, 8))
icon = Dataset()
icon.SamplesPerPixel = 1
icon.PhotometricInterpretation = 'MONOCHROME2'
icon.Rows, icon.Columns = 8, 8
icon.BitsAllocated, icon.BitsStored, icon.HighBit, icon.PixelRepresentation = 8, 8, 7, 0
icon.PixelData = bytes(range(64))
ds.IconImageSequence = [icon]
save(ds, 'mono8_with_icon.dcm')

print('generated', len(os.listdir(OUT)), 'files in', OUT)
