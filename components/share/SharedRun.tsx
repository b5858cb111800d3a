import { CodeView } from "@/components/CodeView";
import { MetricsPanel } from "@/components/metrics/MetricsPanel";
import { HparamsTable } from "@/components/runs/HparamsTable";
import { RunFacts } from "@/components/runs/RunFacts";
import { SampleGallery } from "@/components/samples/SampleGallery";
import { StatusBadge } from "@/components/StatusBadge";
import ui from "@/components/ui.module.css";
import { shareApiBase } from "@/lib/auth/share-access";
import type { RunDetail } from "@/lib/tracker/runs";
import { overviewSeries, sharedSamples } from "./load";
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
        <MetricsPanel runId={run.id} series={overviewSeries(run.id)} apiBase={shareApiBase(token)} />
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
