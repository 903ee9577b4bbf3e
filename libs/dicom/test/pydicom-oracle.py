# Oracle for conformance.spec.ts: decodes each file with pydicom (GDCM handler for JPEG, JPEG-LS and
# JPEG 2000) and writes the pixel array as little-endian raw bytes plus a JSON line describing it.
# Usage: pydicom-oracle.py OUT_DIR [ojph[@R]:|opj@R:]FILE...   (run with Debian's /usr/bin/python3)
# An "ojph:" prefix decodes each frame's codestream with OpenJPH's ojph_expand instead (HTJ2K, which
# GDCM 3.0 does not read); "@R" skips R resolution levels (ojph_expand -skip_res R, or OpenJPEG's
# opj_decompress -r R for "opj@R:"). The codestreams are cut out by pydicom.
import json, os, subprocess, sys, warnings
import numpy as np
import pydicom
from pydicom.encaps import generate_pixel_data_frame
from pydicom.pixel_data_handlers.util import apply_color_lut, convert_color_space


def read_pnm(path):
    with open(path, 'rb') as f:
        data = f.read()
    fields, at = [], 0
    while len(fields) < 4:
        while data[at:at + 1].isspace():
            at += 1
        if data[at:at + 1] == b'#':  # a comment runs to the end of its line (netpbm)
            at = data.index(b'\n', at) + 1
            continue
        start = at
        while not data[at:at + 1].isspace():
            at += 1
        fields.append(data[start:at])
    at += 1
    magic, width, height, maxval = fields[0], int(fields[1]), int(fields[2]), int(fields[3])
    channels = 3 if magic == b'P6' else 1
    dtype = '>u2' if maxval > 255 else 'u1'
    return np.frombuffer(data[at:], dtype=dtype, count=width * height * channels).reshape(height, width, channels).squeeze()


def ojph_array(ds, out_dir, index, tool='ojph', skip=0):
    frames = int(getattr(ds, 'NumberOfFrames', 1) or 1)
    decoded = []
    for number, codestream in enumerate(generate_pixel_data_frame(ds.PixelData, frames)):
        source = os.path.join(out_dir, f'{index}-{number}.j2k')
        target = os.path.join(out_dir, f'{index}-{number}.' + ('ppm' if ds.SamplesPerPixel == 3 else 'pgm'))
        with open(source, 'wb') as f:
            f.write(codestream)
        if tool == 'ojph':
            command = ['ojph_expand', '-i', source, '-o', target] + (['-skip_res', str(skip)] if skip else [])
        else:
            command = ['opj_decompress', '-i', source, '-o', target, '-r', str(skip)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        decoded.append(read_pnm(target).astype(np.uint16 if ds.BitsAllocated > 8 else np.uint8))
    return np.stack(decoded)

warnings.simplefilter('ignore')
out_dir = sys.argv[1]
for index, argument in enumerate(sys.argv[2:]):
    mode, path = argument.split(':', 1) if argument.startswith(('ojph', 'opj@')) else ('pydicom', argument)
    tool, _, skip = mode.partition('@')
    record = {'path': argument}
    try:
        ds = pydicom.dcmread(path)
        arr = ds.pixel_array if mode == 'pydicom' else ojph_array(ds, out_dir, index, tool, int(skip or 0))
        pi = ds.PhotometricInterpretation
        frames = int(getattr(ds, 'NumberOfFrames', 1) or 1)
        if pi == 'PALETTE COLOR':
            arr = apply_color_lut(arr, ds)
        elif pi in ('YBR_FULL', 'YBR_FULL_422') and arr.dtype.itemsize == 1:
            # pydicom leaves YCbCr as stored; our decoder outputs RGB (PS3.3 C.7.6.3.1.2 conversion).
            record['ybr'] = True
            arr = convert_color_space(arr, 'YBR_FULL', 'RGB')
        arr = np.ascontiguousarray(arr.astype(arr.dtype.newbyteorder('<')))
        raw = os.path.join(out_dir, f'{index}.raw')
        arr.tofile(raw)
        record.update(raw=raw, dtype=arr.dtype.name, shape=list(arr.shape), frames=frames, photometric=pi)
    except Exception as error:  # the test decides whether a failure is expected
        record['error'] = f'{type(error).__name__}: {error}'
    print(json.dumps(record), flush=True)
