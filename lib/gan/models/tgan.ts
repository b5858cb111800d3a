// TGAN — M. Saito, E. Matsumoto, S. Saito, "Temporal Generative Adversarial Nets with Singular Value
// Clipping", ICCV 2017 (arXiv:1611.06624). Layer sizes, initialisation, latent law and the clipping
// rules follow the authors' Chainer code (github.com/pfnet-research/tgan, Moving-MNIST/UCF-101 configs).
//
// A temporal generator G0 turns one latent z0 into T per-frame latents z1ᵗ with 1-D transposed
// convolutions over time; an image generator G1 renders each frame from (z0, z1ᵗ); a 3-D conv critic
// scores clips. Trained as a WGAN whose Lipschitz bound comes from singular value clipping. Not in the paper and
// off by default: a second critic of single frames (frames.ts, `imageFrames`).
import "../ops";
import * as tf from "@tensorflow/tfjs-core";
import type { AdamSettings, Latent, LossTerms, Video, VideoGan } from "../types";
import { BatchNorm } from "../layers/batchnorm";
import { Conv2d, Conv2dTranspose } from "../layers/conv2d";
import { Dense } from "../layers/dense";
import { Init } from "../layers/params";
import { clipBatchNormGamma, clipSingularValues } from "../layers/svc";
import { generatorLoss } from "../losses";
import { subSeed, uniform } from "../random";
import { DownStack, UpStack2d, downStack3d, halveFrames, mbstdChannels, minibatchStdDev } from "./blocks";
import { FrameDiscriminator, FrameDiscriminatorConfig, frameGeneratorLoss, optionalFrameDiscriminator, withFrameTerms } from "./frames";
import { DiscriminatorObjective, ModelParams, VideoShapeConfig, checkShapeConfig, checkVideo, discriminatorTerms, meanOf, tidyTerms, scaled, spatialLevels, temporalLevels } from "./common";

export interface TganConfig extends VideoShapeConfig, DiscriminatorObjective, FrameDiscriminatorConfig {
  zSlow: number;
  zFast: number;
  svc: boolean;
  svcInterval: number;
  spectralNorm: boolean;
  dBatchNorm: boolean;
  initScale: number;
  /** The critic sees each clip 2×2 average-pooled (DVD-GAN): a quarter of its cost, one stage fewer. */
  dVideoHalfRes: boolean;
  /** Minibatch standard deviation before the critic's head (ProGAN), over groups of this many clips; 0: off. */
  mbstdGroup: number;
}

export const defaultTganConfig: TganConfig = {
  frames: 16, // the paper generates 16-frame clips
  size: 64, // 64×64 frames in the paper
  channels: 3, // UCF-101 is colour (Moving MNIST: 1)
  width: 1, // 1 = the paper's channel counts (critic 64→512, generators 512→32)
  zSlow: 100, // K0 = 100: the clip-level latent z0
  zFast: 100, // K1 = 100: each frame's latent z1ᵗ from the temporal generator
  loss: "wgan", // the paper trains a WGAN critic
  gpWeight: 0, // the Lipschitz bound comes from SVC, not a gradient penalty
  r1Gamma: 0, // not used in the paper
  svc: true, // singular value clipping: the paper's method for a stable WGAN
  svcInterval: 5, // published configs clip every 5 iterations (clipping needs an SVD per layer)
  spectralNorm: false, // SN came later (Miyato et al. 2018); see tganHingeSpectralNorm
  dBatchNorm: true, // the published critic has BN, its γ clipped by the SVC rules
  initScale: 0.01, // published configs initialise every layer from U(−0.01, 0.01)
  dVideoHalfRes: false, // published: the critic sees full-resolution clips
  mbstdGroup: 0, // not in the paper (ProGAN came later)
  imageFrames: 0, // not in the paper: one critic, of clips
  imageDWidth: 1,
};

/** The "hinge + spectral norm" variant: SN replaces SVC and the critic's batch norms. */
export const tganHingeSpectralNorm: Partial<TganConfig> = { loss: "hinge", svc: false, spectralNorm: true, dBatchNorm: false };

