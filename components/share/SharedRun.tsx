import { overviewSeries } from "@/components/metrics/overview";
import { RunSections } from "@/components/runs/RunSections";
import { StatusBadge } from "@/components/StatusBadge";
import ui from "@/components/ui.module.css";
import { shareApiBase } from "@/lib/auth/share-access";
import type { RunDetail } from "@/lib/tracker/runs";
import { sharedSamples } from "./load";
import { ReadOnlyNote } from "./ReadOnlyNote";

/** One run, read-only: the run page's facts, hyperparameters, charts, samples and code, fed through the link. */
export async function SharedRun({ token, run, back }: { token: string; run: RunDetail; back?: { href: string; label: string } }) {
  const samples = await sharedSamples(token, run.id);
  return (
    <>
      {back ? (
        <div className={ui.crumbs}>
          <a href={back.href}>{back.label}</a> /
        </div>
      ) : null}
      <div className={ui.header}>
        <h1>
          {run.name} <StatusBadge status={run.status} />
        </h1>
        <ReadOnlyNote />
      </div>

      <RunSections run={run} series={await overviewSeries(run.id)} samples={samples} apiBase={shareApiBase(token)} />
    </>
  );
}
