// MoCoGAN — S. Tulyakov, M.-Y. Liu, X. Yang, J. Kautz, "MoCoGAN: Decomposing Motion and Content for
// Video Generation", CVPR 2018 (arXiv:1707.04993). Sizes follow the authors' PyTorch code
// (github.com/sergeytulyakov/mocogan): VideoGenerator, PatchImageDiscriminator, VideoDiscriminator.
//
// A video is a content code z_C (fixed for the clip) plus motion codes z_M⁽ᵗ⁾ produced by a GRU driven by
// fresh noise each step; a 2-D DCGAN generator renders every frame from [z_C, z_M⁽ᵗ⁾]. An image
// discriminator judges single frames, a 3-D conv video discriminator judges clips. Because motion is
// recurrent, the GRU can be unrolled past the trained length to make longer videos.
import "../ops";
import * as tf from "@tensorflow/tfjs-core";
import type { Latent, LossTerms, Video, VideoGan } from "../types";
import { BatchNorm } from "../layers/batchnorm";
import { Conv2dTranspose } from "../layers/conv2d";
import { Conv3d } from "../layers/conv3d";
import { Dense } from "../layers/dense";
import { GruCell } from "../layers/gru";
import { Init } from "../layers/params";
import { generatorLoss } from "../losses";
import { normal, subSeed } from "../random";
import { DownStack, UpStack2d, downStack3d, halveFrames } from "./blocks";
import { FrameDiscriminator, checkFramesPerClip, frameIndices, frameTerms, pickFrames } from "./frames";
import { DiscriminatorObjective, ModelParams, VideoShapeConfig, checkShapeConfig, checkVideo, combineTerms, discriminatorTerms, meanOf, tidyTerms, scaled, spatialLevels, dcganAdam } from "./common";

export interface MocoganConfig extends VideoShapeConfig, DiscriminatorObjective {
  contentDim: number;
  motionDim: number;
  maxFrames: number;
  initStd: number;
  spectralNorm: boolean;
  dBatchNorm: boolean;
  /** Frames per clip the image discriminator judges (the paper: 1). */
  imageFrames: number;
  /**
   * Where D_I's fake frames come from. "clips": picked from the clips made for D_V (one generator pass per
   * update). "own": a batch of its own, for which G unrolls the GRU and renders only the picked frames, as the
   * authors' code (sample_images) does: D_I's gradient is then not tied to the clips D_V judges.
   */
  imageBatch: "clips" | "own";
  /** D_V sees each clip 2×2 average-pooled (DVD-GAN, Clark et al. 2019): a quarter of its cost, one stage fewer. */
  dVideoHalfRes: boolean;
  /**
   * D_I's channels as a multiple of `width` (1: the same). D_I judges only the picked frames (B·imageFrames) where
   * G renders B·T and D_V convolves whole clips, so a wider D_I costs little and can ask more of each frame's strokes.
   */
  imageDWidth: number;
  /** D_V's channels as a multiple of `width` (1: the published ndf). */
  videoDWidth: number;
  /**
   * G's channels as a multiple of `width` (1: the same as D_V's). At a narrow width a step's cost is mostly per-op
   * overhead, so a wider image generator costs little more time and has more channels to draw digits with.
   */
  generatorWidth: number;
  /** A bias on G's output layer (the published layer has none): one number lets G find the black background. */
  outputBias: boolean;
}

export const defaultMocoganConfig: MocoganConfig = {
  frames: 16, // published video_length (training clips and the video discriminator's input)
  size: 64, // published image_size
  channels: 3, // published n_channels
  width: 1, // 1 = published ngf = ndf = 64
  contentDim: 50, // published dim_z_content
  motionDim: 10, // published dim_z_motion (also the GRU's hidden size)
  maxFrames: 64, // motion noise drawn by sampleLatent: enough to unroll 4× the trained length
  initStd: 0.02, // DCGAN's N(0, 0.02) (the published code keeps PyTorch's per-layer defaults)
  loss: "bce", // published: BCEWithLogits on both discriminators, non-saturating G loss
  gpWeight: 0, // not used in the paper
  r1Gamma: 0, // not used in the paper
  spectralNorm: false, // not used in the paper
  dBatchNorm: true, // published discriminators have BN on all but the first layer
  imageFrames: 1, // published: one random frame per clip
  imageBatch: "clips", // one generator pass serves both discriminators (the authors' code draws a separate batch)
  dVideoHalfRes: false, // published: D_V sees full-resolution clips
  outputBias: false, // published: ConvTranspose2d(ngf, n_channels, 4, 2, 1, bias=False)
  imageDWidth: 1, // published: ndf for both discriminators
  videoDWidth: 1, // published: ndf
  generatorWidth: 1, // published: ngf = ndf
};

