// What a notebook cell sees without importing, as global declarations: for type-checking notebook files
// (experiments/tsconfig.json) and for the editor. Kept out of the project's own tsconfig, where these names would
// leak into every module.
import type * as tfModule from "@tensorflow/tfjs-core";
// The chained tensor methods (`x.mul(2)`) the kernel adds: their declarations augment tfjs-core's Tensor.
import "@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops";
import type * as ganModule from "../gan";
import type { CellApi } from "./cell-api";

declare global {
  /** TensorFlow.js (@tensorflow/tfjs-core): tensors and ops, on the kernel's backend. */
  const tf: typeof tfModule;
  /** The GAN runtime: models, data, training, sampling, video encoding, metrics. */
  const gan: typeof ganModule;
  const config: CellApi["config"];
  const log: CellApi["log"];
  const show: CellApi["show"];
  const progress: CellApi["progress"];
  const sample: CellApi["sample"];
  const checkpoint: CellApi["checkpoint"];
  const restore: CellApi["restore"];
  const evaluate: CellApi["evaluate"];
  const fit: CellApi["fit"];
  const signal: CellApi["signal"];
}

export {};
