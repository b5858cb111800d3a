// Gradient-check cases for normalisation, activations, recurrent cells, upsampling, spectral norm, losses
// and gradient penalties, at the ranks our video GANs use them ([B, T, H, W, C] is rank 5).
import * as tf from "@tensorflow/tfjs-core";
import { stopGradient } from "../stop_gradient";
import type { CheckCase } from "./case";

const W = 0.3;

function batchNormTrain(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const axes = x.shape.map((_, i) => i).slice(0, -1); // batch statistics over all but channels
  const { mean, variance } = tf.moments(x, axes);
  return tf.batchNorm(x, mean, variance, beta as tf.Tensor1D, gamma as tf.Tensor1D, 1e-5);
}

function gruCell(t: Record<string, tf.Tensor>): tf.Tensor {
  const { x, h, wz, uz, wr, ur, wn, un, b } = t;
  const [bz, br, bn] = tf.split(b, 3);
  const z = tf.sigmoid(tf.add(tf.add(tf.matMul(x, wz), tf.matMul(h, uz)), bz));
  const r = tf.sigmoid(tf.add(tf.add(tf.matMul(x, wr), tf.matMul(h, ur)), br));
  const n = tf.tanh(tf.add(tf.add(tf.matMul(x, wn), tf.mul(r, tf.matMul(h, un))), bn));
  return tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, h)); // h' = (1 − z) n + z h
}

/**
 * Power iteration from a stored u, then W / σ with σ = uᵀ W v and u, v held constant (as SN-GAN does).
 * Models run one step per update; here we run enough steps to converge, because only at the singular
 * vectors does "u, v constant" equal the true derivative that finite differences measure.
 */
function spectralNorm(w: tf.Tensor, u0: tf.Tensor, steps: number): tf.Tensor {
  const w2 = w as tf.Tensor2D;
  const normalize = (t: tf.Tensor) => tf.div(t, tf.add(tf.norm(t), 1e-12));
  let u = tf.reshape(u0, [-1, 1]); // [in, 1]
  let v = u;
  for (let i = 0; i < steps; i++) {
    v = stopGradient(normalize(tf.matMul(w2, u, true, false))); // [out, 1]
    u = stopGradient(normalize(tf.matMul(w2, v))); // [in, 1]
  }
  const sigma = tf.sum(tf.mul(u, tf.matMul(w2, v)));
  return tf.div(w2, sigma);
}

/** A small video critic: conv3d (stride 2) → leakyRelu → dense, as in TGAN/MoCoGAN discriminators. */
function critic(x: tf.Tensor, t: Record<string, tf.Tensor>): tf.Tensor {
  const h = tf.conv3d(x as tf.Tensor5D, t.w1 as tf.Tensor5D, 2, "same");
  const a = tf.leakyRelu(tf.add(h, t.b1), 0.2);
  return tf.matMul(tf.reshape(a, [x.shape[0], -1]), t.w2); // [B, 1]
}

