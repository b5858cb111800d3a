// The two feature networks behind FVD-MM and FID-MM, trained on Moving MNIST itself (the I3D network of FVD and the
// Inception network of FID cannot be loaded here, and would see these 32×32 grey clips as far out of distribution).
//
// ClipNet, a small 3-D CNN on clips [B, 16, 32, 32, 1], learns two things about a clip:
//   digits  — which classes are present: 10 independent sigmoids (multi-label, 1–3 digits per clip);
//   motion  — for each class present, the direction its digit moves in at 4 moments of the clip (frames 2, 6, 10,
//             14 of 16), as one of 8 compass bins: 10 × 4 × 8 logits, a softmax per (class, moment), scored only for
//             classes present exactly once. Directions *at several moments* cannot be read off one frame, and change
//             at each bounce, so the embedding has to follow the digits through time: a clip whose frames are
//             shuffled or frozen lands far from real clips, not only one with wrong-looking digits.
// Its penultimate layer (128 ReLU features) is the FVD-MM embedding.
//
// FrameNet, a 2-D CNN on frames [N, 32, 32, 1], gives a 10-way softmax over digit classes, trained on Moving MNIST
// frames against the share of each class in the frame (a frame with a 3 and a 7 has target ½, ½). Its penultimate
// layer (128 features) is the FID-MM embedding; its max softmax is the digit confidence (≈ 1 for one digit, ≈ ½ for
// two different digits on a real frame: compare a model's figure with the real one beside it).
//
// No batch norm (inference equals training, whatever the batch) and no dropout: both nets are pure functions of
// their weights. Videos of another size are brought to 32×32 first (see toClassifierInput). Both read pixels as
// (x + 1) / 2, so the background is 0: with the [-1, 1] background of −1 every window gave a large constant response
// that drowned the strokes' gradients, and the frame net learned ~5× slower (measured on one-digit frames).
import "../ops";
import * as tf from "@tensorflow/tfjs-core";
import { Conv2d } from "../layers/conv2d";
import { Conv3d } from "../layers/conv3d";
import { Dense } from "../layers/dense";
import { ParamStore, type Init } from "../layers/params";

export interface ClassifierConfig {
  frames: number; // 16: the models' default clip length; longer clips are cut to their first 16 frames
  size: number; // 32: the models' default frame size; larger frames are averaged down
  clipChannels: [number, number, number, number]; // [16, 32, 64, 96]: ~0.33 M weights, ~27 MFLOP per clip
  frameChannels: [number, number, number]; // [16, 32, 64]
  features: number; // 128: the embedding width (the Fréchet covariances are 128 × 128)
  moments: number; // 4: moments of the clip whose direction is predicted
  directionBins: number; // 8: compass bins of 45°
}

export const defaultClassifierConfig: ClassifierConfig = {
  frames: 16,
  size: 32,
  clipChannels: [16, 32, 64, 96],
  frameChannels: [16, 32, 64],
  features: 128,
  moments: 4,
  directionBins: 8,
};

export const DIGIT_CLASSES = 10;

/** [-1, 1] → [0, 1]: background 0. */
const unitRange = <T extends tf.Tensor>(x: T): T => tf.mul(tf.add(x, 1), 0.5);

/** He initialisation for a ReLU layer of the given fan-in. */
const he = (fanIn: number): Init => ({ kind: "normal", std: Math.sqrt(2 / fanIn) });

export class ClipNet {
  private readonly convs: Conv3d[];
  private readonly hidden: Dense;
  private readonly digitHead: Dense;
  private readonly motionHead: Dense;
  private readonly flat: number;

  constructor(readonly store: ParamStore, readonly config: ClassifierConfig) {
    const [c1, c2, c3, c4] = config.clipChannels;
    const k = 27; // 3×3×3 taps
    this.convs = [
      new Conv3d(store, "conv1", 1, c1, { kernel: 3, strides: [1, 2, 2] }, { init: he(k) }), // [B, 16, 16, 16, c1]
      new Conv3d(store, "conv2", c1, c2, { kernel: 3, strides: 2 }, { init: he(k * c1) }), // [B, 8, 8, 8, c2]
      new Conv3d(store, "conv3", c2, c3, { kernel: 3, strides: 2 }, { init: he(k * c2) }), // [B, 4, 4, 4, c3]
      new Conv3d(store, "conv4", c3, c4, { kernel: 3, strides: 2 }, { init: he(k * c3) }), // [B, 2, 2, 2, c4]
    ];
    this.flat = (config.frames / 8) * (config.size / 16) ** 2 * c4;
    this.hidden = new Dense(store, "hidden", this.flat, config.features, { init: he(this.flat) });
    const f = config.features;
    this.digitHead = new Dense(store, "digits", f, DIGIT_CLASSES, { init: he(f) });
    this.motionHead = new Dense(store, "motion", f, DIGIT_CLASSES * config.moments * config.directionBins, { init: he(f) });
  }

