// webgl and webgpu generate broken shaders for PadV2 above rank 4: webgpu indexes a `vec5` (the WGSL fails
// to compile, the error goes to the console and the result is garbage), webgl fails to compile. Rank-5
// padding is everywhere in video models (conv3d 'same' padding, and Slice's gradient is a pad). Padding
// one axis at a time on a rank-3 view [before, axis, after] is exact and uses only the well-trodden path.
import * as tf from "@tensorflow/tfjs-core";

function padAxisByAxis(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const x = args.inputs.x;
    const { paddings, constantValue } = args.attrs as unknown as tf.PadV2Attrs;
    if (!(x instanceof tf.Tensor) || x.rank <= 4) return original.kernelFunc(args);
    return tf.tidy(() => {
      let y: tf.Tensor = x;
      paddings.forEach(([before, after], axis) => {
        if (before === 0 && after === 0) return;
        const shape = y.shape;
        const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
        const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
        const view = tf.reshape(y, [outer, shape[axis], inner]);
        const attrs = { paddings: [[0, 0], [before, after], [0, 0]], constantValue };
        const padded = tf.engine().makeTensorFromTensorInfo(
          original.kernelFunc({ ...args, inputs: { x: view }, attrs: attrs as unknown as tf.NamedAttrMap }) as tf.TensorInfo);
        const next = shape.slice();
        next[axis] += before + after;
        y = tf.reshape(padded, next);
      });
      return y === x ? tf.clone(x) : y;
    }) as unknown as tf.TensorInfo;
  };
  return { ...original, kernelFunc };
}

/** PadV2 for a GPU backend (webgl / webgpu) that is right at rank 5 and 6; call once the backend is loaded. */
export function gpuPadKernels(backendName: "webgl" | "webgpu"): tf.KernelConfig[] {
  const k = tf.getKernel(tf.PadV2, backendName);
  return k == null ? [] : [padAxisByAxis(k)];
}
