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
import { Conv2d, Conv2dTranspose } from "../layers/conv2d";
import { Conv3d } from "../layers/conv3d";
import { Dense } from "../layers/dense";
import { GruCell } from "../layers/gru";
import { Init } from "../layers/params";
import { generatorLoss } from "../losses";
import { normal, randomInts, subSeed } from "../random";
import { DownStack, UpStack2d, downStack2d, downStack3d } from "./blocks";
import { DiscriminatorObjective, ModelParams, VideoShapeConfig, checkShapeConfig, checkVideo, combineTerms, discriminatorTerms, meanOf, tidyTerms, scaled, spatialLevels, dcganAdam } from "./common";

export interface MocoganConfig extends VideoShapeConfig, DiscriminatorObjective {
  contentDim: number;
  motionDim: number;
  maxFrames: number;
  initStd: number;
  spectralNorm: boolean;
  dBatchNorm: boolean;
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
  private readonly imageBody: DownStack<tf.Tensor4D>;
  private readonly imageHead: Conv2d;
  private readonly videoBody: DownStack<tf.Tensor5D>;
  private readonly videoHead: Conv3d;

  constructor(readonly config: MocoganConfig, seed: number) {
    const c = config;
    checkShapeConfig(c);
    this.shape = { frames: c.frames, height: c.size, width: c.size, channels: c.channels };
    this.params = new ModelParams(seed);
    const init: Init = { kind: "normal", std: c.initStd };
    const levels = spatialLevels(c.size);
    const g = this.params.g;
    this.gru = new GruCell(g, "motion", c.motionDim, c.motionDim);
    const ngf = scaled(64, c.width);
    this.top = ngf * 2 ** (levels - 1); // 512 at 64×64
    const chans = Array.from({ length: levels }, (_, i) => this.top / 2 ** i); // 512, 256, 128, 64
    // Published first layer: a 4×4 transposed conv from a 1×1 input, i.e. a dense layer.
    this.stem = new Dense(g.scope("image"), "stem", c.contentDim + c.motionDim, 16 * this.top, { bias: false, init });
    this.stemBn = new BatchNorm(g.scope("image"), "stemBn", this.top);
    this.up = new UpStack2d(g, "image", chans, init);
    this.out = new Conv2dTranspose(g, "out", ngf, c.channels, { kernel: 4, strides: 2, pad: "same" }, { bias: false, init });

    const d = this.params.d;
    const ndf = scaled(64, c.width);
    const dOpts = { init, batchNorm: c.dBatchNorm, spectralNorm: c.spectralNorm };
    // PatchImageDiscriminator: three stride-2 convs, then a stride-2 conv to one logit per patch.
    this.imageBody = downStack2d(d, "image", c.channels, [ndf, 2 * ndf, 4 * ndf], { kernel: 4, strides: 2, pad: "same" }, dOpts);
    this.imageHead = new Conv2d(d, "imageHead", 4 * ndf, 1, { kernel: 4, strides: 2, pad: "same" }, { bias: false, init, spectralNorm: c.spectralNorm });
    // VideoDiscriminator: stride (1, 2, 2), padding (0, 1, 1) convs down to 4×4, then a valid 4×4×4 conv.
    // Time kernels shrink to what is left so clips shorter than 13 frames still fit.
    const vChans = Array.from({ length: levels }, (_, i) => ndf * 2 ** i);
    const kt: number[] = [];
    let t = c.frames;
    for (let i = 0; i <= levels; i++) {
      kt.push(Math.min(4, t));
      t -= kt[i] - 1;
    }
    this.videoBody = downStack3d(d, "video", c.channels, vChans, (i) => ({ kernel: [kt[i], 4, 4], strides: [1, 2, 2], pad: [0, 1, 1] }), dOpts);
    this.videoHead = new Conv3d(d, "videoHead", vChans[levels - 1], 1, { kernel: [kt[levels], 4, 4], pad: "valid" }, { bias: false, init, spectralNorm: c.spectralNorm });
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
      const motion = this.gru.unroll(noise, latent.h0 as tf.Tensor2D, frames); // [B, T, dM]
      const content = tf.broadcastTo(tf.reshape(latent.content, [b, 1, c.contentDim]), [b, frames, c.contentDim]);
      const z = tf.reshape(tf.concat([content, motion], 2), [b * frames, c.contentDim + c.motionDim]) as tf.Tensor2D;
      let h = tf.reshape(this.stem.apply(z, training), [b * frames, 4, 4, this.top]) as tf.Tensor4D;
      h = this.up.apply(tf.relu(this.stemBn.apply(h, training)), training); // [B·T, H/2, W/2, ngf]
      const images = tf.tanh(this.out.apply(h, training)); // [B·T, H, W, C]
      return tf.reshape(images, [b, frames, c.size, c.size, c.channels]) as Video;
    });
  }

  /** Image discriminator: patch logits [N, P] for frames [N, H, W, C]. */
  discriminateImages(images: tf.Tensor4D, training: boolean): tf.Tensor2D {
    return tf.tidy(() => {
      const h = this.imageHead.apply(this.imageBody.apply(images, training), training); // [N, H/16, W/16, 1]
      return tf.reshape(h, [images.shape[0], -1]) as tf.Tensor2D;
    });
  }

  /** Video discriminator: logits [B, K] for clips [B, T, H, W, C]. */
  discriminateVideos(video: Video, training: boolean): tf.Tensor2D {
    return tf.tidy(() => {
      const h = this.videoHead.apply(this.videoBody.apply(video, training), training); // [B, T', 1, 1, 1]
      return tf.reshape(h, [video.shape[0], -1]) as tf.Tensor2D;
    });
  }

  discriminatorLoss(real: Video, seed: number): LossTerms {
    checkVideo(real, this.config, "MoCoGAN real batch");
    return tidyTerms(() => {
      const b = real.shape[0];
      const fake = this.generate(this.sampleLatentFrames(b, seed, this.config.frames), { training: true });
      const dI = (x: tf.Tensor): tf.Tensor => this.discriminateImages(x as tf.Tensor4D, true);
      const dV = (x: tf.Tensor): tf.Tensor => this.discriminateVideos(x as Video, true);
      const realFrames = pickFrames(real, subSeed(seed, "realFrames"));
      const fakeFrames = pickFrames(fake, subSeed(seed, "fakeFrames"));
      return combineTerms(
        {
          image: discriminatorTerms(dI, realFrames, fakeFrames, this.config, subSeed(seed, "image")),
          video: discriminatorTerms(dV, real, fake, this.config, subSeed(seed, "video")),
        },
        "video",
      );
    });
  }

  generatorLoss(batchSize: number, seed: number): LossTerms {
    return tidyTerms(() => {
      const fake = this.generate(this.sampleLatentFrames(batchSize, seed, this.config.frames), { training: true });
      const imageLogits = this.discriminateImages(pickFrames(fake, subSeed(seed, "fakeFrames")), true);
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

/** One random frame of each video: [B, T, H, W, C] → [B, H, W, C] (MoCoGAN's image batch). */
function pickFrames(video: Video, seed: number): tf.Tensor4D {
  const [b, t, h, w, c] = video.shape;
  const picks = randomInts(b, t, seed).map((f, i) => i * t + f);
  return tf.gather(tf.reshape(video, [b * t, h, w, c]), tf.tensor1d(picks, "int32")) as tf.Tensor4D;
}

export function createMocogan(overrides: Partial<MocoganConfig> = {}, seed = 0): Mocogan {
  return new Mocogan({ ...defaultMocoganConfig, ...overrides }, seed);
}
