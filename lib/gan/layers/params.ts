// Named, seeded variables. Every layer creates its variables through a ParamStore so that
//  - checkpoints get stable names ("g.image.up0.w") independent of TF.js's global variable counter, and
//  - each variable's initial value depends only on (model seed, its name), not on creation order.
// TF.js variable names are global to the engine, so two models with the same layer names would clash:
// we let TF.js name its variables and keep our own names in the store's map.
import * as tf from "@tensorflow/tfjs-core";
import { normal, subSeed, uniform } from "../random";

export type Init =
  | { kind: "normal"; std: number; mean?: number } // DCGAN's N(0, 0.02), BN γ ~ N(1, 0.02)
  | { kind: "uniform"; scale: number } // U(−scale, scale): Chainer's Uniform, PyTorch's default RNN init
  | { kind: "constant"; value: number };

export const zeros: Init = { kind: "constant", value: 0 };
export const ones: Init = { kind: "constant", value: 1 };

export class ParamStore {
  private constructor(
    private readonly seed: number,
    private readonly prefix: string,
    private readonly vars: Map<string, tf.Variable>,
  ) {}

  /** A root store: names start with `prefix` (e.g. "g" or "d"). */
  static root(seed: number, prefix: string): ParamStore {
    return new ParamStore(seed, prefix, new Map());
  }

  /** A view whose names are nested under `name`; shares the root's map. */
  scope(name: string): ParamStore {
    return new ParamStore(this.seed, this.fullName(name), this.vars);
  }

  fullName(name: string): string {
    return this.prefix ? `${this.prefix}.${name}` : name;
  }

  variable(name: string, shape: number[], init: Init, trainable = true): tf.Variable {
    const full = this.fullName(name);
    if (this.vars.has(full)) throw new Error(`duplicate variable name ${full}`);
    const value = tf.tidy(() => initialValue(shape, init, subSeed(this.seed, full)));
    const v = tf.variable(value, trainable);
    value.dispose();
    this.vars.set(full, v);
    return v;
  }

  /** Every variable of this root, by full name (insertion order). */
  entries(): Map<string, tf.Variable> {
    return new Map(this.vars);
  }

  trainable(): tf.Variable[] {
    return [...this.vars.values()].filter((v) => v.trainable);
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}

function initialValue(shape: number[], init: Init, seed: number): tf.Tensor {
  switch (init.kind) {
    case "normal":
      return normal(shape, seed, init.mean ?? 0, init.std);
    case "uniform":
      return uniform(shape, seed, -init.scale, init.scale);
    case "constant":
      return tf.fill(shape, init.value);
  }
}

/** Total number of scalars held by the variables. */
export function countParams(vars: Iterable<tf.Variable>): number {
  let n = 0;
  for (const v of vars) n += v.size;
  return n;
}
