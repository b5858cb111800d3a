// Everything a training run carries between steps besides the model's own variables: the step counter, one Adam per
// network and the optional generator EMA. A checkpoint saves exactly this plus model.stateVars().
import type { VideoGan } from "../types";
import { GeneratorEma, type EmaSettings } from "./ema";
import { createOptimizers, resolveOptimSettings, type GanOptimizers, type OptimOverrides, type OptimSettings } from "./optimizers";

export interface TrainState {
  /** Steps completed so far; the next step to run has this index (0-based). */
  step: number;
  readonly settings: OptimSettings;
  readonly optimizers: GanOptimizers;
  readonly ema?: GeneratorEma;
  /** Frees the optimizers' slots and the EMA shadow (not the model). */
  dispose(): void;
}

export interface TrainStateOptions extends OptimOverrides {
  /**
   * An EMA of the generator's weights: a fixed decay (0.999), or StyleGAN2-ADA's half-life in images with its
   * ramp-up (`{ halfLifeImages: 5000, rampUp: 0.05 }`); absent, 0 or false keeps no EMA.
   */
  ema?: EmaSettings | false;
  /** Start step, for a state built by hand rather than loaded from a checkpoint. */
  step?: number;
}

export function createTrainState(model: VideoGan, opts: TrainStateOptions = {}): TrainState {
  const settings = resolveOptimSettings(model, opts);
  const optimizers = createOptimizers(settings);
  const ema = opts.ema ? new GeneratorEma(model, opts.ema) : undefined;
  return {
    step: opts.step ?? 0,
    settings,
    optimizers,
    ema,
    dispose() {
      optimizers.generator.dispose();
      optimizers.discriminator.dispose();
      ema?.dispose();
    },
  };
}
