// FVD-MM, FID-MM and digit confidence of a video GAN against Moving MNIST (classifier.ts says what the networks
// are). Every score comes with its bearings: the same figures for a second, disjoint real set (the floor: what
// sampling noise alone gives with n clips) and for the same architecture untrained (what knowing nothing gives).
//
//   fvd_mm      Fréchet distance between clip embeddings of n real and n generated clips (16×32×32)
//   fid_mm      Fréchet distance between frame embeddings of the same clips' frames (n·16 frames per side)
//   digit_conf  mean max-softmax of the frame classifier on the generated frames
//
// The real reference set is drawn from Moving MNIST's *test* digits (the classifiers and the models train on
// "train"), with the model's frame size and the dataset's defaults otherwise; its Gaussians are cached per process.
import "../ops";
import * as tf from "@tensorflow/tfjs-core";
import { loadDigits } from "../data/mnist-load";
import type { DigitSet } from "../data/mnist-asset";
import { MovingMnist, type MovingMnistConfig } from "../data/moving-mnist";
import { createRng } from "../data/rng";
import { createModel, isModelKind } from "../models";
import { subSeed } from "../random";
import { sample } from "../sample";
import type { Video, VideoGan } from "../types";
import type { MetricNets } from "./classifier";
import { toClassifierInput } from "./classifier";
import { fitGaussian, frechetDistance, type Gaussian } from "./frechet";
import { loadMetricNets, type MetricWeightsSource } from "./weights";

export interface VideoScores {
  fvd_mm: number;
  fid_mm: number;
  digit_conf: number;
}

export interface VideoMetrics extends VideoScores {
  /** Clips per side. */
  n: number;
  /** A second real set of n clips scored like the model: the lowest figures n clips can show (digit_conf: real's). */
  floor: VideoScores;
  /** The same architecture and config with its initial weights, when asked for (default yes). */
  untrained?: VideoScores;
  seconds: number;
}

export interface EvaluateOptions {
  /** Clips per set; 512 by default. Fréchet distances shrink with n (their bias is ~d/n): compare at equal n. */
  n?: number;
  /** Seed of the real sets and of the generated latents. */
  seed?: number;
  /** Clips per forward pass. */
  batch?: number;
  /** Also score the untrained model (default true). */
  untrained?: boolean;
  /** The real set's Moving MNIST settings; default: 2 digits, test split, the model's frame size. */
  data?: Partial<MovingMnistConfig>;
  /** Where the classifier weights come from (default: the checked-in ones, from disk in Node, the app's URL in a browser). */
  weights?: MetricWeightsSource;
  digits?: DigitSet;
}

/** Makes `count` videos [count, T, H, W, C] in [-1, 1] from a seed; the caller disposes them. */
export type VideoSource = (count: number, seed: number) => Video;

/** Embedding Gaussians and mean confidence of one set of clips. */
export interface SetStats {
  clips: Gaussian;
  frames: Gaussian;
  confidence: number;
}

let shared: Promise<MetricNets> | undefined;
let sharedSource: MetricWeightsSource | undefined;
const realCache = new Map<string, { a: SetStats; b: SetStats }>();
const untrainedCache = new Map<string, VideoScores>();

/** The metric networks, loaded once per process (per weights source). */
export function metricNets(source?: MetricWeightsSource): Promise<MetricNets> {
  if (!shared || sharedSource !== source) {
    void shared?.then((n) => n.dispose(), () => {});
    realCache.clear();
    untrainedCache.clear();
    sharedSource = source;
    shared = loadMetricNets(source).then((r) => r.nets);
    shared.catch(() => (shared = undefined));
  }
  return shared;
}

/** Frees the cached networks and real-set statistics. */
export async function disposeVideoMetrics(): Promise<void> {
  const nets = shared;
  shared = undefined;
  realCache.clear();
  untrainedCache.clear();
  (await nets?.catch(() => undefined))?.dispose();
}

/** Embeds n clips from `source` in batches: clip and frame Gaussians, and the frames' mean max-softmax. */
export async function setStats(nets: MetricNets, source: VideoSource, n: number, seed: number, batch = 32): Promise<SetStats> {
  const { features, frames } = nets.config;
  const clipFeatures = new Float32Array(n * features);
  const frameFeatures = new Float32Array(n * frames * features);
  let confidence = 0;
  for (let done = 0, part = 0; done < n; done += batch, part++) {
    const m = Math.min(batch, n - done);
    const video = source(m, subSeed(seed, part));
    const [clip, frame, conf] = tf.tidy(() => {
      const x = toClassifierInput(video, nets.config); // [m, 16, 32, 32, 1]
      const f = nets.frame.embed(tf.reshape(x, [m * frames, nets.config.size, nets.config.size, 1]) as tf.Tensor4D);
      const maxProb = tf.sum(tf.max(tf.softmax(nets.frame.logits(f)), -1)); // Σ over frames of max-softmax
      return [nets.clip.embed(x), f, maxProb];
    });
    video.dispose();
    clipFeatures.set(await clip.data(), done * features);
    frameFeatures.set(await frame.data(), done * frames * features);
    confidence += (await conf.data())[0];
    tf.dispose([clip, frame, conf]);
  }
  return {
    clips: fitGaussian(clipFeatures, n, features),
    frames: fitGaussian(frameFeatures, n * frames, features),
    confidence: confidence / (n * frames),
  };
}

/** A set's scores against a reference set. */
export function scoresAgainst(reference: SetStats, set: SetStats): VideoScores {
  return {
    fvd_mm: frechetDistance(reference.clips, set.clips),
    fid_mm: frechetDistance(reference.frames, set.frames),
    digit_conf: set.confidence,
  };
}

