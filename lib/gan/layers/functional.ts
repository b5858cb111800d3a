// Small stateless tensor functions shared by the layers.
import "../ops";
import * as tf from "@tensorflow/tfjs-core";

/**
 * Leaky ReLU written as relu(x)·(1−a) + a·x. tf.leakyRelu's gradient uses Greater (no gradient of its
 * own), so a gradient penalty through it fails, and its backward fails on rank-5 tensors on webgl/webgpu.
 * relu's gradient is a Step, which is differentiable (zero), so this form supports gradient-of-gradient.
 */
export function leakyRelu<T extends tf.Tensor>(x: T, slope = 0.2): T {
  return tf.add(tf.mul(tf.relu(x), 1 - slope), tf.mul(x, slope));
}

/** x / ‖x‖₂ over all elements (with a floor so a zero vector stays finite). */
export function l2Normalize<T extends tf.Tensor>(x: T, eps = 1e-12): T {
  return tf.div(x, tf.add(tf.sqrt(tf.sum(tf.square(x))), eps));
}
