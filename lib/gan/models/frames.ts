// A discriminator of single frames beside a model's video discriminator: MoCoGAN's PatchImageDiscriminator, which
// DVD-GAN (Clark et al. 2019) also pairs with its video discriminator as a "spatial discriminator" on a few sampled
// frames. It asks of every frame that it look like a real one, where a video discriminator spends its capacity
// on motion; judging a few frames per clip costs little beside the 3-D convolutions.
import "../ops";
import * as tf from "@tensorflow/tfjs-core";
import type { LossTerms, Video } from "../types";
import { Conv2d } from "../layers/conv2d";
import { ParamStore } from "../layers/params";
import { AdversarialLoss, generatorLoss } from "../losses";
import { randomInts, subSeed } from "../random";
import { DownStack, DownStackOptions, downStack2d } from "./blocks";
import { DiscriminatorObjective, VideoShapeConfig, combineTerms, discriminatorTerms, scaled } from "./common";

/** The frame discriminator's settings in a model config (TGAN's, VGAN's; MoCoGAN's D_I has its own). */
export interface FrameDiscriminatorConfig {
  /** Frames per clip a second discriminator judges one at a time (MoCoGAN's D_I, DVD-GAN's spatial D); 0: none. */
  imageFrames: number;
  /** That discriminator's channels as a multiple of `width`. */
  imageDWidth: number;
}

/** Patch logits for frames: three stride-2 4×4 convs (ndf, 2·ndf, 4·ndf), then a stride-2 conv to one logit per patch. */
export class FrameDiscriminator {
  private readonly body: DownStack<tf.Tensor4D>;
  private readonly head: Conv2d;

  /** Its variables are `<store>.image.*` and `<store>.imageHead.*` (MoCoGAN's published names). */
  constructor(store: ParamStore, channels: number, ndf: number, opts: DownStackOptions) {
    const spec = { kernel: 4, strides: 2, pad: "same" as const };
    this.body = downStack2d(store, "image", channels, [ndf, 2 * ndf, 4 * ndf], spec, opts);
    this.head = new Conv2d(store, "imageHead", 4 * ndf, 1, spec, { bias: false, init: opts.init, spectralNorm: opts.spectralNorm });
  }

  get batchNorms(): DownStack<tf.Tensor4D>["batchNorms"] {
    return this.body.batchNorms;
  }

  /** Frames [N, H, W, C] → patch logits [N, (H/16)·(W/16)]. */
  apply(frames: tf.Tensor4D, training: boolean): tf.Tensor2D {
    return tf.tidy(() => {
      const h = this.head.apply(this.body.apply(frames, training), training); // [N, H/16, W/16, 1]
      return tf.reshape(h, [frames.shape[0], -1]) as tf.Tensor2D;
    });
  }
}

/** The frame discriminator a config asks for (`imageFrames` > 0), or none; its layers as the video D's (`opts`). */
export function optionalFrameDiscriminator(store: ParamStore, c: VideoShapeConfig & FrameDiscriminatorConfig, opts: DownStackOptions): FrameDiscriminator | undefined {
  checkFramesPerClip("imageFrames", c.imageFrames, 0, c.frames);
  return c.imageFrames > 0 ? new FrameDiscriminator(store, c.channels, scaled(64, c.width * c.imageDWidth), opts) : undefined;
}

/** Checks a frames-per-clip setting: an integer in [min, frames]. */
export function checkFramesPerClip(name: string, k: number, min: number, frames: number): void {
  if (!(Number.isInteger(k) && k >= min && k <= frames)) throw new Error(`${name} must be an integer in [${min}, ${frames}], got ${k}`);
}

/** k distinct random frames of each of b clips of t frames, as row indices into [B·T]: clip-major, sorted. */
export function frameIndices(b: number, t: number, k: number, seed: number): number[] {
  if (k === 1) return randomInts(b, t, seed).map((f, i) => i * t + f);
  const draws = randomInts(b * t, 1 << 30, seed); // a random key per frame; each clip keeps its k smallest
  const out: number[] = [];
  for (let i = 0; i < b; i++) {
    const order = Array.from({ length: t }, (_, f) => f).sort((x, y) => draws[i * t + x] - draws[i * t + y]);
    out.push(...order.slice(0, k).sort((x, y) => x - y).map((f) => i * t + f));
  }
  return out;
}

/** k random frames of each video: [B, T, H, W, C] → [B·k, H, W, C]. */
export function pickFrames(video: Video, k: number, seed: number): tf.Tensor4D {
  const [b, t, h, w, c] = video.shape;
  const picks = frameIndices(b, t, k, seed);
  return tf.gather(tf.reshape(video, [b * t, h, w, c]), tf.tensor1d(picks, "int32")) as tf.Tensor4D;
}

/** A frame discriminator's terms: k frames picked from each real clip against the fake frames given. */
export function frameTerms(d: (frames: tf.Tensor4D) => tf.Tensor, real: Video, k: number, fakeFrames: tf.Tensor4D, o: DiscriminatorObjective, seed: number): LossTerms {
  const realFrames = pickFrames(real, k, subSeed(seed, "realFrames"));
  return discriminatorTerms((x) => d(x as tf.Tensor4D), realFrames, fakeFrames, o, subSeed(seed, "image"));
}

/** The video discriminator's terms, with the frame discriminator's (k frames of each clip) added when there is one. */
export function withFrameTerms(video: LossTerms, d: FrameDiscriminator | undefined, real: Video, fake: Video, k: number, o: DiscriminatorObjective, seed: number): LossTerms {
  if (!d) return video;
  const image = frameTerms((x) => d.apply(x, true), real, k, pickFrames(fake, k, subSeed(seed, "fakeFrames")), o, seed);
  return combineTerms({ video, image }, "video");
}

/** G's loss against the frame discriminator on k frames picked from each fake clip. */
export function frameGeneratorLoss(d: FrameDiscriminator, fake: Video, k: number, loss: AdversarialLoss, seed: number): tf.Scalar {
  return generatorLoss(loss, d.apply(pickFrames(fake, k, subSeed(seed, "fakeFrames")), true));
}
