// Exponential moving average of the generator's weights (a shadow copy). Samples from the averaged weights are
// usually smoother and less tied to the last few updates than the raw generator's (Karras et al. 2018, Yazıcı et al.
// 2019). The shadow lives beside the model; sampling swaps it in for one call and swaps the raw weights back.
import * as tf from "@tensorflow/tfjs-core";
import type { VideoGan } from "../types";

export class GeneratorEma {
  /** Shadow per generator variable, keyed by the model's stateVars name so checkpoints can store it. */
  readonly shadow: Map<string, tf.Variable>;
  private readonly targets: Map<string, tf.Variable>;

  constructor(
    private readonly model: VideoGan,
    readonly decay: number,
  ) {
    if (!(decay > 0 && decay < 1)) throw new Error(`EMA decay must be in (0, 1), got ${decay}`);
    this.targets = generatorStateVars(model);
    this.shadow = new Map([...this.targets].map(([name, v]) => [name, shadowOf(v)]));
    emaOf.set(model, this);
  }

  /**
   * Blends the current weights in. The effective decay ramps as min(decay, (1 + n) / (10 + n)), as TensorFlow's
   * ExponentialMovingAverage does with num_updates: otherwise a 0.999 average would still be mostly the random
   * initialisation after the few hundred steps of a short run.
   */
  update(updates: number): void {
    const d = Math.min(this.decay, (1 + updates) / (10 + updates));
    tf.tidy(() => {
      for (const [name, s] of this.shadow) s.assign(tf.add(tf.mul(s, d), tf.mul(this.targets.get(name)!, 1 - d)));
    });
  }

  /** Runs fn with the averaged weights in the generator, restoring the raw ones afterwards (even if fn throws). */
  withAveraged<T>(fn: () => T): T {
    const saved = new Map([...this.targets].map(([name, v]) => [name, v.clone()]));
    try {
      for (const [name, v] of this.targets) v.assign(this.shadow.get(name)!);
      return fn();
    } finally {
      for (const [name, v] of this.targets) v.assign(saved.get(name)!);
      tf.dispose([...saved.values()]);
    }
  }

  dispose(): void {
    tf.dispose([...this.shadow.values()]);
    if (emaOf.get(this.model) === this) emaOf.delete(this.model);
  }
}

/** A non-trainable copy of v. tf.variable keeps its own reference to the initial value, so the clone is freed. */
function shadowOf(v: tf.Variable): tf.Variable {
  const initial = v.clone();
  const shadow = tf.variable(initial, false);
  initial.dispose();
  return shadow;
}

/** The generator's variables under their stateVars names (the same names a checkpoint uses). */
export function generatorStateVars(model: VideoGan): Map<string, tf.Variable> {
  const names = new Map<tf.Variable, string>();
  for (const [name, v] of model.stateVars()) names.set(v, name);
  return new Map(
    model.generatorVars.map((v, i) => {
      const name = names.get(v);
      return [name ?? `generator/${i}`, v];
    }),
  );
}

/** The EMA attached to a model by the trainer or a checkpoint load, so sample() can find it. */
const emaOf = new WeakMap<VideoGan, GeneratorEma>();

export function emaFor(model: VideoGan): GeneratorEma | undefined {
  return emaOf.get(model);
}
