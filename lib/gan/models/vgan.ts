// VGAN — C. Vondrick, H. Pirsiavash, A. Torralba, "Generating Videos with Scene Dynamics", NIPS 2016.
// Sizes, initialisation and the mask penalty follow the authors' Torch code (github.com/cvondrick/videogan).
//
// Two-stream generator: a 3-D transposed-conv stream makes a foreground video f and a mask m (sigmoid),
// a 2-D stream makes one static background image b, and video = m ⊙ f + (1 − m) ⊙ b. An L1 penalty on
// m keeps the mask sparse so the background stream explains what does not move. 3-D conv discriminator; not in
// the paper and off by default, a second discriminator of single frames (frames.ts, `imageFrames`).
import "../ops";
import * as tf from "@tensorflow/tfjs-core";
import type { Latent, LossTerms, Video, VideoGan } from "../types";
import { BatchNorm } from "../layers/batchnorm";
import { Conv2dTranspose } from "../layers/conv2d";
import { Conv3d, Conv3dTranspose } from "../layers/conv3d";
import { Dense } from "../layers/dense";
import { Init, ParamStore } from "../layers/params";
import { generatorLoss } from "../losses";
import { normal, subSeed } from "../random";
import { DownStack, UpStack2d, UpStack3d, downStack3d, halveFrames, mbstdChannels, minibatchStdDev } from "./blocks";
import { FrameDiscriminator, FrameDiscriminatorConfig, frameGeneratorLoss, optionalFrameDiscriminator, withFrameTerms } from "./frames";
import { DiscriminatorObjective, ModelParams, VideoShapeConfig, checkShapeConfig, checkVideo, discriminatorTerms, meanOf, tidyTerms, scaled, spatialLevels, temporalLevels, dcganAdam } from "./common";

export interface VganConfig extends VideoShapeConfig, DiscriminatorObjective, FrameDiscriminatorConfig {
  zDim: number;
  maskL1: number;
  initStd: number;
  spectralNorm: boolean;
  dBatchNorm: boolean;
  /** The discriminator sees each clip 2×2 average-pooled (DVD-GAN): a quarter of its cost, one stage fewer. */
  dVideoHalfRes: boolean;
  /** Minibatch standard deviation before the discriminator's head (ProGAN), over groups of this many clips; 0: off. */
  mbstdGroup: number;
}

export const defaultVganConfig: VganConfig = {
  frames: 16, // our default clip length (the paper uses 32; any multiple of a power of two works)
  size: 64, // 64×64 frames in the paper
  channels: 3, // colour video (Flickr scenes)
  width: 1, // 1 = the paper's channel counts (512 → 64 in both streams)
  zDim: 100, // 100-d latent as in the paper
  maskL1: 0.1, // λ = 0.1: the paper's mask sparsity weight (Torch L1Penalty, mean over elements)
  initStd: 0.01, // published code: N(0, 0.01) for every conv (BN γ ~ N(1, 0.02))
  loss: "bce", // standard GAN (2-way softmax in the code = one logit with sigmoid BCE)
  gpWeight: 0, // not used in the paper
  r1Gamma: 0, // not used in the paper
  spectralNorm: false, // not used in the paper
  dBatchNorm: true, // the paper's discriminator has BN on all but the first layer
  dVideoHalfRes: false, // the paper's discriminator sees full-resolution clips
  mbstdGroup: 0, // not in the paper (ProGAN came later)
  imageFrames: 0, // not in the paper: one discriminator, of clips
  imageDWidth: 1,
};

const G_BN = { gammaInit: { kind: "normal" as const, mean: 1, std: 0.02 } }; // published γ init
const D_BN = { ...G_BN, eps: 1e-3 }; // the discriminator's VolumetricBatchNormalization(…, 1e-3)

export interface VganOutputs {
  video: Video; // [B, T, H, W, C]
  foreground: Video; // [B, T, H, W, C]
  mask: Video; // [B, T, H, W, 1]
  background: tf.Tensor4D; // [B, H, W, C]
}

