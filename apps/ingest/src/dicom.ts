// nx run ingest:dicom — see `--help`; the stage lives in @qoq/imaging.
import { runDicomStage } from '@qoq/imaging';
import { exitWith, runCommand } from '@qoq/runtime';

await exitWith(runCommand(() => runDicomStage(process.argv.slice(2))));
