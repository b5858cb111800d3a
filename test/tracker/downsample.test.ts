import { describe, expect, it } from "vitest";
import { emptyColumns } from "@/lib/tracker/columns";
import { downsample } from "@/lib/tracker/downsample";

function series(values: number[]) {
  const c = emptyColumns(values.length);
  values.forEach((v, i) => {
    c.steps[i] = i;
    c.values[i] = v;
    c.times[i] = 1000 + i;
  });
  return c;
}

describe("downsample", () => {
  it("returns a short series unchanged", () => {
    const c = series([1, 2, 3]);
    expect(downsample(c, 10)).toBe(c);
  });

  it("keeps each bucket's min and max, in step order, within maxPoints", () => {
    const values = Array.from({ length: 1000 }, (_, i) => Math.sin(i / 10));
    values[517] = 50;
    values[802] = -50;
    const d = downsample(series(values), 100);
    expect(d.steps.length).toBeLessThanOrEqual(100);
    expect(Array.from(d.values)).toContain(50);
    expect(Array.from(d.values)).toContain(-50);
    for (let i = 1; i < d.steps.length; i++) expect(d.steps[i]).toBeGreaterThan(d.steps[i - 1]);
    // times travel with their points
    for (let i = 0; i < d.steps.length; i++) expect(d.times[i]).toBe(1000 + d.steps[i]);
  });

  it("keeps a NaN that sits among finite values", () => {
    const values = Array.from({ length: 1000 }, (_, i) => i);
    values[333] = NaN;
    const d = downsample(series(values), 90);
    expect(d.steps.length).toBeLessThanOrEqual(90);
    expect(Array.from(d.steps)).toContain(333);
  });

  it("emits one point for a bucket of only NaNs", () => {
    const d = downsample(series(new Array(100).fill(NaN)), 10);
    expect(d.steps.length).toBe(3); // 10 / 3 buckets of NaN, one point each
    expect(Array.from(d.values).every(Number.isNaN)).toBe(true);
  });
});
