// nx run ingest:pairs — see `--help`; the stage lives in @qoq/pairs.
import { runPairsStage } from '@qoq/pairs';
import { exitWith, runCommand } from '@qoq/runtime';

await exitWith(runCommand(() => runPairsStage(process.argv.slice(2))));
