// AdamW (Loshchilov & Hutter, decoupled weight decay) with global-norm gradient clipping, as PyTorch's
// torch.optim.AdamW and clip_grad_norm_ do it (the optimizer of the released veRL trainer), on the
// Float32Array master weights. Plain JavaScript in float64 arithmetic with float32 storage: the same on
// every backend, and its state round-trips bit for bit through a checkpoint.

export interface AdamWHyperparameters {
  readonly learningRate: number;
  readonly weightDecay: number;
  readonly maxGradNorm: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

export interface AdamWState {
  /** Number of steps taken (bias correction uses it). */
  step: number;
  readonly firstMoments: Float32Array[];
  readonly secondMoments: Float32Array[];
}

export interface AdamWStepResult {
  /** Global L2 norm of the gradients before clipping. */
  readonly gradNorm: number;
  /** False when the norm was not finite: the step is skipped (veRL skips such updates too). */
  readonly applied: boolean;
}

export function createAdamWState(weights: readonly Float32Array[]): AdamWState {
  return {
    step: 0,
    firstMoments: weights.map((w) => new Float32Array(w.length)),
    secondMoments: weights.map((w) => new Float32Array(w.length)),
  };
}

/**
 * One step. A parameter whose gradient is null (its input branch was absent from the batch) takes a zero
 * gradient: its moments decay and its weight decays, as with PyTorch's zeroed (not None) gradients; one
 * step counter serves all parameters.
 */
export function adamWStep(
  weights: readonly Float32Array[],
  gradients: readonly (Float32Array | null)[],
  state: AdamWState,
  hyper: AdamWHyperparameters,
): AdamWStepResult {
  let squares = 0;
  for (const gradient of gradients) {
    if (gradient === null) continue;
    for (let i = 0; i < gradient.length; i++) squares += gradient[i] * gradient[i];
  }
  const gradNorm = Math.sqrt(squares);
  if (!Number.isFinite(gradNorm)) return { gradNorm, applied: false };
  // torch.nn.utils.clip_grad_norm_: scale by max_norm / (norm + 1e-6), never up.
  const clip = Math.min(1, hyper.maxGradNorm / (gradNorm + 1e-6));
  state.step += 1;
  const { beta1, beta2, epsilon, learningRate, weightDecay } = hyper;
  const correction1 = 1 - beta1 ** state.step;
  const correction2 = 1 - beta2 ** state.step;
  const stepSize = learningRate / correction1;
  const decay = 1 - learningRate * weightDecay;
  for (let p = 0; p < weights.length; p++) {
    const w = weights[p];
    const g = gradients[p];
    const m = state.firstMoments[p];
    const v = state.secondMoments[p];
    for (let i = 0; i < w.length; i++) {
      const grad = g === null ? 0 : g[i] * clip;
      m[i] = beta1 * m[i] + (1 - beta1) * grad;
      v[i] = beta2 * v[i] + (1 - beta2) * grad * grad;
      const denominator = Math.sqrt(v[i] / correction2) + epsilon;
      w[i] = w[i] * decay - (stepSize * m[i]) / denominator;
    }
  }
  return { gradNorm, applied: true };
}
