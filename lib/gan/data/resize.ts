// Separable image resampling on interleaved float pixels. Both methods reduce to per-axis tap tables (which source
// pixels feed each output pixel, with what weight), so one routine applies either along rows and then columns.
//   area:     exact box-filter integration (OpenCV INTER_AREA); the right choice when shrinking, no aliasing.
//   bilinear: half-pixel centres (OpenCV / tf.image with halfPixelCenters); the right choice when enlarging.

export type ResizeMethod = "area" | "bilinear";

interface Taps {
  start: Int32Array; // [dst] first source index
  count: Int32Array; // [dst] number of taps
  offset: Int32Array; // [dst] where this pixel's weights begin in `weight`
  weight: Float32Array;
}

function buildTaps(src: number, dst: number, method: ResizeMethod): Taps {
  const start = new Int32Array(dst);
  const count = new Int32Array(dst);
  const offset = new Int32Array(dst);
  const weights: number[] = [];
  const scale = src / dst;
  for (let i = 0; i < dst; i++) {
    offset[i] = weights.length;
    if (method === "area") {
      // Output pixel i covers source interval [i·scale, (i+1)·scale); weight = overlap / scale.
      const lo = i * scale;
      const hi = lo + scale;
      start[i] = Math.floor(lo);
      for (let s = start[i]; s < hi && s < src; s++) weights.push((Math.min(hi, s + 1) - Math.max(lo, s)) / scale);
    } else {
      const x = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), src - 1);
      start[i] = Math.min(Math.floor(x), src - 2 < 0 ? 0 : src - 2);
      const frac = x - start[i];
      weights.push(1 - frac);
      if (src > 1) weights.push(frac);
    }
    count[i] = weights.length - offset[i];
  }
  return { start, count, offset, weight: Float32Array.from(weights) };
}

/** "auto" picks area when shrinking an axis overall and bilinear when enlarging. */
export function pickMethod(srcW: number, srcH: number, dstW: number, dstH: number): ResizeMethod {
  return dstW * dstH < srcW * srcH ? "area" : "bilinear";
}

/**
 * Resizes interleaved pixels [srcH, srcW, channels] to [dstH, dstW, channels]. `channelStride` lets RGBA input
 * (stride 4) be read as RGB (channels 3) without a copy. Writes into `out` when given (at `outOffset`).
 */
export function resizeImage(
  src: ArrayLike<number>,
  srcW: number,
  srcH: number,
  dstW: number,
  dstH: number,
  opts: { channels?: number; channelStride?: number; method?: ResizeMethod; out?: Float32Array; outOffset?: number } = {},
): Float32Array {
  const channels = opts.channels ?? 1;
  const stride = opts.channelStride ?? channels;
  const method = opts.method ?? pickMethod(srcW, srcH, dstW, dstH);
  const out = opts.out ?? new Float32Array(dstW * dstH * channels);
  const base = opts.outOffset ?? 0;
  const tx = buildTaps(srcW, dstW, method);
  const ty = buildTaps(srcH, dstH, method);

  // Horizontal pass: [srcH, dstW, channels].
  const mid = new Float32Array(srcH * dstW * channels);
  for (let y = 0; y < srcH; y++) {
    for (let x = 0; x < dstW; x++) {
      const o = (y * dstW + x) * channels;
      for (let k = 0; k < tx.count[x]; k++) {
        const w = tx.weight[tx.offset[x] + k];
        const s = (y * srcW + tx.start[x] + k) * stride;
        for (let c = 0; c < channels; c++) mid[o + c] += w * src[s + c];
      }
    }
  }
  // Vertical pass into out.
  for (let y = 0; y < dstH; y++) {
    for (let x = 0; x < dstW; x++) {
      const o = base + (y * dstW + x) * channels;
      for (let c = 0; c < channels; c++) out[o + c] = 0;
      for (let k = 0; k < ty.count[y]; k++) {
        const w = ty.weight[ty.offset[y] + k];
        const s = ((ty.start[y] + k) * dstW + x) * channels;
        for (let c = 0; c < channels; c++) out[o + c] += w * mid[s + c];
      }
    }
  }
  return out;
}
