// Gradients tfjs-core 4.22 lacks for the "backprop" conv kernels, so that
//  - tf.conv3dTranspose (which runs Conv3DBackpropInputV2) trains at all, and
//  - a gradient penalty (R1 / WGAN-GP) can differentiate a conv's input- or filter-gradient once more.
// Each is the adjoint of a linear map, written with kernels that already have gradients, so these
// gradients are themselves differentiable.
import * as tf from "@tensorflow/tfjs-core";

type Pad = "valid" | "same";
type Strides3 = [number, number, number] | number;

function conv3dFilterGrad(x: tf.Tensor5D, dy: tf.Tensor5D, filterShape: number[], strides: Strides3, pad: Pad): tf.Tensor5D {
  // tfjs-core does not export conv3DBackpropFilter; run its kernel through the engine (taped like any op).
  return tf.engine().runKernel(tf.Conv3DBackpropFilterV2, { x, dy }, { strides, pad, filterShape }) as tf.Tensor5D;
}

function conv3dInputGrad(inputShape: number[], dy: tf.Tensor5D, filter: tf.Tensor5D, strides: Strides3, pad: Pad): tf.Tensor5D {
  return tf.engine().runKernel(tf.Conv3DBackpropInputV2, { dy, filter }, { strides, pad, inputShape }) as tf.Tensor5D;
}

/** out = Conv3DBackpropInput(dy, W): d/d(dy) is conv3d(g, W); d/dW is the filter gradient of conv3d(g) w.r.t. dy. */
const conv3dBackpropInputGrad: tf.GradConfig = {
  kernelName: tf.Conv3DBackpropInputV2,
  inputsToSave: ["dy", "filter"],
  gradFunc: (g, saved, attrs) => {
    const [dy, filter] = saved as [tf.Tensor5D, tf.Tensor5D];
    const { strides, pad } = attrs as unknown as tf.Conv3DBackpropInputV2Attrs;
    const g5 = g as tf.Tensor5D; // [B, D, H, W, Cin]: same shape as the conv's input
    return {
      dy: () => tf.conv3d(g5, filter, strides, pad),
      filter: () => conv3dFilterGrad(g5, dy, filter.shape, strides, pad),
    };
  },
};

/** out = Conv3DBackpropFilter(x, dy): linear in each; the adjoints are conv3d's input gradient and conv3d itself. */
const conv3dBackpropFilterGrad: tf.GradConfig = {
  kernelName: tf.Conv3DBackpropFilterV2,
  inputsToSave: ["x", "dy"],
  gradFunc: (g, saved, attrs) => {
    const [x, dy] = saved as [tf.Tensor5D, tf.Tensor5D];
    const { strides, pad } = attrs as unknown as tf.Conv3DBackpropFilterV2Attrs;
    const gW = g as tf.Tensor5D; // [kd, kh, kw, Cin, Cout]
    return {
      x: () => conv3dInputGrad(x.shape, dy, gW, strides, pad),
      dy: () => tf.conv3d(x, gW, strides, pad),
    };
  },
};

/** 2-D counterpart of the above; tfjs has Conv2DBackpropInput's gradient but not Conv2DBackpropFilter's. */
const conv2dBackpropFilterGrad: tf.GradConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  inputsToSave: ["x", "dy"],
  gradFunc: (g, saved, attrs) => {
    const [x, dy] = saved as [tf.Tensor4D, tf.Tensor4D];
    const { strides, pad, dataFormat, dimRoundingMode } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const gW = g as tf.Tensor4D; // [kh, kw, Cin, Cout]
    const inputAttrs = { strides, pad, dataFormat, dimRoundingMode, inputShape: x.shape };
    return {
      x: () => tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter: gW }, inputAttrs as unknown as tf.NamedAttrMap) as tf.Tensor4D,
      dy: () => tf.conv2d(x, gW, strides, pad, dataFormat, 1, dimRoundingMode),
    };
  },
};

export function registerConvTransposeGrads(): void {
  tf.registerGradient(conv3dBackpropInputGrad);
  tf.registerGradient(conv3dBackpropFilterGrad);
  tf.registerGradient(conv2dBackpropFilterGrad);
}
