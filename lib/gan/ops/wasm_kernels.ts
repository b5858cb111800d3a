// Conv kernels for the wasm backend: im2col / col2im in JS on the wasm heap, products by wasm's matMul
// (~15–27 GFLOP/s here, against ~0.5 for its own conv3d loop). Every product is arranged so that no large
// operand needs wasm's slow transposed matMul path (see wasm_matmul.ts).
//
// tfjs-backend-wasm 4.22 lacks Conv2DBackpropFilter and both depthwise backprop kernels, runs Conv2DBackpropInput
// (conv2dTranspose) at a quarter of its matMul's speed, computes wrong
// Conv3DBackpropInputV2 (so conv3dTranspose is wrong) and wrong Conv3DBackpropFilterV2 for stride 2, and its
// Conv3D is a naive loop. Work is done in batch chunks so the column matrix stays under ~32 MB.
import * as tf from "@tensorflow/tfjs-core";
import { col2im, colWidth, type ConvGeometry, geometry2d, geometry3d, im2col, im2colT, type Pad2d, rowsPerSample } from "./im2col";
import { depthwiseFilterGrad, depthwiseInputGrad } from "./wasm_depthwise";

/** What asTensor needs of a backend (every TF.js backend has it). */
export interface RefCounting {
  incRef(dataId: tf.DataId): void;
}

