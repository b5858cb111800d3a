// One Adam per network, with the model's paper defaults unless the run overrides them, plus the save/restore of
// Adam's slots. Gradients are always applied as an ordered list in the model's variable order: Adam keeps its m/v
// slots by position, so the order must not depend on variable names (auto-named variables are numeric strings,
// which JavaScript objects re-sort) or on which variables happened to receive a gradient.
import * as tf from "@tensorflow/tfjs-core";
import type { AdamSettings, VideoGan } from "../types";
import { FusedAdam } from "./adam";

export type Network = "generator" | "discriminator";
export const NETWORKS: readonly Network[] = ["generator", "discriminator"];

export interface OptimSettings {
  generator: AdamSettings;
  discriminator: AdamSettings;
  nCritic: number;
}

export interface OptimOverrides {
  generator?: Partial<AdamSettings>;
  discriminator?: Partial<AdamSettings>;
  nCritic?: number;
}

export type GanOptimizers = Record<Network, tf.AdamOptimizer>;

/** tfjs-core's NamedTensor, which its public index does not export. */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

export function resolveOptimSettings(model: VideoGan, overrides: OptimOverrides = {}): OptimSettings {
  const nCritic = overrides.nCritic ?? model.optim.nCritic;
  if (!(Number.isInteger(nCritic) && nCritic >= 1)) throw new Error(`nCritic must be a positive integer, got ${nCritic}`);
  return {
    generator: { ...model.optim.generator, ...overrides.generator },
    discriminator: { ...model.optim.discriminator, ...overrides.discriminator },
    nCritic,
  };
}

export function createOptimizers(settings: OptimSettings): GanOptimizers {
  const make = (s: AdamSettings) => new FusedAdam(s.learningRate, s.beta1, s.beta2);
  return { generator: make(settings.generator), discriminator: make(settings.discriminator) };
}

export function trainableVars(model: VideoGan, network: Network): tf.Variable[] {
  const vars = network === "generator" ? model.generatorVars : model.discriminatorVars;
  return vars.filter((v) => v.trainable);
}

/**
 * Gradients of `loss` for one network, as an ordered list aligned with trainableVars (a variable the loss does not
 * touch gets zeros, which leaves it and its Adam slots unchanged while keeping the slot positions fixed).
 * Returns the loss value too; both must be disposed by the caller (or a surrounding tidy).
 */
export function gradientsFor(vars: tf.Variable[], loss: () => tf.Scalar): { value: tf.Scalar; grads: NamedTensor[] } {
  const { value, grads } = tf.variableGrads(loss, vars);
  const ordered = vars.map((v) => ({ name: v.name, tensor: grads[v.name] ?? tf.zerosLike(v) }));
  return { value, grads: ordered };
}

/** Global L2 norm of a gradient list, as a scalar tensor. */
export function globalNorm(grads: NamedTensor[]): tf.Scalar {
  return tf.tidy(() => tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g.tensor))))) as tf.Scalar);
}

/** Adam's state as plain named tensors: `iterations`, then m and v per variable position (`m/0`, `v/0`, …). */
export interface OptimizerSnapshot {
  iterations: number;
  slots: NamedTensor[]; // views of the optimizer's own variables: read them, do not dispose them
}

export async function snapshotOptimizer(opt: tf.AdamOptimizer): Promise<OptimizerSnapshot> {
  const weights = await opt.getWeights(); // [iter, m_0..m_{n-1}, v_0..v_{n-1}]
  const [iter, ...moments] = weights;
  const iterations = (await iter.tensor.data())[0];
  iter.tensor.dispose(); // a fresh scalar made by getWeights; the rest are the optimizer's own variables
  const n = moments.length / 2;
  const slots = moments.map((w, i) => ({ name: i < n ? `m/${i}` : `v/${i - n}`, tensor: w.tensor }));
  return { iterations, slots };
}

/**
 * Restores a snapshot into a fresh optimizer. `slots` must be named m/i and v/i as snapshotOptimizer makes them;
 * shapes are checked against the variables they will update, so a checkpoint from another config fails loudly.
 */
export async function restoreOptimizer(opt: tf.AdamOptimizer, iterations: number, slots: NamedTensor[], vars: tf.Variable[]): Promise<void> {
  const byName = new Map(slots.map((s) => [s.name, s.tensor]));
  const n = byName.size / 2;
  if (n !== 0 && n !== vars.length) {
    throw new Error(`optimizer state has ${n} slots but the network has ${vars.length} trainable variables`);
  }
  const pick = (prefix: "m" | "v") =>
    Array.from({ length: n }, (_, i) => {
      const t = byName.get(`${prefix}/${i}`);
      if (!t) throw new Error(`optimizer state lacks ${prefix}/${i}`);
      if (!tf.util.arraysEqual(t.shape, vars[i].shape)) {
        throw new Error(`optimizer slot ${prefix}/${i} has shape [${t.shape}] but variable ${vars[i].name} is [${vars[i].shape}]`);
      }
      return { name: `${vars[i].name}/${prefix}`, tensor: t };
    });
  const iter = tf.scalar(iterations, "int32");
  await opt.setWeights([{ name: "iter", tensor: iter }, ...pick("m"), ...pick("v")]);
  iter.dispose(); // setWeights copies the count out; the slot tensors become (ref-counted) optimizer variables
}
