// nx run ingest:ecg — see `--help`; the stage lives in @qoq/ecg.
import { runEcgStage } from '@qoq/ecg';
import { exitWith, runCommand } from '@qoq/runtime';

await exitWith(runCommand(() => runEcgStage(process.argv.slice(2))));
