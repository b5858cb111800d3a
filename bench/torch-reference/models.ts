// The reference video GAN of shared/bench/torch_video_gan_step.py, rebuilt in TF.js with the same layers and
// parameter counts (printed by the script as G=… D=…). Shapes in comments are channels-last.
import * as tf from "@tensorflow/tfjs-core";
import { Params, batchNorm, conv3d, convTranspose2d, convTranspose3d, leakyRelu, linear, sequential, type Layer } from "./layers";

export const B = 16;
export const T = 16;
export const H = 32;
export const W = 32;
export const Z = 100;

export interface Net {
  forward: Layer;
  params: Params;
}

/** Variant A: per-frame 2-D DCGAN generator fed by a dense temporal latent. */
export function generatorA(seed: number): Net {
  const p = new Params(seed);
  const temporal = linear(p, Z, T * Z); // z(100) → 16 per-frame latents of 100
  const fc = sequential(linear(p, Z, 256 * 4 * 4, false), batchNorm(p, 256 * 4 * 4), tf.relu);
  const net = sequential(
    convTranspose2d(p, 256, 128, false), batchNorm(p, 128), tf.relu, // [B·T, 8, 8, 128]
    convTranspose2d(p, 128, 64, false), batchNorm(p, 64), tf.relu, // [B·T, 16, 16, 64]
    convTranspose2d(p, 64, 1, true), tf.tanh, // [B·T, 32, 32, 1]
  );
  const forward: Layer = (z) => {
    const zt = tf.reshape(temporal(z), [-1, Z]); // [B·T, 100]
    const x = tf.reshape(fc(zt), [-1, 4, 4, 256]);
    return tf.reshape(net(x), [-1, T, H, W, 1]); // [B, T, H, W, 1]
  };
  return { forward, params: p };
}

/** Variant B: VGAN-style 3-D transposed-convolution generator. */
export function generatorB(seed: number): Net {
  const p = new Params(seed);
  const fc = sequential(linear(p, Z, 256 * 2 * 4 * 4, false), batchNorm(p, 256 * 2 * 4 * 4), tf.relu);
  const net = sequential(
    convTranspose3d(p, 256, 128, false), batchNorm(p, 128), tf.relu, // [B, 4, 8, 8, 128]
    convTranspose3d(p, 128, 64, false), batchNorm(p, 64), tf.relu, // [B, 8, 16, 16, 64]
    convTranspose3d(p, 64, 1, true), tf.tanh, // [B, 16, 32, 32, 1]
  );
  return { forward: (z) => net(tf.reshape(fc(z), [-1, 2, 4, 4, 256])), params: p };
}

/** The shared 3-D discriminator: one logit per video. */
export function discriminator(seed: number): Net {
  const p = new Params(seed);
  const net = sequential(
    conv3d(p, 1, 64, true), leakyRelu, // [B, 8, 16, 16, 64]
    conv3d(p, 64, 128, false), batchNorm(p, 128), leakyRelu, // [B, 4, 8, 8, 128]
    conv3d(p, 128, 256, false), batchNorm(p, 256), leakyRelu, // [B, 2, 4, 4, 256]
    (x) => tf.reshape(x, [x.shape[0], -1]),
    linear(p, 256 * 2 * 4 * 4, 1), // [B, 1]
  );
  return { forward: net, params: p };
}
