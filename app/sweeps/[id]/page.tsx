import type { Metadata } from "next";
import Link from "next/link";
import { formatDateTime } from "@/components/format";
import { orNotFound } from "@/components/orNotFound";
import { RunsExplorer } from "@/components/runs/RunsExplorer";
import { SharedHparams } from "@/components/runs/SharedHparams";
import { readTableState, toSearchParams } from "@/components/runs/tableState";
import { toRunRows } from "@/components/runs/toRunRows";
import { CancelSweepButton } from "@/components/sweeps/CancelSweepButton";
import { RefreshWhileActive } from "@/components/sweeps/RefreshWhileActive";
import { SweepJobsTable, isOpen } from "@/components/sweeps/SweepJobsTable";
import ui from "@/components/ui.module.css";
import { appBoss } from "@/lib/queue/app-boss";
import { sweepJobStates, type SweepJobState } from "@/lib/queue/sweep-jobs";
import { getExperiment } from "@/lib/tracker/experiments";
import { getSweep, sweepRuns } from "@/lib/tracker/sweeps";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Sweep ${(await params).id}` };
}

/** A queued sweep: its grid, each job's state in the queue, and its runs, ready to compare. */
export default async function SweepPage({ params, searchParams }: Props) {
  const sweep = await orNotFound(getSweep((await params).id));
  const [experiment, runs] = await Promise.all([getExperiment(sweep.experimentId), sweepRuns(sweep.id)]);
  let jobs: SweepJobState[] = [];
  let queueError: string | undefined;
  try {
    jobs = await sweepJobStates(await appBoss(), sweep);
  } catch (e) {
    queueError = e instanceof Error ? e.message : String(e);
  }
  const count = (pred: (s: SweepJobState["state"]) => boolean) => jobs.filter((j) => pred(j.state)).length;
  const open = count(isOpen);
  const table = toRunRows(runs);
  const view = readTableState(toSearchParams(await searchParams));
  return (
    <>
      <RefreshWhileActive active={open > 0} />
      <div className={ui.crumbs}>
        <Link href="/">Experiments</Link> / <Link href={`/experiments/${experiment.slug}`}>{experiment.title}</Link> /
      </div>
      <div className={ui.header}>
        <h1>Sweep {sweep.id}</h1>
        <span className="muted">
          {sweep.file} on queue “{sweep.queue}” · queued {formatDateTime(sweep.createdAt)}
        </span>
        {open > 0 ? <CancelSweepButton sweepId={sweep.id} label="Cancel the sweep" /> : null}
      </div>
      <p>
        Grid <code>{sweep.grid}</code>: {jobs.length} jobs, {count((s) => s === "completed")} finished, {count((s) => s === "active")} running,{" "}
        {count((s) => s === "created" || s === "retry")} queued, {count((s) => s === "failed")} failed, {count((s) => s === "cancelled")} cancelled.
        {sweep.args.set && Object.keys(sweep.args.set).length ? (
          <>
            {" "}
            Every job also sets <code>{JSON.stringify(sweep.args.set)}</code>.
          </>
        ) : null}
      </p>
      {queueError ? (
        <p role="alert">The queue cannot be read: {queueError}</p>
      ) : (
        <SweepJobsTable sweepId={sweep.id} combos={sweep.combos} jobs={jobs} runs={runs} />
      )}
      <section className={ui.section}>
        <h2 id="runs">Runs ({runs.length})</h2>
        {runs.length === 0 ? (
          <p className={ui.empty}>No job has started yet. Start a worker: <code>zoetrope worker --queue {sweep.queue}</code></p>
        ) : (
          <>
            <SharedHparams shared={table.shared} />
            <RunsExplorer runs={table.rows} hparamKeys={table.hparamKeys} metricKeys={table.metricKeys} initial={view} />
          </>
        )}
      </section>
    </>
  );
}