// Chainer's BatchNormalization defaults (eps 2e-5, decay 0.9): the published code keeps them.
const BN = { eps: 2e-5, momentum: 0.1 };

/** G0: z0 [B, zSlow] → z1 [B, T, zFast] with stride-2 1-D transposed convs (4-tap kernels). */
class TemporalGenerator {
  private readonly stem: Dense;
  private readonly stemBn: BatchNorm;
  private readonly ups: { conv: Conv2dTranspose; bn?: BatchNorm }[] = [];
  private readonly t0: number;
  private readonly c0: number;

  constructor(store: ModelParams["g"], c: TganConfig, init: Init) {
    const s = store.scope("temporal");
    const levels = temporalLevels(c.frames, 16);
    this.t0 = c.frames / 2 ** levels;
    this.c0 = scaled(512, c.width);
    // Published: a kernel-1 deconv lifts z0 to 512 channels at length 1 (a dense layer); "no beta" BNs.
    this.stem = new Dense(s, "dc0", c.zSlow, this.t0 * this.c0, { bias: false, init });
    this.stemBn = new BatchNorm(s, "bn0", this.c0, { ...BN, center: false });
    const hidden = [256, 128, 128].map((ch) => scaled(ch, c.width));
    const n = Math.max(levels, 1);
    let inCh = this.c0;
    for (let i = 0; i < n; i++) {
      const last = i === n - 1;
      const outCh = last ? c.zFast : hidden[Math.min(i, hidden.length - 1)];
      const spec = { kernel: [4, 1] as [number, number], strides: [i < levels ? 2 : 1, 1] as [number, number], pad: "same" as const };
      const conv = new Conv2dTranspose(s, `dc${i + 1}`, inCh, outCh, spec, { bias: last, init });
      this.ups.push({ conv, bn: last ? undefined : new BatchNorm(s, `bn${i + 1}`, outCh, { ...BN, center: false }) });
      inCh = outCh;
    }
  }

  apply(z: tf.Tensor2D, training: boolean): tf.Tensor3D {
    const b = z.shape[0];
    let h = tf.reshape(this.stem.apply(z, training), [b, this.t0, 1, this.c0]) as tf.Tensor4D; // [B, T0, 1, C]
    h = tf.relu(this.stemBn.apply(h, training));
    for (const { conv, bn } of this.ups) {
      const y = conv.apply(h, training); // [B, 2t, 1, C']
      h = bn ? tf.relu(bn.apply(y, training)) : tf.tanh(y);
    }
    return tf.reshape(h, [b, -1, h.shape[3]]) as tf.Tensor3D; // [B, T, zFast]
  }
}

/** G1: (z0, z1ᵗ) per frame → image [N, H, W, C]; two dense stems concatenated at 4×4. */
class ImageGenerator {
  private readonly slow: Dense;
  private readonly fast: Dense;
  private readonly slowBn: BatchNorm;
  private readonly fastBn: BatchNorm;
  private readonly up: UpStack2d;
  private readonly out: Conv2d;
  private readonly half: number;

  constructor(store: ModelParams["g"], c: TganConfig, init: Init) {
    const s = store.scope("image");
    const levels = spatialLevels(c.size);
    const top = scaled(32, c.width) * 2 ** levels; // 512 at 64×64: halves each level down to 32
    this.half = top / 2;
    this.slow = new Dense(s, "l0s", c.zSlow, 16 * this.half, { bias: false, init });
    this.fast = new Dense(s, "l0f", c.zFast, 16 * this.half, { bias: false, init });
    this.slowBn = new BatchNorm(s, "bn0s", 16 * this.half, BN); // per feature, as Chainer's BN on a Linear
    this.fastBn = new BatchNorm(s, "bn0f", 16 * this.half, BN);
    const channels = Array.from({ length: levels + 1 }, (_, i) => top / 2 ** i);
    this.up = new UpStack2d(s, "up", channels, init, BN);
    // Published: a final 3×3 stride-1 deconv to the image channels (same function class as a 3×3 conv).
    this.out = new Conv2d(s, "out", channels[levels], c.channels, { kernel: 3, pad: "same" }, { init });
  }

