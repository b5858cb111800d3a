// FusedBatchNorm gradient that is right for any rank.
//
// tfjs-core's version tiles the 1/sqrt(var) vector to a rank-4 shape, so x of rank 5 ([B, T, H, W, C],
// which tf.batchNorm passes through unchanged) gets a wrong or failing gradient on every backend. For the
// usual per-channel statistics we flatten to [N, C] instead: rank-2 broadcasting is also the one form that
// avoids the webgpu rank-5 broadcast bug. Everything here is plain ops, so it can be differentiated again.
import * as tf from "@tensorflow/tfjs-core";

type Getter = () => tf.Tensor;

/** Per-channel statistics: every axis but the last is 1 and the last matches x's channels. */
function isPerChannel(x: tf.Tensor, stat: tf.Tensor): boolean {
  const c = x.shape[x.rank - 1];
  return stat.size === c && (stat.rank <= 1 || stat.shape.slice(0, -1).every((d) => d === 1));
}

function sumTo(t: tf.Tensor, shape: number[]): tf.Tensor {
  const axes = tf.backend_util.getReductionAxes(shape, t.shape);
  return tf.reshape(axes.length > 0 ? tf.sum(t, axes) : t, shape);
}

const fusedBatchNormGrad: tf.GradConfig = {
  kernelName: tf.FusedBatchNorm,
  inputsToSave: ["x", "mean", "variance", "scale"],
  gradFunc: (dy, saved, attrs) => {
    const { varianceEpsilon } = attrs as unknown as tf.FusedBatchNormAttrs;
    const [x, mean, variance, scale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
    const dyT = dy as tf.Tensor;
    const flat = isPerChannel(x, mean) && isPerChannel(x, variance) && (scale == null || isPerChannel(x, scale));
    const c = x.shape[x.rank - 1];
    // Work in [N, C] when statistics are per channel, else in x's own shape with broadcasting.
    const as = (t: tf.Tensor, rows: number): tf.Tensor => (flat ? tf.reshape(t, rows < 0 ? [-1, c] : [1, c]) : t);
    const x2 = as(x, -1);
    const dy2 = as(dyT, -1);
    const rs = tf.rsqrt(tf.add(as(variance, 1), varianceEpsilon)); // 1/sqrt(var + eps)
    const dyScaled = scale == null ? dy2 : tf.mul(dy2, as(scale, 1));
    const centered = tf.sub(x2, as(mean, 1));
    const reduce = (t: tf.Tensor, like: tf.Tensor) => tf.reshape(sumTo(t, flat ? [1, c] : like.shape), like.shape);
    const grads: Record<string, Getter> = {
      x: () => tf.reshape(tf.mul(dyScaled, rs), x.shape),
      mean: () => reduce(tf.neg(tf.mul(dyScaled, rs)), mean),
      // d/dvar (var + eps)^-1/2 = -1/2 (var + eps)^-3/2
      variance: () => reduce(tf.mul(tf.mul(dyScaled, centered), tf.mul(tf.pow(rs, 3), -0.5)), variance),
      // The tape asks for every input it recorded; like tfjs, answer scale/offset even when absent.
      scale: () => reduce(tf.mul(dy2, tf.mul(centered, rs)), scale ?? mean),
      offset: () => reduce(dy2, mean),
    };
    return grads;
  },
};

export function registerBatchNormGrad(): void {
  tf.registerGradient(fusedBatchNormGrad);
}
