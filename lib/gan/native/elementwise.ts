// Element-wise ops and reductions in oneDNN (vectorised, on every core) for the large tensors of a training step:
// activations, their gradients and Adam's updates, where the cpu backend's scalar JS loops cost more than the
// convolutions themselves. Small tensors, other dtypes and the broadcasts oneDNN does not take stay on the cpu
// kernels, which are quicker to call.
import * as tf from "@tensorflow/tfjs-core";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { binary, BinaryAlg, eltwise, EltwiseAlg, matMul, reduce, ReductionAlg } from "./dnnl";
import { NATIVE } from "./names";
import { pool } from "./pool";

export const nativeLimits = {
  /** Below this many elements a cpu kernel's JS loop is faster than a call into oneDNN. Tests lower it. */
  minSize: 8192,
};

type Values = Float32Array;

export function floatValues(backend: MathBackendCPU, t: tf.TensorInfo): Values | null {
  if (t.dtype !== "float32") return null;
  const v = backend.data.get(t.dataId).values;
  return v instanceof Float32Array ? v : null;
}

export const sizeOf = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);
const padTo = (shape: readonly number[], rank: number) => [...new Array<number>(rank - shape.length).fill(1), ...shape];

/** The cpu backend's kernel of that name, for the calls a native kernel declines. */
export function cpuKernel(name: string): tf.KernelFunc {
  const k = tf.getKernel(name, "cpu");
  if (k == null) throw new Error(`the cpu backend has no ${name} kernel`);
  return k.kernelFunc;
}

type Inputs = Record<string, tf.TensorInfo>;

/** A native kernel whose fast path may decline (null), leaving the call to the cpu kernel of the same name. */
export function withFallback(name: string, fast: (backend: MathBackendCPU, inputs: Inputs, attrs: tf.NamedAttrMap) => tf.TensorInfo | null): tf.KernelConfig {
  const cpu = cpuKernel(name);
  return {
    kernelName: name,
    backendName: NATIVE,
    kernelFunc: (args) => fast(args.backend as MathBackendCPU, args.inputs as Inputs, args.attrs ?? {}) ?? (cpu(args) as tf.TensorInfo),
  };
}

const COMMUTATIVE = new Set([BinaryAlg.add, BinaryAlg.mul, BinaryAlg.max, BinaryAlg.min]);

function binaryKernel(name: string, alg: BinaryAlg): tf.KernelConfig {
  return withFallback(name, (backend, { a, b }) => {
    const [av, bv] = [floatValues(backend, a), floatValues(backend, b)];
    if (av == null || bv == null) return null;
    const out = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    if (sizeOf(out) < nativeLimits.minSize) return null;
    const rank = Math.max(1, out.length); // oneDNN has no rank-0 descriptors: a scalar is [1]
    const [ap, bp, op] = [padTo(a.shape, rank), padTo(b.shape, rank), padTo(out, rank)];
    const full = (s: number[]) => s.every((d, i) => d === op[i]);
    const y = pool.take(sizeOf(out));
    if (full(ap)) binary(alg, op, bp, av, bv, y);
    else if (full(bp) && COMMUTATIVE.has(alg)) binary(alg, op, ap, bv, av, y);
    else if (full(bp) && av.length === 1) binary(alg, op, op, y.fill(av[0]), bv, y); // 1 - x (tanh's gradient), 1 / x
    else return null; // oneDNN broadcasts only its second operand
    return backend.makeTensorInfo(out, "float32", y);
  });
}

function unaryKernel(name: string, alg: EltwiseAlg, alpha = 0, beta = 0): tf.KernelConfig {
  return withFallback(name, (backend, { x }) => {
    const xv = floatValues(backend, x);
    if (xv == null || xv.length < nativeLimits.minSize) return null;
    const y = pool.take(xv.length);
    eltwise(alg, xv.length, xv, y, alpha, beta);
    return backend.makeTensorInfo(x.shape, "float32", y);
  });
}

/** Leaky ReLU: oneDNN's relu takes the negative slope as its alpha. */
const leakyReluKernel = (): tf.KernelConfig => withFallback(tf.LeakyRelu, (backend, { x }, attrs) => {
  const xv = floatValues(backend, x);
  if (xv == null || xv.length < nativeLimits.minSize) return null;
  const y = pool.take(xv.length);
  eltwise(EltwiseAlg.relu, xv.length, xv, y, attrs.alpha as number);
  return backend.makeTensorInfo(x.shape, "float32", y);
});

/** [outer, reduced, inner] sizes when the reduced axes are one contiguous block, else null. */
function blockOf(shape: readonly number[], axes: number[]): [number, number, number] | null {
  const sorted = [...axes].sort((a, b) => a - b);
  if (sorted.some((a, i) => i > 0 && a !== sorted[i - 1] + 1)) return null;
  const [first, last] = [sorted[0], sorted[sorted.length - 1]];
  return [sizeOf(shape.slice(0, first)), sizeOf(shape.slice(first, last + 1)), sizeOf(shape.slice(last + 1))];
}

