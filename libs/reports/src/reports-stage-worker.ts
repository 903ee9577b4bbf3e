// Worker thread of ingest:reports: reads one report file (or takes one CSV cell), scrubs it and
// returns its row, a batch of reports per message. Scrubbing runs at about 1 MB/s per thread, so large trees are spread over threads.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveWorker } from '@qoq/runtime';
import { decodeReportText } from './mimic-report';
import { isReportError } from './reports-stage-discovery';
import { scrubbedReportRow } from './reports-stage-row';
import type { ReportsStageBatch, ReportsStageTask, ReportsStageTaskResult } from './reports-stage-types';

async function scrubOne(task: ReportsStageTask): Promise<ReportsStageTaskResult> {
  let text: string;
  try {
    text = task.kind === 'text-file' ? decodeReportText(await readFile(join(task.folder, task.path))) : task.text;
  } catch (error) {
    if (isReportError(error)) return { kind: 'rejected', code: error.code, message: error.message };
    const code = (error as NodeJS.ErrnoException).code ?? 'INTERNAL';
    return { kind: 'rejected', code: 'REPORT_UNREADABLE', message: `the report file cannot be read (${code})` };
  }
  if (text.trim() === '') return { kind: 'rejected', code: 'REPORT_EMPTY', message: 'the report is empty' };
  try {
    return { kind: 'accepted', row: scrubbedReportRow(text, task.mode, task.dateShiftDays) };
  } catch {
    // The error's message is kept out: it could quote the report.
    return { kind: 'rejected', code: 'INTERNAL', message: 'scrubbing failed with an internal error' };
  }
}

serveWorker<ReportsStageBatch, ReportsStageTaskResult[]>(async (batch) => {
  const results: ReportsStageTaskResult[] = [];
  for (const task of batch.reports) results.push(await scrubOne(task));
  return results;
});
