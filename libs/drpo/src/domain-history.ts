// The DRPO history of one domain (QoQ-Med §2.2): every question's reward vector seen so far, kept in
// the form each mode needs, and its k-means fit with the elbow rule (§2.3).
//   full      (`code`): every vector in order, refit from scratch — the released behaviour and cost;
//   distinct  (`fixed`): distinct vectors with multiplicities — the same k-means objective, less work;
//   summary   (`incremental`): at most `maxCells` grid cells (count, sum, sum of squares), refit from
//             the previous step's centroids, so a step's cost does not grow with the run.
// `fixed` cannot be summarized exactly: a vector is the question's rewards in rollout order, each on a
// grid of 8 (right/wrong × format) to ~100 values (set-F1 × IoU × format), so 8^5 = 32,768 to ~10^10
// vectors are possible and nearly every question brings a new one (tools/bench/drpo counts them).
import { absoluteTolerance, elbowK, kMeansPlusPlus, lloyd, type KMeansFit, type WeightedPoints } from './kmeans';
import { derivedRandom } from './prng';

export type DomainHistorySnapshot =
  | { readonly kind: 'full'; readonly questionCount: number; readonly rewardSum: number; readonly vectors: number[] }
  | {
      readonly kind: 'distinct';
      readonly questionCount: number;
      readonly rewardSum: number;
      readonly points: number[];
      readonly weights: number[];
    }
  | {
      readonly kind: 'summary';
      readonly questionCount: number;
      readonly rewardSum: number;
      /** Side of a grid cell along each dimension. */
      readonly cellSizes?: number[];
      /** Snapshots written before the grid coarsened one axis at a time: one side for every axis. */
      readonly cellSize?: number;
      readonly cells: Array<{ key: number[]; count: number; sum: number[]; sumOfSquares: number }>;
      readonly distinct: number[][];
      readonly centroids: Array<number[] | null>;
    };

export interface ClusteringOptions {
  readonly seed: number;
  readonly maxClusters: number;
  readonly elbowThreshold: number;
}

/** A domain's clustering at this step. */
export interface DomainClustering {
  readonly fit: KMeansFit;
  readonly dimension: number;
  /** μ_c: the mean of each centroid's components. */
  readonly clusterMeans: Float64Array;
  readonly inertias: readonly number[];
}

class GrowableArray {
  values: Float64Array;
  length = 0;
  constructor(capacity = 64) {
    this.values = new Float64Array(capacity);
  }
  push(vector: ArrayLike<number>): void {
    if (this.length + vector.length > this.values.length) {
      const grown = new Float64Array(Math.max(this.values.length * 2, this.length + vector.length));
      grown.set(this.values.subarray(0, this.length));
      this.values = grown;
    }
    for (let i = 0; i < vector.length; i++) this.values[this.length++] = vector[i];
  }
  view(): Float64Array {
    return this.values.subarray(0, this.length);
  }
}

const vectorKey = (vector: ArrayLike<number>): string => Array.prototype.join.call(vector, ',');

/** k-means for k = 1..kCap on `data`, then the elbow rule; `initialFor(k)` gives the starting centroids. */
export function clusterWithElbow(
  data: WeightedPoints,
  distinctCount: number,
  options: ClusteringOptions,
  initialFor: (k: number) => Float64Array,
  maxIterations: number,
): { chosen: KMeansFit; fits: KMeansFit[]; inertias: number[] } {
  const kCap = Math.max(1, Math.min(options.maxClusters, distinctCount, data.count));
  const fits: KMeansFit[] = [];
  const tolerance = absoluteTolerance(data);
  for (let k = 1; k <= kCap; k++) fits.push(lloyd(data, initialFor(k), k, maxIterations, tolerance));
  const inertias = fits.map((fit) => fit.inertia);
  return { chosen: fits[elbowK(inertias, options.elbowThreshold) - 1], fits, inertias };
}

function clusterMeans(fit: KMeansFit, dimension: number): Float64Array {
  const means = new Float64Array(fit.k);
  for (let c = 0; c < fit.k; c++) {
    let sum = 0;
    for (let d = 0; d < dimension; d++) sum += fit.centroids[c * dimension + d];
    means[c] = sum / dimension;
  }
  return means;
}

export abstract class DomainHistory {
  questionCount = 0;
  rewardSum = 0;
  constructor(
    readonly key: string,
    readonly dimension: number,
  ) {}

  /** Adds `weight` questions whose reward vector is `vector` (weight > 1 only for seeded pseudo-counts). */
  append(vector: ArrayLike<number>, weight = 1): void {
    this.questionCount += weight;
    for (let i = 0; i < vector.length; i++) this.rewardSum += weight * vector[i];
    this.store(vector, weight);
  }

  protected abstract store(vector: ArrayLike<number>, weight: number): void;
  abstract cluster(options: ClusteringOptions): DomainClustering;
  abstract snapshot(): DomainHistorySnapshot;

  /** The paper's μ_d: the plain mean reward of the domain's history. */
  plainMean(): number {
    return this.rewardSum / (this.questionCount * this.dimension);
  }

