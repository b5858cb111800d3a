import { CodeView } from "@/components/CodeView";
import { formatValue } from "@/components/format";
import { flattenHparams } from "@/components/runs/runRow";
import { SampleGallery } from "@/components/samples/SampleGallery";
import { StatusBadge } from "@/components/StatusBadge";
import ui from "@/components/ui.module.css";
import type { RunDetail } from "@/lib/tracker/runs";
import { CompareCharts, type CompareRun } from "./CompareCharts";
import { overviewSeries } from "../metrics/overview";
import { sharedRunHref, sharedSamples } from "./load";
import { ReadOnlyNote } from "./ReadOnlyNote";
import styles from "./share.module.css";

// One colour per run, distinguishable and readable on white (Tableau 10).
export const RUN_COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7"];

/** A comparison of runs, read-only: overlaid metrics, hyperparameters (differing rows first), samples and code. */
export async function SharedCompare({ token, runs }: { token: string; runs: RunDetail[] }) {
  const colours = new Map(runs.map((r, i) => [r.id, RUN_COLOURS[i % RUN_COLOURS.length]]));
  const chartRuns: CompareRun[] = await Promise.all(
    runs.map(async (r) => ({ id: r.id, name: r.name, colour: colours.get(r.id)!, series: await overviewSeries(r.id) })),
  );
  const samples = await Promise.all(runs.map((r) => sharedSamples(token, r.id)));
  return (
    <>
      <div className={ui.header}>
        <h1>Comparing {runs.length} runs</h1>
        <ReadOnlyNote />
      </div>
      <ul className={styles.legend} aria-label="Runs">
        {runs.map((r) => (
          <li key={r.id} data-run-id={r.id}>
            <span className={styles.swatch} style={{ background: colours.get(r.id) }} />
            <a href={sharedRunHref(token, r.id)}>{r.name}</a> <StatusBadge status={r.status} />
          </li>
        ))}
      </ul>

      <section className={ui.section} aria-labelledby="metrics">
        <h2 id="metrics">Metrics</h2>
        <CompareCharts runs={chartRuns} />
      </section>

      <section className={ui.section} aria-labelledby="hparams">
        <h2 id="hparams">Hyperparameters</h2>
        <HparamsCompare runs={runs} />
      </section>

      <section className={ui.section} aria-labelledby="samples">
        <h2 id="samples">Samples</h2>
        <div className={styles.columns}>
          {runs.map((r, i) => (
            <div key={r.id}>
              <h3>{r.name}</h3>
              <SampleGallery samples={samples[i]} />
            </div>
          ))}
        </div>
      </section>

      <section className={ui.section} aria-labelledby="code">
        <h2 id="code">Code</h2>
        {runs.map((r) => (
          <details key={r.id}>
            <summary>{r.name}</summary>
            <CodeView code={r.code} label={`Code snapshot of ${r.name}`} />
          </details>
        ))}
      </section>
    </>
  );
}

/** Key rows × run columns; rows whose values differ between runs come first, highlighted. */
function HparamsCompare({ runs }: { runs: RunDetail[] }) {
  const flat = runs.map((r) => flattenHparams(r.hparams));
  const keys = [...new Set(flat.flatMap((f) => Object.keys(f)))];
  const differs = (k: string) => new Set(flat.map((f) => JSON.stringify(f[k] ?? null))).size > 1;
  const rows = [...keys.filter(differs), ...keys.filter((k) => !differs(k))];
  if (rows.length === 0) return <p className={ui.empty}>None recorded.</p>;
  return (
    <div className={ui.tableWrap}>
      <table>
        <thead>
          <tr>
            <th>Key</th>
            {runs.map((r) => (
              <th key={r.id}>{r.name}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((k) => (
            <tr key={k} className={differs(k) ? styles.differs : undefined} data-differs={differs(k) || undefined}>
              <th scope="row" className={ui.keyCell}>
                {k}
              </th>
              {flat.map((f, i) => (
                <td key={runs[i].id} className={ui.wrap}>
                  {k in f ? formatValue(f[k]) : <span className="muted">—</span>}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
