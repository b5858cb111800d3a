// Package entry. "./ops" must stay the first import: it registers the gradients and kernel fixes every
// model and the trainer rely on. Node-only pieces (the checkpoint folder handler) are imported from their own
// paths so this entry stays safe for a browser worker.
import "./ops";

export * from "./types";
export { initBackend } from "./backend";
export { createModel, defaultConfigs, isModelKind, modelKinds, tinyWidth, type ModelKind, type ModelConfigs } from "./models";
export * from "./losses";
export { createDataset, ClipSampler, loadDigits, type VideoDataset, type DatasetKind } from "./data";
export { train, createTrainState, type StepMetrics, type TrainOptions, type TrainResult, type TrainState } from "./train";
export type { EmaSettings, EmaHalfLife } from "./train/ema";
export { fit, attachTrainState, attachedTrainState, type FitOptions, type FitResult } from "./fit";
export { sample, interpolate, fixedContent, varyLatent, slerp, generateFrom, type SampleOptions } from "./sample";
export { saveCheckpoint, loadCheckpoint, checkpointMeta, type CheckpointMeta } from "./checkpoint";
export { trackerCheckpoint, latestCheckpoint } from "./checkpoint/http";
export {
  pretrained,
  modelFromCheckpoint,
  type Pretrained,
  type PretrainedOptions,
  type PretrainedMetrics,
  type PretrainedEvaluation,
} from "./pretrained";
export { videoStats, statsOf, statsGap, type VideoStats } from "./stats";
export { videoToGif, videoToFilmstrip, videoToFile, videoToFrames, encodeGif } from "./video";
export {
  evaluateVideoGan,
  disposeVideoMetrics,
  type EvaluateOptions,
  type VideoMetrics,
  type VideoScores,
} from "./metrics/evaluate";
export { frechetDistance, fitGaussian, type Gaussian } from "./metrics/frechet";
