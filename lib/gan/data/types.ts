// What every training data source gives the trainer: fixed-shape batches of real videos.
import type * as tf from "@tensorflow/tfjs-core";

export interface VideoShape {
  frames: number;
  height: number;
  width: number;
  channels: number;
}

export interface VideoDataset {
  readonly shape: VideoShape;
  /** n videos [n, T, H, W, C] in [-1, 1]; the caller owns (and disposes) the tensor. */
  nextBatch(n: number): tf.Tensor5D;
  /** Restarts the stream: after reset(s), batches repeat those of a dataset created with seed s. */
  reset?(seed: number): void;
}

/** Synthetic datasets whose batches are drawn on the fly. */
export type DatasetKind = "moving-mnist" | "bouncing-shapes";
