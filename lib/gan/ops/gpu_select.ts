// webgl and webgpu refuse Select (tf.where) above rank 4 ("Where for rank 5 is not yet supported"), so a
// mask over [B, T, H, W, C] cannot even run forward. tf.where broadcasts its three inputs to one shape
// before the kernel, so flattening them to rank 1 and reshaping the result back is exact.
import * as tf from "@tensorflow/tfjs-core";

function flatWhenHighRank(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const { condition, t, e } = args.inputs;
    const inputs = [condition, t, e];
    const sameShape = inputs.every((x) => x instanceof tf.Tensor && tf.util.arraysEqual(x.shape, (t as tf.Tensor).shape));
    if (!sameShape || (t as tf.Tensor).rank <= 4) return original.kernelFunc(args);
    return tf.tidy(() => {
      const [c1, t1, e1] = (inputs as tf.Tensor[]).map((x) => tf.reshape(x, [-1]));
      const out = original.kernelFunc({ ...args, inputs: { condition: c1, t: t1, e: e1 } }) as tf.TensorInfo;
      return tf.reshape(tf.engine().makeTensorFromTensorInfo(out), (t as tf.Tensor).shape);
    }) as unknown as tf.TensorInfo;
  };
  return { ...original, kernelFunc };
}

/** Select for a GPU backend (webgl / webgpu) that also accepts rank 5 and 6; call once the backend is loaded. */
export function gpuSelectKernels(backendName: "webgl" | "webgpu"): tf.KernelConfig[] {
  const k = tf.getKernel(tf.Select, backendName);
  return k == null ? [] : [flatWhenHighRank(k)];
}
