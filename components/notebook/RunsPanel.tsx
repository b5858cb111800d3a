"use client";
// The notebook's runs, live: status, duration, the hyperparameters that differ between runs and the last metrics,
// each linking to its page, with "Rerun" (its code and hyperparameters in a fresh kernel) and "Rerun with…".
import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import type { JsonValue } from "@/lib/runner/protocol";
import type { RunDetail, RunView } from "@/lib/tracker/runs";
import { formatDuration, formatValue } from "../format";
import { toRunRows } from "../runs/toRunRows";
import { StatusBadge } from "../StatusBadge";
import styles from "./Notebook.module.css";
import { RerunDialog } from "./RerunDialog";

interface Props {
  experimentId: string;
  initialRuns: RunView[];
  /** A run is being recorded: refresh often. */
  live: boolean;
  onRerun(code: string, hparams: Record<string, JsonValue>): void;
}

const LIVE_MS = 2000;
const IDLE_MS = 15_000;
const SHOWN = { hparams: 3, metrics: 3 };

export function RunsPanel({ experimentId, initialRuns, live, onRerun }: Props) {
  const [runs, setRuns] = useState(initialRuns);
  const [error, setError] = useState<string>();
  const [editing, setEditing] = useState<RunDetail>();

  const refresh = useCallback(async () => {
    try {
      const res = await fetch(`/api/runs?experimentId=${encodeURIComponent(experimentId)}`, { cache: "no-store" });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      setRuns(((await res.json()) as { runs: RunView[] }).runs);
      setError(undefined);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [experimentId]);

  // Poll while a run is recorded, slowly otherwise; once more when recording stops, for the final status.
  useEffect(() => {
    const timer = setInterval(() => void refresh(), live ? LIVE_MS : IDLE_MS);
    const first = setTimeout(() => void refresh(), live ? 500 : 0);
    return () => {
      clearInterval(timer);
      clearTimeout(first);
    };
  }, [live, refresh]);

  const load = async (id: string): Promise<RunDetail | undefined> => {
    const res = await fetch(`/api/runs/${encodeURIComponent(id)}`);
    if (res.ok) return (await res.json()) as RunDetail;
    setError(`could not load run ${id}: HTTP ${res.status}`);
    return undefined;
  };

  const table = toRunRows(runs);
  const hparamKeys = table.hparamKeys.slice(0, SHOWN.hparams);
  const metricKeys = preferLosses(table.metricKeys).slice(0, SHOWN.metrics);

  return (
    <aside className={styles.runsPanel} aria-labelledby="runs-panel-title">
      <h2 id="runs-panel-title">Runs ({runs.length})</h2>
      {error ? <p className={styles.panelError}>Could not refresh: {error}</p> : null}
      {runs.length === 0 ? <p className="muted">No runs yet: “Run all” records one.</p> : null}
      <ol className={styles.runList}>
        {table.rows.map((row) => (
          <li key={row.id} className={styles.runItem} data-run-id={row.id}>
            <div className={styles.runHead}>
              <Link href={`/runs/${row.id}`}>{row.name}</Link> <StatusBadge status={row.status} />
              <span className="muted"> {formatDuration(row.durationMs)}</span>
            </div>
            {hparamKeys.length + metricKeys.length > 0 ? (
              <dl className={styles.runFacts}>
                {hparamKeys.map((k) => (
                  <Fact key={`h:${k}`} name={k} value={formatValue(row.hparams[k])} />
                ))}
                {metricKeys.map((k) =>
                  k in row.metrics ? <Fact key={`m:${k}`} name={k} value={formatValue(row.metrics[k] ?? NaN)} metric /> : null,
                )}
              </dl>
            ) : null}
            <div className={styles.runActions}>
              <button
                type="button"
                onClick={async () => {
                  const run = await load(row.id);
                  if (run && confirmReplace(run.name)) onRerun(run.code, run.hparams as Record<string, JsonValue>);
                }}
              >
                Rerun
              </button>
              <button type="button" onClick={async () => setEditing(await load(row.id))}>
                Rerun with…
              </button>
            </div>
          </li>
        ))}
      </ol>
      {editing ? (
        <RerunDialog
          run={editing}
          onCancel={() => setEditing(undefined)}
          onRun={(hparams) => {
            setEditing(undefined);
            onRerun(editing.code, hparams);
          }}
        />
      ) : null}
    </aside>
  );
}

function Fact({ name, value, metric }: { name: string; value: string; metric?: boolean }) {
  return (
    <div className={metric ? styles.metricFact : undefined}>
      <dt>{name}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/** Losses first: they are what a GAN run is judged by at a glance. */
function preferLosses(keys: string[]): string[] {
  return [...keys.filter((k) => /loss/i.test(k)), ...keys.filter((k) => !/loss/i.test(k))];
}

function confirmReplace(name: string): boolean {
  return window.confirm(`Load ${name}'s code into this notebook and run it in a fresh kernel? The current text is replaced (it stays in the runs that used it).`);
}
