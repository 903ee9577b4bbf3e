"""The pipeline people write today for PTB-XL, as the peer of `ingest:ecg` in tools/bench/ecg.

Per record: parse the WFDB header (format 16, gain, baseline), np.fromfile the .dat, pick leads
I, II, V1-V6, convert to mV, scipy.signal.resample_poly 500 -> 250 Hz, crop to 10 s, SHA-256 the
source files, np.save float32. Two worker processes (multiprocessing.Pool), like `--workers=2`.
Run with Debian's /usr/bin/python3 (python3-numpy, python3-scipy).
"""
import hashlib
import os
import sys
from multiprocessing import Pool

import numpy as np
from scipy.signal import resample_poly

LEADS = ["I", "II", "V1", "V2", "V3", "V4", "V5", "V6"]


def convert(job):
    header_path, output_path = job
    with open(header_path, "rb") as handle:
        header_bytes = handle.read()
    lines = [line for line in header_bytes.decode("latin-1").splitlines() if line and not line.startswith("#")]
    record = lines[0].split()
    signal_count, rate = int(record[1]), float(record[2])
    gains, baselines, names = [], [], []
    for line in lines[1 : 1 + signal_count]:
        fields = line.split()
        gain_field = fields[2].split("/")[0]
        if "(" in gain_field:
            gain, baseline = gain_field.rstrip(")").split("(")
        else:
            gain, baseline = gain_field, fields[4]
        gains.append(float(gain))
        baselines.append(float(baseline))
        names.append(fields[8].upper())
    dat_path = os.path.join(os.path.dirname(header_path), lines[1].split()[0])
    with open(dat_path, "rb") as handle:
        dat_bytes = handle.read()
    digest = hashlib.sha256(header_bytes + dat_bytes).hexdigest()
    digital = np.frombuffer(dat_bytes, dtype="<i2").reshape(-1, signal_count)
    rows = [names.index(lead) for lead in LEADS]
    physical = (digital[:, rows] - np.array(baselines)[rows]) / np.array(gains)[rows]
    resampled = resample_poly(physical, 1, int(rate // 250), axis=0)[:2500]
    np.save(output_path, np.ascontiguousarray(resampled.T, dtype="<f4"))
    return digest


def main():
    input_dir, output_dir, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
    jobs = []
    for folder, _, files in sorted(os.walk(input_dir)):
        for name in sorted(files):
            if name.endswith(".hea"):
                jobs.append((os.path.join(folder, name), os.path.join(output_dir, name[:-4] + ".npy")))
    os.makedirs(output_dir, exist_ok=True)
    with Pool(workers) as pool:
        digests = pool.map(convert, jobs, chunksize=64)
    print(len(digests))


if __name__ == "__main__":
    main()
