"""The pipeline people write today (issue 4): pydicom reads, NumPy applies the Modality LUT and a
min-max window, Pillow resizes with LANCZOS so that width x height <= MAX_PIXELS and saves PNG.
Decoding of JPEG-LS and JPEG 2000 goes through python3-gdcm. Runs in PROCESSES processes.

usage: peer_pydicom_pillow.py IN_DIR OUT_DIR PROCESSES [MAX_PIXELS]
"""
import math
import os
import sys
from multiprocessing import Pool

import numpy as np
import pydicom
from PIL import Image
from pydicom.pixel_data_handlers.util import apply_modality_lut

MAX_PIXELS = int(sys.argv[4]) if len(sys.argv) > 4 else 524288


def render(job):
    source, target = job
    ds = pydicom.dcmread(source)
    values = apply_modality_lut(ds.pixel_array, ds).astype(np.float32)
    low, high = float(values.min()), float(values.max())
    grey = np.clip((values - low) / max(high - low, 1) * 255 + 0.5, 0, 255).astype(np.uint8)
    if ds.PhotometricInterpretation == 'MONOCHROME1':
        grey = 255 - grey
    image = Image.fromarray(grey)
    width, height = image.size
    if width * height > MAX_PIXELS:
        scale = math.sqrt(MAX_PIXELS / (width * height))
        image = image.resize((max(1, int(width * scale)), max(1, int(height * scale))), Image.LANCZOS)
    image.save(target, format='PNG')


def main():
    source_dir, out_dir, processes = sys.argv[1], sys.argv[2], int(sys.argv[3])
    os.makedirs(out_dir, exist_ok=True)
    jobs = [(os.path.join(source_dir, name), os.path.join(out_dir, name + '.png')) for name in sorted(os.listdir(source_dir))]
    with Pool(processes) as pool:
        for _ in pool.imap_unordered(render, jobs):
            pass


if __name__ == '__main__':
    main()
