"""The DICOM de-identification people write today with pydicom: the PS3.15 Table E.1-1 actions (read from
the same data-specs/deid/basic-profile.json our library uses, combined codes resolved the same way),
private tags removed, attributes neither in the table nor the keep-list removed, UIDs replaced by
2.25.<HMAC>, applied recursively into sequences; then the file is written. Times reading and
de-identifying (wall and CPU time) apart from writing, and prints {"files", "deid_seconds",
"deid_cpu_seconds", "write_seconds"} as JSON.

    python3 peer_pydicom_deid.py BASIC_PROFILE.json KEEP_LIST.json INPUT_DIR OUTPUT_DIR SALT
"""
import hashlib
import hmac
import json
import os
import sys
import time

import pydicom
from pydicom.tag import Tag

PROFILE, KEEP_LIST, INPUT, OUTPUT, SALT = sys.argv[1:6]
COMBINED = {"X/Z": "X", "X/D": "X", "X/Z/D": "X", "Z/D": "Z", "X/Z/U*": "U"}
DUMMY = {"PN": "ANONYMOUS", "DA": "19000101", "TM": "000000", "DT": "19000101000000", "DS": "0", "IS": "0", "AS": "000Y", "CS": "ANONYMOUS"}

actions = {}
for row in json.load(open(PROFILE))["attributes"]:
    tag = row["tag"]
    if "x" in tag.lower():
        continue  # repeating groups (curves, overlays): not on the keep-list, so removed below anyway
    actions[int(tag, 16)] = COMBINED.get(row["basic"], row["basic"])
keep = {int(entry["tag"], 16) for entry in json.load(open(KEEP_LIST))["keep"]}
key = SALT.encode()


def remap(uid):
    digest = hmac.new(key, str(uid).encode(), hashlib.sha256).digest()[:16]
    return "2.25." + str(int.from_bytes(digest, "big"))


def deidentify(dataset):
    for tag in list(dataset.keys()):
        element = dataset[tag]
        number = int(tag)
        if tag.is_private or tag.element == 0:
            del dataset[tag]
            continue
        action = actions.get(number)
        if action is None:
            if number not in keep:
                del dataset[tag]
            elif element.VR == "SQ":
                for item in element.value:
                    deidentify(item)
            continue
        if action == "X" or action == "C":
            del dataset[tag]
        elif action == "Z":
            element.value = [] if element.VR == "SQ" else None
        elif action in ("D", "U"):
            if element.VR == "SQ":
                for item in element.value:
                    deidentify(item)
            elif element.VR == "UI":
                values = element.value if isinstance(element.value, pydicom.multival.MultiValue) else [element.value]
                element.value = [remap(uid) for uid in values if uid] if len(values) > 1 else remap(values[0])
            elif action == "D":
                element.value = DUMMY.get(element.VR, "ANONYMOUS" if element.VR in ("LO", "SH", "LT", "ST", "UT", "UC") else None)
            else:
                del dataset[tag]
        elif action == "K" and element.VR == "SQ":
            for item in element.value:
                deidentify(item)


def main():
    names = sorted(os.listdir(INPUT))
    deid_seconds = write_seconds = deid_cpu_seconds = 0.0
    for name in names:
        started, cpu = time.perf_counter(), time.process_time()
        dataset = pydicom.dcmread(os.path.join(INPUT, name))
        deidentify(dataset)
        if Tag(0x00020003) in dataset.file_meta:
            dataset.file_meta.MediaStorageSOPInstanceUID = remap(dataset.file_meta.MediaStorageSOPInstanceUID)
        dataset.PatientIdentityRemoved = "YES"
        written, written_cpu = time.perf_counter(), time.process_time()
        dataset.save_as(os.path.join(OUTPUT, name), write_like_original=False)
        deid_seconds += written - started
        deid_cpu_seconds += written_cpu - cpu
        write_seconds += time.perf_counter() - written
    print(json.dumps({"files": len(names), "deid_seconds": deid_seconds, "deid_cpu_seconds": deid_cpu_seconds, "write_seconds": write_seconds}))


main()
