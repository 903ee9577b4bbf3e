// nx run ingest:images — see `--help`; the stage lives in @qoq/imaging.
import { runImageStage } from '@qoq/imaging';
import { exitWith, runCommand } from '@qoq/runtime';

await exitWith(runCommand(() => runImageStage(process.argv.slice(2))));