const onesCache = new Map<number, Float32Array>();
function ones(n: number): Float32Array {
  let v = onesCache.get(n);
  if (v == null) onesCache.set(n, (v = new Float32Array(n).fill(1)));
  return v;
}

/**
 * Sum and Mean over one contiguous block of axes as a product with a vector of ones: oneDNN's reduction primitive
 * has fast kernels only for some layouts (a sum over the batch axis, the bias gradient, runs its reference code).
 */
function sumKernel(name: string, mean: boolean): tf.KernelConfig {
  return withFallback(name, (backend, { x }, attrs) => {
    const xv = floatValues(backend, x);
    if (xv == null || xv.length < nativeLimits.minSize) return null;
    const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x.shape);
    const block = axes.length > 0 ? blockOf(x.shape, axes) : null;
    if (block == null) return null;
    const [outer, r, inner] = block;
    const y = pool.take(outer * inner);
    if (inner === 1) {
      // x [outer, r] · 1 [r, 1]
      matMul({ batch: 1, m: outer, k: r, n: 1, transposeA: false, transposeB: false, batchStrideA: 0, batchStrideB: 0 }, xv, ones(r), y);
    } else {
      // 1 [1, r] · x[o] [r, inner], for each of the outer blocks
      matMul({ batch: outer, m: 1, k: r, n: inner, transposeA: false, transposeB: false, batchStrideA: 0, batchStrideB: 1 }, ones(r), xv, y);
    }
    if (mean) for (let i = 0; i < y.length; i++) y[i] /= r;
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    return backend.makeTensorInfo(attrs.keepDims ? kept : x.shape.filter((_, i) => !axes.includes(i)), "float32", y);
  });
}

/** Max and Min over trailing axes (where oneDNN's reduction is vectorised). */
function extremumKernel(name: string, alg: ReductionAlg): tf.KernelConfig {
  return withFallback(name, (backend, { x }, attrs) => {
    const xv = floatValues(backend, x);
    if (xv == null || xv.length < nativeLimits.minSize) return null;
    // Max names its axes reductionIndices; Min, axis.
    const axes = tf.util.parseAxisParam((attrs.axis ?? attrs.reductionIndices) as number | number[], x.shape);
    const block = axes.length > 0 ? blockOf(x.shape, axes) : null;
    if (block == null || block[2] !== 1) return null;
    const [outer, r] = block;
    const y = pool.take(outer);
    reduce(alg, [outer, r], [outer, 1], xv, y);
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    return backend.makeTensorInfo(attrs.keepDims ? kept : x.shape.filter((_, i) => !axes.includes(i)), "float32", y);
  });
}

/**
 * Step (ReLU's gradient mask). With alpha 0 it is x > 0 in oneDNN (NaN gives 0 there, where the cpu kernel keeps
 * NaN: the NaN still reaches the loss through the forward pass); otherwise the cpu kernel.
 */
const stepKernel = (): tf.KernelConfig => withFallback(tf.Step, (backend, { x }, attrs) => {
  const xv = floatValues(backend, x);
  if (xv == null || xv.length < nativeLimits.minSize || ((attrs.alpha as number | undefined) ?? 0) !== 0) return null;
  const y = pool.take(xv.length);
  binary(BinaryAlg.gt, [xv.length], [1], xv, ZERO, y);
  return backend.makeTensorInfo(x.shape, "float32", y);
});
const ZERO = new Float32Array(1);

export function elementwiseKernels(): tf.KernelConfig[] {
  return [
    stepKernel(),
    binaryKernel(tf.Add, BinaryAlg.add),
    binaryKernel(tf.Sub, BinaryAlg.sub),
    binaryKernel(tf.Multiply, BinaryAlg.mul),
    binaryKernel(tf.RealDiv, BinaryAlg.div),
    binaryKernel(tf.Maximum, BinaryAlg.max),
    binaryKernel(tf.Minimum, BinaryAlg.min),
    unaryKernel(tf.Relu, EltwiseAlg.relu),
    leakyReluKernel(),
    unaryKernel(tf.Tanh, EltwiseAlg.tanh),
    unaryKernel(tf.Sigmoid, EltwiseAlg.logistic),
    unaryKernel(tf.Sqrt, EltwiseAlg.sqrt),
    unaryKernel(tf.Square, EltwiseAlg.square),
    unaryKernel(tf.Exp, EltwiseAlg.exp),
    unaryKernel(tf.Log, EltwiseAlg.log),
    unaryKernel(tf.Abs, EltwiseAlg.abs),
    unaryKernel(tf.Neg, EltwiseAlg.linear, -1, 0),
    sumKernel(tf.Sum, false),
    sumKernel(tf.Mean, true),
    extremumKernel(tf.Max, ReductionAlg.max),
    extremumKernel(tf.Min, ReductionAlg.min),
  ];
}
