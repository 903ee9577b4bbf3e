// Weighted k-means (Lloyd) with k-means++ seeding and the elbow rule of QoQ-Med §2.3. Points carry
// weights so that repeated reward vectors (rewards are discrete) are stored once: k-means on a multiset
// is k-means on its distinct points weighted by multiplicity.

export interface WeightedPoints {
  /** Row-major, `count × dimension`. */
  readonly points: Float64Array;
  readonly weights: Float64Array;
  readonly count: number;
  readonly dimension: number;
  /** Squared spread inside each point that no assignment can remove (micro-cluster summaries). */
  readonly residualInertia?: number;
}

export interface KMeansFit {
  readonly k: number;
  /** Row-major, `k × dimension`. */
  readonly centroids: Float64Array;
  readonly labels: Int32Array;
  /** Total weight of each cluster (N_c); 0 for a cluster that emptied. */
  readonly sizes: Float64Array;
  /** Sum of weighted squared distances to the assigned centroid. */
  readonly inertia: number;
}

function squaredDistance(a: Float64Array, aOffset: number, b: Float64Array, bOffset: number, dimension: number): number {
  let sum = 0;
  for (let d = 0; d < dimension; d++) {
    const diff = a[aOffset + d] - b[bOffset + d];
    sum += diff * diff;
  }
  return sum;
}

/** k-means++ (Arthur & Vassilvitskii 2007), weighted: each next centre drawn ∝ weight × D². */
export function kMeansPlusPlus(data: WeightedPoints, k: number, random: () => number): Float64Array {
  const { points, weights, count, dimension } = data;
  const centroids = new Float64Array(k * dimension);
  const nearest = new Float64Array(count).fill(Number.POSITIVE_INFINITY);
  let chosen = 0;
  let totalWeight = 0;
  for (let i = 0; i < count; i++) totalWeight += weights[i];
  let pick = drawIndex(weights, count, totalWeight, random);
  while (chosen < k) {
    centroids.set(points.subarray(pick * dimension, (pick + 1) * dimension), chosen * dimension);
    chosen++;
    if (chosen === k) break;
    let total = 0;
    const scores = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const distance = squaredDistance(points, i * dimension, centroids, (chosen - 1) * dimension, dimension);
      if (distance < nearest[i]) nearest[i] = distance;
      scores[i] = weights[i] * nearest[i];
      total += scores[i];
    }
    // Fewer distinct points than k: the remaining centres duplicate the last one and stay empty.
    if (!(total > 0)) {
      for (let c = chosen; c < k; c++) centroids.set(centroids.subarray((chosen - 1) * dimension, chosen * dimension), c * dimension);
      break;
    }
    pick = drawIndex(scores, count, total, random);
  }
  return centroids;
}

function drawIndex(scores: Float64Array, count: number, total: number, random: () => number): number {
  let target = random() * total;
  for (let i = 0; i < count; i++) {
    target -= scores[i];
    if (target < 0 && scores[i] > 0) return i;
  }
  for (let i = count - 1; i >= 0; i--) if (scores[i] > 0) return i;
  return 0;
}

/**
 * scikit-learn's convergence tolerance (KMeans tol = 1e-4): iterations stop once the centroids move by
 * less than tol × the mean per-dimension variance of the data (summed squared shift).
 */
export function absoluteTolerance(data: WeightedPoints, tol = 1e-4): number {
  const { points, weights, count, dimension } = data;
  let total = 0;
  for (let i = 0; i < count; i++) total += weights[i];
  if (!(total > 0)) return 0;
  let variance = 0;
  for (let d = 0; d < dimension; d++) {
    let mean = 0;
    for (let i = 0; i < count; i++) mean += weights[i] * points[i * dimension + d];
    mean /= total;
    let squares = 0;
    for (let i = 0; i < count; i++) squares += weights[i] * (points[i * dimension + d] - mean) ** 2;
    variance += squares / total;
  }
  return (tol * variance) / dimension;
}

/**
 * Lloyd iterations from given centroids until no label changes, the centroids move less than
 * `tolerance` (summed squared shift), or `maxIterations`.
 */
export function lloyd(data: WeightedPoints, initial: Float64Array, k: number, maxIterations = 300, tolerance = 0): KMeansFit {
  const { points, weights, count, dimension } = data;
  const centroids = Float64Array.from(initial);
  const labels = new Int32Array(count).fill(-1);
  const sizes = new Float64Array(k);
  const sums = new Float64Array(k * dimension);
  // Each point's squared distance to its centroid in the last assignment pass: when the loop stops
  // because no label changed, the centroids are those of that pass and the inertia needs no new pass.
  const assignedDistance = new Float64Array(count);
  let distancesCurrent = false;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let changed = false;
    for (let i = 0; i < count; i++) {
      let best = 0;
      let bestDistance = Number.POSITIVE_INFINITY;
      for (let c = 0; c < k; c++) {
        const distance = squaredDistance(points, i * dimension, centroids, c * dimension, dimension);
        if (distance < bestDistance) {
          bestDistance = distance;
          best = c;
        }
      }
      assignedDistance[i] = bestDistance;
      if (labels[i] !== best) {
        labels[i] = best;
        changed = true;
      }
    }
    distancesCurrent = true;
    if (!changed && iteration > 0) break;
    sizes.fill(0);
    sums.fill(0);
    for (let i = 0; i < count; i++) {
      const c = labels[i];
      sizes[c] += weights[i];
      for (let d = 0; d < dimension; d++) sums[c * dimension + d] += weights[i] * points[i * dimension + d];
    }
    let shift = 0;
    for (let c = 0; c < k; c++) {
      if (!(sizes[c] > 0)) continue;
      for (let d = 0; d < dimension; d++) {
        const moved = sums[c * dimension + d] / sizes[c];
        shift += (moved - centroids[c * dimension + d]) ** 2;
        centroids[c * dimension + d] = moved;
      }
    }
    distancesCurrent = false;
    if (!changed || shift <= tolerance) break;
  }
  sizes.fill(0);
  let inertia = data.residualInertia ?? 0;
  for (let i = 0; i < count; i++) {
    sizes[labels[i]] += weights[i];
    const distance = distancesCurrent ? assignedDistance[i] : squaredDistance(points, i * dimension, centroids, labels[i] * dimension, dimension);
    inertia += weights[i] * distance;
  }
  return { k, centroids, labels, sizes, inertia };
}

/** Index of the centroid nearest to `vector` (ties to the lower index). */
export function nearestCentroid(centroids: Float64Array, k: number, vector: Float64Array, dimension: number): number {
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let c = 0; c < k; c++) {
    const distance = squaredDistance(vector, 0, centroids, c * dimension, dimension);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = c;
    }
  }
  return best;
}

/**
 * The elbow rule of QoQ-Med §2.3: with inertias I_1..I_kCap and drops D_j = I_j − I_{j+1}, the first
 * i ≥ 2 with D_i < threshold · D_{i−1} gives k = i; none gives kCap (and kCap = 1 gives 1).
 */
export function elbowK(inertias: readonly number[], threshold = 0.1): number {
  const kCap = inertias.length;
  if (kCap <= 1) return 1;
  const drops: number[] = [];
  for (let j = 0; j < kCap - 1; j++) drops.push(inertias[j] - inertias[j + 1]);
  // drops[j - 1] is D_j.
  for (let i = 2; i <= kCap - 1; i++) if (drops[i - 1] < threshold * drops[i - 2]) return i;
  return kCap;
}
