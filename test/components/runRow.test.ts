import { describe, expect, it } from "vitest";
import { compareCells, flattenHparams, sortRows, type RunRow } from "@/components/runs/runRow";
import { formatNumber } from "@/components/format";

const row = (id: string, lr: number | undefined, loss: number | null | undefined): RunRow => ({
  id,
  name: id,
  status: "finished",
  startedAt: 0,
  started: "",
  durationMs: 0,
  hparams: lr === undefined ? {} : { lr },
  metrics: loss === undefined ? {} : { loss },
});

describe("runs table sorting", () => {
  it("sorts numbers numerically in both directions", () => {
    const rows = [row("a", 0.01, 1), row("b", 0.001, 2), row("c", 0.1, 3)];
    expect(sortRows(rows, "h:lr", 1).map((r) => r.id)).toEqual(["b", "a", "c"]);
    expect(sortRows(rows, "h:lr", -1).map((r) => r.id)).toEqual(["c", "a", "b"]);
  });

  it("puts NaN after numbers and missing values last, whichever the direction", () => {
    const rows = [row("nan", 1, null), row("none", 1, undefined), row("x", 1, 0.5), row("y", 1, 0.2)];
    expect(sortRows(rows, "m:loss", 1).map((r) => r.id)).toEqual(["y", "x", "nan", "none"]);
    expect(sortRows(rows, "m:loss", -1).map((r) => r.id)).toEqual(["x", "y", "nan", "none"]);
  });

  it("compares text naturally", () => {
    expect(compareCells("run-10", "run-9", 1)).toBeGreaterThan(0);
  });
});

describe("flattenHparams", () => {
  it("dots nested keys and keeps arrays whole", () => {
    expect(flattenHparams({ model: "tgan", optim: { lr: 2e-4 }, dims: [64, 32] })).toEqual({
      model: "tgan",
      "optim.lr": 2e-4,
      dims: "[64,32]",
    });
  });
});

describe("formatNumber", () => {
  it("prints small and large numbers compactly", () => {
    expect(formatNumber(2e-4)).toBe("2e-4");
    expect(formatNumber(0.43051)).toBe("0.4305");
    expect(formatNumber(16)).toBe("16");
    expect(formatNumber(null)).toBe("NaN");
  });
});