  apply(zSlow: tf.Tensor2D, zFast: tf.Tensor2D, training: boolean): tf.Tensor4D {
    const n = zSlow.shape[0];
    const hs = tf.relu(this.slowBn.apply(this.slow.apply(zSlow, training), training));
    const hf = tf.relu(this.fastBn.apply(this.fast.apply(zFast, training), training));
    const h = tf.concat([tf.reshape(hs, [n, 4, 4, this.half]), tf.reshape(hf, [n, 4, 4, this.half])], 3) as tf.Tensor4D; // [N, 4, 4, top]
    return tf.tanh(this.out.apply(this.up.apply(h, training), training)); // [N, H, W, C]
  }
}

export class Tgan implements VideoGan<TganConfig> {
  readonly kind = "tgan";
  readonly shape: VideoGan["shape"];
  readonly generatorVars: tf.Variable[];
  readonly discriminatorVars: tf.Variable[];
  readonly optim: { generator: AdamSettings; discriminator: AdamSettings; nCritic: number };
  private readonly params: ModelParams;
  private readonly g0: TemporalGenerator;
  private readonly g1: ImageGenerator;
  private readonly dBody: DownStack<tf.Tensor5D>;
  private readonly dHead: Conv2d;
  private readonly frameD?: FrameDiscriminator;
  /** Critic updates so far: a saved variable, so a resumed run clips on the same steps as an uninterrupted one. */
  private readonly criticSteps: tf.Variable;

  constructor(readonly config: TganConfig, seed: number) {
    const c = config;
    checkShapeConfig(c);
    this.shape = { frames: c.frames, height: c.size, width: c.size, channels: c.channels };
    this.params = new ModelParams(seed);
    const init: Init = { kind: "uniform", scale: c.initScale };
    this.g0 = new TemporalGenerator(this.params.g, c, init);
    this.g1 = new ImageGenerator(this.params.g, c, init);
    const levels = spatialLevels(c.size) - (c.dVideoHalfRes ? 1 : 0); // stages down to 4×4
    if (levels < 1) throw new Error(`dVideoHalfRes needs frames of at least 16×16, got ${c.size}`);
    const chans = Array.from({ length: levels }, (_, i) => scaled(64, c.width) * 2 ** i); // 64 → 512 at 64×64
    const dOpts = { init, batchNorm: c.dBatchNorm, spectralNorm: c.spectralNorm, bn: { ...BN, center: false } };
    this.dBody = downStack3d(this.params.d, "body", c.channels, chans, () => ({ kernel: 4, strides: 2, pad: "same" }), dOpts);
    // Published head: a 4×4 2-D conv applied to every remaining time step (one score per step). No bias:
    // a critic's constant offset cancels between the real and fake terms, so it would never train.
    this.dHead = new Conv2d(this.params.d, "head", chans[levels - 1] + mbstdChannels(c.mbstdGroup), 1, { kernel: 4, pad: "valid" }, { bias: false, init, spectralNorm: c.spectralNorm });
    this.frameD = optionalFrameDiscriminator(this.params.d, c, dOpts);
    this.criticSteps = this.params.d.variable("svc_steps", [], { kind: "constant", value: 0 }, false);
    this.generatorVars = this.params.g.trainable();
    this.discriminatorVars = this.params.d.trainable();
    // Published: RMSProp, lr 5e-5 (WGAN's setting) and one critic step per generator step. AdamSettings
    // cannot say RMSProp; Adam with β1 = 0 is RMSProp with bias correction (β2 = Chainer's ρ = 0.99).
    const rms: AdamSettings = { learningRate: 5e-5, beta1: 0, beta2: 0.99 };
    this.optim = { generator: rms, discriminator: rms, nCritic: 1 };
  }

