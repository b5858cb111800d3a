// What one gradient-check case is: named inputs and a function of them. The checked quantity is
// L = Σ forward(inputs) ⊙ R for a fixed random R, so every output element's gradient matters.
import type * as tf from "@tensorflow/tfjs-core";
import type { Init } from "./rng";

export interface InputSpec {
  shape: number[];
  init?: Init; // default "awayFromZero"
  scale?: number; // default 1
  /** Held fixed: not differentiated (labels, power-iteration state). */
  constant?: boolean;
}

export interface CheckCase {
  name: string;
  inputs: Record<string, InputSpec>;
  forward(t: Record<string, tf.Tensor>): tf.Tensor;
  /** Finite-difference step along a unit direction; smaller for cases with kinks nearby. */
  fdStep?: number;
}

/** Raw numbers from running one case on one backend (plain arrays so they cross postMessage / JSON). */
export interface CaseRun {
  name: string;
  forward: number[];
  grads: Record<string, number[]>;
  /** Per differentiable input: directional finite difference, the same from the gradient, and |gradient|. */
  fd: Record<string, { fd: number; analytic: number; gradNorm: number }>;
  leakedTensors: number;
  error?: string;
  ms: number;
}
