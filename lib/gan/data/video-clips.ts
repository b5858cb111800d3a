// Training clips from a user's own video: decoded frames are converted once (crop, resize, gray or RGB, [-1, 1]),
// then cut into clips of T frames taken every `stride` frames, served in a seeded random order, epoch after epoch.
import * as tf from "@tensorflow/tfjs-core";
import type { RgbaFrame } from "../video/frames";
import { resizeImage, type ResizeMethod } from "./resize";
import { createRng, shuffleInPlace, type Rng } from "./rng";
import type { VideoDataset, VideoShape } from "./types";

export interface ClipSamplerConfig {
  frames: number; // 16: clip length T, as most video GANs
  stride: number; // 1: take every stride-th source frame (2 halves a 30 fps video to 15)
  hop: number | "clip"; // first-frame distance between clips; "clip" = no overlap (T·stride)
  height: number; // 64
  width: number; // 64
  channels: 1 | 3; // 3 = RGB; 1 = luma (BT.601, as tf.image.rgbToGrayscale)
  resize: ResizeMethod | "auto"; // "auto": area when shrinking (no aliasing), bilinear when enlarging
  crop: "center" | "stretch"; // "center": crop to the target aspect first, so shapes are not squashed
}

export const defaultClipSamplerConfig: ClipSamplerConfig = {
  frames: 16,
  stride: 1,
  hop: "clip",
  height: 64,
  width: 64,
  channels: 3,
  resize: "auto",
  crop: "center",
};

/** Start frame of every clip that fits in `count` frames. */
export function clipStarts(count: number, config: Pick<ClipSamplerConfig, "frames" | "stride" | "hop">): number[] {
  const span = (config.frames - 1) * config.stride + 1;
  const hop = config.hop === "clip" ? config.frames * config.stride : config.hop;
  if (!(hop >= 1 && config.stride >= 1 && config.frames >= 1)) throw new Error("frames, stride and hop must be ≥ 1");
  const starts: number[] = [];
  for (let s = 0; s + span <= count; s += hop) starts.push(s);
  return starts;
}

/** Crops (centre, to the target aspect), resizes and normalises one RGBA frame into out[offset …]. */
export function convertFrame(frame: RgbaFrame, config: ClipSamplerConfig, out: Float32Array, offset: number): void {
  const { width: W, height: H, channels: C } = config;
  let cw = frame.width;
  let ch = frame.height;
  if (config.crop === "center") {
    if (cw * H > ch * W) cw = Math.max(1, Math.round((ch * W) / H));
    else ch = Math.max(1, Math.round((cw * H) / W));
  }
  const x0 = Math.floor((frame.width - cw) / 2);
  const y0 = Math.floor((frame.height - ch) / 2);
  // Gather the crop as C channels in 0..255 (luma before resizing: resizing is linear, so the order is free and
  // one channel is a third of the work).
  const crop = new Float32Array(cw * ch * C);
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      const s = ((y0 + y) * frame.width + x0 + x) * 4;
      const o = (y * cw + x) * C;
      const [r, g, b] = [frame.data[s], frame.data[s + 1], frame.data[s + 2]];
      if (C === 1) crop[o] = 0.299 * r + 0.587 * g + 0.114 * b;
      else [crop[o], crop[o + 1], crop[o + 2]] = [r, g, b];
    }
  }
  const method = config.resize === "auto" ? undefined : config.resize;
  resizeImage(crop, cw, ch, W, H, { channels: C, method, out, outOffset: offset });
  for (let i = offset; i < offset + W * H * C; i++) out[i] = out[i] / 127.5 - 1;
}

export class ClipSampler implements VideoDataset {
  readonly config: ClipSamplerConfig;
  readonly shape: VideoShape;
  /** First source frame of each clip. */
  readonly starts: number[];
  private readonly pixels: Float32Array; // [N, H, W, C] converted source frames
  private rng: Rng;
  private order: Uint32Array;
  private cursor = 0;

  constructor(frames: RgbaFrame[], config: Partial<ClipSamplerConfig> = {}, seed = 0) {
    this.config = { ...defaultClipSamplerConfig, ...config };
    const { frames: T, height: H, width: W, channels: C } = this.config;
    this.starts = clipStarts(frames.length, this.config);
    if (this.starts.length === 0) {
      throw new Error(`${frames.length} frames are too few for one clip of ${T} frames at stride ${this.config.stride}`);
    }
    this.shape = { frames: T, height: H, width: W, channels: C };
    const frameLen = H * W * C;
    this.pixels = new Float32Array(frames.length * frameLen);
    frames.forEach((f, i) => convertFrame(f, this.config, this.pixels, i * frameLen));
    this.order = new Uint32Array(this.starts.length);
    this.rng = createRng(seed);
    this.newEpoch();
  }

  get clipCount(): number {
    return this.starts.length;
  }

  reset(seed: number): void {
    this.rng = createRng(seed);
    this.newEpoch();
  }

  private newEpoch(): void {
    this.order.forEach((_, i) => (this.order[i] = i));
    shuffleInPlace(this.order, this.rng);
    this.cursor = 0;
  }

  /** Index of the next clip; every clip is served once per epoch before any repeats. */
  private nextClip(): number {
    if (this.cursor === this.order.length) this.newEpoch();
    return this.order[this.cursor++];
  }

  /** n clips as a flat Float32Array [n, T, H, W, C] in [-1, 1]. */
  nextBatchArray(n: number): Float32Array {
    const { frames: T, height: H, width: W, channels: C, stride } = this.config;
    const frameLen = H * W * C;
    const out = new Float32Array(n * T * frameLen);
    for (let b = 0; b < n; b++) {
      const start = this.starts[this.nextClip()];
      for (let t = 0; t < T; t++) {
        const src = (start + t * stride) * frameLen;
        out.set(this.pixels.subarray(src, src + frameLen), (b * T + t) * frameLen);
      }
    }
    return out;
  }

  nextBatch(n: number): tf.Tensor5D {
    const { frames: T, height: H, width: W, channels: C } = this.shape;
    return tf.tensor5d(this.nextBatchArray(n), [n, T, H, W, C]);
  }
}
