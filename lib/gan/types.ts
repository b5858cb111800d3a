// The contract between models (lib/gan/models/*), the trainer, sampling and checkpoints.
// Video tensors are channels-last [B, T, H, W, C] with values in [-1, 1].
import type * as tf from "@tensorflow/tfjs-core";

export type Video = tf.Tensor5D; // [B, T, H, W, C]

/** A model's latent input, by name (e.g. TGAN {z}, MoCoGAN {content, motion}). Each tensor's first axis is the batch. */
export type Latent = Record<string, tf.Tensor>;

export interface AdamSettings {
  learningRate: number;
  beta1: number;
  beta2: number;
}

/** What one discriminator or generator loss evaluation gives back (all scalars, created inside the caller's tidy). */
export interface LossTerms extends tf.TensorContainerObject {
  loss: tf.Scalar;
  /** Mean discriminator output on real videos (logit or critic value), for monitoring. */
  realScore?: tf.Scalar;
  /** Mean discriminator output on generated videos. */
  fakeScore?: tf.Scalar;
  /** Extra named scalars to log (gradient penalty, mask sparsity, …). */
  extras?: Record<string, tf.Scalar>;
}

export interface VideoGan<C = unknown> {
  readonly kind: string; // "tgan" | "mocogan" | "vgan"
  readonly config: C;
  /** Frames, height, width, channels of the videos it makes at its trained length. */
  readonly shape: { frames: number; height: number; width: number; channels: number };
  readonly generatorVars: tf.Variable[];
  readonly discriminatorVars: tf.Variable[];
  /** Every variable worth saving (trainable, batch-norm statistics, spectral-norm vectors), by stable unique name. */
  stateVars(): Map<string, tf.Variable>;
  /** Default optimiser settings per network, from the paper. */
  readonly optim: { generator: AdamSettings; discriminator: AdamSettings; nCritic: number };

  /** Draws a latent for n videos; same seed → same latent. */
  sampleLatent(n: number, seed: number): Latent;
  /** Makes videos from a latent. `frames` may exceed the trained length where the model allows it (MoCoGAN). */
  generate(latent: Latent, opts?: { training?: boolean; frames?: number }): Video;
  /** D's loss on a real batch and a fresh fake batch (generator held fixed). Called inside tf.tidy / optimizer.minimize. */
  discriminatorLoss(real: Video, seed: number): LossTerms;
  /** G's loss for a fresh fake batch of the given size. Called inside optimizer.minimize. */
  generatorLoss(batchSize: number, seed: number): LossTerms;
  /** Runs after each discriminator update (e.g. TGAN's singular value clipping, which reads weights back: async
   *  so it does not block a GPU backend). The trainer awaits it. */
  afterDiscriminatorStep?(): void | Promise<void>;
  /**
   * Models with an image generator inside (MoCoGAN) can train it alone first, as an image GAN on single frames:
   * while `framesPerClip` > 0 the losses render and judge only that many frames per clip, and the video
   * discriminator rests; 0 returns to whole clips. fit()'s `imageWarmup` drives it.
   */
  setImageWarmup?(framesPerClip: number): void;
  dispose(): void;
}
