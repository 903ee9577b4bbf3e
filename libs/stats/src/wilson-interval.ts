// The Wilson score interval for a binomial proportion (Wilson 1927; Brown, Cai & DasGupta 2001, §4.1):
// unlike the normal (Wald) interval it stays inside [0, 1] and keeps its coverage for small n and
// proportions near 0 or 1 — the case of rare labels in small test sets.

/** z for a two-sided 95 % interval. */
export const Z_95 = 1.959963984540054;

export interface ProportionInterval {
  readonly low: number;
  readonly high: number;
}

/** Wilson interval of `successes` out of `n`; [0, 1] when n = 0 (nothing is known). */
export function wilsonInterval(successes: number, n: number, z = Z_95): ProportionInterval {
  if (n <= 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
