// The samples (generated videos) a cell's run sent, as the live strip under the cell groups them.

/** A sample (a generated video as a GIF) from a `sample` event of the cell's run. */
export interface CellSample {
  /** The run's media key ("samples"). */
  key: string;
  step: number;
  mime: string;
  data: Uint8Array;
  /** Epoch milliseconds. */
  time: number;
}

/** Samples grouped by key, in first-seen order, each group sorted by step (arrival order within a step). */
export function groupSamples(samples: readonly CellSample[]): [string, CellSample[]][] {
  const groups = new Map<string, CellSample[]>();
  for (const s of samples) {
    const list = groups.get(s.key);
    if (list) list.push(s);
    else groups.set(s.key, [s]);
  }
  for (const list of groups.values()) list.sort((a, b) => a.step - b.step);
  return [...groups];
}
