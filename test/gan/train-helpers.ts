// Shared by the trainer, sampling, checkpoint and learning tests: the cpu backend, tiny models and a tiny dataset.
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "@/lib/gan";
import { nativeLimits } from "@/lib/gan/native/elementwise";
import { createDataset } from "@/lib/gan/data";
import type { VideoDataset } from "@/lib/gan/data/types";
import { createModel, modelKinds, tinyWidth, type ModelKind } from "@/lib/gan/models";
import type { VideoGan } from "@/lib/gan/types";

export { modelKinds, type ModelKind };

const defaultMinSize = nativeLimits.minSize;

export async function useCpu(): Promise<void> {
  await initBackend("cpu");
}

/** The Node backends the training loop is checked on: the reference cpu, and native (oneDNN). */
export const trainingBackends = ["cpu", "native"] as const;

/**
 * Starts a training backend. On native every op goes through oneDNN (its small-tensor cut-off lowered to 1): the
 * tiny models' tensors would otherwise stay on the cpu kernels it inherits.
 */
export async function useBackend(name: (typeof trainingBackends)[number]): Promise<void> {
  const info = await initBackend(name);
  if (info.backend !== name) throw new Error(`${name} did not start: ${info.fallbackReason}`);
  nativeLimits.minSize = name === "native" ? 1 : defaultMinSize;
}

/** A CPU-sized model: 8 frames of 16×16 gray, channels /16. */
export function tinyModel(kind: ModelKind, seed = 1, overrides: Record<string, unknown> = {}): VideoGan {
  return createModel(kind, { frames: 8, size: 16, channels: 1, width: tinyWidth, ...overrides }, seed);
}

/** One-digit Moving MNIST matching tinyModel's shape. */
export function tinyData(seed = 7, size = 16, frames = 8): Promise<VideoDataset> {
  return createDataset("moving-mnist", { size, frames, numDigits: 1 }, seed);
}

export function numTensors(): number {
  return tf.memory().numTensors;
}
