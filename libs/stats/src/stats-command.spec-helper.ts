// What the stats specs share: a stats command run in-process with its exit code and output, and DuckDB
// queries as plain objects (the independent reader the figures are checked against).
import type { DuckDBConnection } from '@duckdb/node-api';
import { runCommand, type ExitCode } from '@qoq/runtime';
import { runStatsCommand, type StatsCommand } from './stats-stage';

export async function runStats(command: StatsCommand, args: string[]): Promise<{ code: ExitCode; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCommand(() => runStatsCommand(command, args, { stdout: (text) => (stdout += text) }), { stderr: (line) => (stderr += `${line}\n`) });
  return { code, stdout, stderr };
}

export async function sqlRows<T>(connection: DuckDBConnection, query: string): Promise<T[]> {
  return (await connection.runAndReadAll(query)).getRowObjectsJson() as T[];
}
