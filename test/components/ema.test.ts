import { describe, expect, it } from "vitest";
import { debiasedEma } from "@/components/metrics/ema";
import { nonFinitePoints, spliceRange } from "@/components/metrics/series";

describe("debiasedEma", () => {
  it("returns the values unchanged at weight 0", () => {
    expect(debiasedEma([1, 5, 2], 0)).toEqual([1, 5, 2]);
  });

  it("is debiased: the first point equals the first value, not a fraction of it", () => {
    expect(debiasedEma([4, 4.5], 0.9)[0]).toBeCloseTo(4);
  });

  it("matches TensorBoard's formula", () => {
    const w = 0.6;
    const [a, b, c] = [1, 3, 2];
    const l1 = (1 - w) * a;
    const l2 = w * l1 + (1 - w) * b;
    const l3 = w * l2 + (1 - w) * c;
    const out = debiasedEma([a, b, c], w);
    expect(out[1]).toBeCloseTo(l2 / (1 - w ** 2));
    expect(out[2]).toBeCloseTo(l3 / (1 - w ** 3));
  });

  it("keeps nulls in place and leaves them out of the average", () => {
    const out = debiasedEma([2, null, 2, 4], 0.5);
    expect(out[1]).toBeNull();
    expect(out[2]).toBeCloseTo(2);
  });

  it("leaves a constant series exact", () => {
    expect(debiasedEma([0.1, 0.1, 0.1], 0.9)).toEqual([0.1, 0.1, 0.1]);
  });
});

describe("series helpers", () => {
  it("marks each non-finite value level with the last finite one", () => {
    expect(nonFinitePoints({ steps: [0, 1, 2, 3], values: [1, null, 3, Infinity] })).toEqual({
      steps: [1, 3],
      values: [1, 3],
    });
  });

  it("splices a finer window into the overview", () => {
    const base = { steps: [0, 10, 20, 30], values: [0, 1, 2, 3] };
    const detail = { steps: [10, 11, 12, 20], values: [1, 1.1, 1.2, 2] };
    expect(spliceRange(base, detail, 10, 20).steps).toEqual([0, 10, 11, 12, 20, 30]);
  });
});
