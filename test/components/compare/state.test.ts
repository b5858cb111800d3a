import { describe, expect, it } from "vitest";
import { diffPair, readCompareState, writeCompareState, type CompareState } from "@/components/compare/state";
import { DEFAULT_SMOOTHING } from "@/components/metrics/ema";

const read = (search: string) => readCompareState(new URLSearchParams(search));

describe("compare view URL state", () => {
  it("reads defaults from a bare run list", () => {
    expect(read("runs=a,b,c")).toEqual({
      runs: ["a", "b", "c"],
      keys: null,
      smoothing: DEFAULT_SMOOTHING,
      axis: "step",
      step: null,
      diff: null,
    });
  });

  it("round-trips every field, keys with commas and slashes included", () => {
    const state: CompareState = {
      runs: ["r1", "r2", "r3"],
      keys: ["loss/d", "fid, test", "ä b"],
      smoothing: 0.85,
      axis: "relative",
      step: 1200,
      diff: ["r3", "r1"],
    };
    const search = writeCompareState(state);
    expect(search).toContain("runs=r1,r2,r3");
    expect(read(search)).toEqual(state);
  });

  it("leaves defaults out of the link and keeps other parameters", () => {
    const search = writeCompareState(
      { runs: ["a", "b"], keys: null, smoothing: DEFAULT_SMOOTHING, axis: "step", step: null, diff: null },
      new URLSearchParams("theme=dark&smooth=0.1"),
    );
    expect(search).toBe("theme=dark&runs=a,b");
  });

  it("ignores bad values instead of failing", () => {
    const s = read("runs=,a,,a,b&smooth=abc&x=sideways&step=soon&diff=a");
    expect(s).toMatchObject({ runs: ["a", "b"], smoothing: DEFAULT_SMOOTHING, axis: "step", step: null, diff: null });
    expect(read("smooth=7").smoothing).toBe(0.99);
    expect(read("smooth=-1").smoothing).toBe(0);
    expect(read("smooth=0").smoothing).toBe(0);
  });

  it("diffs the URL's pair when both runs are compared, else the first two", () => {
    const s = read("runs=a,b,c&diff=c,a");
    expect(diffPair(s, ["a", "b", "c"])).toEqual(["c", "a"]);
    expect(diffPair(s, ["a", "b"])).toEqual(["a", "b"]);
    expect(diffPair(s, ["a"])).toEqual(["a", "a"]);
    expect(diffPair(s, [])).toBeNull();
  });
});
