// Nearest-neighbour upsampling built from reshape + broadcastTo. tf.image.resizeNearestNeighbor's
// gradient is wrong on the cpu backend for batch > 1, and tile's gradient stops at rank 4; broadcastTo's
// gradient is a plain sum, and every intermediate here stays at rank 4.
import "../ops";
import * as tf from "@tensorflow/tfjs-core";

/** Repeats every element `factor` times along `axis` (each copy adjacent to its source). */
export function repeatAxis<T extends tf.Tensor>(x: T, axis: number, factor: number): T {
  if (factor === 1) return x;
  const shape = x.shape;
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const n = shape[axis];
  const grouped = tf.reshape(x, [outer, n, 1, inner]);
  const repeated = tf.broadcastTo(grouped, [outer, n, factor, inner]); // [outer, n, factor, inner]
  const out = [...shape];
  out[axis] = n * factor;
  return tf.reshape(repeated, out) as T;
}

/** [N, H, W, C] → [N, H·f, W·f, C]. */
export function upsampleNearest2d(x: tf.Tensor4D, factor = 2): tf.Tensor4D {
  return repeatAxis(repeatAxis(x, 1, factor), 2, factor);
}

/** [B, T, H, W, C] → [B, T·ft, H·fh, W·fw, C]. */
export function upsampleNearest3d(x: tf.Tensor5D, factors: [number, number, number] = [2, 2, 2]): tf.Tensor5D {
  const [ft, fh, fw] = factors;
  return repeatAxis(repeatAxis(repeatAxis(x, 1, ft), 2, fh), 3, fw);
}
