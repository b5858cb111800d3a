// One step slider over several runs' samples: the slider moves over every step any run logged; each run shows the
// sample it logged nearest to that step.

/** Sorted, distinct steps of all the samples. */
export function sliderSteps(samples: readonly { step: number }[]): number[] {
  return [...new Set(samples.map((s) => s.step))].sort((a, b) => a - b);
}

/**
 * The item whose step is nearest to `target`; on a tie the earlier step (what had been logged by then). `items` must
 * be sorted by step. Undefined when there are none.
 */
export function nearestStep<T extends { step: number }>(items: readonly T[], target: number): T | undefined {
  if (items.length === 0) return undefined;
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid].step < target) lo = mid + 1;
    else hi = mid;
  }
  // items[lo] is the first at or after target; items[lo - 1] the last before it.
  if (lo === items.length) return items[lo - 1];
  if (lo === 0) return items[0];
  const before = items[lo - 1];
  const after = items[lo];
  return target - before.step <= after.step - target ? before : after;
}

/** The slider's index for a step from the URL: that step if logged, else the nearest; the last when none is given. */
export function sliderIndex(steps: readonly number[], step: number | null): number {
  if (steps.length === 0) return 0;
  if (step === null) return steps.length - 1;
  const nearest = nearestStep(
    steps.map((s) => ({ step: s })),
    step,
  );
  return steps.indexOf(nearest!.step);
}