  protected seededInit(data: WeightedPoints, options: ClusteringOptions, tag: string): (k: number) => Float64Array {
    return (k) => kMeansPlusPlus(data, k, derivedRandom(options.seed, tag, k));
  }

  protected finish(fit: KMeansFit, inertias: number[]): DomainClustering {
    return { fit, dimension: this.dimension, clusterMeans: clusterMeans(fit, this.dimension), inertias };
  }

  static create(kind: DomainHistorySnapshot['kind'], key: string, dimension: number, maxCells = 192): DomainHistory {
    if (kind === 'full') return new FullDomainHistory(key, dimension);
    if (kind === 'distinct') return new DistinctDomainHistory(key, dimension);
    return new SummaryDomainHistory(key, dimension, maxCells);
  }

  static restore(key: string, dimension: number, snapshot: DomainHistorySnapshot, maxCells = 192): DomainHistory {
    const history = DomainHistory.create(snapshot.kind, key, dimension, maxCells);
    history.restoreFrom(snapshot);
    history.questionCount = snapshot.questionCount;
    history.rewardSum = snapshot.rewardSum;
    return history;
  }

  protected abstract restoreFrom(snapshot: DomainHistorySnapshot): void;
}

/** `code`: every vector, unweighted, refit from k-means++ each step (cost grows with the run). */
class FullDomainHistory extends DomainHistory {
  private readonly vectors = new GrowableArray();

  protected store(vector: ArrayLike<number>, weight: number): void {
    for (let w = 0; w < weight; w++) this.vectors.push(vector);
  }

  cluster(options: ClusteringOptions): DomainClustering {
    const count = this.vectors.length / this.dimension;
    const data: WeightedPoints = { points: this.vectors.view(), weights: new Float64Array(count).fill(1), count, dimension: this.dimension };
    const distinct = new Set<string>();
    for (let i = 0; i < count && distinct.size < options.maxClusters; i++) {
      distinct.add(vectorKey(data.points.subarray(i * this.dimension, (i + 1) * this.dimension)));
    }
    const { chosen, inertias } = clusterWithElbow(data, distinct.size, options, this.seededInit(data, options, 'full'), 300);
    return this.finish(chosen, inertias);
  }

  snapshot(): DomainHistorySnapshot {
    return { kind: 'full', questionCount: this.questionCount, rewardSum: this.rewardSum, vectors: Array.from(this.vectors.view()) };
  }

  protected restoreFrom(snapshot: DomainHistorySnapshot): void {
    if (snapshot.kind !== 'full') throw new TypeError('not a full history snapshot');
    this.vectors.push(snapshot.vectors);
  }
}

/** `fixed`: distinct vectors with multiplicities, in order of first appearance. */
class DistinctDomainHistory extends DomainHistory {
  private readonly points = new GrowableArray();
  private readonly weights: number[] = [];
  private readonly index = new Map<string, number>();

  protected store(vector: ArrayLike<number>, weight: number): void {
    const key = vectorKey(vector);
    const found = this.index.get(key);
    if (found !== undefined) {
      this.weights[found] += weight;
      return;
    }
    this.index.set(key, this.weights.length);
    this.weights.push(weight);
    this.points.push(vector);
  }

  cluster(options: ClusteringOptions): DomainClustering {
    const count = this.weights.length;
    const data: WeightedPoints = { points: this.points.view(), weights: Float64Array.from(this.weights), count, dimension: this.dimension };
    const { chosen, inertias } = clusterWithElbow(data, count, options, this.seededInit(data, options, 'distinct'), 300);
    return this.finish(chosen, inertias);
  }

  snapshot(): DomainHistorySnapshot {
    return {
      kind: 'distinct',
      questionCount: this.questionCount,
      rewardSum: this.rewardSum,
      points: Array.from(this.points.view()),
      weights: [...this.weights],
    };
  }

  protected restoreFrom(snapshot: DomainHistorySnapshot): void {
    if (snapshot.kind !== 'distinct') throw new TypeError('not a distinct history snapshot');
    for (let i = 0; i < snapshot.weights.length; i++) {
      this.store(snapshot.points.slice(i * this.dimension, (i + 1) * this.dimension), snapshot.weights[i]);
    }
  }
}

interface Cell {
  key: number[];
  count: number;
  sum: Float64Array;
  sumOfSquares: number;
}

/**
 * `incremental`: vectors pooled into grid cells of side `cellSizes[d]` along dimension d; when there are
 * more than `maxCells` cells the grid doubles the side of one dimension (the first of the finest) and
 * merges cells. Doubling one axis at a time at most halves the cell count, so the summary keeps between
 * maxCells / 2 and maxCells cells; doubling every axis at once (as this did before) divides it by up to
 * 2^dimension, and with 5 rollouts most domains fell to 32 cells (two bins a rollout), too few for
 * k ≤ 10 — incremental's advantages were 33 % (rel. L2, median at 1,000 steps) from fixed's, now
 * 27 % (tools/bench/drpo; fixed with one more batch of history is itself 22–28 % from fixed).
 * Each cell keeps count, sum and sum of squares, so the within-cell spread still counts in the inertia;
 * k-means runs on the cell means, warm-started from the previous step's centroids for every k.
 */
