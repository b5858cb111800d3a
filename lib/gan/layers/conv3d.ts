// 3-D convolution and transposed convolution on channels-last videos [B, T, H, W, C].
// conv3dTranspose has no gradient in stock TF.js 4.22; "../ops" registers it (and the second-order
// gradients a gradient penalty needs).
import { addChannelBias } from "../ops";
import * as tf from "@tensorflow/tfjs-core";
import { transposedLength } from "./conv2d";
import { LayerOptions, dcganInit } from "./dense";
import { ParamStore, zeros } from "./params";
import { Weight } from "./spectral-norm";

export type Triple = number | [number, number, number];
/** "same" / "valid" as in TF, or explicit symmetric zero padding per axis [t, h, w] (PyTorch's padding=). */
export type Padding3d = "same" | "valid" | [number, number, number];

const triple = (v: Triple): [number, number, number] => (typeof v === "number" ? [v, v, v] : v);

export interface Conv3dSpec {
  kernel: Triple;
  strides?: Triple;
  pad?: Padding3d;
}

export class Conv3d {
  readonly w: Weight; // [kt, kh, kw, in, out]
  readonly b?: tf.Variable;
  private readonly strides: [number, number, number];
  private readonly pad: Padding3d;

  constructor(store: ParamStore, name: string, inCh: number, readonly outCh: number, spec: Conv3dSpec, opts: LayerOptions = {}) {
    const s = store.scope(name);
    this.strides = triple(spec.strides ?? 1);
    this.pad = spec.pad ?? "same";
    this.w = new Weight(s, "w", [...triple(spec.kernel), inCh, outCh], opts.init ?? dcganInit, opts.spectralNorm ?? false);
    if (opts.bias ?? true) this.b = s.variable("b", [outCh], zeros);
  }

  apply(x: tf.Tensor5D, training = false): tf.Tensor5D {
    let input = x;
    let pad: "same" | "valid";
    if (Array.isArray(this.pad)) {
      // tf.conv3d only knows "same"/"valid": zero-pad explicitly, then convolve without padding.
      const [pt, ph, pw] = this.pad;
      input = tf.pad(x, [[0, 0], [pt, pt], [ph, ph], [pw, pw], [0, 0]]);
      pad = "valid";
    } else {
      pad = this.pad;
    }
    const y = tf.conv3d(input, this.w.read(training) as tf.Tensor5D, this.strides, pad); // [B, T', H', W', out]
    return this.b ? addChannelBias(y, this.b as tf.Tensor1D) : y; // bias as [1,1,1,1,C]: safe on webgpu
  }
}

export interface Conv3dTransposeSpec {
  kernel: Triple;
  strides?: Triple;
  pad?: "same" | "valid";
}

export class Conv3dTranspose {
  readonly w: Weight; // [kt, kh, kw, out, in]
  readonly b?: tf.Variable;
  private readonly kernel: [number, number, number];
  private readonly strides: [number, number, number];
  private readonly pad: "same" | "valid";

  constructor(store: ParamStore, name: string, inCh: number, readonly outCh: number, spec: Conv3dTransposeSpec, opts: LayerOptions = {}) {
    const s = store.scope(name);
    this.kernel = triple(spec.kernel);
    this.strides = triple(spec.strides ?? 1);
    this.pad = spec.pad ?? "same";
    this.w = new Weight(s, "w", [...this.kernel, outCh, inCh], opts.init ?? dcganInit, opts.spectralNorm ?? false);
    if (opts.bias ?? true) this.b = s.variable("b", [outCh], zeros);
  }

  apply(x: tf.Tensor5D, training = false): tf.Tensor5D {
    const [b, t, h, w] = x.shape;
    const outShape: [number, number, number, number, number] = [
      b,
      transposedLength(t, this.kernel[0], this.strides[0], this.pad),
      transposedLength(h, this.kernel[1], this.strides[1], this.pad),
      transposedLength(w, this.kernel[2], this.strides[2], this.pad),
      this.outCh,
    ];
    const y = tf.conv3dTranspose(x, this.w.read(training) as tf.Tensor5D, outShape, this.strides, this.pad); // [B, T', H', W', out]
    return this.b ? addChannelBias(y, this.b as tf.Tensor1D) : y; // bias as [1,1,1,1,C]: safe on webgpu
  }
}
