// Minimal PyTorch-equivalent layers in TF.js (channels-last), just enough to rebuild the reference workload of
// shared/bench/torch_video_gan_step.py parameter for parameter. Weights use PyTorch's default init
// (U(±1/√fan_in)) so magnitudes, and thus any denormal slow paths, resemble the reference's.
import * as tf from "@tensorflow/tfjs-core";
import { createRng } from "../../lib/gan/data/rng";

export class Params {
  readonly vars: tf.Variable[] = [];
  readonly buffers: tf.Variable[] = []; // batch-norm running statistics: state, not parameters
  private readonly rng;
  constructor(seed: number) {
    this.rng = createRng(seed);
  }
  uniform(shape: number[], fanIn: number): tf.Variable {
    const bound = 1 / Math.sqrt(fanIn);
    const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => this.rng.uniform(-bound, bound));
    return this.add(tf.tensor(values, shape));
  }
  constant(shape: number[], value: number, buffer = false): tf.Variable {
    const v = tf.variable(tf.fill(shape, value), !buffer);
    (buffer ? this.buffers : this.vars).push(v);
    return v;
  }
  private add(t: tf.Tensor): tf.Variable {
    const v = tf.variable(t);
    t.dispose();
    this.vars.push(v);
    return v;
  }
  count(): number {
    return this.vars.reduce((n, v) => n + v.size, 0);
  }
}

export type Layer = (x: tf.Tensor) => tf.Tensor;

/** nn.Linear(inF, outF, bias). */
export function linear(p: Params, inF: number, outF: number, bias = true): Layer {
  const w = p.uniform([inF, outF], inF);
  const b = bias ? p.uniform([outF], inF) : undefined;
  return (x) => (b ? tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b) : tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D));
}

/**
 * nn.BatchNorm{1,2,3}d in training mode: batch statistics over every axis but the last (channels), running
 * statistics updated with momentum 0.1. Flattened to [N, C] because tfjs' batchNorm gradient is wrong at rank 5.
 */
export function batchNorm(p: Params, channels: number): Layer {
  const gamma = p.constant([channels], 1);
  const beta = p.constant([channels], 0);
  const runMean = p.constant([channels], 0, true);
  const runVar = p.constant([channels], 1, true);
  return (x) => {
    const x2 = tf.reshape(x, [-1, channels]); // [N, C]
    const { mean, variance } = tf.moments(x2, 0);
    runMean.assign(tf.add(tf.mul(runMean, 0.9), tf.mul(mean, 0.1)));
    runVar.assign(tf.add(tf.mul(runVar, 0.9), tf.mul(variance, 0.1)));
    const y = tf.add(tf.mul(tf.mul(tf.sub(x2, mean), tf.rsqrt(tf.add(variance, 1e-5))), gamma), beta);
    return tf.reshape(y, x.shape);
  };
}

/** nn.ConvTranspose2d(inC, outC, 4, 2, 1): TF "same" padding with k=4, s=2 pads 1 on each side, as PyTorch does. */
export function convTranspose2d(p: Params, inC: number, outC: number, bias: boolean): Layer {
  const w = p.uniform([4, 4, outC, inC], outC * 16); // PyTorch's fan_in for ConvTranspose is weight.size(1)·k·k
  const b = bias ? p.uniform([outC], outC * 16) : undefined;
  return (x) => {
    const [n, h, wd] = x.shape;
    const y = tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, [n, 2 * h, 2 * wd, outC], 2, "same");
    return b ? tf.add(y, tf.reshape(b, [1, 1, 1, outC])) : y;
  };
}

/** nn.ConvTranspose3d(inC, outC, 4, 2, 1). */
export function convTranspose3d(p: Params, inC: number, outC: number, bias: boolean): Layer {
  const w = p.uniform([4, 4, 4, outC, inC], outC * 64);
  const b = bias ? p.uniform([outC], outC * 64) : undefined;
  return (x) => {
    const [n, d, h, wd] = x.shape;
    const y = tf.conv3dTranspose(x as tf.Tensor5D, w as tf.Tensor5D, [n, 2 * d, 2 * h, 2 * wd, outC], 2, "same");
    return b ? tf.add(y, tf.reshape(b, [1, 1, 1, 1, outC])) : y; // rank-5 bias shape: see FACTS (webgpu)
  };
}

/** nn.Conv3d(inC, outC, 4, 2, 1). */
export function conv3d(p: Params, inC: number, outC: number, bias: boolean): Layer {
  const w = p.uniform([4, 4, 4, inC, outC], inC * 64);
  const b = bias ? p.uniform([outC], inC * 64) : undefined;
  return (x) => {
    const y = tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, 2, "same");
    return b ? tf.add(y, tf.reshape(b, [1, 1, 1, 1, outC])) : y;
  };
}

/** nn.LeakyReLU(0.2) as relu(x)(1−a) + a·x: tf.leakyRelu's rank-5 gradient fails on webgl/webgpu. */
export const leakyRelu: Layer = (x) => tf.add(tf.mul(tf.relu(x), 0.8), tf.mul(x, 0.2));

export const sequential =
  (...layers: Layer[]): Layer =>
  (x) =>
    layers.reduce((h, f) => f(h), x);
