// 3-D convolutions for webgpu as tiled matrix products, by folding time into channels.
//
// TF.js 4.22's webgpu Conv3D is a naive one-thread-per-output shader, and its two gradients give each output (or
// filter) element one thread that loops over everything it sums. Its 2-D convolution and transposed convolution,
// though, are tiled implicit GEMMs (conv2d_mm, conv_backprop_mm), and its matMul is tiled. A 3-D convolution with
// a kt-frame kernel is a 2-D convolution over clips whose channels are kt consecutive (strided) frames side by side:
//   x [B, T, H, W, C] padded, frames t·st + dt for dt < kt  →  X' [B·T', H, W, kt·C]
//   w [kt, kh, kw, C, O]                                     →  W' [kh, kw, kt·C, O]
//   conv3d(x, w) = conv2d(X', W', valid)                      [B·T', H', W', O]
// The input gradient is the transposed 2-D convolution of dy by W', its kt frame groups added back where they came
// from; the filter gradient is X'ᵀ·dy per spatial tap (kh·kw of them; see tapProducts). X' is kt times the input, the
// price of running in the tiled shaders. Everything is done in ops of rank ≤ 4, where webgpu's shaders are sound.
import * as tf from "@tensorflow/tfjs-core";
import { asTensor, type RefCounting } from "./wasm_kernels";

type Info = tf.backend_util.Conv3DInfo;

interface Folding {
  info: Info;
  /** Padded frames, rows and columns. */
  tp: number;
  hp: number;
  wp: number;
}

function folding(xShape: number[], filterShape: number[], strides: unknown, pad: unknown): Folding {
  const info = tf.backend_util.computeConv3DInfo(xShape as [number, number, number, number, number],
    filterShape as [number, number, number, number, number], strides as [number, number, number], 1, pad as "same");
  const p = info.padInfo;
  return { info, tp: info.inDepth + p.front + p.back, hp: info.inHeight + p.top + p.bottom, wp: info.inWidth + p.left + p.right };
}

/** x [B, T, H, W, C] zero-padded as the convolution pads it, as [B, Tp, Hp·Wp·C]. */
function padded(x: tf.Tensor, f: Folding): tf.Tensor3D {
  const { info: i } = f;
  const p = i.padInfo;
  // Rows and columns on [B·T, H, W, C], then frames on [B, T, Hp·Wp·C]: rank ≤ 4 throughout.
  const spatial = tf.pad(tf.reshape(x, [i.batchSize * i.inDepth, i.inHeight, i.inWidth, i.inChannels]), [[0, 0], [p.top, p.bottom], [p.left, p.right], [0, 0]]);
  return tf.pad(tf.reshape(spatial, [i.batchSize, i.inDepth, -1]), [[0, 0], [p.front, p.back], [0, 0]]) as tf.Tensor3D;
}

/** Frames dt, dt + st, …, dt + (T' − 1)·st of a [B, Tp, F] tensor. */
function framesFrom(x: tf.Tensor3D, dt: number, f: Folding): tf.Tensor3D {
  const { batchSize: b, outDepth: to, strideDepth: st } = f.info;
  if (st === 1) return tf.slice(x, [0, dt, 0], [b, to, -1]);
  return tf.gather(x, tf.tensor1d(Array.from({ length: to }, (_, t) => dt + t * st), "int32"), 1) as tf.Tensor3D;
}

/** X' [B·T', Hp, Wp, kt·C]: each output frame's kt input frames side by side in the channels. */
function foldedInput(x: tf.Tensor, f: Folding): tf.Tensor4D {
  const { info: i } = f;
  const xp = padded(x, f);
  const pieces = Array.from({ length: i.filterDepth }, (_, dt) => tf.reshape(framesFrom(xp, dt, f), [-1, i.inChannels]));
  return tf.reshape(tf.concat(pieces, 1), [i.batchSize * i.outDepth, f.hp, f.wp, i.filterDepth * i.inChannels]);
}

/** W' [kh, kw, kt·C, O] from w [kt, kh, kw, C, O]. */
function foldedFilter(w: tf.Tensor, i: Info): tf.Tensor4D {
  const [kt, kh, kw, c, o] = w.shape;
  const taps = tf.transpose(tf.reshape(w, [kt, kh * kw, c, o]), [1, 0, 2, 3]); // [kh·kw, kt, C, O]
  return tf.reshape(taps, [kh, kw, kt * i.inChannels, o]);
}

