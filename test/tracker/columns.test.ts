import { describe, expect, it } from "vitest";
import { emptyColumns, sortByStep, stepRange, toJson } from "@/lib/tracker/columns";

function cols(steps: number[], values: number[]) {
  const c = emptyColumns(steps.length);
  c.steps.set(steps);
  c.values.set(values);
  c.times.set(steps.map((s) => s * 10));
  return c;
}

describe("columns", () => {
  it("sorts by step, keeping arrival order among equal steps", () => {
    const c = sortByStep(cols([3, 1, 2, 1], [30, 10, 20, 11]));
    expect(Array.from(c.steps)).toEqual([1, 1, 2, 3]);
    expect(Array.from(c.values)).toEqual([10, 11, 20, 30]);
    expect(Array.from(c.times)).toEqual([10, 10, 20, 30]);
  });

  it("selects an inclusive step range", () => {
    const c = cols([1, 2, 2, 3, 5, 8], [1, 2, 2, 3, 5, 8]);
    expect(Array.from(stepRange(c, 2, 5).steps)).toEqual([2, 2, 3, 5]);
    expect(Array.from(stepRange(c, 4, 4).steps)).toEqual([]);
    expect(Array.from(stepRange(c, undefined, 1).steps)).toEqual([1]);
    expect(Array.from(stepRange(c, 6).steps)).toEqual([8]);
  });

  it("turns NaN into null for JSON", () => {
    expect(toJson(cols([1, 2], [0.5, NaN]))).toEqual({ steps: [1, 2], values: [0.5, null], times: [10, 20] });
  });
});
