// Building blocks for the video GANs: tiny classes holding named tf.Variables, plus pure functions.
export { ParamStore, countParams, ones, zeros } from "./params";
export type { Init } from "./params";
export { Dense, dcganInit } from "./dense";
export type { LayerOptions } from "./dense";
export { Conv2d, Conv2dTranspose, transposedLength } from "./conv2d";
export type { Conv2dSpec, Padding2d } from "./conv2d";
export { Conv3d, Conv3dTranspose } from "./conv3d";
export type { Conv3dSpec, Conv3dTransposeSpec, Padding3d } from "./conv3d";
export { BatchNorm } from "./batchnorm";
export type { BatchNormOptions } from "./batchnorm";
export { GruCell } from "./gru";
export { SpectralNorm, Weight } from "./spectral-norm";
export { clipBatchNormGamma, clipSingularValues, spectralNormOf } from "./svc";
export { symmetricEigen } from "./symeig";
export { l2Normalize, leakyRelu } from "./functional";
export { repeatAxis, upsampleNearest2d, upsampleNearest3d } from "./upsample";
