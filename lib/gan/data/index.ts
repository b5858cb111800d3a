// Training data for video GANs: synthetic datasets drawn on the fly, and clips from a user's own video.
export type { VideoDataset, VideoShape, DatasetKind } from "./types";
export { createDataset, type MovingMnistOptions } from "./create";
export { MovingMnist, defaultMovingMnistConfig, type MovingMnistConfig, type MovingMnistLabels } from "./moving-mnist";
export { BouncingShapes, defaultBouncingShapesConfig, type BouncingShapesConfig, type ShapeKind } from "./bouncing-shapes";
export { ClipSampler, defaultClipSamplerConfig, type ClipSamplerConfig } from "./video-clips";
export { decodeVideoFile, type DecodeOptions } from "./video-decode";
export { loadDigits, DIGITS_URL, DIGITS_PATH, type DigitSource } from "./mnist-load";
export type { DigitSet } from "./mnist-asset";
export type { DigitSplit } from "./digit-pool";
export { createRng, type Rng } from "./rng";
