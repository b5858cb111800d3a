// im2col / col2im over flat channels-last buffers, for matMul-based convolutions.
//
// Rank 5 throughout ([B, D, H, W, C]); a 2-D conv is the same memory with D = 1. A "column" row holds one
// output position's receptive field in filter order (kd, kh, kw, Cin), so cols [N, K·Cin] @ W [K·Cin, Cout]
// is the convolution. Inner copies are contiguous runs of Cin values (channels-last), so these loops run
// at memory speed in plain JS.
import * as tf from "@tensorflow/tfjs-core";

export type Triple = [number, number, number];

/** Explicit geometry of one conv: input [B, D, H, W, Cin] → output [B, oD, oH, oW, Cout]. */
export interface ConvGeometry {
  batch: number;
  inSpatial: Triple; // D, H, W
  inChannels: number;
  kernel: Triple; // kd, kh, kw
  outChannels: number;
  strides: Triple;
  padBefore: Triple; // front, top, left
  outSpatial: Triple; // oD, oH, oW
}

export const rowsPerSample = (g: ConvGeometry): number => g.outSpatial[0] * g.outSpatial[1] * g.outSpatial[2];
export const colWidth = (g: ConvGeometry): number => g.kernel[0] * g.kernel[1] * g.kernel[2] * g.inChannels;

/**
 * Visits every receptive-field row of samples [b0, b1) as one contiguous run: for output row `row` and filter taps
 * (i, j, k0…k1) of one (depth, height) tap pair, the k1 − k0 neighbouring input pixels are adjacent in x, and so
 * are their taps in a column row. `tap` is the first tap's index, `inOffset` its input offset, `length` the run in
 * floats ((k1 − k0)·Cin). Taps in the padding are left out. One call per run rather than per tap (forEachTap, below):
 * im2col, im2colT and col2im run 2–4× faster this way.
 */
export function forEachRun(g: ConvGeometry, b0: number, b1: number,
  visit: (row: number, tap: number, inOffset: number, length: number) => void): void {
  const [D, H, W] = g.inSpatial;
  const [kd, kh, kw] = g.kernel;
  const [sd, sh, sw] = g.strides;
  const [pd, ph, pw] = g.padBefore;
  const [od, oh, ow] = g.outSpatial;
  const c = g.inChannels;
  let row = 0;
  for (let b = b0; b < b1; b++) {
    for (let z = 0; z < od; z++) {
      for (let y = 0; y < oh; y++) {
        for (let x = 0; x < ow; x++, row++) {
          const x0 = x * sw - pw;
          const k0 = Math.max(0, -x0);
          const k1 = Math.min(kw, W - x0);
          if (k1 <= k0) continue;
          for (let i = 0; i < kd; i++) {
            const iz = z * sd + i - pd;
            if (iz < 0 || iz >= D) continue;
            for (let j = 0; j < kh; j++) {
              const iy = y * sh + j - ph;
              if (iy < 0 || iy >= H) continue;
              visit(row, (i * kh + j) * kw + k0, (((b * D + iz) * H + iy) * W + x0 + k0) * c, (k1 - k0) * c);
            }
          }
        }
      }
    }
  }
}

/** Visits every (output row, tap) pair of samples [b0, b1) whose input pixel is inside the image. */
export function forEachTap(g: ConvGeometry, b0: number, b1: number, visit: (row: number, tap: number, inOffset: number) => void): void {
  const c = g.inChannels;
  forEachRun(g, b0, b1, (row, tap, at, length) => {
    for (let t = 0; t < length / c; t++) visit(row, tap + t, at + t * c);
  });
}

/** cols[r, tap·Cin + c] = x[…receptive field…] for samples [b0, b1); zero where the window is in the padding. */
export function im2col(x: Float32Array, g: ConvGeometry, b0: number, b1: number, cols: Float32Array): void {
  const c = g.inChannels;
  const width = colWidth(g);
  cols.fill(0, 0, (b1 - b0) * rowsPerSample(g) * width);
  forEachRun(g, b0, b1, (row, tap, at, length) => {
    const dst = row * width + tap * c;
    if (length >= 64) cols.set(x.subarray(at, at + length), dst);
    else for (let e = 0; e < length; e++) cols[dst + e] = x[at + e];
  });
}

/** The transpose of im2col's output: colsT[tap·Cin + c, r], for filter gradients (colsT · dy). */
export function im2colT(x: Float32Array, g: ConvGeometry, b0: number, b1: number, colsT: Float32Array): void {
  const c = g.inChannels;
  const rows = (b1 - b0) * rowsPerSample(g);
  colsT.fill(0, 0, rows * colWidth(g));
  forEachRun(g, b0, b1, (row, tap, at, length) => {
    for (let e = 0, dst = tap * c * rows + row; e < length; e++, dst += rows) colsT[dst] = x[at + e];
  });
}

/** The adjoint of im2col: dx[…receptive field…] += cols[r, tap·Cin + c]. dx must be zeroed by the caller. */
export function col2im(cols: Float32Array, g: ConvGeometry, b0: number, b1: number, dx: Float32Array): void {
  const c = g.inChannels;
  const width = colWidth(g);
  forEachRun(g, b0, b1, (row, tap, at, length) => {
    const src = row * width + tap * c;
    let e = 0;
    // Four at a time: V8 does not unroll this loop, and the input gradients' own time falls by a third.
    for (; e + 4 <= length; e += 4) {
      dx[at + e] += cols[src + e];
      dx[at + e + 1] += cols[src + e + 1];
      dx[at + e + 2] += cols[src + e + 2];
      dx[at + e + 3] += cols[src + e + 3];
    }
    for (; e < length; e++) dx[at + e] += cols[src + e];
  });
}

/** Geometry of a 3-D conv as tfjs computes it ('same' / 'valid' padding). */
export function geometry3d(inShape: number[], filterShape: number[], strides: number | number[], pad: "same" | "valid"): ConvGeometry {
  const info = tf.backend_util.computeConv3DInfo(inShape as [number, number, number, number, number],
    filterShape as [number, number, number, number, number], strides as number, 1, pad);
  return {
    batch: inShape[0],
    inSpatial: [inShape[1], inShape[2], inShape[3]],
    inChannels: inShape[4],
    kernel: [filterShape[0], filterShape[1], filterShape[2]],
    outChannels: filterShape[4],
    strides: [info.strideDepth, info.strideHeight, info.strideWidth],
    padBefore: [info.padInfo.front, info.padInfo.top, info.padInfo.left],
    outSpatial: [info.outDepth, info.outHeight, info.outWidth],
  };
}

export type Pad2d = Parameters<typeof tf.backend_util.computeConv2DInfo>[4];

/** Geometry of an NHWC 2-D conv, as a 3-D conv with depth 1. */
export function geometry2d(inShape: number[], filterShape: number[], strides: number | number[], pad: Pad2d,
  dimRoundingMode?: "floor" | "round" | "ceil"): ConvGeometry {
  const info = tf.backend_util.computeConv2DInfo(inShape as [number, number, number, number],
    filterShape as [number, number, number, number], strides as number, 1, pad, dimRoundingMode);
  return {
    batch: inShape[0],
    inSpatial: [1, inShape[1], inShape[2]],
    inChannels: inShape[3],
    kernel: [1, filterShape[0], filterShape[1]],
    outChannels: filterShape[3],
    strides: [1, info.strideHeight, info.strideWidth],
    padBefore: [0, info.padInfo.top, info.padInfo.left],
    outSpatial: [1, info.outHeight, info.outWidth],
  };
}
