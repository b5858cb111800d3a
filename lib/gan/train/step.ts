// One training step: nCritic discriminator updates, then one generator update. Each update computes its
// gradients with tf.variableGrads (so it can report their norm) and applies them with the network's Adam.
// Monitoring scalars leave the gradient tidy through tf.keep and are read back once per step.
import * as tf from "@tensorflow/tfjs-core";
import type { VideoDataset } from "../data/types";
import type { LossTerms, VideoGan } from "../types";
import { globalNorm, gradientsFor, trainableVars, type Network } from "./optimizers";
import { stepSeed } from "./seeds";
import type { TrainState } from "./state";

/** Named scalars kept alive past the gradient computation; whoever holds them disposes them. */
export type Monitors = Record<string, tf.Scalar>;

export interface StepContext {
  model: VideoGan;
  data: Pick<VideoDataset, "nextBatch" | "reset">;
  state: TrainState;
  batchSize: number;
  seed: number;
  /** Reset the data stream from (seed, step) before each batch, so a resumed run sees the same batches. */
  reseedData: boolean;
}

function keepTerms(terms: LossTerms, net: "d" | "g", into: Monitors): tf.Scalar {
  if (net === "d") {
    if (terms.realScore) into.d_real = tf.keep(terms.realScore);
    if (terms.fakeScore) into.d_fake = tf.keep(terms.fakeScore);
  } else if (terms.fakeScore) {
    into.g_fake = tf.keep(terms.fakeScore); // D's score of the fakes G is trained on
  }
  for (const [k, v] of Object.entries(terms.extras ?? {})) into[`${net}_${k}`] = tf.keep(v);
  return terms.loss;
}

function update(ctx: StepContext, network: Network, loss: (into: Monitors) => tf.Scalar): Monitors {
  const monitors: Monitors = {};
  const vars = trainableVars(ctx.model, network);
  const { value, grads } = gradientsFor(vars, () => loss(monitors));
  ctx.state.optimizers[network].applyGradients(grads);
  const suffix = network === "generator" ? "g" : "d";
  monitors[`loss_${suffix}`] = value;
  monitors[`grad_norm_${suffix}`] = globalNorm(grads);
  tf.dispose(grads.map((g) => g.tensor));
  return monitors;
}

/** One discriminator update (critic iteration `critic` of the step); returns its monitors. */
export async function discriminatorUpdate(ctx: StepContext, critic: number): Promise<Monitors> {
  const { model, data, state, seed } = ctx;
  if (ctx.reseedData && data.reset) data.reset(stepSeed(seed, state.step, { kind: "data", critic }));
  const real = data.nextBatch(ctx.batchSize); // [B, T, H, W, C]
  try {
    const dSeed = stepSeed(seed, state.step, { kind: "d", critic });
    const monitors = update(ctx, "discriminator", (into) => keepTerms(model.discriminatorLoss(real, dSeed), "d", into));
    try {
      await model.afterDiscriminatorStep?.();
    } catch (err) {
      tf.dispose(Object.values(monitors));
      throw err;
    }
    return monitors;
  } finally {
    real.dispose();
  }
}

/** The generator update that closes the step; also advances the EMA. */
export function generatorUpdate(ctx: StepContext): Monitors {
  const { model, state, seed, batchSize } = ctx;
  const gSeed = stepSeed(seed, state.step, { kind: "g" });
  const monitors = update(ctx, "generator", (into) => keepTerms(model.generatorLoss(batchSize, gSeed), "g", into));
  state.ema?.update(state.step, batchSize); // images seen so far: step × batch
  return monitors;
}

/** Reads all monitors with one device→host transfer, then frees them. */
export async function readMonitors(monitors: Monitors): Promise<Record<string, number>> {
  const keys = Object.keys(monitors);
  if (keys.length === 0) return {};
  const packed = tf.tidy(() => tf.stack(keys.map((k) => tf.cast(tf.mean(monitors[k]), "float32"))));
  try {
    const values = await packed.data();
    return Object.fromEntries(keys.map((k, i) => [k, values[i]]));
  } finally {
    packed.dispose();
    tf.dispose(Object.values(monitors));
  }
}
