import type { Metadata } from "next";
import Link from "next/link";
import { cache } from "react";
import { overviewSeries } from "@/components/metrics/overview";
import { orNotFound } from "@/components/orNotFound";
import { RunSections } from "@/components/runs/RunSections";
import { ExportLinks } from "@/components/share/ExportLinks";
import { ShareButton } from "@/components/share/ShareButton";
import { StatusBadge } from "@/components/StatusBadge";
import ui from "@/components/ui.module.css";
import { getExperiment } from "@/lib/tracker/experiments";
import { getRun } from "@/lib/tracker/runs";
import { listSamples } from "@/lib/tracker/samples";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

const load = cache((id: string) => orNotFound(getRun(id)));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: (await load((await params).id)).name };
}

export default async function RunPage({ params }: Props) {
  const run = await load((await params).id);
  const [experiment, samples] = await Promise.all([getExperiment(run.experimentId), listSamples(run.id)]);

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

      <RunSections run={run} series={await overviewSeries(run.id)} samples={samples} />
    </>
  );
}
