import { describe, expect, it } from "vitest";
import { nearestStep, sliderIndex, sliderSteps } from "@/components/compare/steps";

const at = (...steps: number[]) => steps.map((step) => ({ step, id: `s${step}` }));

describe("one step slider over several runs", () => {
  it("moves over every step any run logged, once each, in order", () => {
    expect(sliderSteps([...at(1000, 0, 500), ...at(500, 1990)])).toEqual([0, 500, 1000, 1990]);
  });

  it("shows each run its nearest logged step", () => {
    const run = at(0, 1000, 2000);
    expect(nearestStep(run, 1000)?.step).toBe(1000);
    expect(nearestStep(run, 1400)?.step).toBe(1000);
    expect(nearestStep(run, 1600)?.step).toBe(2000);
    expect(nearestStep(run, -50)?.step).toBe(0);
    expect(nearestStep(run, 99_999)?.step).toBe(2000);
  });

  it("takes the earlier step on a tie", () => {
    expect(nearestStep(at(0, 1000), 500)?.step).toBe(0);
  });

  it("answers undefined for a run without samples", () => {
    expect(nearestStep([], 10)).toBeUndefined();
  });

  it("places the slider on the URL's step, its nearest, or the last", () => {
    const steps = [0, 500, 1000];
    expect(sliderIndex(steps, 500)).toBe(1);
    expect(sliderIndex(steps, 900)).toBe(2);
    expect(sliderIndex(steps, null)).toBe(2);
    expect(sliderIndex([], 3)).toBe(0);
  });
});
