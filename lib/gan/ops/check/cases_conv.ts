// Gradient-check cases for the convolution family, with the shapes and paddings our video GANs use.
import * as tf from "@tensorflow/tfjs-core";
import type { CheckCase } from "./case";

const t5 = (t: tf.Tensor) => t as tf.Tensor5D;
const t4 = (t: tf.Tensor) => t as tf.Tensor4D;
const W = 0.3; // weight scale

export const convCases: CheckCase[] = [
  {
    name: "dense (matMul + bias)",
    inputs: { x: { shape: [4, 6] }, w: { shape: [6, 5], scale: W }, b: { shape: [5], scale: W } },
    forward: ({ x, w, b }) => tf.add(tf.matMul(x, w), b),
  },
  {
    name: "conv2d s1 same",
    inputs: { x: { shape: [2, 5, 5, 3] }, w: { shape: [3, 3, 3, 4], scale: W } },
    forward: ({ x, w }) => tf.conv2d(t4(x), t4(w), 1, "same"),
  },
  {
    name: "conv2d s2 same",
    inputs: { x: { shape: [2, 6, 6, 3] }, w: { shape: [4, 4, 3, 4], scale: W } },
    forward: ({ x, w }) => tf.conv2d(t4(x), t4(w), 2, "same"),
  },
  {
    name: "conv2dTranspose s2 same",
    inputs: { x: { shape: [2, 3, 3, 4] }, w: { shape: [4, 4, 2, 4], scale: W } },
    forward: ({ x, w }) => tf.conv2dTranspose(t4(x), t4(w), [2, 6, 6, 2], 2, "same"),
  },
  {
    name: "conv2d s2 pad 1, batch 3 (patch head)",
    inputs: { x: { shape: [3, 6, 6, 2] }, w: { shape: [4, 4, 2, 3], scale: W } },
    forward: ({ x, w }) => tf.conv2d(t4(x), t4(w), 2, 1),
  },
  {
    name: "conv2dTranspose valid (4×4 from 1×1)",
    inputs: { x: { shape: [2, 1, 1, 3] }, w: { shape: [4, 4, 2, 3], scale: W } },
    forward: ({ x, w }) => tf.conv2dTranspose(t4(x), t4(w), [2, 4, 4, 2], 1, "valid"),
  },
  {
    name: "conv3d s1 same",
    inputs: { x: { shape: [2, 3, 4, 4, 2] }, w: { shape: [3, 3, 3, 2, 3], scale: W } },
    forward: ({ x, w }) => tf.conv3d(t5(x), t5(w), 1, "same"),
  },
  {
    name: "conv3d s2 same",
    inputs: { x: { shape: [2, 4, 4, 4, 2] }, w: { shape: [4, 4, 4, 2, 3], scale: W } },
    forward: ({ x, w }) => tf.conv3d(t5(x), t5(w), 2, "same"),
  },
  {
    name: "conv3d s2 same, odd size",
    inputs: { x: { shape: [1, 3, 5, 5, 2] }, w: { shape: [3, 3, 3, 2, 2], scale: W } },
    forward: ({ x, w }) => tf.conv3d(t5(x), t5(w), 2, "same"),
  },
  {
    // 3 × 256 output rows: wasm's filter gradient runs in several row blocks.
    name: "conv3d s1 same, batch 3",
    inputs: { x: { shape: [3, 4, 8, 8, 2] }, w: { shape: [3, 3, 3, 2, 2], scale: W } },
    forward: ({ x, w }) => tf.conv3d(t5(x), t5(w), 1, "same"),
  },
  {
    name: "conv3d valid (D head)",
    inputs: { x: { shape: [2, 2, 4, 4, 3] }, w: { shape: [2, 4, 4, 3, 1], scale: W } },
    forward: ({ x, w }) => tf.conv3d(t5(x), t5(w), 1, "valid"),
  },
  {
    // 1,024 output positions: webgpu's filter gradient runs in our shader, its sum split into chunks.
    name: "conv2d s2 same, model-sized",
    inputs: { x: { shape: [16, 16, 16, 32] }, w: { shape: [4, 4, 32, 4], scale: W } },
    forward: ({ x, w }) => tf.conv2d(t4(x), t4(w), 2, "same"),
  },
  // Model-sized: webgpu's shaders (webgpu_conv3d.ts) run full tiles, and the filter gradients split their sums into
  // chunks. (The small cases above go through the same shaders, but for the D head's forward pass.)
  {
    name: "conv3d [1,2,2] valid, model-sized",
    inputs: { x: { shape: [3, 10, 18, 18, 8] }, w: { shape: [4, 4, 4, 8, 4], scale: W } },
    forward: ({ x, w }) => tf.conv3d(t5(x), t5(w), [1, 2, 2], "valid"),
  },
  {
    // A 3-tap kernel at stride 2: the input gradient's phases have 2 taps along an axis or 1.
    name: "conv3d k3 s2 same, uneven phases",
    inputs: { x: { shape: [2, 5, 9, 9, 6] }, w: { shape: [3, 3, 3, 6, 5], scale: W } },
    forward: ({ x, w }) => tf.conv3d(t5(x), t5(w), 2, "same"),
  },
  {
    // A discriminator's first layer at 64×64: webgpu's input gradient into one channel.
    name: "conv3d s2 same, 1-channel 64×64 frames",
    inputs: { x: { shape: [1, 4, 64, 64, 1] }, w: { shape: [4, 4, 4, 1, 8], scale: W } },
    forward: ({ x, w }) => tf.conv3d(t5(x), t5(w), 2, "same"),
  },
  {
    name: "conv3d s2 same, model-sized",
    inputs: { x: { shape: [2, 16, 16, 16, 8] }, w: { shape: [4, 4, 4, 8, 4], scale: W } },
    forward: ({ x, w }) => tf.conv3d(t5(x), t5(w), 2, "same"),
  },
  {
    name: "conv3dTranspose s2 same, model-sized",
    inputs: { x: { shape: [2, 8, 8, 8, 4] }, w: { shape: [4, 4, 4, 8, 4], scale: W } },
    forward: ({ x, w }) => tf.conv3dTranspose(t5(x), t5(w), [2, 16, 16, 16, 8], 2, "same"),
  },
  {
    name: "conv3dTranspose s2 same",
    inputs: { x: { shape: [2, 2, 3, 3, 3] }, w: { shape: [4, 4, 4, 2, 3], scale: W } },
    forward: ({ x, w }) => tf.conv3dTranspose(t5(x), t5(w), [2, 4, 6, 6, 2], 2, "same"),
  },
  {
    name: "conv3dTranspose valid (G stem)",
    inputs: { x: { shape: [2, 1, 1, 1, 4] }, w: { shape: [2, 4, 4, 3, 4], scale: W } },
    forward: ({ x, w }) => tf.conv3dTranspose(t5(x), t5(w), [2, 2, 4, 4, 3], 1, "valid"),
  },
  {
    name: "depthwiseConv2d s1 same",
    inputs: { x: { shape: [2, 4, 4, 3] }, w: { shape: [3, 3, 3, 2], scale: W } },
    forward: ({ x, w }) => tf.depthwiseConv2d(t4(x), t4(w), 1, "same"),
  },
];
