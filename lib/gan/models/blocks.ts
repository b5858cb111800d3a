// DCGAN-style stacks shared by the models (Radford et al. 2016): generators upsample with stride-2
// transposed convolutions + batch norm + ReLU; discriminators downsample with stride-2 convolutions +
// leaky ReLU, batch norm on every layer but the first. Convolutions followed by a batch norm have no
// bias (it would be cancelled by the normalisation and get no gradient).
import "../ops";
import * as tf from "@tensorflow/tfjs-core";
import { BatchNorm, BatchNormOptions } from "../layers/batchnorm";
import { Conv2d, Conv2dSpec, Conv2dTranspose } from "../layers/conv2d";
import { Conv3d, Conv3dSpec, Conv3dTranspose } from "../layers/conv3d";
import { leakyRelu } from "../layers/functional";
import { Init, ParamStore } from "../layers/params";

/** [N, h, w, c0] → [N, h·2^k, w·2^k, c_k]: k = channels.length − 1 doubling layers, each BN + ReLU. */
export class UpStack2d {
  private readonly layers: { conv: Conv2dTranspose; bn: BatchNorm }[] = [];

  constructor(store: ParamStore, name: string, channels: number[], init: Init, bn: BatchNormOptions = {}) {
    const s = store.scope(name);
    for (let i = 0; i + 1 < channels.length; i++) {
      const conv = new Conv2dTranspose(s, `up${i}`, channels[i], channels[i + 1], { kernel: 4, strides: 2, pad: "same" }, { bias: false, init });
      this.layers.push({ conv, bn: new BatchNorm(s, `bn${i}`, channels[i + 1], bn) });
    }
  }

  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    let h = x;
    for (const { conv, bn } of this.layers) h = tf.relu(bn.apply(conv.apply(h, training), training));
    return h;
  }
}

/** [B, t, h, w, c0] → [B, t·Πs, h·2^k, w·2^k, c_k]; timeStrides[i] ∈ {1, 2} per layer. 4×4×4 kernels. */
export class UpStack3d {
  private readonly layers: { conv: Conv3dTranspose; bn: BatchNorm }[] = [];

  constructor(store: ParamStore, name: string, channels: number[], timeStrides: number[], init: Init, bn: BatchNormOptions = {}) {
    const s = store.scope(name);
    for (let i = 0; i + 1 < channels.length; i++) {
      const strides: [number, number, number] = [timeStrides[i], 2, 2];
      const conv = new Conv3dTranspose(s, `up${i}`, channels[i], channels[i + 1], { kernel: 4, strides, pad: "same" }, { bias: false, init });
      this.layers.push({ conv, bn: new BatchNorm(s, `bn${i}`, channels[i + 1], bn) });
    }
  }

  apply(x: tf.Tensor5D, training: boolean): tf.Tensor5D {
    let h = x;
    for (const { conv, bn } of this.layers) h = tf.relu(bn.apply(conv.apply(h, training), training));
    return h;
  }
}

export interface DownStackOptions {
  init: Init;
  /** Batch norm after every conv but the first (DCGAN); off for spectral-norm critics. */
  batchNorm: boolean;
  spectralNorm: boolean;
  bn?: BatchNormOptions;
  /** Leaky ReLU slope (0.2 in DCGAN, TGAN, VGAN and MoCoGAN). */
  slope?: number;
}

interface Stage<T extends tf.Tensor> {
  conv: { apply(x: T, training: boolean): T };
  bn?: BatchNorm;
}

/** Convolutions, each followed by (BN and) leaky ReLU. */
export class DownStack<T extends tf.Tensor> {
  constructor(
    private readonly stages: Stage<T>[],
    private readonly slope: number,
  ) {}

  get batchNorms(): BatchNorm[] {
    return this.stages.flatMap((s) => (s.bn ? [s.bn] : []));
  }

  apply(x: T, training: boolean): T {
    let h = x;
    for (const { conv, bn } of this.stages) {
      h = conv.apply(h, training);
      if (bn) h = bn.apply(h, training);
      h = leakyRelu(h, this.slope);
    }
    return h;
  }
}

function stageNorm(s: ParamStore, i: number, ch: number, o: DownStackOptions): BatchNorm | undefined {
  return o.batchNorm && i > 0 ? new BatchNorm(s, `bn${i}`, ch, o.bn) : undefined;
}

