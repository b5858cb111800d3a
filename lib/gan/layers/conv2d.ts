// 2-D convolution and transposed convolution on channels-last [N, H, W, C] tensors.
// Also used for 1-D (temporal) convolutions by viewing [B, T, C] as [B, T, 1, C] with a [k, 1] kernel.
import "../ops";
import * as tf from "@tensorflow/tfjs-core";
import { LayerOptions, dcganInit } from "./dense";
import { ParamStore, zeros } from "./params";
import { Weight } from "./spectral-norm";

export type Pair = number | [number, number];
/** "same" / "valid" as in TF, or PyTorch-style symmetric zero padding per side. */
export type Padding2d = "same" | "valid" | number;

const pair = (v: Pair): [number, number] => (typeof v === "number" ? [v, v] : v);

export interface Conv2dSpec {
  kernel: Pair;
  strides?: Pair;
  pad?: Padding2d;
}

export class Conv2d {
  readonly w: Weight; // [kh, kw, in, out]
  readonly b?: tf.Variable;
  private readonly strides: [number, number];
  private readonly pad: Padding2d;

  constructor(store: ParamStore, name: string, inCh: number, readonly outCh: number, spec: Conv2dSpec, opts: LayerOptions = {}) {
    const s = store.scope(name);
    const [kh, kw] = pair(spec.kernel);
    this.strides = pair(spec.strides ?? 1);
    this.pad = spec.pad ?? "same";
    this.w = new Weight(s, "w", [kh, kw, inCh, outCh], opts.init ?? dcganInit, opts.spectralNorm ?? false);
    if (opts.bias ?? true) this.b = s.variable("b", [outCh], zeros);
  }

  apply(x: tf.Tensor4D, training = false): tf.Tensor4D {
    const y = tf.conv2d(x, this.w.read(training) as tf.Tensor4D, this.strides, this.pad); // [N, H', W', out]
    return this.b ? tf.add(y, this.b) : y;
  }
}

/** Output length of a transposed convolution along one axis (inverse of the forward conv's length). */
export function transposedLength(n: number, k: number, s: number, pad: "same" | "valid" | number): number {
  if (pad === "same") return n * s;
  const p = pad === "valid" ? 0 : pad;
  return (n - 1) * s + k - 2 * p;
}

export class Conv2dTranspose {
  readonly w: Weight; // [kh, kw, out, in] (TF's layout for transposed convs)
  readonly b?: tf.Variable;
  private readonly kernel: [number, number];
  private readonly strides: [number, number];
  private readonly pad: Padding2d;

  constructor(store: ParamStore, name: string, inCh: number, readonly outCh: number, spec: Conv2dSpec, opts: LayerOptions = {}) {
    const s = store.scope(name);
    this.kernel = pair(spec.kernel);
    this.strides = pair(spec.strides ?? 1);
    this.pad = spec.pad ?? "same";
    this.w = new Weight(s, "w", [...this.kernel, outCh, inCh], opts.init ?? dcganInit, opts.spectralNorm ?? false);
    if (opts.bias ?? true) this.b = s.variable("b", [outCh], zeros);
  }

  apply(x: tf.Tensor4D, training = false): tf.Tensor4D {
    const [n, h, w] = x.shape;
    const outShape: [number, number, number, number] = [
      n,
      transposedLength(h, this.kernel[0], this.strides[0], this.pad),
      transposedLength(w, this.kernel[1], this.strides[1], this.pad),
      this.outCh,
    ];
    const y = tf.conv2dTranspose(x, this.w.read(training) as tf.Tensor4D, outShape, this.strides, this.pad); // [N, H', W', out]
    return this.b ? tf.add(y, this.b) : y;
  }
}
