import { describe, expect, it } from "vitest";
import { resizeImage } from "@/lib/gan/data/resize";

describe("resizeImage", () => {
  it("area: averages exact blocks when shrinking by an integer factor", () => {
    // 4×4 image of 2×2 blocks [10 20; 30 40], with noise inside each block that averages out.
    const src = [
      [9, 11, 19, 21],
      [11, 9, 21, 19],
      [29, 31, 39, 41],
      [31, 29, 41, 39],
    ].flat();
    expect(Array.from(resizeImage(src, 4, 4, 2, 2, { method: "area" }))).toEqual([10, 20, 30, 40]);
  });

  it("area: weighs partial pixels when the factor is fractional", () => {
    // 3 → 2: output 0 covers source [0, 1.5) = 1·a + 0.5·b over 1.5.
    const out = resizeImage([0, 30, 60], 3, 1, 2, 1, { method: "area" });
    expect(out[0]).toBeCloseTo(10);
    expect(out[1]).toBeCloseTo(50);
  });

  it("bilinear: interpolates between pixel centres and clamps at the edges", () => {
    // 2 → 4 with half-pixel centres: samples at x = -0.25, 0.25, 0.75, 1.25 → 0, 25, 75, 100.
    expect(Array.from(resizeImage([0, 100], 2, 1, 4, 1, { method: "bilinear" }))).toEqual([0, 25, 75, 100]);
  });

  it("keeps a constant image constant, per channel, reading RGBA as RGB", () => {
    const rgba = new Uint8Array(5 * 3 * 4);
    for (let p = 0; p < rgba.length; p += 4) rgba.set([10, 200, 50, 255], p);
    for (const method of ["area", "bilinear"] as const) {
      const out = resizeImage(rgba, 5, 3, 7, 2, { channels: 3, channelStride: 4, method });
      for (let p = 0; p < out.length; p += 3) {
        expect([out[p], out[p + 1], out[p + 2]].map((v) => Math.round(v * 1e4) / 1e4)).toEqual([10, 200, 50]);
      }
    }
  });
});