export interface WasmHeap extends RefCounting {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

type Attrs = Record<string, unknown>;
export const wasmConvLimits = {
  /** Largest column matrix built at once (floats); bigger batches run in chunks. Tests lower it. */
  maxColFloats: 8 << 20,
  /**
   * Row block of filter gradients, which use transposed columns [K·Cin, rows]: short blocks keep those
   * writes cache-local and give colsT·dy the shape wasm's matMul is fastest at.
   */
  filterGradRows: 512,
};

/** A new float32 tensor on the wasm heap, filled in place (the heap may move on allocation: views are fresh). */
export function heapTensor(heap: WasmHeap, shape: number[], fill: (out: Float32Array) => void): tf.Tensor {
  const info = heap.makeOutput(shape, "float32");
  fill(heap.typedArrayFromHeap(info));
  return tf.engine().makeTensorFromTensorInfo(info);
}

/** A kernel input as a tensor. Inputs from ops already are; a bare TensorInfo gets its own reference. */
export function asTensor(backend: RefCounting, t: tf.TensorInfo): tf.Tensor {
  if (t instanceof tf.Tensor) return t;
  backend.incRef(t.dataId);
  return tf.engine().makeTensorFromTensorInfo(t);
}

function chunks(g: ConvGeometry, maxRows = Infinity): Array<[number, number]> {
  const rows = Math.min(maxRows, wasmConvLimits.maxColFloats / colWidth(g));
  const per = Math.max(1, Math.floor(rows / rowsPerSample(g)));
  const out: Array<[number, number]> = [];
  for (let b = 0; b < g.batch; b += per) out.push([b, Math.min(g.batch, b + per)]);
  return out;
}

function columns(heap: WasmHeap, x: tf.TensorInfo, g: ConvGeometry, [b0, b1]: [number, number], transposed = false): tf.Tensor2D {
  const rows = (b1 - b0) * rowsPerSample(g);
  const info = heap.makeOutput(transposed ? [colWidth(g), rows] : [rows, colWidth(g)], "float32");
  (transposed ? im2colT : im2col)(heap.typedArrayFromHeap(x), g, b0, b1, heap.typedArrayFromHeap(info));
  return tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor2D;
}

/** Rows [b0·R, b1·R) of a [B·R, C] matrix stored in `t`, as a tensor. */
function rowsOf(heap: WasmHeap, t: tf.TensorInfo, g: ConvGeometry, [b0, b1]: [number, number], width: number): tf.Tensor2D {
  const whole = tf.reshape(asTensor(heap, t), [-1, width]) as tf.Tensor2D;
  const r = rowsPerSample(g);
  return b0 === 0 && b1 === g.batch ? whole : tf.slice(whole, [b0 * r, 0], [(b1 - b0) * r, width]);
}

export function convForward(heap: WasmHeap, x: tf.TensorInfo, w: tf.TensorInfo, g: ConvGeometry): tf.Tensor {
  const w2 = tf.reshape(asTensor(heap, w), [colWidth(g), g.outChannels]) as tf.Tensor2D;
  const outShape = [g.batch, ...g.outSpatial, g.outChannels];
  const parts = chunks(g).map((c) => tf.matMul(columns(heap, x, g, c), w2));
  if (parts.length === 1) return tf.reshape(parts[0], outShape);
  return heapTensor(heap, outShape, (y) => {
    let at = 0;
    for (const p of parts) {
      y.set(heap.typedArrayFromHeap(p), at);
      at += p.size;
    }
  });
}

export function convFilterGrad(heap: WasmHeap, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry): tf.Tensor2D {
  // dW = colsᵀ·dy, summed over row blocks.
  let acc: tf.Tensor2D | null = null;
  for (const c of chunks(g, wasmConvLimits.filterGradRows)) {
    const part: tf.Tensor2D = tf.matMul(columns(heap, x, g, c, true), rowsOf(heap, dy, g, c, g.outChannels));
    acc = acc == null ? part : tf.add<tf.Tensor2D>(acc, part);
  }
  return acc as tf.Tensor2D; // [K·Cin, Cout]
}

export function convInputGrad(heap: WasmHeap, dy: tf.TensorInfo, w: tf.TensorInfo, g: ConvGeometry): tf.Tensor {
  const w2t = tf.transpose(tf.reshape(asTensor(heap, w), [colWidth(g), g.outChannels])) as tf.Tensor2D; // small
  const dcols = chunks(g).map((c) => [c, tf.matMul(rowsOf(heap, dy, g, c, g.outChannels), w2t)] as const);
  return heapTensor(heap, [g.batch, ...g.inSpatial, g.inChannels], (dx) => {
    // No allocation happens in here, so these heap views stay valid.
    dx.fill(0);
    for (const [[b0, b1], cols] of dcols) col2im(heap.typedArrayFromHeap(cols), g, b0, b1, dx);
  });
}

function assertUnitDilation(op: string, dilations: unknown): void {
  if (dilations != null && !tf.backend_util.tupleValuesAreOne(dilations as number | number[])) {
    throw new Error(`${op} on wasm: dilations other than 1 are not supported`);
  }
}

function assertGeometry(op: string, g: ConvGeometry, dy: tf.TensorInfo): void {
  const want = [g.batch, ...g.outSpatial, g.outChannels];
  const got = dy.shape.length === 4 ? [dy.shape[0], 1, ...dy.shape.slice(1)] : dy.shape;
  if (want.join() !== got.join()) throw new Error(`${op}: dy shape [${dy.shape}] does not match the conv geometry [${want}]`);
}

function kernel(kernelName: string, body: (heap: WasmHeap, inputs: tf.NamedTensorInfoMap, attrs: Attrs) => tf.Tensor): tf.KernelConfig {
  return {
    kernelName,
    backendName: "wasm",
    kernelFunc: ({ inputs, attrs, backend }) =>
      tf.tidy(() => body(backend as unknown as WasmHeap, inputs, attrs as Attrs)) as unknown as tf.TensorInfo,
  };
}

const need = (t: tf.TensorInfo | undefined): tf.TensorInfo => {
  if (t == null) throw new Error("missing kernel input");
  return t;
};

const conv3d = kernel(tf.Conv3D, (heap, { x, filter }, a) => {
  assertUnitDilation("conv3d", a.dilations);
  return convForward(heap, need(x), need(filter), geometry3d(need(x).shape, need(filter).shape, a.strides as number, a.pad as "same"));
});

const conv3dFilterGrad = kernel(tf.Conv3DBackpropFilterV2, (heap, { x, dy }, a) => {
  const filterShape = a.filterShape as number[];
  const g = geometry3d(need(x).shape, filterShape, a.strides as number, a.pad as "same");
  assertGeometry("conv3dDerFilter", g, need(dy));
  return tf.reshape(convFilterGrad(heap, need(x), need(dy), g), filterShape);
});

const conv3dInputGrad = kernel(tf.Conv3DBackpropInputV2, (heap, { dy, filter }, a) => {
  const g = geometry3d(a.inputShape as number[], need(filter).shape, a.strides as number, a.pad as "same");
  assertGeometry("conv3dDerInput", g, need(dy));
  return convInputGrad(heap, need(dy), need(filter), g);
});

const conv2dFilterGrad = kernel(tf.Conv2DBackpropFilter, (heap, { x, dy }, a) => {
  if (a.dataFormat === "NCHW") throw new Error("conv2dDerFilter on wasm: only NHWC is supported");
  const filterShape = a.filterShape as number[];
  const g = geometry2d(need(x).shape, filterShape, a.strides as number, a.pad as Pad2d, a.dimRoundingMode as "floor" | undefined);
  assertGeometry("conv2dDerFilter", g, need(dy));
  return tf.reshape(convFilterGrad(heap, need(x), need(dy), g), filterShape);
});

// Also conv2dTranspose's forward pass: wasm's own (XNNPACK's deconvolution) ran a MoCoGAN generator's layers at
// about 4.6 GFLOP/s, a quarter of what its matMul reaches.
const conv2dInputGrad = kernel(tf.Conv2DBackpropInput, (heap, { dy, filter }, a) => {
  if (a.dataFormat === "NCHW") throw new Error("conv2dDerInput on wasm: only NHWC is supported");
  const g = geometry2d(a.inputShape as number[], need(filter).shape, a.strides as number, a.pad as Pad2d, a.dimRoundingMode as "floor" | undefined);
  assertGeometry("conv2dDerInput", g, need(dy));
  return tf.reshape(convInputGrad(heap, need(dy), need(filter), g), a.inputShape as number[]);
});

const depthwiseFilter = kernel(tf.DepthwiseConv2dNativeBackpropFilter, (heap, { x, dy }, a) => {
  assertUnitDilation("depthwiseConv2dNativeBackpropFilter", a.dilations);
  const filterShape = a.filterShape as number[];
  const g = geometry2d(need(x).shape, [filterShape[0], filterShape[1], filterShape[2], filterShape[2] * filterShape[3]],
    a.strides as number, a.pad as Pad2d, a.dimRoundingMode as "floor" | undefined);
  return depthwiseFilterGrad(heap, need(x), need(dy), g, filterShape[3]);
});

const depthwiseInput = kernel(tf.DepthwiseConv2dNativeBackpropInput, (heap, { dy, filter }, a) => {
  assertUnitDilation("depthwiseConv2dNativeBackpropInput", a.dilations);
  const [kh, kw, cin, mult] = need(filter).shape;
  const g = geometry2d(a.inputShape as number[], [kh, kw, cin, cin * mult], a.strides as number, a.pad as Pad2d,
    a.dimRoundingMode as "floor" | undefined);
  return depthwiseInputGrad(heap, need(dy), need(filter), g, mult);
});

/** Kernels this module replaces or adds on wasm. */
export const wasmConvKernels: tf.KernelConfig[] = [
  conv3d, conv3dFilterGrad, conv3dInputGrad, conv2dFilterGrad, conv2dInputGrad, depthwiseFilter, depthwiseInput,
];
