# Oracle for parse-dicom.spec.ts: every data element pydicom reads, recursively, as JSON lines
# {"file", "elements": [{"path", "vr", "values"}]}. Sequences give their item count; binary values
# (OB, OW, UN, …) and Pixel Data are left out. Usage: pydicom-elements.py FILE...
import json, sys, warnings
import pydicom

warnings.simplefilter('ignore')
NUMERIC = {'US', 'SS', 'UL', 'SL', 'FL', 'FD', 'SV', 'UV'}
TEXT = {'AE', 'AS', 'CS', 'DA', 'DT', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT'}


def walk(ds, prefix, out):
    for element in ds:
        path = prefix + 'x%08x' % element.tag
        vr = element.VR
        if vr == 'SQ':
            out.append({'path': path, 'vr': 'SQ', 'values': [len(element.value)]})
            for index, item in enumerate(element.value):
                walk(item, f'{path}/{index}/', out)
        elif vr in NUMERIC:
            values = element.value if element.VM > 1 else ([] if element.value is None else [element.value])
            out.append({'path': path, 'vr': vr, 'values': [float(v) for v in values]})
        elif vr in ('DS', 'IS'):
            values = element.value if element.VM > 1 else ([] if element.value in (None, '') else [element.value])
            out.append({'path': path, 'vr': vr, 'values': [float(v) for v in values]})
        elif vr in TEXT:
            values = element.value if element.VM > 1 else ([] if element.value in (None, '') else [element.value])
            out.append({'path': path, 'vr': vr, 'values': [str(v) for v in values]})


for path in sys.argv[1:]:
    ds = pydicom.dcmread(path, force=True)
    out = []
    walk(ds, '', out)
    print(json.dumps({'file': path, 'elements': out}))