export const layerCases: CheckCase[] = [
  {
    name: "batchNorm rank 4 (train)",
    inputs: { x: { shape: [3, 3, 3, 4] }, gamma: { shape: [4], init: "positive" }, beta: { shape: [4], scale: W } },
    forward: ({ x, gamma, beta }) => batchNormTrain(x, gamma, beta),
  },
  {
    name: "batchNorm rank 5 (train)",
    inputs: { x: { shape: [2, 2, 3, 3, 4] }, gamma: { shape: [4], init: "positive" }, beta: { shape: [4], scale: W } },
    forward: ({ x, gamma, beta }) => batchNormTrain(x, gamma, beta),
  },
  {
    name: "mean over all but channels, ranks 2 and 4 (batch norm's moments)",
    inputs: { a: { shape: [6, 4] }, b: { shape: [2, 3, 3, 4] } },
    forward: ({ a, b }) => {
      const ma = tf.moments(a, 0);
      const mb = tf.moments(b, [0, 1, 2]);
      return tf.stack([ma.mean, ma.variance, mb.mean, mb.variance]);
    },
  },
  {
    name: "channel bias rank 5",
    inputs: { x: { shape: [2, 2, 2, 3, 5] }, b: { shape: [5] } },
    forward: ({ x, b }) => tf.add(x, b),
  },
  {
    name: "leakyRelu rank 5",
    inputs: { x: { shape: [2, 2, 3, 3, 3] } },
    forward: ({ x }) => tf.leakyRelu(x, 0.2),
  },
  {
    name: "where rank 5",
    inputs: { x: { shape: [2, 2, 2, 3, 3] }, y: { shape: [2, 2, 2, 3, 3] } },
    forward: ({ x, y }) => tf.where(tf.greater(x, 0), tf.mul(x, y), tf.square(y)),
  },
  { name: "relu rank 5", inputs: { x: { shape: [2, 2, 3, 3, 3] } }, forward: ({ x }) => tf.relu(x) },
  { name: "tanh", inputs: { x: { shape: [2, 2, 3, 3, 3] } }, forward: ({ x }) => tf.tanh(x) },
  { name: "sigmoid", inputs: { x: { shape: [2, 2, 3, 3, 3] } }, forward: ({ x }) => tf.sigmoid(x) },
  {
    name: "pad rank 5 (conv3d 'same')",
    inputs: { x: { shape: [2, 2, 3, 3, 2] } },
    forward: ({ x }) => tf.pad(x, [[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]),
  },
  {
    name: "slice rank 5",
    inputs: { x: { shape: [2, 3, 3, 3, 2] } },
    forward: ({ x }) => tf.slice(x, [0, 1, 1, 0, 0], [-1, 2, 2, 3, 1]),
  },
  {
    name: "transpose rank 5",
    inputs: { x: { shape: [2, 2, 3, 4, 2] } },
    forward: ({ x }) => tf.transpose(x, [0, 1, 3, 2, 4]),
  },
  {
    name: "concat rank 5",
    inputs: { x: { shape: [2, 2, 3, 3, 2] }, y: { shape: [2, 2, 3, 3, 3] } },
    forward: ({ x, y }) => tf.concat([x, y], 4),
  },
  {
    // More inputs than a webgpu shader's 8 storage buffers (a gradient norm over a model's weights sums 10–24).
    name: "addN of 24",
    inputs: { x: { shape: [2, 3] } },
    forward: ({ x }) => tf.addN(Array.from({ length: 24 }, (_, i) => tf.mul(tf.square(x), i + 1))),
  },
  {
    name: "broadcastTo, tile, stack, gather",
    inputs: { x: { shape: [2, 3] } },
    forward: ({ x }) => {
      const col = tf.reshape(x, [2, 1, 3]);
      const frames = tf.stack([tf.broadcastTo(col, [2, 4, 3]), tf.square(tf.tile(col, [1, 4, 1]))], 1); // [2, 2, 4, 3]
      return tf.gather(frames, tf.tensor1d([1, 0, 1], "int32"));
    },
  },
  {
    name: "unstack, gather on a middle axis",
    inputs: { x: { shape: [2, 3, 4] } },
    forward: ({ x }) => tf.concat([...tf.unstack(x, 1), tf.reshape(tf.gather(x, tf.tensor1d([2, 0, 2], "int32"), 1), [2, 12])], 1),
  },
  {
    name: "GRU cell",
    inputs: {
      x: { shape: [3, 4] }, h: { shape: [3, 5] }, b: { shape: [15], scale: W },
      wz: { shape: [4, 5], scale: W }, uz: { shape: [5, 5], scale: W }, wr: { shape: [4, 5], scale: W },
      ur: { shape: [5, 5], scale: W }, wn: { shape: [4, 5], scale: W }, un: { shape: [5, 5], scale: W },
    },
    forward: gruCell,
  },
  {
    name: "upsample nearest ×2 (batch 2)",
    inputs: { x: { shape: [2, 3, 3, 2] } },
    forward: ({ x }) => tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [6, 6]),
  },
  {
    name: "spectral norm",
    inputs: { w: { shape: [6, 5], scale: W }, u: { shape: [6], constant: true } },
    forward: ({ w, u }) => spectralNorm(w, u, 30),
  },
  {
    name: "sigmoid cross-entropy",
    inputs: { logits: { shape: [8, 1], scale: 3 }, labels: { shape: [8, 1], init: "binary", constant: true } },
    forward: ({ logits, labels }) => tf.losses.sigmoidCrossEntropy(labels, logits),
  },
  {
    name: "R1 / WGAN-GP (grad of grad)",
    inputs: {
      x: { shape: [2, 2, 4, 4, 2], constant: true }, w1: { shape: [3, 3, 3, 2, 3], scale: W },
      b1: { shape: [3], scale: 0.1 }, w2: { shape: [12, 1], scale: W },
    },
    forward: ({ x, ...params }) => {
      const g = tf.grad((xx: tf.Tensor) => tf.sum(critic(xx, params)))(x); // ∇ₓ D(x)
      const norms = tf.sqrt(tf.add(tf.sum(tf.square(g), [1, 2, 3, 4]), 1e-12));
      // WGAN-GP term (‖∇D‖ − 1)² and R1 term ‖∇D‖², both differentiated w.r.t. the critic's weights.
      return tf.stack([tf.mean(tf.square(tf.sub(norms, 1))), tf.mean(tf.sum(tf.square(g), [1, 2, 3, 4]))]);
    },
  },
];
