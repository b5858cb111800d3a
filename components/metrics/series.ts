// A metric series as the charts hold it: parallel arrays (the API's shape), null standing for NaN/±Inf.

export interface Series {
  steps: number[];
  values: (number | null)[];
}

export interface MetricSeries extends Series {
  key: string;
  /** Points stored on the server; more than steps.length means `steps` is a downsampled view. */
  total: number;
}

/** Replaces the part of `base` inside [from, to] with `detail` (finer points for the zoomed window). */
export function spliceRange(base: Series, detail: Series, from: number, to: number): Series {
  const steps: number[] = [];
  const values: (number | null)[] = [];
  const push = (s: Series, keep: (step: number) => boolean) => {
    for (let i = 0; i < s.steps.length; i++) {
      if (keep(s.steps[i])) {
        steps.push(s.steps[i]);
        values.push(s.values[i]);
      }
    }
  };
  push(base, (x) => x < from);
  push(detail, (x) => x >= from && x <= to);
  push(base, (x) => x > to);
  return { steps, values };
}

/** Where to draw a marker for each non-finite value: at its step, level with the last finite value before it. */
export function nonFinitePoints(s: Series): Series {
  const steps: number[] = [];
  const values: (number | null)[] = [];
  let level: number | null = s.values.find((v): v is number => v !== null && Number.isFinite(v)) ?? 0;
  for (let i = 0; i < s.steps.length; i++) {
    const v = s.values[i];
    if (v === null || !Number.isFinite(v)) {
      steps.push(s.steps[i]);
      values.push(level);
    } else {
      level = v;
    }
  }
  return { steps, values };
}

/** Plotly cannot draw ±Inf; every non-finite value becomes null, which it draws as a gap. */
export function finiteOrNull(values: readonly (number | null)[]): (number | null)[] {
  return values.map((v) => (v === null || !Number.isFinite(v) ? null : v));
}
