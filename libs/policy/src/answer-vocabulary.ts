// The compact output vocabulary of the policy (issue 10): structure tokens, every answer string of the
// catalog's label sets (deduplicated: "Normal" of ECG and of CoronaHack is one token), and the box
// coordinate bins. The dataset keys ride along: they index the dataset embedding that conditions the model.

/** Most bins per image axis (issue 10: "≤ 32 bins per axis"). */
export const MAX_BOX_BINS = 32;

export interface LabelSetEntry {
  readonly datasetKey: string;
  /** Answer strings in canonical (catalog) order. */
  readonly labelSet: readonly string[];
}

/** What the vocabulary needs of a catalog (structurally @qoq/catalog's Catalog). */
export interface CatalogDatasets {
  datasets(): readonly { readonly dataset_key: string; readonly label_set: readonly string[] }[];
}

/** The JSON form of a vocabulary, for checkpoints and run configs. */
export interface AnswerVocabularyJson {
  readonly labels: readonly string[];
  readonly datasetKeys: readonly string[];
  readonly boxBins: number;
}

export class VocabularyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VocabularyError';
  }
}

/**
 * Token ids: 0 BOS (decoder input only, never generated), 1 EOS, 2 BOX_START, then the labels, then the
 * bins 0..boxBins−1 (shared by both axes: the grammar says which coordinate comes next).
 */
export class AnswerVocabulary {
  static readonly BOS = 0;
  static readonly EOS = 1;
  static readonly BOX_START = 2;
  private static readonly FIRST_LABEL = 3;

  readonly labels: readonly string[];
  readonly datasetKeys: readonly string[];
  readonly boxBins: number;
  private readonly labelIds: ReadonlyMap<string, number>;
  private readonly datasetIndices: ReadonlyMap<string, number>;

  private constructor(labels: readonly string[], datasetKeys: readonly string[], boxBins: number) {
    if (!Number.isInteger(boxBins) || boxBins < 1 || boxBins > MAX_BOX_BINS) {
      throw new VocabularyError(`boxBins must be an integer in 1..${MAX_BOX_BINS}, got ${boxBins}`);
    }
    if (new Set(labels).size !== labels.length) throw new VocabularyError('vocabulary labels must be unique');
    if (new Set(datasetKeys).size !== datasetKeys.length) throw new VocabularyError('vocabulary dataset keys must be unique');
    if (labels.length === 0) throw new VocabularyError('vocabulary needs at least one label');
    this.labels = [...labels];
    this.datasetKeys = [...datasetKeys];
    this.boxBins = boxBins;
    this.labelIds = new Map(labels.map((label, i) => [label, AnswerVocabulary.FIRST_LABEL + i]));
    this.datasetIndices = new Map(datasetKeys.map((key, i) => [key, i]));
  }

  /**
   * From the label sets of the datasets (deterministic whatever the input order): datasets sorted by key,
   * labels numbered at their first appearance in that order.
   */
  static fromLabelSets(entries: readonly LabelSetEntry[], options: { boxBins?: number } = {}): AnswerVocabulary {
    const sorted = [...entries].sort((a, b) => (a.datasetKey < b.datasetKey ? -1 : a.datasetKey > b.datasetKey ? 1 : 0));
    const labels: string[] = [];
    const seen = new Set<string>();
    for (const entry of sorted) {
      if (entry.labelSet.length === 0) throw new VocabularyError(`dataset ${entry.datasetKey} has an empty label set`);
      for (const label of entry.labelSet) {
        if (label.length === 0) throw new VocabularyError(`dataset ${entry.datasetKey} has an empty label`);
        if (!seen.has(label)) {
          seen.add(label);
          labels.push(label);
        }
      }
    }
    return new AnswerVocabulary(labels, sorted.map((entry) => entry.datasetKey), options.boxBins ?? MAX_BOX_BINS);
  }

  /** From a catalog (@qoq/catalog's Catalog fits): all its datasets, or those of `datasetKeys`. */
  static fromCatalog(catalog: CatalogDatasets, options: { boxBins?: number; datasetKeys?: readonly string[] } = {}): AnswerVocabulary {
    const wanted = options.datasetKeys ? new Set(options.datasetKeys) : null;
    const datasets = catalog.datasets().filter((dataset) => wanted === null || wanted.has(dataset.dataset_key));
    if (wanted !== null && datasets.length !== wanted.size) {
      const known = new Set(datasets.map((dataset) => dataset.dataset_key));
      throw new VocabularyError(`datasets not in the catalog: ${[...wanted].filter((key) => !known.has(key)).join(', ')}`);
    }
    return AnswerVocabulary.fromLabelSets(datasets.map((dataset) => ({ datasetKey: dataset.dataset_key, labelSet: dataset.label_set })), options);
  }

  static fromJSON(json: AnswerVocabularyJson): AnswerVocabulary {
    return new AnswerVocabulary(json.labels, json.datasetKeys, json.boxBins);
  }

  toJSON(): AnswerVocabularyJson {
    return { labels: [...this.labels], datasetKeys: [...this.datasetKeys], boxBins: this.boxBins };
  }

  /** Number of token ids (including BOS). */
  get size(): number {
    return AnswerVocabulary.FIRST_LABEL + this.labels.length + this.boxBins;
  }

  hasLabel(label: string): boolean {
    return this.labelIds.has(label);
  }

  labelToken(label: string): number {
    const id = this.labelIds.get(label);
    if (id === undefined) throw new VocabularyError(`label "${label}" is not in the policy's vocabulary`);
    return id;
  }

  binToken(bin: number): number {
    if (!Number.isInteger(bin) || bin < 0 || bin >= this.boxBins) throw new VocabularyError(`box bin ${bin} outside 0..${this.boxBins - 1}`);
    return AnswerVocabulary.FIRST_LABEL + this.labels.length + bin;
  }

  isLabelToken(token: number): boolean {
    return token >= AnswerVocabulary.FIRST_LABEL && token < AnswerVocabulary.FIRST_LABEL + this.labels.length;
  }

  isBinToken(token: number): boolean {
    const first = AnswerVocabulary.FIRST_LABEL + this.labels.length;
    return token >= first && token < first + this.boxBins;
  }

  /** The answer string of a label token. */
  labelOf(token: number): string {
    if (!this.isLabelToken(token)) throw new VocabularyError(`token ${token} is not a label`);
    return this.labels[token - AnswerVocabulary.FIRST_LABEL];
  }

  /** The bin of a bin token. */
  binOf(token: number): number {
    if (!this.isBinToken(token)) throw new VocabularyError(`token ${token} is not a box bin`);
    return token - AnswerVocabulary.FIRST_LABEL - this.labels.length;
  }

  hasDataset(datasetKey: string): boolean {
    return this.datasetIndices.has(datasetKey);
  }

  datasetIndex(datasetKey: string): number {
    const index = this.datasetIndices.get(datasetKey);
    if (index === undefined) throw new VocabularyError(`dataset "${datasetKey}" is not in the policy's vocabulary`);
    return index;
  }

  /** A readable name per token id, for logs and tests. */
  tokenName(token: number): string {
    if (token === AnswerVocabulary.BOS) return '<bos>';
    if (token === AnswerVocabulary.EOS) return '<eos>';
    if (token === AnswerVocabulary.BOX_START) return '<box>';
    if (this.isLabelToken(token)) return this.labelOf(token);
    if (this.isBinToken(token)) return `<bin ${this.binOf(token)}>`;
    throw new VocabularyError(`token ${token} outside the vocabulary (size ${this.size})`);
  }
}