class SummaryDomainHistory extends DomainHistory {
  private cellSizes: number[];
  private cells = new Map<string, Cell>();
  private readonly distinct = new Map<string, number[]>();
  private centroids: Array<Float64Array | null> = [];

  constructor(key: string, dimension: number, private readonly maxCells: number) {
    super(key, dimension);
    this.cellSizes = new Array<number>(dimension).fill(1 / 1024);
  }

  protected store(vector: ArrayLike<number>, weight: number): void {
    if (this.distinct.size <= 10) {
      const exact = vectorKey(vector);
      if (!this.distinct.has(exact)) this.distinct.set(exact, Array.from(vector));
    }
    const gridKey = Array.from(vector, (x, d) => Math.floor(x / this.cellSizes[d]));
    let squares = 0;
    for (let i = 0; i < vector.length; i++) squares += vector[i] * vector[i];
    this.addToCell(gridKey, weight, vector, weight * squares);
    while (this.cells.size > this.maxCells) this.coarsen();
  }

  /** Adds `count` copies of `vector` to the cell at `key`. */
  private addToCell(key: number[], count: number, vector: ArrayLike<number>, sumOfSquares: number): void {
    const id = key.join(',');
    let cell = this.cells.get(id);
    if (!cell) {
      cell = { key, count: 0, sum: new Float64Array(this.dimension), sumOfSquares: 0 };
      this.cells.set(id, cell);
    }
    cell.count += count;
    for (let d = 0; d < this.dimension; d++) cell.sum[d] += count * vector[d];
    cell.sumOfSquares += sumOfSquares;
  }

  private coarsen(): void {
    // Stateless round robin (the first axis of the smallest side), so a snapshot needs only the sides.
    const axis = this.cellSizes.indexOf(Math.min(...this.cellSizes));
    this.cellSizes[axis] *= 2;
    const old = [...this.cells.values()];
    this.cells = new Map();
    for (const cell of old) {
      const key = cell.key.map((k, d) => (d === axis ? Math.floor(k / 2) : k));
      const id = key.join(',');
      const target = this.cells.get(id);
      if (target) {
        target.count += cell.count;
        for (let d = 0; d < this.dimension; d++) target.sum[d] += cell.sum[d];
        target.sumOfSquares += cell.sumOfSquares;
      } else {
        this.cells.set(id, { key, count: cell.count, sum: Float64Array.from(cell.sum), sumOfSquares: cell.sumOfSquares });
      }
    }
  }

  cluster(options: ClusteringOptions): DomainClustering {
    const cells = [...this.cells.values()];
    const count = cells.length;
    const points = new Float64Array(count * this.dimension);
    const weights = new Float64Array(count);
    let residualInertia = 0;
    cells.forEach((cell, i) => {
      weights[i] = cell.count;
      let meanSquares = 0;
      for (let d = 0; d < this.dimension; d++) {
        points[i * this.dimension + d] = cell.sum[d] / cell.count;
        meanSquares += cell.sum[d] * points[i * this.dimension + d];
      }
      residualInertia += Math.max(0, cell.sumOfSquares - meanSquares);
    });
    const data: WeightedPoints = { points, weights, count, dimension: this.dimension, residualInertia };
    const seeded = this.seededInit(data, options, 'summary');
    const { chosen, fits, inertias } = clusterWithElbow(
      data,
      this.distinct.size,
      options,
      (k) => this.centroids[k - 1] ?? seeded(k),
      8,
    );
    fits.forEach((fit, i) => (this.centroids[i] = fit.centroids));
    return this.finish(chosen, inertias);
  }

  snapshot(): DomainHistorySnapshot {
    return {
      kind: 'summary',
      questionCount: this.questionCount,
      rewardSum: this.rewardSum,
      cellSizes: [...this.cellSizes],
      cells: [...this.cells.values()].map((cell) => ({ key: [...cell.key], count: cell.count, sum: Array.from(cell.sum), sumOfSquares: cell.sumOfSquares })),
      distinct: [...this.distinct.values()].map((v) => [...v]),
      centroids: this.centroids.map((c) => (c ? Array.from(c) : null)),
    };
  }

  protected restoreFrom(snapshot: DomainHistorySnapshot): void {
    if (snapshot.kind !== 'summary') throw new TypeError('not a summary history snapshot');
    const legacySide = snapshot.cellSize;
    if (snapshot.cellSizes === undefined && legacySide === undefined) throw new TypeError('summary history snapshot without cell sizes');
    // A grid of equal sides is one the per-axis coarsening can continue from.
    this.cellSizes = snapshot.cellSizes !== undefined ? [...snapshot.cellSizes] : this.cellSizes.map(() => legacySide as number);
    for (const cell of snapshot.cells) {
      this.cells.set(cell.key.join(','), { key: [...cell.key], count: cell.count, sum: Float64Array.from(cell.sum), sumOfSquares: cell.sumOfSquares });
    }
    for (const vector of snapshot.distinct) this.distinct.set(vectorKey(vector), [...vector]);
    this.centroids = snapshot.centroids.map((c) => (c ? Float64Array.from(c) : null));
  }
}
