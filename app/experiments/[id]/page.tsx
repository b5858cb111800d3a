import type { Metadata } from "next";
import Link from "next/link";
import { cache } from "react";
import { formatDateTime } from "@/components/format";
import { NotebookApp } from "@/components/notebook/NotebookApp";
import { orNotFound } from "@/components/orNotFound";
import { RunsExplorer } from "@/components/runs/RunsExplorer";
import { SharedHparams } from "@/components/runs/SharedHparams";
import { readTableState, toSearchParams } from "@/components/runs/tableState";
import { toRunRows } from "@/components/runs/toRunRows";
import { ImportRunButton } from "@/components/runs/ImportRunButton";
import { ShareButton } from "@/components/share/ShareButton";
import ui from "@/components/ui.module.css";
import { serverKernelAvailability } from "@/lib/runner/server/availability";
import { kernels } from "@/lib/runner/server/kernels";
import { getExperiment } from "@/lib/tracker/experiments";
import { listRuns } from "@/lib/tracker/runs";
import { listSweeps } from "@/lib/tracker/sweeps";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

// One query per request, shared by generateMetadata and the page. The URL segment is a slug or an id.
const load = cache((idOrSlug: string) => orNotFound(getExperiment(idOrSlug)));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: (await load((await params).id)).title };
}

export default async function ExperimentPage({ params, searchParams }: Props) {
  const experiment = await load((await params).id);
  const view = readTableState(toSearchParams(await searchParams));
  const [runs, sweeps] = await Promise.all([listRuns(experiment.id), listSweeps(experiment.id)]);
  const table = toRunRows(runs);
  return (
    <>
      <div className={ui.crumbs}>
        <Link href="/">Experiments</Link> /
      </div>
      <div className={ui.header}>
        <h1>{experiment.title}</h1>
        <span className="muted">
          created {formatDateTime(experiment.createdAt)} · updated {formatDateTime(experiment.updatedAt)}
        </span>
        <ShareButton type="experiment" ids={[experiment.id]} />
        <ImportRunButton experimentId={experiment.id} />
      </div>

      <NotebookApp
        experiment={{
          id: experiment.id,
          slug: experiment.slug,
          title: experiment.title,
          notebook: experiment.notebook,
          version: experiment.version,
        }}
        initialRuns={runs}
        serverKernels={serverKernelAvailability()}
        serverKernelRunning={kernels().list().some((k) => k.experiment.id === experiment.id)}
      />

      {runs.length > 0 ? (
        // A link with a filter or sort in it opens on the table it describes.
        <details className={ui.section} open={view.q !== "" || view.hidden.length > 0 || undefined}>
          <summary>
            <h2 id="runs" style={{ display: "inline" }}>
              All runs as a table ({runs.length})
            </h2>
          </summary>
          <SharedHparams shared={table.shared} />
          <RunsExplorer runs={table.rows} hparamKeys={table.hparamKeys} metricKeys={table.metricKeys} initial={view} />
        </details>
      ) : null}

      {sweeps.length > 0 ? (
        <section className={ui.section}>
          <h2 id="sweeps">Queued sweeps ({sweeps.length})</h2>
          <ul>
            {sweeps.map((s) => (
              <li key={s.id}>
                <Link href={`/sweeps/${s.id}`}>{s.id}</Link> <code>{s.grid}</code>{" "}
                <span className="muted">
                  {s.combos.length} jobs on “{s.queue}”, queued {formatDateTime(s.createdAt)}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
