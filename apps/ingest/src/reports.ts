// nx run ingest:reports — see `--help`; the stage lives in @qoq/reports, the patient key in @qoq/deid
// (passed in: @qoq/deid depends on @qoq/reports, so the library cannot import it).
import { patientKey } from '@qoq/deid';
import { runReportsStage } from '@qoq/reports';
import { exitWith, runCommand } from '@qoq/runtime';

await exitWith(runCommand(() => runReportsStage(process.argv.slice(2), { patientKey })));
