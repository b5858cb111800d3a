// A sweep's jobs, one row per combination of its grid: the values, the job's state in the queue, its attempts, the
// worker running (or that ran) it, and its latest run.
import Link from "next/link";
import { formatDateTime } from "@/components/format";
import ui from "@/components/ui.module.css";
import type { SweepJobState } from "@/lib/queue/sweep-jobs";
import type { RunView } from "@/lib/tracker/runs";
import { CancelSweepButton } from "./CancelSweepButton";

const STATE_LABEL: Record<SweepJobState["state"], string> = {
  created: "queued",
  retry: "waiting to retry",
  active: "running",
  completed: "finished",
  cancelled: "cancelled",
  failed: "failed",
  missing: "gone from the queue",
};

export const isOpen = (s: SweepJobState["state"]) => s === "created" || s === "retry" || s === "active";

interface Props {
  sweepId: string;
  combos: Record<string, unknown>[];
  jobs: SweepJobState[];
  runs: RunView[];
}

export function SweepJobsTable({ sweepId, combos, jobs, runs }: Props) {
  const keys = [...new Set(combos.flatMap((c) => Object.keys(c)))];
  const latest = new Map<number, RunView>();
  for (const run of runs) if (run.sweep && (latest.get(run.sweep.job)?.sweep?.attempt ?? 0) < run.sweep.attempt) latest.set(run.sweep.job, run);
  return (
    <div className={ui.tableWrap}>
      <table aria-label="Jobs">
        <thead>
          <tr>
            <th className="num">Job</th>
            {keys.map((k) => (
              <th key={k}>{k}</th>
            ))}
            <th>State</th>
            <th className="num">Attempts</th>
            <th>Worker</th>
            <th>Started</th>
            <th>Run</th>
            <th className={ui.actions} aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {jobs.map((j) => {
            const run = latest.get(j.job);
            const worker = run?.device?.worker;
            return (
              <tr key={j.id} data-job={j.job} data-state={j.state}>
                <td className="num">{j.job + 1}</td>
                {keys.map((k) => (
                  <td key={k}>{JSON.stringify(combos[j.job]?.[k] ?? null)}</td>
                ))}
                <td>
                  {STATE_LABEL[j.state]}
                  {j.error ? <div className="muted">{j.error}</div> : null}
                </td>
                <td className="num">{j.attempts}</td>
                <td>{typeof worker === "string" ? worker : "—"}</td>
                <td>{j.startedOn ? formatDateTime(j.startedOn) : "—"}</td>
                <td>{run ? <Link href={`/runs/${run.id}`}>{run.name}</Link> : "—"}</td>
                <td className={ui.actions}>{isOpen(j.state) ? <CancelSweepButton sweepId={sweepId} job={j.job} label="Cancel" /> : null}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
