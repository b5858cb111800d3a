// tf.stopGradient does not exist in tfjs-core. Spectral norm needs it: its power-iteration vectors u, v are
// buffers (as in SN-GAN / PyTorch), so the gradient flows through W in σ = uᵀWv but not through u and v.
import * as tf from "@tensorflow/tfjs-core";

const stop = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => ({
  value: tf.clone(args[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
}));

/** The value of x, treated as a constant by gradients (any order). */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return stop(x) as T;
}
