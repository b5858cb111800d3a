// Adam's update in one pass over memory (lib/gan/train/adam.ts uses it when the backend has it): the same
// arithmetic as TF.js's AdamOptimizer, which would make about a dozen full passes per variable.
import * as tf from "@tensorflow/tfjs-core";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { ADAM_STEP } from "../train/adam";
import { NATIVE } from "./names";
import { pool } from "./pool";

interface AdamAttrs {
  beta1: number;
  beta2: number;
  learningRate: number;
  epsilon: number;
  correction1: number; // 1 − β1^t
  correction2: number; // 1 − β2^t
}

export const adamStepKernel: tf.KernelConfig = {
  kernelName: ADAM_STEP,
  backendName: NATIVE,
  kernelFunc: ({ inputs, attrs, backend }) => {
    const cpu = backend as MathBackendCPU;
    const { value, m, v, g } = inputs as Record<string, tf.TensorInfo>;
    const read = (t: tf.TensorInfo) => cpu.data.get(t.dataId).values as Float32Array;
    const [x, m0, v0, grad] = [read(value), read(m), read(v), read(g)];
    const { beta1, beta2, learningRate, epsilon, correction1, correction2 } = attrs as unknown as AdamAttrs;
    const n = x.length;
    const [x1, m1, v1] = [pool.take(n), pool.take(n), pool.take(n)];
    for (let i = 0; i < n; i++) {
      const gi = grad[i];
      const mi = m0[i] * beta1 + gi * (1 - beta1);
      const vi = v0[i] * beta2 + gi * gi * (1 - beta2);
      m1[i] = mi;
      v1[i] = vi;
      x1[i] = x[i] - (learningRate * (mi / correction1)) / (Math.sqrt(vi / correction2) + epsilon);
    }
    return [x1, m1, v1].map((a) => cpu.makeTensorInfo(value.shape, "float32", a));
  },
};
