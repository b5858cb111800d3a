// Linear learning-rate decay to zero over the last share of a fit. The optimizers keep their base rates in the train
// state's settings (what checkpoints record); the schedule only scales the rate each optimizer uses for its next step,
// and restore() puts the base rates back so a later fit starts from them.
import type * as tf from "@tensorflow/tfjs-core";
import { NETWORKS, type Network } from "./optimizers";
import type { TrainState } from "./state";

/** The rate's factor at `progress` (0 to 1) of a fit that decays over its last `share`: 1, then a line to 0. */
export function decayFactor(progress: number, share: number): number {
  if (share <= 0) return 1;
  return Math.min(1, Math.max(0, (1 - progress) / share));
}

/** TF.js keeps an optimizer's rate in a protected field that each applyGradients reads. */
type WithRate = { learningRate: number };

export class LearningRateSchedule {
  constructor(
    private readonly state: TrainState,
    private readonly share: number,
  ) {}

  /** Sets each optimizer's rate for the next step at `progress` of the fit. */
  update(progress: number): void {
    if (this.share <= 0) return;
    const factor = decayFactor(progress, this.share);
    for (const network of NETWORKS) this.rate(network).learningRate = this.state.settings[network].learningRate * factor;
  }

  restore(): void {
    if (this.share <= 0) return;
    for (const network of NETWORKS) this.rate(network).learningRate = this.state.settings[network].learningRate;
  }

  private rate(network: Network): WithRate {
    return this.state.optimizers[network] as tf.AdamOptimizer as unknown as WithRate;
  }
}
