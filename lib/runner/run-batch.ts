// Which tracked run the page's cell executions record into. Every stretch of execution, from the first cell sent to
// an idle kernel until the last of them finishes, is one run: it starts with the whole notebook's text and ends as
// finished, failed or interrupted by how its cells ended. A stretch of single cells that recorded nothing (running
// the imports, showing a tensor) leaves no run behind; "Run all" always does, as a record of what ran.
import { isErrorOutput, type CellOutcome, type KernelEvent, type RunEndStatus } from "./protocol";

export interface RunBatch {
  /** Started by "Run all": its run is kept even when nothing was logged. */
  wholeNotebook: boolean;
  /** Cells sent and not yet finished or skipped. */
  outstanding: number;
  status: RunEndStatus;
  /** The first failing cell's error, for the run's record. */
  error?: string;
  /** Whether a metric, a sample or a checkpoint was recorded. */
  recorded: boolean;
  runId?: string;
}

/** What the page must do when the batch's last cell is done: end the run, and maybe remove it once it has ended. */
export interface BatchEnd {
  status: RunEndStatus;
  error?: string;
  /** The run that recorded nothing: remove it from the tracker once the kernel says it ended. */
  discardRunId?: string;
}

export function startBatch(wholeNotebook: boolean): RunBatch {
  return { wholeNotebook, outstanding: 0, status: "finished", recorded: false };
}

/** More cells sent into the batch. */
export function addCells(batch: RunBatch, count: number, wholeNotebook: boolean): RunBatch {
  return { ...batch, outstanding: batch.outstanding + count, wholeNotebook: batch.wholeNotebook || wholeNotebook };
}

const worse: Record<RunEndStatus, number> = { finished: 0, interrupted: 1, failed: 2 };
const statusOf: Record<CellOutcome, RunEndStatus> = { ok: "finished", error: "failed", interrupted: "interrupted" };

/**
 * The batch after a kernel event, and what to do. `undefined` means no batch is open any more: the run ended (or
 * the kernel that held it is gone, and the kernel client ended its run).
 */
export function batchEvent(batch: RunBatch, event: KernelEvent): { batch: RunBatch | undefined; end?: BatchEnd } {
  switch (event.op) {
    case "run-started":
      return { batch: { ...batch, runId: event.runId } };
    case "metric":
    case "sample":
    case "checkpoint":
      return { batch: batch.recorded ? batch : { ...batch, recorded: true } };
    case "output": {
      if (batch.error !== undefined || !isErrorOutput(event.output)) return { batch };
      const { name, message } = event.output.data;
      return { batch: { ...batch, error: `${name}: ${message}` } };
    }
    case "cell-finished":
    case "cell-skipped": {
      const status = event.op === "cell-finished" ? statusOf[event.outcome] : batch.status;
      const next = {
        ...batch,
        outstanding: Math.max(0, batch.outstanding - 1),
        status: worse[status] > worse[batch.status] ? status : batch.status,
      };
      if (next.outstanding > 0) return { batch: next };
      const end: BatchEnd = { status: next.status };
      if (next.error !== undefined) end.error = next.error;
      if (next.runId && !next.recorded && !next.wholeNotebook) end.discardRunId = next.runId;
      return { batch: undefined, end };
    }
    case "kernel-replaced":
      return { batch: undefined };
    default:
      return { batch };
  }
}
