// IEEE 754 half precision for stored weights: tf.io's own "float16" quantization, which every tf.io loader
// (decodeWeights, tf.io.http, our file handler) expands back to float32. Used by the metric networks' weights and
// the trained checkpoints the app ships (lib/gan/pretrained.ts).
import * as tf from "@tensorflow/tfjs-core";

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 binary16 bits of each value, rounded to nearest even (subnormals kept, overflow to ±∞, NaN kept). */
export function toFloat16(values: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    f32[0] = values[i];
    const x = u32[0];
    const sign = (x >>> 16) & 0x8000;
    const exp = ((x >>> 23) & 0xff) - 127 + 15;
    let mant = x & 0x7fffff;
    if (((x >>> 23) & 0xff) === 0xff) out[i] = sign | 0x7c00 | (mant ? 0x200 : 0);
    else if (exp >= 31) out[i] = sign | 0x7c00;
    else if (exp <= 0) {
      if (exp < -10) {
        out[i] = sign;
        continue;
      }
      mant |= 0x800000; // the implicit 1, shifted into a subnormal
      const shift = 14 - exp;
      let h = mant >>> shift;
      const rest = mant & ((1 << shift) - 1);
      const half = 1 << (shift - 1);
      if (rest > half || (rest === half && h & 1)) h++;
      out[i] = sign | h;
    } else {
      let h = (exp << 10) | (mant >>> 13);
      const rest = mant & 0x1fff;
      if (rest > 0x1000 || (rest === 0x1000 && h & 1)) h++; // a carry into the exponent is still correct
      out[i] = sign | h;
    }
  }
  return out;
}

/**
 * The same artifacts with the float32 tensors `toHalf` picks stored as float16 (half the bytes); the others, and
 * every non-float32 tensor, keep their bytes. Metadata and topology are unchanged.
 */
export async function quantizeFloat16(artifacts: tf.io.ModelArtifacts, toHalf: (name: string) => boolean): Promise<tf.io.ModelArtifacts> {
  if (!artifacts.weightSpecs || !artifacts.weightData) return artifacts;
  const tensors = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
  try {
    const specs: tf.io.WeightsManifestEntry[] = [];
    const parts: Uint8Array[] = [];
    for (const spec of artifacts.weightSpecs) {
      const t = tensors[spec.name];
      const values = await t.data();
      const half = t.dtype === "float32" && toHalf(spec.name);
      const bytes = half ? toFloat16(values as Float32Array) : (values as Float32Array | Int32Array | Uint8Array);
      parts.push(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      specs.push({ name: spec.name, shape: spec.shape, dtype: t.dtype as tf.io.WeightsManifestEntry["dtype"], ...(half ? { quantization: { dtype: "float16" } } : {}) });
    }
    const data = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
    let at = 0;
    for (const p of parts) {
      data.set(p, at);
      at += p.byteLength;
    }
    return { ...artifacts, weightSpecs: specs, weightData: data.buffer };
  } finally {
    tf.dispose(Object.values(tensors));
  }
}
