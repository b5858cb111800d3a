// Validates an uploaded TF.js model.json against its weights binary and rewrites it to point at the stored file.
import { invalid } from "./errors";
import { parseJsonText } from "./json-input";
import { modelJson, type ModelJson, type WeightSpec } from "./schemas";
import { parseWith } from "./http";

/** The name model.json's manifest gives the binary; resolved by TF.js relative to model.json's own URL. */
export const WEIGHTS_FILE = "weights.bin";

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2 };

/** Bytes the specs occupy in the binary, or null when a string tensor makes the size data-dependent. */
export function specBytes(specs: readonly WeightSpec[]): number | null {
  let total = 0;
  for (const s of specs) {
    if (s.dtype === "string") return null;
    const elements = s.shape.reduce((a, b) => a * b, 1);
    total += elements * BYTES[s.quantization?.dtype ?? s.dtype];
  }
  return total;
}

/**
 * Parses model.json text, checks that its weight specs describe exactly `weightBytes` bytes (a truncated or
 * mismatched upload would load as garbage), and returns the JSON to store: one manifest group naming WEIGHTS_FILE.
 */
export function normaliseModelJson(text: string, weightBytes: number): ModelJson {
  const raw = parseJsonText(text, "modelJson", { finite: true });
  const { weightsManifest, weightSpecs, ...rest } = parseWith(modelJson, raw);
  const specs = weightsManifest ? weightsManifest.flatMap((g) => g.weights) : weightSpecs;
  if (!specs) throw invalid("modelJson: expected weightsManifest or weightSpecs");
  const expected = specBytes(specs);
  if (expected !== null && expected !== weightBytes) {
    throw invalid(`weights: ${weightBytes} bytes, but the weight specs describe ${expected}`);
  }
  // Several shards upload as one binary in manifest order, so one group covers them all.
  return { ...rest, weightsManifest: [{ paths: [WEIGHTS_FILE], weights: specs }] };
}
