// Batch normalisation over every axis but the last (channels-last tensors of any rank).
// Written as plain arithmetic on a [M, C] view rather than tf.batchNorm: FusedBatchNorm's backward is
// broken for rank-5 inputs, and every op used here has a differentiable gradient, so a gradient penalty
// can differentiate through a discriminator's batch norms.
import "../ops";
import * as tf from "@tensorflow/tfjs-core";
import { Init, ParamStore, ones, zeros } from "./params";

export interface BatchNormOptions {
  /** Weight of the new batch in the running averages (PyTorch's momentum; Chainer's 1 − decay). */
  momentum?: number;
  eps?: number;
  /** Learn a shift β (false: TGAN's "no beta" variants). */
  center?: boolean;
  gammaInit?: Init;
}

export class BatchNorm {
  readonly gamma: tf.Variable; // [C]
  readonly beta?: tf.Variable; // [C]
  readonly runningMean: tf.Variable; // [C], not trained
  readonly runningVar: tf.Variable; // [C], not trained (unbiased batch variance, as PyTorch and Chainer)
  readonly eps: number;
  private readonly momentum: number;

  constructor(store: ParamStore, name: string, readonly channels: number, opts: BatchNormOptions = {}) {
    const s = store.scope(name);
    this.momentum = opts.momentum ?? 0.1;
    this.eps = opts.eps ?? 1e-5;
    this.gamma = s.variable("gamma", [channels], opts.gammaInit ?? ones);
    if (opts.center ?? true) this.beta = s.variable("beta", [channels], zeros);
    this.runningMean = s.variable("mean", [channels], zeros, false);
    this.runningVar = s.variable("var", [channels], ones, false);
  }

  /** Training: normalise with batch statistics and update the running averages. Inference: running stats. */
  apply<T extends tf.Tensor>(x: T, training: boolean): T {
    const c = this.channels;
    const flat = tf.reshape(x, [-1, c]); // [M, C], M = product of the other axes
    let mean: tf.Tensor;
    let variance: tf.Tensor;
    if (training) {
      const m = tf.moments(flat, 0); // biased batch variance, as used for normalising
      mean = m.mean;
      variance = m.variance;
      this.updateRunningStats(mean, variance, flat.shape[0]);
    } else {
      mean = this.runningMean;
      variance = this.runningVar;
    }
    const scale = tf.mul(this.gamma, tf.rsqrt(tf.add(variance, this.eps))); // [C]
    const shift = this.beta ? tf.sub(this.beta, tf.mul(mean, scale)) : tf.neg(tf.mul(mean, scale)); // [C]
    return tf.reshape(tf.add(tf.mul(flat, scale), shift), x.shape) as T;
  }

  private updateRunningStats(mean: tf.Tensor, variance: tf.Tensor, count: number): void {
    const a = this.momentum;
    const unbiased = count > 1 ? count / (count - 1) : 1;
    this.runningMean.assign(tf.add(tf.mul(this.runningMean, 1 - a), tf.mul(mean, a)));
    this.runningVar.assign(tf.add(tf.mul(this.runningVar, 1 - a), tf.mul(variance, a * unbiased)));
  }
}