export class Mocogan implements VideoGan<MocoganConfig> {
  readonly kind = "mocogan";
  readonly shape: VideoGan["shape"];
  readonly generatorVars: tf.Variable[];
  readonly discriminatorVars: tf.Variable[];
  // Published: Adam(lr 2e-4, β = (0.5, 0.999), weight decay 1e-5) for all three networks, 1:1 updates.
  // AdamSettings has no weight decay; at 1e-5 its effect is negligible over typical run lengths.
  readonly optim = {
    generator: dcganAdam,
    discriminator: dcganAdam,
    nCritic: 1,
  };
  private readonly params: ModelParams;
  private readonly gru: GruCell;
  private readonly stem: Dense;
  private readonly stemBn: BatchNorm;
  private readonly up: UpStack2d;
  private readonly out: Conv2dTranspose;
  private readonly top: number;
  private readonly imageD: FrameDiscriminator;
  private readonly videoBody: DownStack<tf.Tensor5D>;
  private readonly videoHead: Conv3d;
  /** Frames per clip while warming up as an image GAN (setImageWarmup); 0: training on whole clips. */
  private warmupFrames = 0;

  constructor(readonly config: MocoganConfig, seed: number) {
    const c = config;
    checkShapeConfig(c);
    this.shape = { frames: c.frames, height: c.size, width: c.size, channels: c.channels };
    this.params = new ModelParams(seed);
    const init: Init = { kind: "normal", std: c.initStd };
    const levels = spatialLevels(c.size);
    const g = this.params.g;
    this.gru = new GruCell(g, "motion", c.motionDim, c.motionDim);
    if (!(c.generatorWidth > 0)) throw new Error(`generatorWidth must be positive, got ${c.generatorWidth}`);
    const ngf = scaled(64, c.width * c.generatorWidth);
    this.top = ngf * 2 ** (levels - 1); // 512 at 64×64
    const chans = Array.from({ length: levels }, (_, i) => this.top / 2 ** i); // 512, 256, 128, 64
    // Published first layer: a 4×4 transposed conv from a 1×1 input, i.e. a dense layer.
    this.stem = new Dense(g.scope("image"), "stem", c.contentDim + c.motionDim, 16 * this.top, { bias: false, init });
    this.stemBn = new BatchNorm(g.scope("image"), "stemBn", this.top);
    this.up = new UpStack2d(g, "image", chans, init);
    this.out = new Conv2dTranspose(g, "out", ngf, c.channels, { kernel: 4, strides: 2, pad: "same" }, { bias: c.outputBias, init });

    const d = this.params.d;
    if (!(c.videoDWidth > 0)) throw new Error(`videoDWidth must be positive, got ${c.videoDWidth}`);
    const ndf = scaled(64, c.width * c.videoDWidth);
    const dOpts = { init, batchNorm: c.dBatchNorm, spectralNorm: c.spectralNorm };
    // PatchImageDiscriminator: three stride-2 convs, then a stride-2 conv to one logit per patch.
    if (!(c.imageDWidth > 0)) throw new Error(`imageDWidth must be positive, got ${c.imageDWidth}`);
    this.imageD = new FrameDiscriminator(d, c.channels, scaled(64, c.width * c.imageDWidth), dOpts);
    // VideoDiscriminator: stride (1, 2, 2), padding (0, 1, 1) convs down to 4×4, then a valid 4×4×4 conv.
    // Time kernels shrink to what is left so clips shorter than 13 frames still fit.
    // At half resolution one stage fewer reaches the same 4×4 (the clip is pooled first).
    checkFramesPerClip("imageFrames", c.imageFrames, 1, c.frames);
    const vLevels = c.dVideoHalfRes ? levels - 1 : levels;
    if (vLevels < 1) throw new Error(`dVideoHalfRes needs frames of at least 16×16, got ${c.size}`);
    const vChans = Array.from({ length: vLevels }, (_, i) => ndf * 2 ** i);
    const kt: number[] = [];
    let t = c.frames;
    for (let i = 0; i <= vLevels; i++) {
      kt.push(Math.min(4, t));
      t -= kt[i] - 1;
    }
    this.videoBody = downStack3d(d, "video", c.channels, vChans, (i) => ({ kernel: [kt[i], 4, 4], strides: [1, 2, 2], pad: [0, 1, 1] }), dOpts);
    this.videoHead = new Conv3d(d, "videoHead", vChans[vLevels - 1], 1, { kernel: [kt[vLevels], 4, 4], pad: "valid" }, { bias: false, init, spectralNorm: c.spectralNorm });
    this.generatorVars = g.trainable();
    this.discriminatorVars = d.trainable();
  }

