// Correct ResizeNearestNeighborGrad for the cpu backend.
//
// tfjs-backend-cpu 4.22 offsets rows of dy with the *image's* batch stride, so every batch item after the
// first reads the wrong part of dy (batch 1 is right). This version scatters each dy pixel onto the source
// pixel the forward kernel read, using the same index rule (alignCorners, halfPixelCenters).
import * as tf from "@tensorflow/tfjs-core";

interface CpuData { values: Float32Array }
interface CpuBackend { data: { get(id: tf.DataId): CpuData }; makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo }

/** The source index the forward nearest-neighbour kernel reads for output index `o`. */
export function nearestSource(o: number, inSize: number, outSize: number, alignCorners: boolean, halfPixel: boolean): number {
  const ratio = (alignCorners && outSize > 1 ? inSize - 1 : inSize) / (alignCorners && outSize > 1 ? outSize - 1 : outSize);
  const frac = halfPixel ? ratio * (o + 0.5) : ratio * o;
  const nearest = Math.min(inSize - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
  return halfPixel ? Math.max(0, nearest) : nearest;
}

const resizeNearestNeighborGrad: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { images, dy } = inputs as { images: tf.TensorInfo; dy: tf.TensorInfo };
  const { alignCorners, halfPixelCenters } = attrs as unknown as tf.ResizeNearestNeighborGradAttrs;
  const cpu = backend as unknown as CpuBackend;
  const [batch, inH, inW, depth] = images.shape;
  const [, outH, outW] = dy.shape;
  const dyValues = cpu.data.get(dy.dataId).values;
  const out = new Float32Array(batch * inH * inW * depth);
  const srcRow = Array.from({ length: outH }, (_, r) => nearestSource(r, inH, outH, alignCorners, halfPixelCenters));
  const srcCol = Array.from({ length: outW }, (_, c) => nearestSource(c, inW, outW, alignCorners, halfPixelCenters));
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < outH; r++) {
      for (let c = 0; c < outW; c++) {
        const from = ((b * outH + r) * outW + c) * depth; // dy[b, r, c, :]
        const to = ((b * inH + srcRow[r]) * inW + srcCol[c]) * depth; // dx[b, srcRow, srcCol, :]
        for (let d = 0; d < depth; d++) out[to + d] += dyValues[from + d];
      }
    }
  }
  return cpu.makeTensorInfo(images.shape, "float32", out);
};

export const cpuResizeNearestNeighborGrad: tf.KernelConfig = {
  kernelName: tf.ResizeNearestNeighborGrad,
  backendName: "cpu",
  kernelFunc: resizeNearestNeighborGrad,
};
