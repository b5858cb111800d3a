// The native backend's heavy kernels: every convolution (2-D and 3-D, forward and both gradients, so the
// transposed convolutions too) and every matrix product run in oneDNN on the tensors' own channels-last buffers,
// with no copies: oneDNN reads TF.js's layouts (NHWC / NDHWC, HWIO / DHWIO filters) through strided descriptors.
import * as tf from "@tensorflow/tfjs-core";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { convBackwardData, convBackwardWeights, convForward, matMul, type ConvSpec } from "./dnnl";
import { adamStepKernel } from "./adam";
import { cpuKernel, elementwiseKernels } from "./elementwise";
import { layoutKernels } from "./layout";
import { rearrangeKernels } from "./rearrange";
import { NATIVE } from "./names";
import { pool } from "./pool";

type Attrs = Record<string, unknown>;

function values(backend: MathBackendCPU, t: tf.TensorInfo): Float32Array {
  if (t.dtype !== "float32") throw new Error(`native kernels take float32 tensors, got ${t.dtype}`);
  return backend.data.get(t.dataId).values as Float32Array;
}

function output(backend: MathBackendCPU, shape: number[], fill: (out: Float32Array) => void): tf.TensorInfo {
  const out = pool.take(shape.reduce((a, b) => a * b, 1)); // every kernel here writes all of it
  fill(out);
  return backend.makeTensorInfo(shape, "float32", out);
}

function channelsLast(op: string, dataFormat: unknown): void {
  if (dataFormat != null && dataFormat !== "NHWC" && dataFormat !== "NDHWC" && dataFormat !== "channelsLast") {
    throw new Error(`${op} on native: only channels-last data is supported, got ${String(dataFormat)}`);
  }
}

function spec2d(info: tf.backend_util.Conv2DInfo): ConvSpec {
  return {
    batch: info.batchSize,
    inChannels: info.inChannels,
    outChannels: info.outChannels,
    inSpatial: [info.inHeight, info.inWidth],
    outSpatial: [info.outHeight, info.outWidth],
    kernel: [info.filterHeight, info.filterWidth],
    strides: [info.strideHeight, info.strideWidth],
    dilations: [info.dilationHeight, info.dilationWidth],
    padBefore: [info.padInfo.top, info.padInfo.left],
  };
}

function spec3d(info: tf.backend_util.Conv3DInfo): ConvSpec {
  return {
    batch: info.batchSize,
    inChannels: info.inChannels,
    outChannels: info.outChannels,
    inSpatial: [info.inDepth, info.inHeight, info.inWidth],
    outSpatial: [info.outDepth, info.outHeight, info.outWidth],
    kernel: [info.filterDepth, info.filterHeight, info.filterWidth],
    strides: [info.strideDepth, info.strideHeight, info.strideWidth],
    dilations: [info.dilationDepth, info.dilationHeight, info.dilationWidth],
    padBefore: [info.padInfo.front, info.padInfo.top, info.padInfo.left],
  };
}

const outShape = (s: ConvSpec) => [s.batch, ...s.outSpatial, s.outChannels];
const inShape = (s: ConvSpec) => [s.batch, ...s.inSpatial, s.inChannels];

/** A kernel's inputs by name; TF.js passes every input a kernel declares. */
type Inputs = Record<string, tf.TensorInfo>;

function kernel(kernelName: string, body: (backend: MathBackendCPU, inputs: Inputs, attrs: Attrs) => tf.TensorInfo): tf.KernelConfig {
  return {
    kernelName,
    backendName: NATIVE,
    kernelFunc: ({ inputs, attrs, backend }) => body(backend as MathBackendCPU, inputs as Inputs, attrs as Attrs),
  };
}

type Conv2DPad = "same" | "valid" | number | tf.backend_util.ExplicitPadding;
type RoundingMode = "floor" | "round" | "ceil" | undefined;

const conv2d = kernel(tf.Conv2D, (backend, { x, filter }, a) => {
  channelsLast("conv2d", a.dataFormat);
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number],
    a.strides as [number, number], (a.dilations ?? 1) as [number, number], a.pad as Conv2DPad, a.dimRoundingMode as RoundingMode);
  const s = spec2d(info);
  return output(backend, outShape(s), (y) => convForward(s, values(backend, x), values(backend, filter), y));
});

const conv2dBackpropInput = kernel(tf.Conv2DBackpropInput, (backend, { dy, filter }, a) => {
  channelsLast("conv2dTranspose", a.dataFormat);
  const inputShape = a.inputShape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], a.strides as [number, number],
    1, a.pad as Conv2DPad, a.dimRoundingMode as RoundingMode);
  const s = spec2d(info);
  return output(backend, inputShape, (dx) => convBackwardData(s, values(backend, dy), values(backend, filter), dx));
});

