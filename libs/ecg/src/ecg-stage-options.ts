// The options of `ingest:ecg`, as text on the command line and as typed values for the stage.
import { parseChoice, parseFiniteNumber, parsePositiveInteger, UsageError, type OptionSpecs, type ParsedOptions } from '@qoq/runtime';
import { DEFAULT_LEADS, type EcgNormalizeOptions } from './normalize-ecg';
import { standardLeadFromText, STANDARD_LEADS } from './lead-names';

export const ECG_STAGE_OPTIONS = {
  leads: { type: 'string' },
  rate: { type: 'string' },
  seconds: { type: 'string' },
  'min-seconds': { type: 'string' },
  crop: { type: 'string' },
  windows: { type: 'string' },
  'max-gap-seconds': { type: 'string' },
  amplitude: { type: 'string' },
  'high-pass': { type: 'string' },
  'low-pass': { type: 'string' },
  'reject-bad-checksum': { type: 'boolean', default: false },
} as const satisfies OptionSpecs;

export const ECG_STAGE_USAGE = `usage: nx run ingest:ecg [options]
  --input=DIR --dataset=KEY | --sources=FILE   inputs (default: the sample's sources.json)
  --output=DIR              output folder (default data/sample/ecg for the sample)
  --salt-file=FILE          secret salt for output names (required for real data)
  --leads=I,II,V1,...|all   output leads in order (default ${DEFAULT_LEADS.join(',')}); III, aVR, aVL, aVF
                            are derived from I and II when missing
  --rate=HZ                 output sampling frequency (default 250)
  --seconds=S               window length (default 10)
  --min-seconds=S           shorter records are rejected (default 5); shorter than --seconds: zero-padded
  --crop=start|center       where a longer record is cut (default start)
  --windows=N               up to N consecutive windows per record (default 1)
  --max-gap-seconds=S       NaN gaps up to S are interpolated, longer ones reject (default 0.2)
  --amplitude=raw|range|zscore   amplitude scaling (default raw: millivolts)
  --high-pass=HZ --low-pass=HZ   optional zero-phase Butterworth filters (baseline wander, band-pass)
  --reject-bad-checksum     reject records whose WFDB checksums do not match (default: report)
  --workers=N --fail-on-reject`;

/** Turns the parsed command-line text into normalization options; UsageError on anything invalid. */
export function ecgNormalizeOptionsFrom(parsed: ParsedOptions<typeof ECG_STAGE_OPTIONS>): EcgNormalizeOptions {
  const positive = (name: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const value = parseFiniteNumber(name, text);
    if (!(value > 0)) throw new UsageError(`--${name} must be positive, got '${text}'`);
    return value;
  };
  let leads: EcgNormalizeOptions['leads'];
  if (parsed.leads !== undefined) {
    if (parsed.leads.toLowerCase() === 'all') leads = 'all';
    else {
      leads = parsed.leads.split(',').map((text) => text.trim());
      const unknown = leads.filter((text) => standardLeadFromText(text) === null);
      if (unknown.length > 0) throw new UsageError(`--leads: ${unknown.join(', ')} not among ${STANDARD_LEADS.join(', ')}`);
    }
  }
  const maxGap = parsed['max-gap-seconds'];
  return {
    leads,
    samplingFrequency: positive('rate', parsed.rate),
    seconds: positive('seconds', parsed.seconds),
    minimumSeconds: positive('min-seconds', parsed['min-seconds']),
    crop: parsed.crop === undefined ? undefined : parseChoice('crop', parsed.crop, ['start', 'center'] as const),
    windows: parsed.windows === undefined ? undefined : parsePositiveInteger('windows', parsed.windows),
    maxGapSeconds: maxGap === undefined ? undefined : Math.max(0, parseFiniteNumber('max-gap-seconds', maxGap)),
    amplitude: parsed.amplitude === undefined ? undefined : parseChoice('amplitude', parsed.amplitude, ['raw', 'range', 'zscore'] as const),
    highPassHz: positive('high-pass', parsed['high-pass']) ?? null,
    lowPassHz: positive('low-pass', parsed['low-pass']) ?? null,
    rejectBadChecksum: parsed['reject-bad-checksum'],
  };
}
