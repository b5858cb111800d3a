// Runs one check case on the current backend: forward values, gradients of L = Σ forward ⊙ R, and a
// central finite difference of L along one random unit direction per differentiable input.
import * as tf from "@tensorflow/tfjs-core";
import type { CaseRun, CheckCase } from "./case";
import { direction, hash, values } from "./rng";

const DEFAULT_STEP = 1e-2;

function makeInputs(c: CheckCase): Record<string, Float32Array> {
  return Object.fromEntries(Object.entries(c.inputs).map(([name, spec]) => {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    return [name, values(size, hash(`${c.name}/${name}`), spec.init ?? "awayFromZero", spec.scale ?? 1)];
  }));
}

function loss(c: CheckCase, t: Record<string, tf.Tensor>, weights: tf.Tensor): tf.Scalar {
  return tf.sum(tf.mul(c.forward(t), weights));
}

async function read(t: tf.Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

export async function runCase(c: CheckCase): Promise<CaseRun> {
  const started = performance.now();
  const before = tf.memory().numTensors;
  const data = makeInputs(c);
  const names = Object.keys(c.inputs);
  const diffNames = names.filter((n) => !c.inputs[n].constant);
  const tensors = Object.fromEntries(names.map((n) => [n, tf.tensor(data[n], c.inputs[n].shape)]));
  const run: CaseRun = { name: c.name, forward: [], grads: {}, fd: {}, leakedTensors: 0, ms: 0 };
  let weights: tf.Tensor | null = null;
  try {
    const y = tf.tidy(() => c.forward(tensors));
    run.forward = await read(y);
    weights = tf.tensor(values(y.size, hash(`${c.name}/R`), "signed", 1), y.shape);
    y.dispose();
    const w = weights;
    const f = (...xs: tf.Tensor[]) => {
      const t = { ...tensors };
      diffNames.forEach((n, i) => (t[n] = xs[i]));
      return loss(c, t, w);
    };
    const grads = tf.grads(f)(diffNames.map((n) => tensors[n]));
    for (let i = 0; i < diffNames.length; i++) run.grads[diffNames[i]] = await read(grads[i]);
    tf.dispose(grads);
    const h = c.fdStep ?? DEFAULT_STEP;
    for (const [i, n] of diffNames.entries()) {
      const v = direction(data[n].length, hash(`${c.name}/${n}/v`));
      const at = (sign: number) => tf.tidy(() => {
        const shifted = diffNames.map((m) => (m === n ? tf.add(tensors[m], tf.mul(tf.tensor(v, tensors[m].shape), sign * h)) : tensors[m]));
        return f(...shifted);
      });
      const [lp, lm] = [at(1), at(-1)];
      const fd = ((await lp.data())[0] - (await lm.data())[0]) / (2 * h);
      tf.dispose([lp, lm]);
      const g = run.grads[diffNames[i]];
      const analytic = g.reduce((s, gi, k) => s + gi * v[k], 0);
      run.fd[n] = { fd, analytic, gradNorm: Math.sqrt(g.reduce((acc, gi) => acc + gi * gi, 0)) };
    }
  } catch (err) {
    run.error = err instanceof Error ? err.message.split("\n")[0] : String(err);
  } finally {
    tf.dispose(Object.values(tensors));
    if (weights) weights.dispose();
  }
  run.leakedTensors = tf.memory().numTensors - before;
  run.ms = performance.now() - started;
  return run;
}

export async function runCases(cases: CheckCase[], only?: (c: CheckCase) => boolean): Promise<CaseRun[]> {
  const out: CaseRun[] = [];
  for (const c of cases) if (!only || only(c)) out.push(await runCase(c));
  return out;
}
