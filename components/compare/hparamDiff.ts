// The hyperparameter table of a comparison: one row per key, one column per run, rows that differ first.
import type { CellValue } from "../runs/runRow";

export interface HparamRow {
  key: string;
  /** one per run, in the runs' order; undefined where the run did not record the key */
  values: CellValue[];
  differs: boolean;
}

/**
 * Rows in two groups: keys whose values differ between runs (a key some runs lack differs), then keys every run
 * shares. Within each group keys keep their first-seen order, which is the order the notebooks' config() declared them.
 */
export function hparamRows(runs: readonly { hparams: Record<string, CellValue> }[]): HparamRow[] {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.hparams)))];
  const rows = keys.map((key): HparamRow => {
    const values = runs.map((r) => (Object.hasOwn(r.hparams, key) ? r.hparams[key] : undefined));
    return { key, values, differs: values.some((v) => !Object.is(v, values[0])) };
  });
  return [...rows.filter((r) => r.differs), ...rows.filter((r) => !r.differs)];
}
