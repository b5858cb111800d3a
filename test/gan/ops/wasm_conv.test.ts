import { afterEach, describe, expect, it } from "vitest";
import { convCases } from "../../../lib/gan/ops/check/cases_conv";
import { wasmConvLimits } from "../../../lib/gan/ops/wasm_kernels";
import { verdictOn } from "./helpers";

// The wasm conv kernels split big batches into chunks; the gradient-check shapes are too small to need
// that, so shrink the limits and check every conv case again against cpu and finite differences.
describe("wasm conv kernels in chunks", () => {
  const saved = { ...wasmConvLimits };
  afterEach(() => Object.assign(wasmConvLimits, saved));

  for (const c of convCases) {
    it(`${c.name}: one sample per chunk`, async () => {
      Object.assign(wasmConvLimits, { maxColFloats: 1, filterGradRows: 1 });
      const v = await verdictOn("wasm", c);
      expect(v.note).toBeUndefined();
    });
  }
});
