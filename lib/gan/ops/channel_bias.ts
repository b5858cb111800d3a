// Adds a per-channel vector to a channels-last tensor of any rank.
//
// On webgpu, `tf.add(x5d, bias1d)` with 1 < C < 128 runs a broadcast shader that does not compile and
// returns garbage (see webgpu_broadcast.ts, which patches the kernels so plain tf.add is safe too). This
// helper states the intent and reshapes the bias to [1, …, 1, C] itself, so it is right even on a webgpu
// backend that was not patched (e.g. loaded without initBackend).
import * as tf from "@tensorflow/tfjs-core";

export function addChannelBias<T extends tf.Tensor>(x: T, bias: tf.Tensor1D): T {
  const c = x.shape[x.rank - 1];
  if (bias.rank !== 1 || bias.shape[0] !== c) {
    throw new Error(`addChannelBias: bias of shape [${bias.shape}] does not match ${c} channels`);
  }
  const shape = new Array<number>(Math.max(x.rank - 1, 0)).fill(1).concat(c);
  return tf.add(x, tf.reshape(bias, shape));
}