export class Vgan implements VideoGan<VganConfig> {
  readonly kind = "vgan";
  readonly shape: VideoGan["shape"];
  readonly generatorVars: tf.Variable[];
  readonly discriminatorVars: tf.Variable[];
  // Published: Adam, lr 2e-4, β1 = 0.5 (Torch's default β2 = 0.999), one D step per G step.
  readonly optim = {
    generator: dcganAdam,
    discriminator: dcganAdam,
    nCritic: 1,
  };
  private readonly params: ModelParams;
  private readonly top: number;
  private readonly t0: number;
  private readonly videoStem: Dense;
  private readonly videoStemBn: BatchNorm;
  private readonly videoUp: UpStack3d;
  private readonly fgOut: Conv3dTranspose;
  private readonly maskOut: Conv3dTranspose;
  private readonly staticStem: Dense;
  private readonly staticStemBn: BatchNorm;
  private readonly staticUp: UpStack2d;
  private readonly staticOut: Conv2dTranspose;
  private readonly dBody: DownStack<tf.Tensor5D>;
  private readonly dHead: Conv3d;
  private readonly frameD?: FrameDiscriminator;

  constructor(readonly config: VganConfig, seed: number) {
    const c = config;
    checkShapeConfig(c);
    this.shape = { frames: c.frames, height: c.size, width: c.size, channels: c.channels };
    this.params = new ModelParams(seed);
    const init: Init = { kind: "normal", std: c.initStd };
    const levels = spatialLevels(c.size);
    // Time doubles on the last `tLevels` layers, from t0 frames at the 4×4 bottom (2×4×4 for 32 frames).
    const tLevels = temporalLevels(c.frames, levels);
    this.t0 = c.frames / 2 ** tLevels;
    const timeStrides = Array.from({ length: levels }, (_, i) => (i >= levels - tLevels ? 2 : 1));
    this.top = scaled(64, c.width) * 2 ** (levels - 1); // 512 at 64×64
    const chans = Array.from({ length: levels }, (_, i) => this.top / 2 ** i); // 512, 256, 128, 64
    const g = this.params.g;
    // Published first layers are full convolutions from a 1×1(×1) input: dense layers with reshapes.
    this.videoStem = new Dense(g.scope("video"), "stem", c.zDim, this.t0 * 16 * this.top, { bias: false, init });
    this.videoStemBn = new BatchNorm(g.scope("video"), "stemBn", this.top, G_BN);
    this.videoUp = new UpStack3d(g, "video", chans, timeStrides, init, G_BN);
    const head = { kernel: 4, strides: [timeStrides[levels - 1], 2, 2] as [number, number, number], pad: "same" as const };
    const last = chans[levels - 1];
    this.fgOut = new Conv3dTranspose(g, "foreground", last, c.channels, head, { init });
    this.maskOut = new Conv3dTranspose(g, "mask", last, 1, head, { init });
    this.staticStem = new Dense(g.scope("static"), "stem", c.zDim, 16 * this.top, { bias: false, init });
    this.staticStemBn = new BatchNorm(g.scope("static"), "stemBn", this.top, G_BN);
    this.staticUp = new UpStack2d(g, "static", chans, init, G_BN);
    this.staticOut = new Conv2dTranspose(g, "background", last, c.channels, { kernel: 4, strides: 2, pad: "same" }, { init });
    const dLevels = levels - (c.dVideoHalfRes ? 1 : 0); // stages down to 4×4
    if (dLevels < 1) throw new Error(`dVideoHalfRes needs frames of at least 16×16, got ${c.size}`);
    ({ body: this.dBody, head: this.dHead, frame: this.frameD } = buildDiscriminator(this.params.d, c, init, dLevels));
    this.generatorVars = g.trainable();
    this.discriminatorVars = this.params.d.trainable();
  }

  stateVars(): Map<string, tf.Variable> {
    return this.params.stateVars();
  }

  /** z ~ N(0, I) (Torch's noise:normal()). */
  sampleLatent(n: number, seed: number): Latent {
    return tf.tidy(() => ({ z: normal([n, this.config.zDim], subSeed(seed, "z")) }));
  }

  /** Every stream's output, for inspecting masks and backgrounds. */
  forward(latent: Latent, training = false): VganOutputs {
    const c = this.config;
    return tf.tidy(() => {
      const z = latent.z as tf.Tensor2D; // [B, zDim]
      const b = z.shape[0];
      let v = tf.reshape(this.videoStem.apply(z, training), [b, this.t0, 4, 4, this.top]) as tf.Tensor5D;
      v = this.videoUp.apply(tf.relu(this.videoStemBn.apply(v, training)), training); // [B, T/2, H/2, W/2, 64]
      const foreground = tf.tanh(this.fgOut.apply(v, training)); // [B, T, H, W, C]
      const mask = tf.sigmoid(this.maskOut.apply(v, training)); // [B, T, H, W, 1]
      let s = tf.reshape(this.staticStem.apply(z, training), [b, 4, 4, this.top]) as tf.Tensor4D;
      s = this.staticUp.apply(tf.relu(this.staticStemBn.apply(s, training)), training); // [B, H/2, W/2, 64]
      const background = tf.tanh(this.staticOut.apply(s, training)); // [B, H, W, C]
      const bg = tf.reshape(background, [b, 1, c.size, c.size, c.channels]); // broadcast over time
      const video = tf.add(tf.mul(mask, foreground), tf.mul(tf.sub(1, mask), bg)) as Video;
      return { video, foreground, mask, background };
    });
  }

