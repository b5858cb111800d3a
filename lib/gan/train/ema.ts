// Exponential moving average of the generator's weights (a shadow copy). Samples from the averaged weights are
// usually smoother and less tied to the last few updates than the raw generator's (Karras et al. 2018, Yazıcı et al.
// 2019). The shadow lives beside the model; sampling swaps it in for one call and swaps the raw weights back.
import * as tf from "@tensorflow/tfjs-core";
import type { VideoGan } from "../types";

/**
 * How fast the average forgets. A number is a fixed per-step decay (e.g. 0.999), ramped in as TensorFlow's
 * ExponentialMovingAverage does. An object is StyleGAN2-ADA's schedule (Karras et al. 2020, training_loop.py):
 * a half-life counted in images, capped at `rampUp` × the images seen so far, so a short run averages over its
 * recent past instead of dragging its random initialisation along.
 */
export type EmaSettings = number | EmaHalfLife;

export interface EmaHalfLife {
  /** Images after which an update's weight has halved (StyleGAN2-ADA: ema_kimg = 10 per 32 images of batch). */
  halfLifeImages: number;
  /** Half-life at most this share of the images seen (ADA's ema_rampup, 0.05); 0 or absent: no ramp-up. */
  rampUp?: number;
}

/** The decay of one update, given the batch size and the images seen before it. */
export function emaBeta(settings: EmaSettings, updates: number, batchSize: number): number {
  if (typeof settings === "number") return Math.min(settings, (1 + updates) / (10 + updates));
  let halfLife = settings.halfLifeImages;
  if (settings.rampUp) halfLife = Math.min(halfLife, updates * batchSize * settings.rampUp);
  return halfLife > 0 ? 0.5 ** (batchSize / halfLife) : 0; // nothing seen yet: copy the weights
}

export function checkEmaSettings(s: EmaSettings): void {
  if (typeof s === "number") {
    if (!(s > 0 && s < 1)) throw new Error(`EMA decay must be in (0, 1), got ${s}`);
    return;
  }
  if (!(s.halfLifeImages > 0)) throw new Error(`EMA halfLifeImages must be positive, got ${s.halfLifeImages}`);
  if (s.rampUp !== undefined && !(s.rampUp >= 0)) throw new Error(`EMA rampUp must be ≥ 0, got ${s.rampUp}`);
}

export class GeneratorEma {
  /** Shadow per generator variable, keyed by the model's stateVars name so checkpoints can store it. */
  readonly shadow: Map<string, tf.Variable>;
  private readonly targets: Map<string, tf.Variable>;

  constructor(
    private readonly model: VideoGan,
    readonly settings: EmaSettings,
  ) {
    checkEmaSettings(settings);
    this.targets = generatorStateVars(model);
    this.shadow = new Map([...this.targets].map(([name, v]) => [name, shadowOf(v)]));
    emaOf.set(model, this);
  }

  /** The fixed decay, for a number setting (kept for callers that read it); undefined for a half-life. */
  get decay(): number | undefined {
    return typeof this.settings === "number" ? this.settings : undefined;
  }

  /** Blends the current weights in, after `updates` earlier updates of `batchSize` images each. */
  update(updates: number, batchSize = 1): void {
    const d = emaBeta(this.settings, updates, batchSize);
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
