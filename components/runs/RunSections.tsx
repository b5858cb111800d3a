// The body of a run's page, shared by the app's run page and a shared link's: its error, facts, hyperparameters,
// metric charts, samples and code. `apiBase` is where the charts fetch finer points (a shared page's own routes).
import { CodeView } from "@/components/CodeView";
import { MetricsPanel } from "@/components/metrics/MetricsPanel";
import type { MetricSeries } from "@/components/metrics/series";
import { SampleGallery } from "@/components/samples/SampleGallery";
import ui from "@/components/ui.module.css";
import type { RunDetail } from "@/lib/tracker/runs";
import type { SampleView } from "@/lib/tracker/samples";
import { HparamsTable } from "./HparamsTable";
import { RunFacts } from "./RunFacts";

interface Props {
  run: RunDetail;
  series: MetricSeries[];
  samples: SampleView[];
  apiBase?: string;
}

export function RunSections({ run, series, samples, apiBase }: Props) {
  return (
    <>
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
        <MetricsPanel runId={run.id} series={series} apiBase={apiBase} />
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
