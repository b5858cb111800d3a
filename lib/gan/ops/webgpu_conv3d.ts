// Conv3D and both its gradients for webgpu as tiled implicit-GEMM shaders (webgpu_conv3d_mm.ts: the forward pass
// and the input gradient; webgpu_conv3d_filter_mm.ts: the filter gradient).
//
// TF.js 4.22's webgpu Conv3D is a naive one-thread-per-output shader, and its two gradients give each output (or
// filter) element one thread that loops over everything it sums: 11–48% of the same adapter's tiled matMul at the
// models' shapes (npm run bench:kernels). Our shaders read the matrices where they lie in x, dy and w, in the tiles
// of TF.js's matMul. TF.js's kernels stay for dilated convolutions, for calls too large for one dispatch, and for
// the forward pass of a head (fewer than 4 output channels: a critic's one score over a few dozen positions), where
// one thread per output is faster than tiles with one channel to fill.
import * as tf from "@tensorflow/tfjs-core";
import { conv3dFilterGradMM, filterFitsOneDispatch } from "./webgpu_conv3d_filter_mm";
import { fitsOneDispatch, runConv3dMM, type WebgpuRunner } from "./webgpu_conv3d_mm";

type Info = tf.backend_util.Conv3DInfo;
type Attrs = Record<string, unknown>;

const conv3dInfo = (xShape: number[], filterShape: number[], a: Attrs): Info =>
  tf.backend_util.computeConv3DInfo(xShape as [number, number, number, number, number], filterShape as [number, number, number, number, number],
    a.strides as [number, number, number], 1, a.pad as "same");

/** Whether our shader takes the call; measured with bench:kernels on SwiftShader (see the file's head). */
function ours(kernelName: string, i: Info): boolean {
  if (kernelName === tf.Conv3D) return i.outChannels >= 4 && fitsOneDispatch("forward", i);
  if (kernelName === tf.Conv3DBackpropInputV2) return fitsOneDispatch("input", i);
  return filterFitsOneDispatch(i);
}

function kernel(kernelName: string, names: [string, string], geometry: (shapeOf: (name: string) => number[], attrs: Attrs) => Info,
  run: (backend: WebgpuRunner, a: tf.TensorInfo, b: tf.TensorInfo, info: Info) => tf.TensorInfo): tf.KernelConfig[] {
  const original = tf.getKernel(kernelName, "webgpu");
  if (original == null) return [];
  const kernelFunc: tf.KernelFunc = (args) => {
    const a = args.attrs as Attrs;
    if (a.dilations != null && !tf.backend_util.tupleValuesAreOne(a.dilations as number | number[])) return original.kernelFunc(args);
    const info = geometry((name) => (args.inputs[name] as tf.TensorInfo).shape, a);
    if (!ours(kernelName, info)) return original.kernelFunc(args);
    const [x, y] = names.map((name) => args.inputs[name] as tf.TensorInfo);
    return run(args.backend as unknown as WebgpuRunner, x, y, info);
  };
  return [{ ...original, kernelFunc }];
}

/** Conv3D and both its gradients for webgpu (call once webgpu is loaded). */
export function webgpuConv3dKernels(): tf.KernelConfig[] {
  return [
    // The shaders write [positions, channels], which is NDHWC in memory: only the shape changes.
    ...kernel(tf.Conv3D, ["x", "filter"], (shape, a) => conv3dInfo(shape("x"), shape("filter"), a),
      (backend, x, w, info) => ({ ...runConv3dMM(backend, "forward", x, w, info), shape: info.outShape })),
    ...kernel(tf.Conv3DBackpropInputV2, ["dy", "filter"], (shape, a) => conv3dInfo(a.inputShape as number[], shape("filter"), a),
      (backend, dy, w, info) => ({ ...runConv3dMM(backend, "input", dy, w, info), shape: info.inShape })),
    ...kernel(tf.Conv3DBackpropFilterV2, ["x", "dy"], (shape, a) => conv3dInfo(shape("x"), a.filterShape as number[], a), conv3dFilterGradMM),
  ];
}
