"""The report scrubber people write today: a page of regular expressions (names after a title or a
label, dates in the common formats, phone and fax numbers, labelled record numbers and long digit runs,
e-mail and web addresses, street addresses, ZIP codes, ages over 89, hospital names), in Python's `re`.
Reads a JSON list of report texts, scrubs them `repeat` times (timed: wall and CPU), and prints the spans
of the last pass as JSON: {"seconds", "cpu_seconds", "spans": [[[type, start, end], ...], ...]}.

    python3 peer_regex_scrubber.py REPORTS.json REPEAT
"""
import json
import re
import sys
import time

MONTHS = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|Jun(?:e)?|Jul(?:y)?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
PHONE = r"(?:\+?1[ .-]?)?\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4}(?:\s*(?:x|ext\.?)\s*\d{1,5})?"
NAME = r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}"

# (type, pattern, group): the group that is the identifier (0: the whole match). Earlier rules win overlaps.
RULES = [
    ("EMAIL", r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", 0),
    ("URL", r"(?:https?://|www\.)\S+", 0),
    ("FAX", r"(?i:fax(?:ed)?(?: to| number| no\.?)?[:#]?\s*)(" + PHONE + ")", 1),
    ("PHONE", PHONE, 0),
    ("DATE", r"\b\d{1,2}/\d{1,2}/\d{2,4}\b", 0),
    ("DATE", r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?\b", 0),
    ("DATE", r"\b\d{1,2}-\d{1,2}-\d{4}\b", 0),
    ("DATE", r"\b\d{1,2}\.\d{1,2}\.\d{4}\b", 0),
    ("DATE", r"\b" + MONTHS + r"\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}\b", 0),
    ("DATE", r"\b\d{1,2} " + MONTHS + r"\.?,? \d{4}\b", 0),
    ("DATE", r"\b\d{1,2}-" + MONTHS + r"-\d{2,4}\b", 0),
    ("DATE", r"\b\d{1,2}" + MONTHS + r"\d{4}\b", 0),
    ("DATE", r"\b" + MONTHS + r" \d{4}\b", 0),
    ("AGE", r"\b(9\d|1[01]\d)(?=[- ]?(?:year|yr|yo|y/o|y\.o\.))", 1),
    ("ID", r"(?i:\b(?:MRN|medical record(?: number)?|record(?: number)?|acc(?:ession)?(?: number| no\.?)?|account(?: number)?|acct|encounter|SSN)\s*[#:.]?\s*)([A-Z0-9-]{4,})", 1),
    ("ID", r"\b\d{3}-\d{2}-\d{4}\b", 0),
    ("ID", r"\b\d{7,}\b", 0),
    ("ADDRESS", r"\b\d{1,5} (?:[A-Z][a-z]+ ){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Way|Court|Ct|Place|Pl|Terrace|Ter)\b\.?"
     r"(?:,? (?:[A-Z][a-z]+ ?){1,3},? [A-Z]{2}(?: \d{5}(?:-\d{4})?)?)?", 0),
    ("ADDRESS", r"(?i:\bP\.?O\.? Box \d+)", 0),
    ("ZIP", r"(?<=\b[A-Z]{2} )\d{5}(?:-\d{4})?\b", 0),
    ("INSTITUTION", r"\b(?:[A-Z][a-z]+ ){1,3}(?:Hospital|Medical Center|Clinic|Health Center)\b", 0),
    ("NAME", r"\b(?:Dr|Mr|Mrs|Ms|Miss|Prof)\.? (" + NAME + "(?:, " + NAME + ")?)", 1),
    ("NAME", r"(?i:\b(?:patient|name|attending|signed by|dictated by|discussed with|d/w|per)\s*:?\s*)(" + NAME + ")", 1),
    ("NAME", r"(" + NAME + r"),? (?:MD|M\.D\.|RN|NP|PA-C|DO)\b", 1),
    ("REDACTED", r"_{3,}", 0),
]
COMPILED = [(kind, re.compile(pattern), group) for kind, pattern, group in RULES]


def scrub(text):
    taken = []
    for kind, pattern, group in COMPILED:
        for match in pattern.finditer(text):
            start, end = match.span(group)
            if start < 0 or end <= start:
                continue
            if any(start < e and s < end for _, s, e in taken):
                continue
            taken.append((kind, start, end))
    taken.sort(key=lambda span: span[1])
    parts, at = [], 0
    for kind, start, end in taken:
        parts.append(text[at:start])
        parts.append("[" + kind + "]")
        at = end
    parts.append(text[at:])
    return "".join(parts), taken


def main():
    texts = json.load(open(sys.argv[1], encoding="utf-8"))
    repeat = int(sys.argv[2])
    spans = None
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(repeat):
        spans = [scrub(text)[1] for text in texts]
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "spans": [[list(span) for span in report] for report in spans]}))


main()