  /** [B, 16, 32, 32, 1] in [-1, 1] → [B, features], the FVD-MM embedding (after the ReLU). */
  embed(x: tf.Tensor5D): tf.Tensor2D {
    return tf.tidy(() => {
      let h = unitRange(x);
      for (const conv of this.convs) h = tf.relu(conv.apply(h));
      return tf.relu(this.hidden.apply(tf.reshape(h, [x.shape[0], this.flat]))); // [B, features]
    });
  }

  /** Embedding → digit logits [B, 10] and motion logits [B, 10, moments, bins]. */
  heads(features: tf.Tensor2D): { digits: tf.Tensor2D; motion: tf.Tensor4D } {
    return tf.tidy(() => {
      const { moments, directionBins } = this.config;
      const b = features.shape[0];
      return {
        digits: this.digitHead.apply(features),
        motion: tf.reshape(this.motionHead.apply(features), [b, DIGIT_CLASSES, moments, directionBins]) as tf.Tensor4D,
      };
    });
  }
}

export class FrameNet {
  private readonly convs: Conv2d[];
  private readonly hidden: Dense;
  private readonly head: Dense;
  private readonly flat: number;

  constructor(readonly store: ParamStore, readonly config: ClassifierConfig) {
    const [c1, c2, c3] = config.frameChannels;
    this.convs = [
      new Conv2d(store, "conv1", 1, c1, { kernel: 3, strides: 2 }, { init: he(9) }), // [N, 16, 16, c1]
      new Conv2d(store, "conv2", c1, c2, { kernel: 3, strides: 2 }, { init: he(9 * c1) }), // [N, 8, 8, c2]
      new Conv2d(store, "conv3", c2, c3, { kernel: 3, strides: 2 }, { init: he(9 * c2) }), // [N, 4, 4, c3]
    ];
    this.flat = (config.size / 8) ** 2 * c3;
    this.hidden = new Dense(store, "hidden", this.flat, config.features, { init: he(this.flat) });
    this.head = new Dense(store, "digits", config.features, DIGIT_CLASSES, { init: he(config.features) });
  }

  /** [N, 32, 32, 1] in [-1, 1] → [N, features], the FID-MM embedding. */
  embed(x: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => {
      let h = unitRange(x);
      for (const conv of this.convs) h = tf.relu(conv.apply(h));
      return tf.relu(this.hidden.apply(tf.reshape(h, [x.shape[0], this.flat]))); // [N, features]
    });
  }

  /** Embedding → class logits [N, 10]. */
  logits(features: tf.Tensor2D): tf.Tensor2D {
    return this.head.apply(features);
  }
}

/** Both networks, with their variables in one store ("clip.…", "frame.…"), as saved in lib/gan/metrics/weights. */
export class MetricNets {
  readonly store: ParamStore;
  readonly clip: ClipNet;
  readonly frame: FrameNet;

  constructor(readonly config: ClassifierConfig = defaultClassifierConfig, seed = 0) {
    if (config.frames % 8 !== 0 || config.size % 16 !== 0) throw new Error("classifier frames must be a multiple of 8, size of 16");
    this.store = ParamStore.root(seed, "");
    this.clip = new ClipNet(this.store.scope("clip"), config);
    this.frame = new FrameNet(this.store.scope("frame"), config);
  }

  dispose(): void {
    this.store.dispose();
  }
}

/** Builds the networks (pure: same config and seed, same initial weights). */
export function buildMetricNets(config: Partial<ClassifierConfig> = {}, seed = 0): MetricNets {
  return new MetricNets({ ...defaultClassifierConfig, ...config }, seed);
}

/**
 * Any video batch [B, T, H, W, C] in [-1, 1] as the classifiers' input [B, frames, size, size, 1]: the first
 * `frames` frames (fewer is an error: the clip net's receptive field spans 16 frames), colour averaged to grey, and
 * frames larger than `size` averaged down — by exact k×k box averaging when the side is a multiple (64 → 32 averages
 * 2×2 blocks, which is how Moving MNIST at 64 would look drawn at 32), else by bilinear resampling with half-pixel
 * centres. Smaller frames are enlarged bilinearly.
 */
export function toClassifierInput(video: tf.Tensor5D, config: Pick<ClassifierConfig, "frames" | "size">): tf.Tensor5D {
  const [b, t, h, w, c] = video.shape;
  const { frames, size } = config;
  if (t < frames) throw new Error(`the video metrics need at least ${frames} frames, got ${t}`);
  return tf.tidy(() => {
    let x: tf.Tensor5D = t > frames ? tf.slice(video, [0, 0, 0, 0, 0], [b, frames, h, w, c]) : video;
    if (c !== 1) x = tf.mean(x, 4, true) as tf.Tensor5D;
    if (h === size && w === size) return x.clone();
    let flat = tf.reshape(x, [b * frames, h, w, 1]) as tf.Tensor4D;
    if (h === w && h % size === 0) flat = tf.avgPool(flat, h / size, h / size, "valid");
    else flat = tf.image.resizeBilinear(flat, [size, size], false, true);
    return tf.reshape(flat, [b, frames, size, size, 1]) as tf.Tensor5D;
  });
}
