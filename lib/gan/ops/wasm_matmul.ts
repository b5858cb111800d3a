// wasm's matMul runs at ~20 GFLOP/s when both operands are untransposed, but at ~0.3–1 GFLOP/s with
// transposeA or transposeB (its packing walks memory with a large stride). MatMul's own gradient asks for
// exactly those (dA = dy·Bᵀ, dB = Aᵀ·dy), so every dense layer's backward pass hit the slow path. These
// wrappers transpose the operand explicitly (a cheap O(n²) copy) and call the fast kernel.
import * as tf from "@tensorflow/tfjs-core";

function swapLastTwo(t: tf.Tensor): tf.Tensor {
  const perm = t.shape.map((_, i) => i);
  [perm[t.rank - 2], perm[t.rank - 1]] = [perm[t.rank - 1], perm[t.rank - 2]];
  return tf.transpose(t, perm);
}

function untransposed(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    if (!transposeA && !transposeB) return original.kernelFunc(args);
    const { a, b } = args.inputs as { a: tf.Tensor; b: tf.Tensor };
    const temps: tf.Tensor[] = [];
    const inputs = { ...args.inputs };
    if (transposeA) temps.push((inputs.a = swapLastTwo(a)));
    if (transposeB) temps.push((inputs.b = swapLastTwo(b)));
    const attrs = { ...args.attrs, transposeA: false, transposeB: false };
    const out = original.kernelFunc({ ...args, inputs, attrs });
    tf.dispose(temps);
    return out;
  };
  return { ...original, kernelFunc };
}

/** BatchMatMul and _FusedMatMul for wasm without the slow transposed path (call once wasm is loaded). */
export function wasmMatMulKernels(): tf.KernelConfig[] {
  return [tf.BatchMatMul, tf._FusedMatMul]
    .map((name) => tf.getKernel(name, "wasm"))
    .filter((k): k is tf.KernelConfig => k != null)
    .map(untransposed);
}
