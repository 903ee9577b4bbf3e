"""Synthetic chest radiographs for the ingest:dicom benchmark (not timed).

N images of 2,048 x 2,500 pixels, 12 bits stored in 16, MONOCHROME2, DX: a smooth body outline with
two darker lung fields, a bright mediastinum and rib arcs, plus signal-dependent (quantum) noise and
a little fixed-pattern detector noise, so that lossless codecs reach the 2-3:1 ratios of real CR/DX
rather than the 10:1 of a clean phantom. Written uncompressed with pydicom; the caller makes the
JPEG-LS (dcmcjpls) and JPEG 2000 (gdcmconv --j2k) copies.

usage: make_chest_xrays.py OUT_DIR COUNT
"""
import sys

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

ROWS, COLUMNS = 2500, 2048


def chest(rng: np.random.Generator) -> np.ndarray:
    y, x = np.mgrid[0:ROWS, 0:COLUMNS].astype(np.float32)
    u = (x - COLUMNS / 2) / (COLUMNS / 2)
    v = (y - ROWS / 2) / (ROWS / 2)
    image = np.full((ROWS, COLUMNS), 300.0, np.float32)  # direct exposure outside the body is dark
    body = np.clip(1.2 - (u / 0.9) ** 2 - (v / 1.1) ** 4, 0, None)
    image += 2200 * np.sqrt(body)
    for side in (-1, 1):  # lung fields: less attenuation than soft tissue
        lung = np.clip(1 - ((u - side * 0.42) / 0.3) ** 2 - ((v + 0.05) / 0.62) ** 2, 0, None)
        image -= 900 * lung ** 0.6
    image += 1100 * np.exp(-((u / 0.16) ** 2)) * (v > -0.6)  # mediastinum and spine
    phase = rng.uniform(0, np.pi)
    ribs = 0.5 + 0.5 * np.sin(18 * (v + 0.25 * u ** 2) + phase)
    image += 220 * ribs ** 4 * (body > 0.2)
    image += 80 * rng.standard_normal() * u  # a gentle heel effect
    quantum = rng.standard_normal((ROWS, COLUMNS)).astype(np.float32) * np.sqrt(np.clip(image, 1, None)) * 0.9
    detector = rng.standard_normal((1, COLUMNS)).astype(np.float32) * 6
    return np.clip(image + quantum + detector, 0, 4095).astype(np.uint16)


def write(path: str, pixels: np.ndarray, index: int) -> None:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.1.1'  # Digital X-Ray Image Storage - For Presentation
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.Modality = 'DX'
    ds.PatientName = f'Bench^Patient{index:03d}'
    ds.PatientID = f'BENCH{index:03d}'
    ds.ViewPosition = 'PA'
    ds.BodyPartExamined = 'CHEST'
    ds.ImagerPixelSpacing = ['0.139', '0.139']
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = 'MONOCHROME2'
    ds.Rows, ds.Columns = pixels.shape
    ds.BitsAllocated = 16
    ds.BitsStored = 12
    ds.HighBit = 11
    ds.PixelRepresentation = 0
    ds.RescaleSlope = '1'
    ds.RescaleIntercept = '0'
    ds.PixelData = pixels.tobytes()
    ds.save_as(path, write_like_original=False)


def main() -> None:
    out, count = sys.argv[1], int(sys.argv[2])
    rng = np.random.default_rng(20250601)
    for index in range(count):
        write(f'{out}/cxr{index:03d}.dcm', chest(rng), index)


main()
