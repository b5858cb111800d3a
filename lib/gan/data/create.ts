// Builds a synthetic dataset by name, as a notebook cell names it: createDataset("moving-mnist", { size: 32 }, seed).
import { BouncingShapes, type BouncingShapesConfig } from "./bouncing-shapes";
import type { DigitSet } from "./mnist-asset";
import { loadDigits, type DigitSource } from "./mnist-load";
import { MovingMnist, type MovingMnistConfig } from "./moving-mnist";
import type { DatasetKind, VideoDataset } from "./types";

export interface MovingMnistOptions extends Partial<MovingMnistConfig> {
  /** Digits already loaded (shared between datasets); otherwise they are loaded from `source`. */
  digitSet?: DigitSet;
  /** Where to load the digit asset from (see loadDigits); defaults to the built file or static URL. */
  source?: DigitSource;
}

export function createDataset(kind: "moving-mnist", options?: MovingMnistOptions, seed?: number): Promise<MovingMnist>;
export function createDataset(
  kind: "bouncing-shapes",
  options?: Partial<BouncingShapesConfig>,
  seed?: number,
): Promise<BouncingShapes>;
export function createDataset(
  kind: DatasetKind,
  options?: MovingMnistOptions | Partial<BouncingShapesConfig>,
  seed?: number,
): Promise<VideoDataset>;
export async function createDataset(
  kind: DatasetKind,
  options: MovingMnistOptions | Partial<BouncingShapesConfig> = {},
  seed = 0,
): Promise<VideoDataset> {
  switch (kind) {
    case "moving-mnist": {
      const { digitSet, source, ...config } = options as MovingMnistOptions;
      return new MovingMnist(digitSet ?? (await loadDigits(source)), config, seed);
    }
    case "bouncing-shapes":
      return new BouncingShapes(options as Partial<BouncingShapesConfig>, seed);
    default: {
      const unknown: never = kind;
      throw new Error(`unknown dataset kind: ${String(unknown)}`);
    }
  }
}
