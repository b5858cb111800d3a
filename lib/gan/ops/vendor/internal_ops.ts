// The few tfjs-core ops that its gradient functions use but the package does not export (they are thin
// wrappers over one kernel each). The vendored gradients import them from here; see build_gradients.ts.
import * as tf from "@tensorflow/tfjs-core";

type Pad2 = "valid" | "same" | number | tf.backend_util.ExplicitPadding;
type Rounding = "floor" | "round" | "ceil" | undefined;

function run<T extends tf.Tensor>(kernel: string, inputs: tf.NamedTensorMap, attrs: object): T {
  return tf.engine().runKernel(kernel, inputs, attrs as tf.NamedAttrMap) as T;
}

const to4D = (t: tf.Tensor): tf.Tensor4D => (t.rank === 3 ? tf.reshape(t, [1, ...t.shape] as [number, number, number, number]) : t) as tf.Tensor4D;
const to5D = (t: tf.Tensor): tf.Tensor5D => (t.rank === 4 ? tf.reshape(t, [1, ...t.shape] as [number, number, number, number, number]) : t) as tf.Tensor5D;
const dropLeading = <T extends tf.Tensor>(t: tf.Tensor, wasReshaped: boolean): T =>
  (wasReshaped ? tf.reshape(t, t.shape.slice(1)) : t) as T;

export function conv2DBackpropFilter(x: tf.Tensor, dy: tf.Tensor, filterShape: number[], strides: [number, number] | number,
  pad: Pad2, dataFormat: "NHWC" | "NCHW" = "NHWC", dimRoundingMode?: Rounding): tf.Tensor4D {
  return run(tf.Conv2DBackpropFilter, { x: to4D(x), dy: to4D(dy) }, { strides, pad, dataFormat, dimRoundingMode, filterShape });
}

export function conv2DBackpropInput(xShape: number[], dy: tf.Tensor, filter: tf.Tensor4D, strides: [number, number] | number,
  pad: Pad2, dataFormat: "NHWC" | "NCHW" = "NHWC", dimRoundingMode?: Rounding): tf.Tensor {
  const r = dy.rank === 3;
  const inputShape = r ? [1, ...xShape] : xShape;
  const res = run(tf.Conv2DBackpropInput, { dy: to4D(dy), filter }, { strides, pad, dataFormat, dimRoundingMode, inputShape });
  return dropLeading(res, r);
}

export function conv3DBackpropFilter(x: tf.Tensor, dy: tf.Tensor, filterShape: number[],
  strides: [number, number, number] | number, pad: "valid" | "same"): tf.Tensor5D {
  return run(tf.Conv3DBackpropFilterV2, { x: to5D(x), dy: to5D(dy) }, { strides, pad, filterShape });
}

export function conv3DBackpropInput(xShape: number[], dy: tf.Tensor, filter: tf.Tensor5D,
  strides: [number, number, number] | number, pad: "valid" | "same"): tf.Tensor {
  const r = dy.rank === 4;
  const inputShape = r ? [1, ...xShape] : xShape;
  return dropLeading(run(tf.Conv3DBackpropInputV2, { dy: to5D(dy), filter }, { strides, pad, inputShape }), r);
}

export function depthwiseConv2dNativeBackpropFilter(x: tf.Tensor, dy: tf.Tensor, filterShape: number[],
  strides: [number, number] | number, pad: Pad2, dilations: [number, number] | number = [1, 1], dimRoundingMode?: Rounding): tf.Tensor4D {
  return run(tf.DepthwiseConv2dNativeBackpropFilter, { x: to4D(x), dy: to4D(dy) },
    { strides, pad, dimRoundingMode, dilations, filterShape });
}

export function depthwiseConv2dNativeBackpropInput(xShape: number[], dy: tf.Tensor, filter: tf.Tensor4D,
  strides: [number, number] | number, pad: Pad2, dilations: [number, number] | number = [1, 1], dimRoundingMode?: Rounding): tf.Tensor {
  const r = dy.rank === 3;
  const res = run(tf.DepthwiseConv2dNativeBackpropInput, { dy: to4D(dy), filter },
    { strides, pad, dimRoundingMode, dilations, inputShape: xShape });
  return dropLeading(res, r);
}

export function avgPoolGrad(dy: tf.Tensor, input: tf.Tensor, filterSize: [number, number] | number,
  strides: [number, number] | number, pad: Pad2): tf.Tensor {
  const r = input.rank === 3;
  return dropLeading(run(tf.AvgPoolGrad, { dy: to4D(dy), input: to4D(input) }, { filterSize, strides, pad }), r);
}

export function avgPool3dGrad(dy: tf.Tensor, input: tf.Tensor, filterSize: [number, number, number] | number,
  strides: [number, number, number] | number, pad: Pad2, dimRoundingMode?: Rounding): tf.Tensor {
  const r = input.rank === 4;
  return dropLeading(run(tf.AvgPool3DGrad, { dy: to5D(dy), input: to5D(input) }, { filterSize, strides, pad, dimRoundingMode }), r);
}

export function maxPoolGrad(dy: tf.Tensor4D, input: tf.Tensor4D, output: tf.Tensor4D, filterSize: [number, number] | number,
  strides: [number, number] | number, pad: Pad2, dimRoundingMode?: Rounding): tf.Tensor4D {
  return run(tf.MaxPoolGrad, { dy, input, output }, { filterSize, strides, pad, dimRoundingMode });
}

export function maxPool3dGrad(dy: tf.Tensor, input: tf.Tensor, output: tf.Tensor, filterSize: [number, number, number] | number,
  strides: [number, number, number] | number, pad: Pad2, dimRoundingMode?: Rounding): tf.Tensor {
  const r = input.rank === 4;
  const res = run(tf.MaxPool3DGrad, { dy: to5D(dy), input: to5D(input), output: to5D(output) },
    { filterSize, strides, pad, dimRoundingMode });
  return dropLeading(res, r);
}

export function localResponseNormalizationBackprop(x: tf.Tensor4D, y: tf.Tensor4D, dy: tf.Tensor4D, depthRadius = 5,
  bias = 1, alpha = 1, beta = 0.5): tf.Tensor4D {
  return run(tf.LRNGrad, { x, y, dy }, { depthRadius, bias, alpha, beta });
}
