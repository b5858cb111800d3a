import { describe, expect, it } from "vitest";
import { normaliseModelJson, specBytes } from "@/lib/tracker/checkpoint-manifest";
import { ApiError } from "@/lib/tracker/errors";

describe("specBytes", () => {
  it("sums tensor sizes by dtype and quantization", () => {
    expect(
      specBytes([
        { name: "a", shape: [2, 3], dtype: "float32" },
        { name: "b", shape: [], dtype: "int32" },
        { name: "c", shape: [5], dtype: "bool" },
        { name: "d", shape: [4], dtype: "float32", quantization: { dtype: "uint8" } },
        { name: "e", shape: [3], dtype: "float32", quantization: { dtype: "float16" } },
        { name: "f", shape: [1], dtype: "complex64" },
      ]),
    ).toBe(24 + 4 + 5 + 4 + 6 + 8);
  });

  it("gives up on string tensors, whose size depends on the data", () => {
    expect(specBytes([{ name: "s", shape: [1], dtype: "string" }])).toBeNull();
  });
});

describe("normaliseModelJson", () => {
  const manifest = {
    modelTopology: { k: 1 },
    format: "layers-model",
    weightsManifest: [
      { paths: ["group1-shard1of2.bin"], weights: [{ name: "a", shape: [2], dtype: "float32" }] },
      { paths: ["group2-shard1of1.bin"], weights: [{ name: "b", shape: [1], dtype: "float32" }] },
    ],
  };

  it("merges manifest groups into one group naming weights.bin, keeping the rest", () => {
    expect(normaliseModelJson(JSON.stringify(manifest), 12)).toEqual({
      modelTopology: { k: 1 },
      format: "layers-model",
      weightsManifest: [
        {
          paths: ["weights.bin"],
          weights: [
            { name: "a", shape: [2], dtype: "float32" },
            { name: "b", shape: [1], dtype: "float32" },
          ],
        },
      ],
    });
  });

  it("refuses a binary of the wrong size with 422", () => {
    const err = (() => {
      try {
        normaliseModelJson(JSON.stringify(manifest), 8);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(422);
  });
});
