// Importing this module makes plain TF.js 4.22 trainable for every op our video GANs use, on cpu, wasm,
// webgl and webgpu. `npm run gradcheck` proves it op by op and backend by backend.
//
// Gradients (global, all backends):
//   tfjs-core's own gradients — shipped only as an ES-module tree Node cannot load (vendor/)
//   Conv3DBackpropInputV2 (conv3dTranspose), Conv3DBackpropFilterV2, Conv2DBackpropFilter — none in tfjs
//   LeakyRelu — rank 5 on webgl/webgpu, and twice differentiable; comparisons/logic — zero, so masks
//   built in a gradient can be differentiated again (R1, WGAN-GP); FusedBatchNorm — right for rank 5;
//   Mean — one broadcast instead of a tensor of ones, a product and a quotient
// The backward pass frees each gradient and saved tensor once no node left needs it (backprop.ts), as PyTorch does.
// Kernels (per backend, applied by initBackend or patchBackendKernels):
//   cpu: ResizeNearestNeighborGrad (wrong for batch > 1)
//   wasm: conv3d / conv3dTranspose / conv filter gradients via im2col + matMul (missing or wrong, and
//     ~20× faster), depthwise gradients, UnsortedSegmentSum (gather's gradient), untransposed matMul,
//     reductions without rank-5 transposes, Slice and Tile as run copies
//   webgl: Select and PadV2 above rank 4; webgpu: the same plus rank-5 × 1-D broadcasting, and conv3d and conv2d
//     (forward and both gradients) as our shaders: tiled implicit GEMMs, and a direct transposed convolution
import "./vendor/tfjs_gradients.js"; // tfjs-core's own gradients; ours below override some of them
import { installFreeingBackprop } from "./backprop";
import { registerGradients } from "./gradients";
import { patchLoadedBackends } from "./patches";

registerGradients();
patchLoadedBackends();
installFreeingBackprop();

export { registerGradients } from "./gradients";
export { patchBackendKernels } from "./patches";
export { addChannelBias } from "./channel_bias";
export { stopGradient } from "./stop_gradient";
