// nx run stats:report — see `--help`; the command lives in @qoq/stats.
import { runStatsCommand } from '@qoq/stats';
import { exitWith, runCommand } from '@qoq/runtime';

await exitWith(runCommand(() => runStatsCommand('report', process.argv.slice(2))));
