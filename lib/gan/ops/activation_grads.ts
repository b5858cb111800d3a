// Gradients that keep activations trainable on every backend and differentiable twice (R1, WGAN-GP).
//
// tfjs-core's LeakyRelu gradient is `where(x > 0, dy, alpha * dy)`: Select is unsupported on rank 5 in
// the webgl/webgpu backends, and `greater` has no gradient, so a second derivative throws. Written with
// `step` (whose gradient is defined as zero) it works on any rank and differentiates again.
import * as tf from "@tensorflow/tfjs-core";

const leakyReluGrad: tf.GradConfig = {
  kernelName: tf.LeakyRelu,
  inputsToSave: ["x"],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const dyT = dy as tf.Tensor;
    const { alpha } = attrs as unknown as tf.LeakyReluAttrs;
    // slope = alpha + (1 - alpha) * [x > 0]; step(0) = 0, matching tfjs (x = 0 takes the alpha slope).
    return { x: () => tf.mul(dyT, tf.add(tf.mul(tf.step(x), 1 - alpha), alpha)) };
  },
};

// Comparisons and boolean logic are piecewise constant: their gradient is zero. tfjs-core registers none,
// so any gradient formula that builds a mask from its input (Maximum, Minimum, ClipByValue, Abs, Select's
// condition…) cannot itself be differentiated. Zero gradients make those second derivatives exist.
const piecewiseConstantBinary = [tf.Greater, tf.Less, tf.LessEqual, tf.Equal, tf.NotEqual, tf.LogicalAnd, tf.LogicalOr,
  tf.LogicalXor];
const piecewiseConstantUnary = [tf.LogicalNot];

function zeroGrad(kernelName: string, inputs: string[]): tf.GradConfig {
  return {
    kernelName,
    inputsToSave: inputs,
    gradFunc: (_dy, saved) =>
      // The tape wants float32 gradients shaped like each input (bool inputs included).
      Object.fromEntries(inputs.map((name, i) => [name, () => tf.zeros(saved[i].shape, "float32")])),
  };
}

export function registerActivationGrads(): void {
  tf.registerGradient(leakyReluGrad);
  for (const name of piecewiseConstantBinary) tf.registerGradient(zeroGrad(name, ["a", "b"]));
  for (const name of piecewiseConstantUnary) tf.registerGradient(zeroGrad(name, ["x"]));
}
