// Small stateless tensor functions shared by the layers.
import "../ops";
import * as tf from "@tensorflow/tfjs-core";

/**
 * Leaky ReLU: one kernel forward. Its gradient is ../ops' (a Step, not tfjs-core's Select on a Greater), which
 * works on rank-5 tensors on every backend and differentiates again, so gradient penalties pass through it.
 */
export function leakyRelu<T extends tf.Tensor>(x: T, slope = 0.2): T {
  return tf.leakyRelu(x, slope);
}

/** x / ‖x‖₂ over all elements (with a floor so a zero vector stays finite). */
export function l2Normalize<T extends tf.Tensor>(x: T, eps = 1e-12): T {
  return tf.div(x, tf.add(tf.sqrt(tf.sum(tf.square(x))), eps));
}