const strides2d = (i: Info): [number, number] => [i.strideHeight, i.strideWidth];
const flatDy = (dy: tf.Tensor, i: Info) => tf.reshape(dy, [i.batchSize * i.outDepth, i.outHeight, i.outWidth, i.outChannels]) as tf.Tensor4D;

function conv3dFolded(x: tf.Tensor, w: tf.Tensor, f: Folding): tf.Tensor {
  const i = f.info;
  const y = tf.conv2d(foldedInput(x, f), foldedFilter(w, i), strides2d(i), "valid");
  return tf.reshape(y, [i.batchSize, i.outDepth, i.outHeight, i.outWidth, i.outChannels]);
}

function conv3dInputGradFolded(dy: tf.Tensor, w: tf.Tensor, f: Folding): tf.Tensor {
  const i = f.info;
  const [b, to, st, kt, c] = [i.batchSize, i.outDepth, i.strideDepth, i.filterDepth, i.inChannels];
  const dFolded = tf.conv2dTranspose(flatDy(dy, i), foldedFilter(w, i), [b * to, f.hp, f.wp, kt * c], strides2d(i), "valid");
  // Each frame group back to the frames it came from: frame t·st + dt of the padded clip.
  const groups = tf.split(tf.reshape(dFolded, [-1, kt * c]), kt, 1);
  const frame = f.hp * f.wp * c;
  let dxp: tf.Tensor3D | null = null;
  groups.forEach((g, dt) => {
    let spread = tf.reshape(g, [b, to, frame]) as tf.Tensor3D;
    if (st > 1) spread = tf.reshape(tf.pad(tf.reshape(spread, [b, to, 1, frame]), [[0, 0], [0, 0], [0, st - 1], [0, 0]]), [b, to * st, frame]);
    const keep = Math.min(spread.shape[1], f.tp - dt); // the zeros after frame dt + (T' − 1)·st may run past the end
    if (keep < spread.shape[1]) spread = tf.slice(spread, [0, 0, 0], [b, keep, frame]);
    const placed = tf.pad(spread, [[0, 0], [dt, f.tp - dt - keep], [0, 0]]) as tf.Tensor3D;
    dxp = dxp == null ? placed : (tf.add(dxp, placed) as tf.Tensor3D);
  });
  // Crop the padding: frames on [B, Tp, F], then rows and columns on [B·T, Hp, Wp, C].
  const p = i.padInfo;
  const frames = tf.slice(dxp!, [0, p.front, 0], [b, i.inDepth, frame]);
  const rows = tf.slice(tf.reshape(frames, [b * i.inDepth, f.hp, f.wp, c]), [0, p.top, p.left, 0], [-1, i.inHeight, i.inWidth, c]);
  return tf.reshape(rows, [b, i.inDepth, i.inHeight, i.inWidth, c]);
}

function conv3dFilterGradFolded(x: tf.Tensor, dy: tf.Tensor, f: Folding): tf.Tensor {
  const i = f.info;
  const [kt, kh, kw, c, o] = [i.filterDepth, i.filterHeight, i.filterWidth, i.inChannels, i.outChannels];
  const taps = tapProducts(foldedInput(x, f), tf.reshape(dy, [-1, o]) as tf.Tensor2D, [kh, kw], strides2d(i), [i.outHeight, i.outWidth]);
  // [kh·kw, kt·C, O] → [kt, kh, kw, C, O]
  return tf.reshape(tf.transpose(tf.reshape(taps, [kh * kw, kt, c, o]), [1, 0, 2, 3]), [kt, kh, kw, c, o]);
}

/**
 * A 2-D filter gradient as tiled products: for tap (r, s), the inputs it saw at every output position,
 * xp[:, r + sh·y, s + sw·x, :] as rows [positions, C], times dy's rows [positions, O]. xp is the padded input
 * [N, Hp, Wp, C]. Returns [kh·kw, C, O]. From 128 channels the taps' inputs go side by side into one product
 * [positions, kh·kw·C]ᵀ·dy; below that, one product per tap. Measured on SwiftShader (4×4 taps, stride 2): with 128
 * channels one product took 648 ms where sixteen took 1156 (each tap's [128, O] output is too small to keep the
 * adapter busy), with 256 they tied, and with 32 or 64 the copy into one matrix cost more than it saved (1011 against
 * 730 ms, 453 against 337).
 */
