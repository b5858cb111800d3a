// Conv3D and both its gradients for webgpu in our shaders: the forward pass and the filter gradient as tiled
// implicit-GEMM shaders (webgpu_conv3d_mm.ts, webgpu_conv3d_filter_mm.ts), the input gradient as a direct transposed
// convolution split by stride phase (webgpu_conv3d_input.ts).
//
// TF.js 4.22's webgpu Conv3D is a naive one-thread-per-output shader, and its two gradients give each output (or
// filter) element one thread that loops over everything it sums: 11–48% of the same adapter's tiled matMul at the
// models' shapes (npm run bench:kernels). Our shaders read x, dy and w where they lie. TF.js's kernels stay for
// dilated convolutions, for calls too large for one dispatch, and for the forward pass of a head (fewer than 4 output
// channels: a critic's one score over a few dozen positions), where one thread per output is faster than tiles with
// one channel to fill.
import * as tf from "@tensorflow/tfjs-core";
import { conv3dFilterGradMM, filterFitsOneDispatch } from "./webgpu_conv3d_filter_mm";
import { conv3dInputGrad, inputGradFitsOneDispatch } from "./webgpu_conv3d_input";
import { conv3dForwardMM, fitsOneDispatch, type WebgpuRunner } from "./webgpu_conv3d_mm";

type Info = tf.backend_util.Conv3DInfo;
type Attrs = Record<string, unknown>;

/** One of our shaders: which calls it takes (the rules were measured with bench:kernels), and how it runs one. */
export interface Shader {
  takes(info: Info): boolean;
  run(backend: WebgpuRunner, a: tf.TensorInfo, b: tf.TensorInfo, info: Info): tf.TensorInfo;
}

export const forwardShader: Shader = { takes: (info) => info.outChannels >= 4 && fitsOneDispatch(info), run: conv3dForwardMM };
export const inputGradShader: Shader = { takes: inputGradFitsOneDispatch, run: conv3dInputGrad };
export const filterGradShader: Shader = { takes: filterFitsOneDispatch, run: conv3dFilterGradMM };

/** A call as our shaders see it: its geometry as a 3-D convolution, and the shape of the kernel's output. */
export interface Geometry {
  info: Info;
  shape: number[];
}

/**
 * Webgpu's `kernelName` with the calls that `shader` takes run in it. The shaders write the output's memory in
 * channels-last order, so only its shape is set here. Dilated convolutions, calls `geometry` cannot express (null),
 * and those the shader turns down keep TF.js's kernel.
 */
export function convKernel(kernelName: string, names: [string, string], shader: Shader,
  geometry: (shapeOf: (name: string) => number[], attrs: Attrs) => Geometry | null): tf.KernelConfig[] {
  const original = tf.getKernel(kernelName, "webgpu");
  if (original == null) return [];
  const kernelFunc: tf.KernelFunc = (args) => {
    const a = args.attrs as Attrs;
    if (a.dilations != null && !tf.backend_util.tupleValuesAreOne(a.dilations as number | number[])) return original.kernelFunc(args);
    const call = geometry((name) => (args.inputs[name] as tf.TensorInfo).shape, a);
    if (call == null || !shader.takes(call.info)) return original.kernelFunc(args);
    const [x, y] = names.map((name) => args.inputs[name] as tf.TensorInfo);
    return { ...shader.run(args.backend as unknown as WebgpuRunner, x, y, call.info), shape: call.shape };
  };
  return [{ ...original, kernelFunc }];
}

const conv3dInfo = (xShape: number[], filterShape: number[], a: Attrs): Info =>
  tf.backend_util.computeConv3DInfo(xShape as [number, number, number, number, number], filterShape as [number, number, number, number, number],
    a.strides as [number, number, number], 1, a.pad as "same");

/** Conv3D and both its gradients for webgpu (call once webgpu is loaded). */
export function webgpuConv3dKernels(): tf.KernelConfig[] {
  return [
    ...convKernel(tf.Conv3D, ["x", "filter"], forwardShader, (shape, a) => {
      const info = conv3dInfo(shape("x"), shape("filter"), a);
      return { info, shape: info.outShape };
    }),
    ...convKernel(tf.Conv3DBackpropInputV2, ["dy", "filter"], inputGradShader, (shape, a) => {
      const info = conv3dInfo(a.inputShape as number[], shape("filter"), a);
      return { info, shape: info.inShape };
    }),
    ...convKernel(tf.Conv3DBackpropFilterV2, ["x", "dy"], filterGradShader, (shape, a) => {
      const info = conv3dInfo(shape("x"), a.filterShape as number[], a);
      return { info, shape: info.filterShape };
    }),
  ];
}
