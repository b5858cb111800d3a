import { describe, expect, it } from "vitest";
import { hparamRows } from "@/components/compare/hparamDiff";

describe("hyperparameter diff rows", () => {
  it("puts differing keys first, each group in first-seen order", () => {
    const rows = hparamRows([
      { hparams: { model: "tgan", lr: 2e-4, batch: 16, seed: 1 } },
      { hparams: { model: "tgan", lr: 1e-3, batch: 16, seed: 2 } },
    ]);
    expect(rows.map((r) => [r.key, r.differs])).toEqual([
      ["lr", true],
      ["seed", true],
      ["model", false],
      ["batch", false],
    ]);
    expect(rows[0].values).toEqual([2e-4, 1e-3]);
  });

  it("counts a key some runs lack as differing, with undefined where missing", () => {
    const rows = hparamRows([{ hparams: { a: 1 } }, { hparams: { a: 1, b: true } }, { hparams: { a: 1 } }]);
    expect(rows[0]).toEqual({ key: "b", values: [undefined, true, undefined], differs: true });
    expect(rows[1]).toEqual({ key: "a", values: [1, 1, 1], differs: false });
  });

  it("tells values of different types apart and NaN (null) equal to itself", () => {
    const rows = hparamRows([{ hparams: { x: 1, n: null } }, { hparams: { x: "1", n: null } }]);
    expect(rows.map((r) => [r.key, r.differs])).toEqual([
      ["x", true],
      ["n", false],
    ]);
  });

  it("answers no rows for runs without hyperparameters", () => {
    expect(hparamRows([{ hparams: {} }, { hparams: {} }])).toEqual([]);
  });
});