export function tapProducts(xp: tf.Tensor4D, dyRows: tf.Tensor2D, [kh, kw]: number[], [sh, sw]: number[], [oh, ow]: number[]): tf.Tensor3D {
  const [n, , , c] = xp.shape;
  const seen: tf.Tensor4D[] = [];
  for (let r = 0; r < kh; r++) {
    for (let s = 0; s < kw; s++) {
      seen.push(tf.stridedSlice(xp, [0, r, s, 0], [n, r + (oh - 1) * sh + 1, s + (ow - 1) * sw + 1, c], [1, sh, sw, 1]) as tf.Tensor4D); // [N, H', W', C]
    }
  }
  if (c >= 128) {
    const cols = tf.reshape(tf.concat(seen, 3), [-1, kh * kw * c]) as tf.Tensor2D;
    return tf.reshape(tf.matMul(cols, dyRows, true, false), [kh * kw, c, dyRows.shape[1]]);
  }
  return tf.stack(seen.map((t) => tf.matMul(tf.reshape(t, [-1, c]) as tf.Tensor2D, dyRows, true, false))) as tf.Tensor3D; // [C, O] each
}

type Attrs = Record<string, unknown>;

/**
 * Whether folding pays for a call with this geometry, measured with bench:kernels on SwiftShader: not for the
 * heads' few output positions (64 clips·frames against 16·7·4·4 before them), where TF.js's one-thread-per-output
 * kernels finish in a few dispatches and ours cost one product per tap; and for the gradients not when the folded
 * channels are few (a first layer's kt·1), where each product is too thin to beat them: the input gradient from
 * kt·C = 16, the filter gradient (one product per tap) from 32.
 */
function worthFolding(kernelName: string, f: Folding): boolean {
  const i = f.info;
  const positions = i.batchSize * i.outDepth * i.outHeight * i.outWidth;
  const folded = i.filterDepth * i.inChannels;
  const enough = kernelName === tf.Conv3D ? 0 : kernelName === tf.Conv3DBackpropInputV2 ? 16 : 32;
  return positions >= 1024 && folded >= enough;
}

function kernel(kernelName: string, names: [string, string], geometry: (shapeOf: (name: string) => number[], attrs: Attrs) => Folding,
  body: (a: tf.Tensor, b: tf.Tensor, f: Folding) => tf.Tensor): tf.KernelConfig[] {
  const original = tf.getKernel(kernelName, "webgpu");
  if (original == null) return [];
  const kernelFunc: tf.KernelFunc = (args) => {
    const a = args.attrs as Attrs;
    if (a.dilations != null && !tf.backend_util.tupleValuesAreOne(a.dilations as number | number[])) return original.kernelFunc(args);
    const f = geometry((name) => (args.inputs[name] as tf.TensorInfo).shape, a);
    if (!worthFolding(kernelName, f)) return original.kernelFunc(args);
    const backend = args.backend as unknown as RefCounting;
    const [x, y] = names.map((name) => args.inputs[name] as tf.TensorInfo);
    return tf.tidy(() => body(asTensor(backend, x), asTensor(backend, y), f)) as unknown as tf.TensorInfo;
  };
  return [{ ...original, kernelFunc }];
}

/** Conv3D and both its gradients for webgpu (call once webgpu is loaded). */
export function webgpuConv3dKernels(): tf.KernelConfig[] {
  return [
    ...kernel(tf.Conv3D, ["x", "filter"], (shape, a) => folding(shape("x"), shape("filter"), a.strides, a.pad), conv3dFolded),
    ...kernel(tf.Conv3DBackpropInputV2, ["dy", "filter"], (shape, a) => folding(a.inputShape as number[], shape("filter"), a.strides, a.pad), conv3dInputGradFolded),
    ...kernel(tf.Conv3DBackpropFilterV2, ["x", "dy"], (shape, a) => folding(shape("x"), a.filterShape as number[], a.strides, a.pad), conv3dFilterGradFolded),
  ];
}
