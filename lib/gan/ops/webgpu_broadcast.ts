// webgpu: broadcasting a 1-D tensor of length < 128 against a rank-5/6 tensor (a per-channel bias on
// [B, T, H, W, C]) selects BinaryOpProgram's shared-memory variant, whose WGSL indexes a `vec5` and fails
// to compile; the error only reaches the console and the op returns garbage. Reshaping the 1-D operand to
// [1, …, 1, C] takes the ordinary broadcasting path, which is right. These wrappers do that, so models can
// write `tf.add(x, bias)` on every backend. (The reshape shares the buffer; nothing is copied.)
import * as tf from "@tensorflow/tfjs-core";

// Binary kernels built on BinaryOpProgram, with their two input names.
const BINARY: Array<[string, string, string]> = [
  [tf.Add, "a", "b"], [tf.Sub, "a", "b"], [tf.Multiply, "a", "b"], [tf.RealDiv, "a", "b"], [tf.Maximum, "a", "b"],
  [tf.Minimum, "a", "b"], [tf.Pow, "a", "b"], [tf.SquaredDifference, "a", "b"], [tf.FloorDiv, "a", "b"],
  [tf.Mod, "a", "b"], [tf.Atan2, "a", "b"], [tf.Equal, "a", "b"], [tf.NotEqual, "a", "b"], [tf.Greater, "a", "b"],
  [tf.GreaterEqual, "a", "b"], [tf.Less, "a", "b"], [tf.LessEqual, "a", "b"], [tf.LogicalAnd, "a", "b"],
  [tf.LogicalOr, "a", "b"], [tf.Prelu, "x", "alpha"],
];

interface GpuBackend { disposeData(dataId: tf.DataId): boolean }

function needsLift(t: tf.TensorInfo | undefined, other: tf.TensorInfo | undefined): boolean {
  return t != null && other != null && t.shape.length === 1 && other.shape.length >= 5;
}

function wrap(original: tf.KernelConfig, names: [string, string]): tf.KernelConfig {
  const reshape = tf.getKernel(tf.Reshape, "webgpu");
  if (reshape == null) throw new Error("webgpu Reshape kernel missing");
  const kernelFunc: tf.KernelFunc = (args) => {
    const [n0, n1] = names;
    const [t0, t1] = [args.inputs[n0], args.inputs[n1]];
    const lift = names.filter((_, i) => (i === 0 ? needsLift(t0, t1) : needsLift(t1, t0)));
    if (lift.length === 0) return original.kernelFunc(args);
    const inputs = { ...args.inputs };
    const temps: tf.TensorInfo[] = [];
    for (const name of lift) {
      const t = inputs[name] as tf.TensorInfo;
      const otherRank = (name === n0 ? t1 : t0)!.shape.length;
      const shape = [...new Array<number>(otherRank - 1).fill(1), t.shape[0]];
      const lifted = reshape.kernelFunc({ inputs: { x: t }, backend: args.backend, attrs: { shape } }) as tf.TensorInfo;
      temps.push(lifted);
      inputs[name] = lifted;
    }
    const out = original.kernelFunc({ ...args, inputs });
    for (const t of temps) (args.backend as unknown as GpuBackend).disposeData(t.dataId);
    return out;
  };
  return { ...original, kernelFunc };
}

/** Wrapped versions of webgpu's broadcasting kernels (call after the webgpu package is loaded). */
export function webgpuBroadcastKernels(): tf.KernelConfig[] {
  const out: tf.KernelConfig[] = [];
  for (const [kernelName, a, b] of BINARY) {
    const original = tf.getKernel(kernelName, "webgpu");
    if (original != null) out.push(wrap(original, [a, b]));
  }
  return out;
}
