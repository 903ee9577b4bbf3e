// nx run stats:rarity — see `--help`; the command lives in @qoq/stats.
import { runStatsCommand } from '@qoq/stats';
import { exitWith, runCommand } from '@qoq/runtime';

await exitWith(runCommand(() => runStatsCommand('rarity', process.argv.slice(2))));
