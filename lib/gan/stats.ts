// Cheap statistics of video batches that say whether a generator moved toward the data, without a pretrained
// network (FVD needs I3D, which we do not have in TF.js). Each one targets a property Moving MNIST makes obvious:
//  - the pixel-intensity histogram (mostly black background, a bright mode for strokes) — compared by L1 distance
//    and by the 1-D earth mover's distance, which also credits moving mass *toward* the right intensities;
//  - the fraction of lit pixels (> mid-grey): how much of the canvas the digits cover;
//  - the mean absolute frame-to-frame difference: how much the video moves (0 for a still image, large for
//    flicker). Only a generator with temporal structure matches the data here.
import type * as tf from "@tensorflow/tfjs-core";

export interface VideoStats {
  /** Normalised histogram of pixel values over `bins` equal bins on [-1, 1] (sums to 1). */
  histogram: number[];
  /** Share of pixels above 0 (mid-grey in [-1, 1]). */
  litFraction: number;
  meanIntensity: number;
  /** Mean |x[t+1] − x[t]| over all pixels and consecutive frame pairs, in [-1, 1] units (so at most 2). */
  temporalDiff: number;
}

/** Statistics of a host copy of a [B, T, H, W, C] video batch. */
export function videoStats(values: ArrayLike<number>, shape: readonly number[], bins = 32): VideoStats {
  const [b, t, h, w, c] = shape;
  const frame = h * w * c;
  if (values.length !== b * t * frame) throw new Error(`videoStats: ${values.length} values for shape [${shape}]`);
  const hist = new Array<number>(bins).fill(0);
  let lit = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Math.min(1, Math.max(-1, values[i]));
    hist[Math.min(bins - 1, Math.floor(((v + 1) / 2) * bins))] += 1;
    if (v > 0) lit += 1;
    sum += v;
  }
  let diff = 0;
  for (let n = 0; n < b; n++) {
    for (let f = 0; f + 1 < t; f++) {
      const at = (n * t + f) * frame;
      for (let i = 0; i < frame; i++) diff += Math.abs(values[at + frame + i] - values[at + i]);
    }
  }
  const pairs = b * Math.max(0, t - 1) * frame;
  return {
    histogram: hist.map((x) => x / values.length),
    litFraction: lit / values.length,
    meanIntensity: sum / values.length,
    temporalDiff: pairs ? diff / pairs : 0,
  };
}

export async function statsOf(video: tf.Tensor, bins = 32): Promise<VideoStats> {
  return videoStats(await video.data(), video.shape, bins);
}

/** Total variation-style L1 distance between two normalised histograms: 0 (same) … 2 (disjoint). */
export function histogramL1(p: number[], q: number[]): number {
  checkBins(p, q);
  return p.reduce((acc, x, i) => acc + Math.abs(x - q[i]), 0);
}

/**
 * Earth mover's (Wasserstein-1) distance between two histograms on [-1, 1], in intensity units: the sum of CDF
 * gaps times the bin width. Unlike L1 it says how far mass has to move, so it keeps falling while a generator's
 * grey moves toward black even before any bin matches.
 */
export function histogramEmd(p: number[], q: number[]): number {
  checkBins(p, q);
  const width = 2 / p.length;
  let cdfGap = 0;
  let total = 0;
  for (let i = 0; i < p.length; i++) {
    cdfGap += p[i] - q[i];
    total += Math.abs(cdfGap) * width;
  }
  return total;
}

/** How far a generated batch is from a real one on each statistic (all ≥ 0; 0 = indistinguishable). */
export interface StatsGap {
  histL1: number;
  histEmd: number;
  litFraction: number;
  meanIntensity: number;
  temporalDiff: number;
}

export function statsGap(real: VideoStats, fake: VideoStats): StatsGap {
  return {
    histL1: histogramL1(real.histogram, fake.histogram),
    histEmd: histogramEmd(real.histogram, fake.histogram),
    litFraction: Math.abs(real.litFraction - fake.litFraction),
    meanIntensity: Math.abs(real.meanIntensity - fake.meanIntensity),
    temporalDiff: Math.abs(real.temporalDiff - fake.temporalDiff),
  };
}

function checkBins(p: number[], q: number[]): void {
  if (p.length !== q.length) throw new Error(`histograms differ in bins: ${p.length} vs ${q.length}`);
}