  stateVars(): Map<string, tf.Variable> {
    return this.params.stateVars();
  }

  /** Content, initial GRU state and `config.maxFrames` steps of motion noise, all N(0, I). */
  sampleLatent(n: number, seed: number): Latent {
    return this.sampleLatentFrames(n, seed, this.config.maxFrames);
  }

  /**
   * Like sampleLatent with exactly `frames` noise steps. Step t's noise has its own seed, so a longer
   * latent from the same seed extends a shorter one: the first frames of the videos agree.
   */
  sampleLatentFrames(n: number, seed: number, frames: number): Latent {
    const c = this.config;
    return tf.tidy(() => {
      const steps = Array.from({ length: frames }, (_, t) => normal([n, c.motionDim], subSeed(seed, `motion${t}`)));
      return {
        content: normal([n, c.contentDim], subSeed(seed, "content")), // [B, dC]
        h0: normal([n, c.motionDim], subSeed(seed, "h0")), // [B, dM]
        motionNoise: tf.stack(steps, 1), // [B, frames, dM]
      };
    });
  }

  /** n videos sharing one content code (video 0's) with independent motion: "same subject, new motion". */
  sampleFixedContent(n: number, seed: number, frames = this.config.maxFrames): Latent {
    return tf.tidy(() => {
      const latent = this.sampleLatentFrames(n, seed, frames);
      const first = tf.slice(latent.content, [0, 0], [1, this.config.contentDim]);
      return { ...latent, content: tf.tile(first, [n, 1]) };
    });
  }

  /** Videos of `frames` frames (default: trained length; any length up to the latent's noise steps). */
  generate(latent: Latent, opts: { training?: boolean; frames?: number } = {}): Video {
    const c = this.config;
    const frames = opts.frames ?? c.frames;
    const training = opts.training ?? false;
    const noise = latent.motionNoise as tf.Tensor3D;
    if (frames > noise.shape[1]) {
      throw new Error(`latent has motion noise for ${noise.shape[1]} frames, ${frames} asked: use sampleLatentFrames(n, seed, ${frames})`);
    }
    return tf.tidy(() => {
      const b = noise.shape[0];
      const images = this.renderFrames(this.frameCodes(latent, frames), training); // [B·T, H, W, C]
      return tf.reshape(images, [b, frames, c.size, c.size, c.channels]) as Video;
    });
  }

  /** Per-frame codes [z_C, z_M⁽ᵗ⁾] for `frames` frames: [B, T, dC + dM]. */
  private frameCodes(latent: Latent, frames: number): tf.Tensor3D {
    const c = this.config;
    return tf.tidy(() => {
      const b = latent.content.shape[0];
      const motion = this.gru.unroll(latent.motionNoise as tf.Tensor3D, latent.h0 as tf.Tensor2D, frames); // [B, T, dM]
      const content = tf.broadcastTo(tf.reshape(latent.content, [b, 1, c.contentDim]), [b, frames, c.contentDim]);
      return tf.concat([content, motion], 2) as tf.Tensor3D;
    });
  }

  /** The image generator: codes [..., dC + dM] → frames [N, H, W, C] (N = all leading axes). */
  private renderFrames(codes: tf.Tensor, training: boolean): tf.Tensor4D {
    const c = this.config;
    return tf.tidy(() => {
      const z = tf.reshape(codes, [-1, c.contentDim + c.motionDim]) as tf.Tensor2D; // [N, dC + dM]
      const n = z.shape[0];
      let h = tf.reshape(this.stem.apply(z, training), [n, 4, 4, this.top]) as tf.Tensor4D;
      h = this.up.apply(tf.relu(this.stemBn.apply(h, training)), training); // [N, H/2, W/2, ngf]
      return tf.tanh(this.out.apply(h, training)); // [N, H, W, C]
    });
  }

  /**
   * D_I's fake frames for one update: `imageFrames` per clip, either picked from `clips` or (imageBatch "own")
   * rendered alone from a latent of their own, the GRU unrolled only as far as the last frame picked.
   */
  private fakeImages(clips: Video, seed: number): tf.Tensor4D {
    const c = this.config;
    if (c.imageBatch === "clips") return pickFrames(clips, c.imageFrames, subSeed(seed, "fakeFrames"));
    return this.ownImages(clips.shape[0], c.imageFrames, seed);
  }

