// Exact distributions of values that repeat (image sizes, pixel spacings, record durations, sampling
// rates): a count per distinct value, so memory grows with the distinct values, never with the rows.
// Quantiles are nearest-rank (the value of rank ⌈q·n⌉, as DuckDB's quantile_disc): always a value that
// occurs, and the median of an even count is the lower of the two middle values.

/** Six decimals: enough for any size, spacing or duration, and stable text across runs. */
const round6 = (value: number): number => Math.round(value * 1e6) / 1e6;

export interface Distribution {
  count: number;
  min: number;
  p5: number;
  median: number;
  p95: number;
  max: number;
}

export class ValueCounts {
  private readonly counts = new Map<number, number>();
  private n = 0;

  get total(): number {
    return this.n;
  }

  add(value: number, times = 1): void {
    this.counts.set(value, (this.counts.get(value) ?? 0) + times);
    this.n += times;
  }

  merge(other: ValueCounts): void {
    for (const [value, count] of other.counts) this.add(value, count);
  }

  /** [value, count] in ascending value order. */
  entries(): Array<[number, number]> {
    return [...this.counts].sort((a, b) => a[0] - b[0]);
  }

  /** Nearest-rank quantile; null when empty. */
  quantile(q: number): number | null {
    if (this.n === 0) return null;
    // The epsilon keeps q·n = 19 from becoming 19.000000000000004 and moving one rank up.
    const rank = Math.max(1, Math.ceil(q * this.n - 1e-9));
    let seen = 0;
    for (const [value, count] of this.entries()) {
      seen += count;
      if (seen >= rank) return value;
    }
    return null;
  }

  /** min, p5, median, p95, max; null when empty. */
  distribution(): Distribution | null {
    if (this.n === 0) return null;
    const sorted = this.entries();
    const at = (q: number): number => round6(this.quantile(q) as number);
    return { count: this.n, min: round6(sorted[0][0]), p5: at(0.05), median: at(0.5), p95: at(0.95), max: round6(sorted[sorted.length - 1][0]) };
  }

  /** Counts keyed by the value as text, ascending value order. */
  record(): Record<string, number> {
    return Object.fromEntries(this.entries().map(([value, count]) => [String(round6(value)), count]));
  }
}
