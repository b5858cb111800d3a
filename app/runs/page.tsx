import type { Metadata } from "next";
import { RunsExplorer } from "@/components/runs/RunsExplorer";
import { SharedHparams } from "@/components/runs/SharedHparams";
import { readTableState, toSearchParams } from "@/components/runs/tableState";
import { toRunRows } from "@/components/runs/toRunRows";
import ui from "@/components/ui.module.css";
import { listExperiments } from "@/lib/tracker/experiments";
import { listAllRuns } from "@/lib/tracker/runs";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Runs" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Every run of every experiment in one table: filter, sort, choose columns, pick runs to compare. */
export default async function RunsPage({ searchParams }: Props) {
  const view = readTableState(toSearchParams(await searchParams));
  const [runs, experiments] = await Promise.all([listAllRuns(), listExperiments()]);
  const table = toRunRows(runs, new Map(experiments.map((e) => [e.id, { id: e.id, slug: e.slug, title: e.title }])));
  return (
    <>
      <div className={ui.header}>
        <h1>Runs</h1>
        <span className="muted">across {experiments.length} experiments</span>
      </div>
      {runs.length === 0 ? (
        <p className={ui.empty}>No runs yet. Run a notebook to see its runs here.</p>
      ) : (
        <>
          <SharedHparams shared={table.shared} />
          <RunsExplorer runs={table.rows} hparamKeys={table.hparamKeys} metricKeys={table.metricKeys} initial={view} />
        </>
      )}
    </>
  );
}