  stateVars(): Map<string, tf.Variable> {
    return this.params.stateVars();
  }

  /** z0 ~ U(−1, 1)^zSlow, as in the published updater. */
  sampleLatent(n: number, seed: number): Latent {
    return tf.tidy(() => ({ z: uniform([n, this.config.zSlow], subSeed(seed, "z"), -1, 1) }));
  }

  generate(latent: Latent, opts: { training?: boolean; frames?: number } = {}): Video {
    const c = this.config;
    if (opts.frames !== undefined && opts.frames !== c.frames) throw new Error(`TGAN generates exactly ${c.frames} frames`);
    const training = opts.training ?? false;
    return tf.tidy(() => {
      const z = latent.z as tf.Tensor2D; // [B, zSlow]
      const b = z.shape[0];
      const zFast = this.g0.apply(z, training); // [B, T, zFast]
      const zSlowPerFrame = tf.reshape(tf.broadcastTo(tf.reshape(z, [b, 1, c.zSlow]), [b, c.frames, c.zSlow]), [b * c.frames, c.zSlow]);
      const frames = this.g1.apply(zSlowPerFrame as tf.Tensor2D, tf.reshape(zFast, [b * c.frames, c.zFast]) as tf.Tensor2D, training);
      return tf.reshape(frames, [b, c.frames, c.size, c.size, c.channels]) as Video; // [B, T, H, W, C]
    });
  }

  /** Critic scores [B, T'] (one per remaining time step), before any loss. */
  discriminate(video: Video, training: boolean): tf.Tensor2D {
    return tf.tidy(() => {
      const body = this.dBody.apply(this.config.dVideoHalfRes ? halveFrames(video) : video, training); // [B, T', 4, 4, C]
      const h = minibatchStdDev(body, this.config.mbstdGroup); // [B, T', 4, 4, C (+ 1)]
      const [b, t, hh, ww, ch] = h.shape;
      const s = this.dHead.apply(tf.reshape(h, [b * t, hh, ww, ch]) as tf.Tensor4D, training); // [B·T', 1, 1, 1]
      return tf.reshape(s, [b, t]) as tf.Tensor2D;
    });
  }

  discriminatorLoss(real: Video, seed: number): LossTerms {
    checkVideo(real, this.config, "TGAN real batch");
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
      const fake = this.generate(this.sampleLatent(batchSize, seed), { training: true });
      const score = this.discriminate(fake, true);
      const videoLoss = generatorLoss(c.loss, score);
      if (!this.frameD) return { loss: videoLoss, fakeScore: meanOf(score) };
      const imageLoss = frameGeneratorLoss(this.frameD, fake, c.imageFrames, c.loss, seed);
      return { loss: tf.add(videoLoss, imageLoss) as tf.Scalar, fakeScore: meanOf(score), extras: { imageLoss, videoLoss } };
    });
  }

  /** Singular value clipping every `svcInterval` critic steps (no-op when SVC is off). */
  async afterDiscriminatorStep(): Promise<void> {
    if (!this.config.svc) return;
    const steps = (await this.criticSteps.data())[0] + 1; // one scalar read; clipping reads far more
    tf.tidy(() => this.criticSteps.assign(tf.scalar(steps)));
    if (steps % this.config.svcInterval === 0) await this.clipCritic();
  }

  /** Applies the SVC rules to every critic weight matrix and batch norm now. */
  async clipCritic(): Promise<void> {
    for (const [name, v] of this.params.d.entries()) if (v.trainable && v.rank >= 2 && name.endsWith(".w")) await clipSingularValues(v);
    for (const bn of [...this.dBody.batchNorms, ...(this.frameD?.batchNorms ?? [])]) clipBatchNormGamma(bn);
  }

  dispose(): void {
    this.params.dispose();
  }
}

export function createTgan(overrides: Partial<TganConfig> = {}, seed = 0): Tgan {
  return new Tgan({ ...defaultTganConfig, ...overrides }, seed);
}