  generate(latent: Latent, opts: { training?: boolean; frames?: number } = {}): Video {
    if (opts.frames !== undefined && opts.frames !== this.config.frames) throw new Error(`VGAN generates exactly ${this.config.frames} frames`);
    return tf.tidy(() => this.forward(latent, opts.training ?? false).video);
  }

  /** Logits [B, 1]. */
  discriminate(video: Video, training: boolean): tf.Tensor2D {
    return tf.tidy(() => {
      const input = this.config.dVideoHalfRes ? halveFrames(video) : video; // [B, T, H/2, W/2, C] at half resolution
      const h = minibatchStdDev(this.dBody.apply(input, training), this.config.mbstdGroup); // [B, t, 4, 4, C (+ 1)]
      const logits = this.dHead.apply(h, training); // [B, 1, 1, 1, 1]
      return tf.reshape(logits, [video.shape[0], 1]) as tf.Tensor2D;
    });
  }

  discriminatorLoss(real: Video, seed: number): LossTerms {
    checkVideo(real, this.config, "VGAN real batch");
    return tidyTerms(() => {
      const c = this.config;
      const fake = this.generate(this.sampleLatent(real.shape[0], seed), { training: true });
      const video = discriminatorTerms((x) => this.discriminate(x as Video, true), real, fake, c, seed);
      return withFrameTerms(video, this.frameD, real, fake, c.imageFrames, c, seed);
    });
  }

  generatorLoss(batchSize: number, seed: number): LossTerms {
    return tidyTerms(() => {
      const c = this.config;
      const out = this.forward(this.sampleLatent(batchSize, seed), true);
      const logits = this.discriminate(out.video, true);
      const maskL1 = meanOf(tf.abs(out.mask));
      const videoLoss = generatorLoss(c.loss, logits);
      const imageLoss = this.frameD && frameGeneratorLoss(this.frameD, out.video, c.imageFrames, c.loss, seed);
      const adversarial = imageLoss ? tf.add(videoLoss, imageLoss) : videoLoss;
      const loss = tf.add(adversarial, tf.mul(maskL1, c.maskL1)) as tf.Scalar;
      const extras: Record<string, tf.Scalar> = imageLoss ? { maskL1, videoLoss, imageLoss } : { maskL1 };
      return { loss, fakeScore: meanOf(logits), extras };
    });
  }

  dispose(): void {
    this.params.dispose();
  }
}

/**
 * Stride-2 4×4×4 convs (BN + leaky ReLU) down to 4×4, then one valid conv over what is left → 1 logit; and the
 * frame discriminator, with layers of the same kind, when the config asks for one.
 */
function buildDiscriminator(d: ParamStore, c: VganConfig, init: Init, levels: number): { body: DownStack<tf.Tensor5D>; head: Conv3d; frame?: FrameDiscriminator } {
  const chans = Array.from({ length: levels }, (_, i) => scaled(64, c.width) * 2 ** i); // 64 → 512
  const opts = { init, batchNorm: c.dBatchNorm, spectralNorm: c.spectralNorm, bn: D_BN };
  const body = downStack3d(d, "body", c.channels, chans, () => ({ kernel: 4, strides: 2, pad: "same" }), opts);
  let t = c.frames;
  for (let i = 0; i < levels; i++) t = Math.ceil(t / 2); // "same" padding: ⌈t/2⌉ per layer
  const head = new Conv3d(d, "head", chans[levels - 1] + mbstdChannels(c.mbstdGroup), 1, { kernel: [t, 4, 4], pad: "valid" }, { init, spectralNorm: c.spectralNorm });
  return { body, head, frame: optionalFrameDiscriminator(d, c, opts) };
}

export function createVgan(overrides: Partial<VganConfig> = {}, seed = 0): Vgan {
  return new Vgan({ ...defaultVganConfig, ...overrides }, seed);
}
