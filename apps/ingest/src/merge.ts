// nx run ingest:merge — see `--help`; joins ingest:pairs --shard builds (@qoq/pairs).
import { runMergeStage } from '@qoq/pairs';
import { exitWith, runCommand } from '@qoq/runtime';

await exitWith(runCommand(() => runMergeStage(process.argv.slice(2))));
