// The sample corpus as the policy reads it, for a machine without sharp or the repository: questions
// with their decoded images ([S, S, 3] float32 in [0, 1]) and ECGs ([8, 2500]), and gold answers.
// questions.json (metadata, offsets) + questions.f32 (every array end to end, little-endian float32).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ParityQuestion, PolicyQuestion } from '@qoq/policy';

interface PackedQuestion {
  readonly id: string;
  readonly datasetKey: string;
  readonly answer: string;
  readonly image: [offset: number, length: number] | null;
  readonly ecg: [offset: number, length: number] | null;
  readonly imageWidth: number | null;
  readonly imageHeight: number | null;
  readonly boxTask: boolean;
  readonly maxAnswerLabels: number | null;
}

export interface QuestionPack {
  readonly imageSize: number;
  readonly labelSets: [string, string[]][];
  readonly questions: ParityQuestion[];
}

export async function writeQuestionPack(folder: string, pack: QuestionPack): Promise<void> {
  const arrays: Float32Array[] = [];
  let offset = 0;
  const place = (values: Float32Array | null): [number, number] | null => {
    if (values === null) return null;
    arrays.push(values);
    offset += values.length;
    return [offset - values.length, values.length];
  };
  const questions: PackedQuestion[] = pack.questions.map(({ question, answer }) => ({
    id: question.id,
    datasetKey: question.datasetKey,
    answer,
    image: place(question.image),
    ecg: place(question.ecg),
    imageWidth: question.imageWidth,
    imageHeight: question.imageHeight,
    boxTask: question.boxTask,
    maxAnswerLabels: question.maxAnswerLabels ?? null,
  }));
  const data = new Float32Array(offset);
  let at = 0;
  for (const values of arrays) {
    data.set(values, at);
    at += values.length;
  }
  await writeFile(join(folder, 'questions.f32'), new Uint8Array(data.buffer));
  await writeFile(join(folder, 'questions.json'), `${JSON.stringify({ format: 'qoq-question-pack/1', imageSize: pack.imageSize, labelSets: pack.labelSets, questions })}\n`);
}

export async function readQuestionPack(folder: string): Promise<QuestionPack> {
  const meta = JSON.parse(await readFile(join(folder, 'questions.json'), 'utf8')) as { format: string; imageSize: number; labelSets: [string, string[]][]; questions: PackedQuestion[] };
  if (meta.format !== 'qoq-question-pack/1') throw new Error(`${folder}/questions.json: not a question pack (format ${meta.format})`);
  const bytes = await readFile(join(folder, 'questions.f32'));
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const labelSets = new Map(meta.labelSets);
  const slice = (range: [number, number] | null): Float32Array | null => (range === null ? null : data.slice(range[0], range[0] + range[1]));
  return {
    imageSize: meta.imageSize,
    labelSets: meta.labelSets,
    questions: meta.questions.map((packed) => {
      const question: PolicyQuestion = {
        id: packed.id,
        datasetKey: packed.datasetKey,
        labelSet: labelSets.get(packed.datasetKey) ?? [],
        image: slice(packed.image),
        ecg: slice(packed.ecg),
        imageWidth: packed.imageWidth,
        imageHeight: packed.imageHeight,
        boxTask: packed.boxTask,
        ...(packed.maxAnswerLabels === null ? {} : { maxAnswerLabels: packed.maxAnswerLabels }),
      };
      return { question, answer: packed.answer };
    }),
  };
}

/** Resamples every image of the pack to `size` (area average down, nearest up): the larger timing config. */
export function resizePackImages(questions: readonly ParityQuestion[], from: number, size: number): ParityQuestion[] {
  if (from === size) return [...questions];
  return questions.map(({ question, answer }) => {
    if (question.image === null) return { question, answer };
    const source = question.image;
    const image = new Float32Array(size * size * 3);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const y0 = Math.floor((y * from) / size);
        const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * from) / size));
        const x0 = Math.floor((x * from) / size);
        const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * from) / size));
        for (let c = 0; c < 3; c++) {
          let sum = 0;
          for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += source[(yy * from + xx) * 3 + c];
          image[(y * size + x) * 3 + c] = sum / ((y1 - y0) * (x1 - x0));
        }
      }
    }
    return { question: { ...question, image }, answer };
  });
}