/** 2-D stack: [N, H, W, inCh] → [N, H/2^k, W/2^k, channels[k−1]] with `spec` convolutions. */
export function downStack2d(store: ParamStore, name: string, inCh: number, channels: number[], spec: Conv2dSpec, o: DownStackOptions): DownStack<tf.Tensor4D> {
  const s = store.scope(name);
  const stages = channels.map((ch, i) => {
    const bn = stageNorm(s, i, ch, o);
    const conv = new Conv2d(s, `conv${i}`, i === 0 ? inCh : channels[i - 1], ch, spec, { bias: !bn, init: o.init, spectralNorm: o.spectralNorm });
    return { conv, bn };
  });
  return new DownStack(stages, o.slope ?? 0.2);
}

/** 3-D stack over videos [B, T, H, W, C]; `specFor(i)` gives layer i's kernel, strides and padding. */
export function downStack3d(store: ParamStore, name: string, inCh: number, channels: number[], specFor: (i: number) => Conv3dSpec, o: DownStackOptions): DownStack<tf.Tensor5D> {
  const s = store.scope(name);
  const stages = channels.map((ch, i) => {
    const bn = stageNorm(s, i, ch, o);
    const conv = new Conv3d(s, `conv${i}`, i === 0 ? inCh : channels[i - 1], ch, specFor(i), { bias: !bn, init: o.init, spectralNorm: o.spectralNorm });
    return { conv, bn };
  });
  return new DownStack(stages, o.slope ?? 0.2);
}

/**
 * 2×2 average pooling of every frame, [B, T, H, W, C] → [B, T, H/2, W/2, C] (DVD-GAN's temporal discriminator
 * input). Written with reshapes and means of rank ≤ 4, whose gradients every backend has (wasm has no AvgPoolGrad).
 */
export function halveFrames(video: tf.Tensor5D): tf.Tensor5D {
  return tf.tidy(() => {
    const [b, t, h, w, c] = video.shape;
    const rows = tf.mean(tf.reshape(video, [b * t * (h / 2), 2, w / 2, 2 * c]), 1); // [B·T·H/2, W/2, 2·C]: row pairs
    const cols = tf.mean(tf.reshape(rows, [b * t * (h / 2), w / 2, 2, c]), 2); // [B·T·H/2, W/2, C]: column pairs
    return tf.reshape(cols, [b, t, h / 2, w / 2, c]) as tf.Tensor5D;
  });
}

/** The channels minibatchStdDev adds with this group size (0: off, none); throws unless it is a whole number ≥ 0. */
export function mbstdChannels(group: number): number {
  if (!(Number.isInteger(group) && group >= 0)) throw new Error(`mbstdGroup must be a whole number ≥ 0, got ${group}`);
  return group > 0 ? 1 : 0;
}

/**
 * Minibatch standard deviation (Karras et al. 2018, ProGAN): one more channel holding, for each group of up to
 * `groupSize` samples, the features' standard deviation across the group, averaged. A collapsed generator's batch has
 * none, so D sees the collapse in every sample and G is pushed to keep its latents apart.
 * [B, ..., C] → [B, ..., C + 1]; sample i is in the group of samples i mod B/G (ProGAN's layout). groupSize 0: x as is.
 */
export function minibatchStdDev<T extends tf.Tensor>(x: T, groupSize: number): T {
  if (groupSize === 0) return x;
  return tf.tidy(() => {
    const [b, ...rest] = x.shape;
    let g = Math.min(groupSize, b);
    while (b % g !== 0) g--; // the largest group size ≤ groupSize that divides the batch
    const grouped = tf.reshape(x, [g, b / g, ...rest]);
    const std = tf.sqrt(tf.add(tf.moments(grouped, 0).variance, 1e-8)); // [B/G, ...]
    const perGroup = tf.mean(tf.reshape(std, [b / g, -1]), 1); // [B/G]
    const inner = rest.slice(0, -1);
    const tiled = tf.reshape(tf.broadcastTo(tf.reshape(perGroup, [1, b / g]), [g, b / g]), [b]); // sample i: group i mod B/G
    // Spread over the positions at rank 2: TF.js has no gradient for a rank-5 Tile, which broadcastTo runs.
    const positions = inner.reduce((p, d) => p * d, 1);
    const channel = tf.reshape(tf.broadcastTo(tf.reshape(tiled, [b, 1]), [b, positions]), [b, ...inner, 1]);
    return tf.concat([x, channel], -1) as T;
  });
}
