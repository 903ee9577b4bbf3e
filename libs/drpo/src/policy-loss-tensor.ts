// The policy loss of policy-loss.ts over tfjs tensors, so the trainer can take gradients through it.
// The gradient with respect to logp is written out (tf.customGrad): tfjs-core's own gradient registry
// ships only as extensionless ESM files that Node cannot load under tsx, and the derivative is short.
import * as tf from '@tensorflow/tfjs-core';
import { CODE_POLICY_LOSS, type PolicyLossOptions } from './policy-loss';

export interface PolicyLossTensors {
  /** Per-token log-probabilities of the current policy: the tensor gradients flow into. */
  readonly logp: tf.Tensor;
  readonly oldLogp: tf.Tensor;
  readonly refLogp: tf.Tensor;
  readonly advantages: tf.Tensor;
  readonly responseMask: tf.Tensor;
  /** Per-token entropy of the policy, for logging only (no gradient is taken through it here). */
  readonly entropy?: tf.Tensor;
}

export interface PolicyLossTensorResult {
  /** Scalar: token-mean dual-clip PPO loss + klCoefficient · token-mean(low_var_kl). */
  readonly loss: tf.Scalar;
  readonly policyLoss: tf.Scalar;
  readonly klLoss: tf.Scalar;
  readonly clipFraction: tf.Scalar;
  readonly dualClipFraction: tf.Scalar;
  readonly entropy: tf.Scalar | undefined;
}

/** Call inside tf.tidy / tf.grad / tf.variableGrads; gradients flow through `logp` only. */
export function policyLossTensor(input: PolicyLossTensors, options: PolicyLossOptions = {}): PolicyLossTensorResult {
  const { clipRatioLow, clipRatioHigh, clipRatioDual, klCoefficient } = { ...CODE_POLICY_LOSS, ...options };
  const mask = tf.cast(input.responseMask, 'float32');
  const tokens = tf.maximum(tf.sum(mask), tf.scalar(1));
  const tokenMean = (values: tf.Tensor): tf.Scalar => tf.div(tf.sum(tf.mul(values, mask)), tokens) as tf.Scalar;
  const advantages = input.advantages;

  const terms = (logp: tf.Tensor) => {
    const logRatio = tf.sub(logp, input.oldLogp);
    const ratio = tf.exp(logRatio);
    const clippedRatio = tf.exp(tf.clipByValue(logRatio, Math.log(1 - clipRatioLow), Math.log(1 + clipRatioHigh)));
    const negativeAdvantage = tf.neg(advantages);
    const unclippedLoss = tf.mul(negativeAdvantage, ratio);
    const clippedLoss = tf.mul(negativeAdvantage, clippedRatio);
    const dualLoss = tf.mul(negativeAdvantage, clipRatioDual);
    const high = tf.maximum(unclippedLoss, clippedLoss);
    const negative = tf.less(advantages, 0);
    const dualClipped = tf.logicalAnd(negative, tf.less(dualLoss, high));
    const tokenLoss = tf.where(negative, tf.minimum(high, dualLoss), high);
    const d = tf.sub(input.refLogp, logp);
    const expD = tf.exp(d);
    const rawKl = tf.sub(tf.sub(expD, d), 1);
    const kl = tf.clipByValue(rawKl, -10, 10);
    const clipped = tf.greater(clippedLoss, unclippedLoss);
    return { ratio, tokenLoss, kl, rawKl, expD, clipped, dualClipped, negativeAdvantage };
  };

  const loss = tf.customGrad((...args: unknown[]) => {
    const logp = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    const t = terms(logp);
    const value = tf.add(tokenMean(t.tokenLoss), tf.mul(tokenMean(t.kl), klCoefficient)) as tf.Scalar;
    // Tensors of the forward pass are disposed unless saved for the backward pass.
    save([t.ratio, t.negativeAdvantage, t.clipped, t.dualClipped, t.rawKl, t.expD, mask, tokens]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor => {
      const [ratio, negativeAdvantage, clipped, dualClipped, rawKl, expD, savedMask, savedTokens] = saved;
      // d(token loss)/d logp: −A·ratio on the unclipped branch; 0 where the clip or the dual clip decides.
      const active = tf.logicalNot(tf.logicalOr(clipped, dualClipped));
      const policyGradient = tf.where(active, tf.mul(negativeAdvantage, ratio), tf.zerosLike(ratio));
      // d(low_var_kl)/d logp = 1 − exp(ref − logp), 0 where the clamp holds it at 10.
      const klGradient = tf.where(tf.lessEqual(rawKl, 10), tf.sub(1, expD), tf.zerosLike(expD));
      const perToken = tf.div(tf.mul(tf.add(policyGradient, tf.mul(klGradient, klCoefficient)), savedMask), savedTokens);
      return tf.mul(perToken, dy);
    };
    return { value, gradFunc };
  }) as (logp: tf.Tensor) => tf.Scalar;

  const t = terms(input.logp);
  return {
    loss: loss(input.logp),
    policyLoss: tokenMean(t.tokenLoss),
    klLoss: tokenMean(t.kl),
    clipFraction: tokenMean(tf.cast(t.clipped, 'float32')),
    dualClipFraction: tokenMean(tf.cast(t.dualClipped, 'float32')),
    entropy: input.entropy ? tokenMean(input.entropy) : undefined,
  };
}
