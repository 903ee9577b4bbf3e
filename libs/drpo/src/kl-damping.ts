// Optional KL-aware damping (QoQ-Med App. B.2, §2.6; commented out in the released code): responses
// whose policy has drifted far from the reference get their advantage shrunk smoothly.

/** low_var_kl (k3 estimator, Schulman 2020): exp(d) − d − 1 with d = ref_logp − logp, clamped to [−10, 10]. */
export function lowVarKl(logp: number, refLogp: number): number {
  const d = refLogp - logp;
  const kl = Math.exp(d) - d - 1;
  return Math.min(Math.max(kl, -10), 10);
}

/** Σ_t low_var_kl(old_logp, ref_logp) over the tokens of one response. */
export function responseKl(oldLogp: ArrayLike<number>, refLogp: ArrayLike<number>): number {
  let total = 0;
  for (let t = 0; t < oldLogp.length; t++) total += lowVarKl(oldLogp[t], refLogp[t]);
  return total;
}

/** torch.quantile's default (linear interpolation between order statistics). */
export function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return Number.NaN;
  const position = q * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

/** z = |A|·k, t = max(quantile(z, 0.75), ε), A ← A·t/(z + t), per response. */
export function dampAdvantagesByKl(advantages: Float64Array, klPerResponse: ArrayLike<number>, epsilon = 1e-6): Float64Array {
  if (klPerResponse.length !== advantages.length) throw new RangeError('one KL value per response is needed');
  const z = advantages.map((a, i) => Math.abs(a) * klPerResponse[i]);
  const t = Math.max(quantile(z, 0.75), epsilon);
  return advantages.map((a, i) => (a * t) / (z[i] + t));
}