  /** k frames of each of b clips of their own, the GRU unrolled only as far as the last frame picked: [B·k, H, W, C]. */
  private ownImages(b: number, k: number, seed: number): tf.Tensor4D {
    const c = this.config;
    return tf.tidy(() => {
      const picks = frameIndices(b, c.frames, k, subSeed(seed, "imageFrames"));
      const last = Math.max(...picks.map((p) => p % c.frames)) + 1;
      const codes = this.frameCodes(this.sampleLatentFrames(b, subSeed(seed, "images"), last), last); // [B, last, dC + dM]
      const flat = tf.reshape(codes, [b * last, -1]);
      const rows = picks.map((p) => Math.floor(p / c.frames) * last + (p % c.frames));
      return this.renderFrames(tf.gather(flat, tf.tensor1d(rows, "int32")), true); // [B·k, H, W, C]
    });
  }

  /** Image discriminator: patch logits [N, P] for frames [N, H, W, C]. */
  discriminateImages(images: tf.Tensor4D, training: boolean): tf.Tensor2D {
    return this.imageD.apply(images, training);
  }

  /** Video discriminator: logits [B, K] for clips [B, T, H, W, C]. */
  discriminateVideos(video: Video, training: boolean): tf.Tensor2D {
    return tf.tidy(() => {
      const input = this.config.dVideoHalfRes ? halveFrames(video) : video; // [B, T, H/2, W/2, C]
      const h = this.videoHead.apply(this.videoBody.apply(input, training), training); // [B, T', 1, 1, 1]
      return tf.reshape(h, [video.shape[0], -1]) as tf.Tensor2D;
    });
  }

  setImageWarmup(framesPerClip: number): void {
    checkFramesPerClip("image warm-up frames per clip", framesPerClip, 0, this.config.frames);
    this.warmupFrames = framesPerClip;
  }

  discriminatorLoss(real: Video, seed: number): LossTerms {
    checkVideo(real, this.config, "MoCoGAN real batch");
    if (this.warmupFrames > 0) {
      // An image GAN on single frames: G renders only the judged frames and D_V rests.
      return tidyTerms(() => {
        const k = this.warmupFrames;
        return combineTerms({ image: this.imageTerms(real, k, this.ownImages(real.shape[0], k, seed), seed) }, "image");
      });
    }
    return tidyTerms(() => {
      const b = real.shape[0];
      const fake = this.generate(this.sampleLatentFrames(b, seed, this.config.frames), { training: true });
      const dV = (x: tf.Tensor): tf.Tensor => this.discriminateVideos(x as Video, true);
      return combineTerms(
        {
          image: this.imageTerms(real, this.config.imageFrames, this.fakeImages(fake, seed), seed),
          video: discriminatorTerms(dV, real, fake, this.config, subSeed(seed, "video")),
        },
        "video",
      );
    });
  }

  /** D_I's terms: k real frames picked from each clip of `real` against the fake frames given. */
  private imageTerms(real: Video, k: number, fakeFrames: tf.Tensor4D, seed: number): LossTerms {
    return frameTerms((x) => this.discriminateImages(x, true), real, k, fakeFrames, this.config, seed);
  }

  generatorLoss(batchSize: number, seed: number): LossTerms {
    if (this.warmupFrames > 0) {
      return tidyTerms(() => {
        const logits = this.discriminateImages(this.ownImages(batchSize, this.warmupFrames, seed), true);
        const imageLoss = generatorLoss(this.config.loss, logits);
        return { loss: imageLoss, fakeScore: meanOf(logits), extras: { imageLoss } };
      });
    }
    return tidyTerms(() => {
      const fake = this.generate(this.sampleLatentFrames(batchSize, seed, this.config.frames), { training: true });
      const imageLogits = this.discriminateImages(this.fakeImages(fake, seed), true);
      const videoLogits = this.discriminateVideos(fake, true);
      const imageLoss = generatorLoss(this.config.loss, imageLogits);
      const videoLoss = generatorLoss(this.config.loss, videoLogits);
      return { loss: tf.add(imageLoss, videoLoss) as tf.Scalar, fakeScore: meanOf(videoLogits), extras: { imageLoss, videoLoss } };
    });
  }

  dispose(): void {
    this.params.dispose();
  }
}

export function createMocogan(overrides: Partial<MocoganConfig> = {}, seed = 0): Mocogan {
  return new Mocogan({ ...defaultMocoganConfig, ...overrides }, seed);
}
