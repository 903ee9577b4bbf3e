// The policy loss of the released code (QoQ-Med §2 "Policy loss"; veRL's compute_policy_loss and
// kl_penalty): dual-clip PPO with clip range (0.2, 0.3) and c = 3.0, token-mean over the response tokens,
// plus 1e-4 · token-mean(low_var_kl(logp, ref_logp)). Float64 over plain arrays, for checking and replay;
// policy-loss-tensor.ts computes the same over tfjs tensors for training.
import { lowVarKl } from './kl-damping';

export interface PolicyLossOptions {
  readonly clipRatioLow?: number;
  readonly clipRatioHigh?: number;
  /** Dual-clip constant c: for A < 0 the loss is capped at −A·c. */
  readonly clipRatioDual?: number;
  readonly klCoefficient?: number;
}

export const CODE_POLICY_LOSS: Required<PolicyLossOptions> = { clipRatioLow: 0.2, clipRatioHigh: 0.3, clipRatioDual: 3.0, klCoefficient: 1e-4 };

/** Per token, flattened over the micro-batch; `responseMask` is 1 on response tokens, 0 on padding. */
export interface PolicyLossInput {
  readonly logp: ArrayLike<number>;
  readonly oldLogp: ArrayLike<number>;
  readonly refLogp: ArrayLike<number>;
  readonly advantages: ArrayLike<number>;
  readonly responseMask: ArrayLike<number>;
  /** Per-token entropy of the policy, for logging only. */
  readonly entropy?: ArrayLike<number>;
}

export interface PolicyLossResult {
  readonly loss: number;
  readonly policyLoss: number;
  readonly klLoss: number;
  /** Share of tokens where the clipped ratio set the loss (veRL's pg_clipfrac). */
  readonly clipFraction: number;
  /** Share of tokens where the dual clip (A < 0, −A·c) set the loss. */
  readonly dualClipFraction: number;
  /** Token-mean of −(logp − old_logp) (veRL's ppo_kl). */
  readonly approxKl: number;
  readonly entropy: number | undefined;
}

/** The per-token PPO loss with dual clip, and which branch decided it. */
export function dualClipTokenLoss(
  logp: number,
  oldLogp: number,
  advantage: number,
  options: PolicyLossOptions = {},
): { loss: number; clipped: boolean; dualClipped: boolean } {
  const { clipRatioLow, clipRatioHigh, clipRatioDual } = { ...CODE_POLICY_LOSS, ...options };
  const logRatio = logp - oldLogp;
  const ratio = Math.exp(logRatio);
  const clippedRatio = Math.exp(Math.min(Math.max(logRatio, Math.log(1 - clipRatioLow)), Math.log(1 + clipRatioHigh)));
  const unclippedLoss = -advantage * ratio;
  const clippedLoss = -advantage * clippedRatio;
  const dualLoss = -advantage * clipRatioDual;
  const high = Math.max(unclippedLoss, clippedLoss);
  const low = Math.min(high, dualLoss);
  const loss = advantage < 0 ? low : high;
  return { loss, clipped: clippedLoss > unclippedLoss, dualClipped: advantage < 0 && dualLoss < high };
}

export function policyLoss(input: PolicyLossInput, options: PolicyLossOptions = {}): PolicyLossResult {
  const { klCoefficient } = { ...CODE_POLICY_LOSS, ...options };
  let tokens = 0;
  let policyTotal = 0;
  let klTotal = 0;
  let clipped = 0;
  let dualClipped = 0;
  let approxKl = 0;
  let entropy = 0;
  for (let t = 0; t < input.logp.length; t++) {
    const mask = input.responseMask[t];
    if (mask === 0) continue;
    const token = dualClipTokenLoss(input.logp[t], input.oldLogp[t], input.advantages[t], options);
    tokens += mask;
    policyTotal += mask * token.loss;
    klTotal += mask * lowVarKl(input.logp[t], input.refLogp[t]);
    if (token.clipped) clipped += mask;
    if (token.dualClipped) dualClipped += mask;
    approxKl += mask * -(input.logp[t] - input.oldLogp[t]);
    if (input.entropy) entropy += mask * input.entropy[t];
  }
  const mean = (total: number): number => (tokens > 0 ? total / tokens : 0);
  const policy = mean(policyTotal);
  const kl = mean(klTotal);
  return {
    loss: policy + klCoefficient * kl,
    policyLoss: policy,
    klLoss: kl,
    clipFraction: mean(clipped),
    dualClipFraction: mean(dualClipped),
    approxKl: mean(approxKl),
    entropy: input.entropy ? mean(entropy) : undefined,
  };
}
