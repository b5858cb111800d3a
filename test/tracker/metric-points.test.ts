import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/tracker/errors";
import { parseBatch } from "@/lib/tracker/metric-points";

function failure(body: unknown): ApiError {
  try {
    parseBatch(body);
  } catch (e) {
    return e as ApiError;
  }
  throw new Error("expected parseBatch to throw");
}

describe("parseBatch", () => {
  it("groups points by key into sorted Float64 columns, null as NaN, missing time as now", () => {
    const parsed = parseBatch(
      {
        batch: 3,
        points: [
          { key: "g", step: 5, value: 2, time: 50 },
          { key: "d", step: 1, value: null },
          { key: "g", step: 4, value: 1, time: 40 },
        ],
      },
      999,
    );
    expect(parsed.batch).toBe(3);
    expect(parsed.count).toBe(3);
    const g = parsed.columns.get("g")!;
    expect([Array.from(g.steps), Array.from(g.values), Array.from(g.times)]).toEqual([[4, 5], [1, 2], [40, 50]]);
    const d = parsed.columns.get("d")!;
    expect(Number.isNaN(d.values[0])).toBe(true);
    expect(d.times[0]).toBe(999);
  });

  it("parses the columnar form the same way", () => {
    const parsed = parseBatch({ batch: 0, series: { g: { steps: [5, 4], values: [2, null], times: [50, 40] } } });
    const g = parsed.columns.get("g")!;
    expect([Array.from(g.steps), Array.from(g.times)]).toEqual([[4, 5], [40, 50]]);
    expect(Number.isNaN(g.values[0])).toBe(true);
  });

  it("reports each bad point by path, up to ten", () => {
    const points = Array.from({ length: 50 }, (_, i) => ({ key: "a", step: -i - 1, value: 1 }));
    const err = failure({ batch: 0, points });
    expect(err.status).toBe(422);
    expect(err.issues).toHaveLength(10);
    expect(err.issues![0]).toEqual({ path: "points.0.step", message: "expected an integer >= 0" });
  });

  it("refuses over 10,000 points in either form with 413", () => {
    const many = Array.from({ length: 10_001 }, (_, i) => i);
    expect(failure({ batch: 0, points: many.map((i) => ({ key: "a", step: i, value: 0 })) }).status).toBe(413);
    const half = many.slice(0, 5001);
    const series = { a: { steps: half, values: half }, b: { steps: half, values: half } };
    expect(failure({ batch: 0, series }).status).toBe(413);
  });

  it("refuses a key over 200 characters and steps beyond safe integers", () => {
    expect(failure({ batch: 0, points: [{ key: "k".repeat(201), step: 0, value: 0 }] }).issues![0].path).toBe("points.0.key");
    expect(failure({ batch: 0, points: [{ key: "k", step: 2 ** 53, value: 0 }] }).issues![0].path).toBe("points.0.step");
  });
});
