// Adam with a fused update where the backend has one. TF.js's Adam spends about a dozen element-wise kernels per
// variable per step (each a full pass over memory); a backend that registers ADAM_STEP does the same arithmetic in
// one pass. Slots, names and checkpoints are TF.js's own, so either path continues the other's state.
import * as tf from "@tensorflow/tfjs-core";
import type { NamedTensor } from "./optimizers";

/** Kernel: inputs {value, m, v, g}; attrs {beta1, beta2, learningRate, epsilon, correction1, correction2}; outputs [value, m, v]. */
export const ADAM_STEP = "ZoetropeAdamStep";

interface Slot {
  originalName: string;
  variable: tf.Variable;
}

/** The AdamOptimizer fields applyGradients works with (TypeScript keeps them private). */
interface AdamInternals {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Slot[];
  accumulatedSecondMoment: Slot[];
  epsilon: number;
}

export class FusedAdam extends tf.AdamOptimizer {
  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer["applyGradients"]>[0]): void {
    if (tf.getKernel(ADAM_STEP, tf.getBackend()) == null) {
      super.applyGradients(variableGradients);
      return;
    }
    // Slots are by position: a map's key order, as TF.js's Adam takes it.
    const list = Array.isArray(variableGradients)
      ? variableGradients
      : Object.keys(variableGradients).map((name): NamedTensor => ({ name, tensor: variableGradients[name] }));
    const self = this as unknown as AdamInternals;
    const correction1 = 1 - self.accBeta1.dataSync()[0];
    const correction2 = 1 - self.accBeta2.dataSync()[0];
    const attrs = { beta1: this.beta1, beta2: this.beta2, learningRate: this.learningRate, epsilon: self.epsilon, correction1, correction2 };
    tf.tidy(() => {
      list.forEach(({ name, tensor: g }, i) => {
        if (g == null) return;
        const value = tf.engine().registeredVariables[name];
        const slot = (which: "m" | "v") => ({ originalName: `${name}/${which}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) });
        self.accumulatedFirstMoment[i] ??= slot("m");
        self.accumulatedSecondMoment[i] ??= slot("v");
        const m = self.accumulatedFirstMoment[i].variable;
        const v = self.accumulatedSecondMoment[i].variable;
        const [newValue, newM, newV] = tf.engine().runKernel(ADAM_STEP, { value, m, v, g }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        m.assign(newM);
        v.assign(newV);
        value.assign(newValue);
      });
      self.accBeta1.assign(tf.mul(self.accBeta1, this.beta1));
      self.accBeta2.assign(tf.mul(self.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }
}
