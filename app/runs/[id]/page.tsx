import type { Metadata } from "next";
import Link from "next/link";
import { cache } from "react";
import { CodeView } from "@/components/CodeView";
import { orNotFound } from "@/components/orNotFound";
import { MetricsPanel } from "@/components/metrics/MetricsPanel";
import { RunFacts } from "@/components/runs/RunFacts";
import { HparamsTable } from "@/components/runs/HparamsTable";
import { SampleGallery } from "@/components/samples/SampleGallery";
import { ExportLinks } from "@/components/share/ExportLinks";
import { ShareButton } from "@/components/share/ShareButton";
import { StatusBadge } from "@/components/StatusBadge";
import ui from "@/components/ui.module.css";
import { toJson } from "@/lib/tracker/columns";
import { getExperiment } from "@/lib/tracker/experiments";
import { readSeries } from "@/lib/tracker/metrics";
import { getRun } from "@/lib/tracker/runs";
import { listSamples } from "@/lib/tracker/samples";

export const dynamic = "force-dynamic";

// First paint ships at most this many points per metric key (min/max per bucket, NaNs kept); zooming a chart
// fetches finer points for the visible range from the API. 1M logged points still render in one quick request.
const OVERVIEW_POINTS = 2000;

type Props = { params: Promise<{ id: string }> };

const load = cache((id: string) => orNotFound(getRun(id)));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: (await load((await params).id)).name };
}

export default async function RunPage({ params }: Props) {
  const run = await load((await params).id);
  const [experiment, samples] = await Promise.all([getExperiment(run.experimentId), listSamples(run.id)]);
  const series = [...readSeries(run.id, { maxPoints: OVERVIEW_POINTS })].map(([key, s]) => {
    const { steps, values } = toJson(s);
    return { key, steps, values, total: s.total };
  });

  return (
    <>
      <div className={ui.crumbs}>
        <Link href="/">Experiments</Link> / <Link href={`/experiments/${experiment.slug}`}>{experiment.title}</Link> /
      </div>
      <div className={ui.header}>
        <h1>
          {run.name} <StatusBadge status={run.status} />
        </h1>
        <ExportLinks runId={run.id} />
        <ShareButton type="run" ids={[run.id]} />
      </div>

      {run.error ? (
        <section className={ui.section} aria-labelledby="error">
          <h2 id="error">Error</h2>
          <pre className={ui.errorBox}>{run.error}</pre>
        </section>
      ) : null}

      <div className={ui.grid2}>
        <section aria-labelledby="facts">
          <h2 id="facts">Run</h2>
          <div className="panel">
            <RunFacts run={run} />
          </div>
        </section>
        <section aria-labelledby="hparams">
          <h2 id="hparams">Hyperparameters</h2>
          <HparamsTable hparams={run.hparams} />
        </section>
      </div>

      <section className={ui.section} aria-labelledby="metrics">
        <h2 id="metrics">Metrics</h2>
        <MetricsPanel runId={run.id} series={series} />
      </section>

      <section className={ui.section} aria-labelledby="samples">
        <h2 id="samples">Samples</h2>
        <SampleGallery samples={samples} />
      </section>

      <section className={ui.section} aria-labelledby="code">
        <h2 id="code">Code</h2>
        <CodeView code={run.code} label="Code snapshot at the start of the run" />
      </section>
    </>
  );
}
