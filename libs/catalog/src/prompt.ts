// The problem text of one pair (qoq-med.md §1): media placeholders, the modality cue, the question with its
// allowed labels, then the format suffix appended after one space. For the chest X-ray template this gives
// "<image>\nAbove is a chest X-ray image of a patient. What is the diagnosis … from the following:\nAtelectasis\n…".
import type { FormatSuffix, PromptTemplate } from './spec-types';

export interface PromptMediaCount {
  /** Images of the row (sampled frames included); required for image datasets. */
  imageCount?: number;
  /** ECG signals of the row; defaults to 1 for ECG datasets. */
  timeSeriesCount?: number;
}

/** The question part, without the format suffix: what a dataset asks, identical for every row of it. */
export function renderQuestion(template: PromptTemplate, labelSet: readonly string[], mediaItems: number): string {
  const placeholders = `${template.media_placeholder}\n`.repeat(mediaItems);
  return `${placeholders}${template.modality_cue} ${template.question} ${template.answer_instruction}\n${labelSet.join('\n')}`;
}

export function renderProblem(
  template: PromptTemplate,
  labelSet: readonly string[],
  formatSuffix: FormatSuffix,
  mediaItems: number,
): string {
  return `${renderQuestion(template, labelSet, mediaItems)}${formatSuffix.separator}${formatSuffix.text}`;
}
