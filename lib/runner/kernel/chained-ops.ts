// Cells write `x.mul(2)` as often as `tf.mul(x, 2)`. tfjs-core adds these chained tensor methods only when its
// register_all_chained_ops module is imported, and that module's ESM build cannot load in Node (its imports name
// folders). So the kernel adds them itself, each calling the tf op with the tensor first, as that module does; the
// types come from the same module's declarations (cell-globals.d.ts).
import * as tf from "@tensorflow/tfjs-core";

/** tfjs-core's chained ops that are `op(this, ...args)`. */
const SAME_ARGS = [
  "abs", "acos", "acosh", "add", "all", "any", "argMax", "argMin", "asin", "asinh", "atan", "atan2", "atanh",
  "avgPool", "batchToSpaceND", "batchNorm", "broadcastTo", "cast", "ceil", "clipByValue", "concat", "conv1d", "conv2d",
  "conv2dTranspose", "cos", "cosh", "cumprod", "cumsum", "depthToSpace", "depthwiseConv2d", "dilation2d", "div",
  "divNoNan", "dot", "elu", "equal", "erf", "euclideanNorm", "exp", "expandDims", "expm1", "fft", "floor", "floorDiv",
  "gather", "greater", "greaterEqual", "ifft", "irfft", "isFinite", "isInf", "isNaN", "leakyRelu", "less", "lessEqual",
  "localResponseNormalization", "log", "log1p", "logSigmoid", "logSoftmax", "logSumExp", "logicalAnd", "logicalNot",
  "logicalOr", "logicalXor", "matMul", "max", "maxPool", "maximum", "mean", "min", "minimum", "mirrorPad", "mod", "mul",
  "neg", "norm", "notEqual", "oneHot", "onesLike", "pad", "pool", "pow", "prelu", "prod", "reciprocal", "relu", "relu6",
  "reshape", "resizeBilinear", "resizeNearestNeighbor", "reverse", "rfft", "round", "rsqrt", "selu", "separableConv2d",
  "sigmoid", "sign", "sin", "sinh", "slice", "softmax", "softplus", "spaceToBatchND", "split", "sqrt", "square",
  "squaredDifference", "squeeze", "stack", "step", "stridedSlice", "sub", "sum", "tan", "tanh", "tile", "topk",
  "transpose", "unique", "unsortedSegmentSum", "unstack", "where", "zerosLike",
] as const;

type Method = (this: tf.Tensor, ...args: unknown[]) => unknown;

/** The ones that are not. */
const SPECIAL: Record<string, Method> = {
  as1D() { return tf.reshape(this, [this.size]); },
  as2D(rows: unknown, columns: unknown) { return tf.reshape(this, [rows as number, columns as number]); },
  as3D(a: unknown, b: unknown, c: unknown) { return tf.reshape(this, [a, b, c] as number[]); },
  as4D(a: unknown, b: unknown, c: unknown, d: unknown) { return tf.reshape(this, [a, b, c, d] as number[]); },
  as5D(a: unknown, b: unknown, c: unknown, d: unknown, e: unknown) { return tf.reshape(this, [a, b, c, d, e] as number[]); },
  asScalar() {
    if (this.size !== 1) throw new Error("The array must have only 1 element.");
    return tf.reshape(this, []);
  },
  asType(dtype: unknown) { return tf.cast(this, dtype as tf.DataType); },
  reshapeAs(other: unknown) { return tf.reshape(this, (other as tf.Tensor).shape); },
  toBool() { return tf.cast(this, "bool"); },
  toFloat() { return tf.cast(this, "float32"); },
  toInt() { return tf.cast(this, "int32"); },
};

/** Adds the methods tfjs-core has not added yet; idempotent. */
export function registerChainedOps(): void {
  const proto = tf.Tensor.prototype as unknown as Record<string, unknown>;
  const ops = tf as unknown as Record<string, (...args: unknown[]) => unknown>;
  const define = (name: string, method: Method) => {
    if (typeof proto[name] === "function") return;
    proto[name] = function (this: tf.Tensor, ...args: unknown[]) {
      this.throwIfDisposed();
      return method.apply(this, args);
    };
  };
  for (const name of SAME_ARGS) {
    const op = ops[name];
    if (typeof op === "function") define(name, function (...args) { return op(this, ...args); });
  }
  for (const [name, method] of Object.entries(SPECIAL)) define(name, method);
}
