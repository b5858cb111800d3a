// What the compare view shows, as plain JSON: built on the server (./load.ts) from the tracker, or by any page that
// may show these runs (a read-only share page), and handed to CompareView as it is.
import type { SampleView } from "@/lib/tracker/samples";
import type { CellValue } from "../runs/runRow";

export interface CompareRun {
  id: string;
  name: string;
  status: string;
  experimentTitle: string;
  /** ISO time the run started: the origin of the "relative time" axis when a series has no points yet */
  startedAt: string;
  /** flattened, e.g. {"optim.lr": 0.0002} */
  hparams: Record<string, CellValue>;
  /** the notebook as it was when the run started */
  code: string;
}

/** One run's metric series: parallel arrays, null for a non-finite value, `times` in ms since epoch. */
export interface CompareSeries {
  runId: string;
  key: string;
  steps: number[];
  values: (number | null)[];
  times: number[];
  /** points stored; more than steps.length means these are a downsampled overview */
  total: number;
}

/** A run's sample as the compare view plays it: the tracker's record without its bookkeeping. */
export type CompareSample = Pick<SampleView, "id" | "runId" | "name" | "step" | "mime" | "width" | "height" | "frames" | "fps" | "url">;

export interface CompareData {
  /** in the order the comparison lists them: colours follow this order */
  runs: CompareRun[];
  series: CompareSeries[];
  /** sorted by run, name, step */
  samples: CompareSample[];
  /** ids asked for that do not exist (or are not visible here) */
  missing: string[];
}