const conv2dBackpropFilter = kernel(tf.Conv2DBackpropFilter, (backend, { x, dy }, a) => {
  channelsLast("conv2d's filter gradient", a.dataFormat);
  const filterShape = a.filterShape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, a.strides as [number, number],
    1, a.pad as Conv2DPad, a.dimRoundingMode as RoundingMode);
  const s = spec2d(info);
  return output(backend, filterShape, (dw) => convBackwardWeights(s, values(backend, x), values(backend, dy), dw));
});

type Shape5 = [number, number, number, number, number];
type Triple = [number, number, number];

const conv3d = kernel(tf.Conv3D, (backend, { x, filter }, a) => {
  channelsLast("conv3d", a.dataFormat);
  const info = tf.backend_util.computeConv3DInfo(x.shape as Shape5, filter.shape as Shape5, a.strides as Triple, (a.dilations ?? 1) as Triple,
    a.pad as "same" | "valid");
  const s = spec3d(info);
  return output(backend, outShape(s), (y) => convForward(s, values(backend, x), values(backend, filter), y));
});

const conv3dBackpropInput = kernel(tf.Conv3DBackpropInputV2, (backend, { dy, filter }, a) => {
  const inputShape = a.inputShape as Shape5;
  const info = tf.backend_util.computeConv3DInfo(inputShape, filter.shape as Shape5, a.strides as Triple, 1, a.pad as "same" | "valid");
  const s = spec3d(info);
  return output(backend, inShape(s), (dx) => convBackwardData(s, values(backend, dy), values(backend, filter), dx));
});

const conv3dBackpropFilter = kernel(tf.Conv3DBackpropFilterV2, (backend, { x, dy }, a) => {
  const filterShape = a.filterShape as Shape5;
  const info = tf.backend_util.computeConv3DInfo(x.shape as Shape5, filterShape, a.strides as Triple, 1, a.pad as "same" | "valid");
  const s = spec3d(info);
  return output(backend, filterShape, (dw) => convBackwardWeights(s, values(backend, x), values(backend, dy), dw));
});

const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/**
 * a [..., M, K] · b [..., K, N] (either transposed). oneDNN broadcasts a whole operand (batch 1) across the other's
 * batches; any other broadcast of batch dims goes to the cpu kernel.
 */
function batchMatMul(backend: MathBackendCPU, a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean,
  fallback: () => tf.TensorInfo): tf.TensorInfo {
  const [ra, rb] = [a.shape.length, b.shape.length];
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  const [batchA, batchB] = [a.shape.slice(0, -2), b.shape.slice(0, -2)];
  const [sizeA, sizeB] = [size(batchA), size(batchB)];
  const batchShape = tf.backend_util.assertAndGetBroadcastShape(batchA, batchB);
  const batch = size(batchShape);
  if ((sizeA !== batch && sizeA !== 1) || (sizeB !== batch && sizeB !== 1)) return fallback();
  if (batch === 0 || m === 0 || n === 0) return backend.makeTensorInfo([...batchShape, m, n], "float32", new Float32Array(0));
  const spec = { batch, m, k, n, transposeA, transposeB, batchStrideA: sizeA === 1 ? 0 : 1, batchStrideB: sizeB === 1 ? 0 : 1 } as const;
  return output(backend, [...batchShape, m, n], (c) => {
    if (k === 0) return void c.fill(0); // an empty sum
    matMul(spec, values(backend, a), values(backend, b), c);
  });
}

function matMulKernel(): tf.KernelConfig {
  const cpu = cpuKernel(tf.BatchMatMul);
  return kernel(tf.BatchMatMul, (backend, inputs, attrs) => {
    const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
    const { a, b } = inputs;
    return batchMatMul(backend, a, b, transposeA, transposeB, () => cpu({ inputs, attrs: attrs as tf.NamedAttrMap, backend }) as tf.TensorInfo);
  });
}

/** _FusedMatMul without bias or activation is a product; with them (no model here uses them) the cpu kernel runs. */
function fusedMatMulKernel(): tf.KernelConfig {
  const cpu = cpuKernel(tf._FusedMatMul);
  return kernel(tf._FusedMatMul, (backend, inputs, attrs) => {
    const { transposeA, transposeB, activation } = attrs as unknown as tf._FusedMatMulAttrs;
    const whole = () => cpu({ inputs, attrs: attrs as tf.NamedAttrMap, backend }) as tf.TensorInfo;
    if (inputs.bias != null || (activation != null && activation !== "linear")) return whole();
    return batchMatMul(backend, inputs.a, inputs.b, transposeA, transposeB, whole);
  });
}

/** The kernels oneDNN runs; the rest of the native backend is the cpu backend's. */
export function nativeKernels(): tf.KernelConfig[] {
  return [
    conv2d, conv2dBackpropInput, conv2dBackpropFilter, conv3d, conv3dBackpropInput, conv3dBackpropFilter, matMulKernel(), fusedMatMulKernel(),
    ...elementwiseKernels(),
    ...layoutKernels(),
    ...rearrangeKernels(),
    adamStepKernel,
  ];
}