/** A Moving MNIST stream as a VideoSource: clips drawn fresh for each seed. */
export function movingMnistSource(digits: DigitSet, config: Partial<MovingMnistConfig>): VideoSource {
  const data = new MovingMnist(digits, config);
  return (count, seed) => {
    data.reset(seed);
    return data.nextBatch(count);
  };
}

/** The model's generator (EMA weights when attached) as a VideoSource. */
export function modelSource(model: VideoGan): VideoSource {
  return (count, seed) => sample(model, count, { seed });
}

/** Real sets A (the reference) and B (the floor), cached by their settings. */
export async function realSets(nets: MetricNets, digits: DigitSet, data: Partial<MovingMnistConfig>, n: number, seed: number, batch: number) {
  const key = JSON.stringify({ data, n, seed });
  let sets = realCache.get(key);
  if (!sets) {
    const source = movingMnistSource(digits, data);
    sets = { a: await setStats(nets, source, n, subSeed(seed, "real-a"), batch), b: await setStats(nets, source, n, subSeed(seed, "real-b"), batch) };
    realCache.set(key, sets);
  }
  return sets;
}

/** The real set's settings for a model: 2 digits from the test split, the model's size, at least 16 frames. */
export function realDataFor(model: VideoGan, nets: MetricNets, data: Partial<MovingMnistConfig> = {}): Partial<MovingMnistConfig> {
  return { numDigits: 2, size: model.shape.height, frames: Math.max(nets.config.frames, model.shape.frames), split: "test", ...data };
}

export async function evaluateVideoGan(model: VideoGan, opts: EvaluateOptions = {}): Promise<VideoMetrics> {
  const started = performance.now();
  const n = opts.n ?? 512;
  const seed = opts.seed ?? 0;
  const batch = opts.batch ?? 32;
  if (!(Number.isInteger(n) && n >= 2)) throw new Error(`evaluate: n must be an integer ≥ 2, got ${n}`);
  if (model.shape.frames < 16) throw new Error(`evaluate: the video metrics need 16 frames, the model makes ${model.shape.frames}`);
  const nets = await metricNets(opts.weights);
  const digits = opts.digits ?? (await loadDigits());
  const real = await realSets(nets, digits, realDataFor(model, nets, opts.data), n, seed, batch);
  const fakeSeed = subSeed(seed, "generated");
  const scores = scoresAgainst(real.a, await setStats(nets, modelSource(model), n, fakeSeed, batch));
  let untrained: VideoScores | undefined;
  if (opts.untrained ?? true) untrained = await untrainedScores(model, real.a, nets, n, fakeSeed, batch);
  return { ...scores, n, floor: scoresAgainst(real.a, real.b), untrained, seconds: (performance.now() - started) / 1000 };
}


/** The same kind and config, freshly initialised (seed 0), scored against the reference; cached per setting. */
async function untrainedScores(model: VideoGan, reference: SetStats, nets: MetricNets, n: number, seed: number, batch: number): Promise<VideoScores | undefined> {
  if (!isModelKind(model.kind)) return undefined;
  const key = JSON.stringify({ kind: model.kind, config: model.config, n, seed, mean: Array.from(reference.clips.mean.subarray(0, 4)) });
  const cached = untrainedCache.get(key);
  if (cached) return cached;
  const fresh = createModel(model.kind, model.config as Record<string, never>, 0);
  try {
    const scores = scoresAgainst(reference, await setStats(nets, modelSource(fresh), n, seed, batch));
    untrainedCache.set(key, scores);
    return scores;
  } finally {
    fresh.dispose();
  }
}

/** Real clips with their frames put in a random order (per clip): right digits, incoherent motion. */
export function shuffledInTime(source: VideoSource): VideoSource {
  return (count, seed) => {
    const video = source(count, seed);
    const t = video.shape[1];
    const rng = createRng(subSeed(seed, "shuffle"));
    const order = Array.from({ length: count }, (_, b) => {
      const perm = Array.from({ length: t }, (_, i) => i);
      for (let i = t - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [perm[i], perm[j]] = [perm[j], perm[i]];
      }
      return perm.map((f) => b * t + f);
    });
    return reindexFrames(video, order.flat());
  };
}

/** Real clips frozen on one of their frames (a random one per clip): right digits, no motion. */
export function frozenInTime(source: VideoSource): VideoSource {
  return (count, seed) => {
    const video = source(count, seed);
    const t = video.shape[1];
    const rng = createRng(subSeed(seed, "freeze"));
    const index = Array.from({ length: count }, (_, b) => Array<number>(t).fill(b * t + rng.int(t))).flat();
    return reindexFrames(video, index);
  };
}

/** Uniform noise in [-1, 1] of the source's shape. */
export function noiseLike(shape: { frames: number; height: number; width: number; channels: number }): VideoSource {
  return (count, seed) => tf.randomUniform([count, shape.frames, shape.height, shape.width, shape.channels], -1, 1, "float32", seed) as Video;
}

/** Frames gathered by flat index (b·T + t) into a video of the same shape; disposes the input. */
function reindexFrames(video: Video, index: number[]): Video {
  const [b, t, h, w, c] = video.shape;
  const out = tf.tidy(() => tf.reshape(tf.gather(tf.reshape(video, [b * t, h, w, c]), tf.tensor1d(index, "int32")), [b, t, h, w, c]) as Video);
  video.dispose();
  return out;
}
