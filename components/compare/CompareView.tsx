"use client";

import Link from "next/link";
import { useEffect, useMemo, useRef, useState } from "react";
import { StatusBadge } from "../StatusBadge";
import styles from "./Compare.module.css";
import { CodeDiff } from "./CodeDiff";
import { CompareChart, type ChartLine } from "./CompareChart";
import { HparamDiffTable } from "./HparamDiffTable";
import { runColor } from "./palette";
import { SampleCompare } from "./SampleCompare";
import { X_AXES, diffPair, writeCompareState, type CompareState, type XAxis } from "./state";
import type { CompareData } from "./types";
import { SmoothingSlider } from "../metrics/SmoothingSlider";

interface Props {
  data: CompareData;
  /** the view the URL asked for */
  initial: CompareState;
  /** A shared, read-only view: no links out to the runs' own pages or to anything that changes them. */
  readOnly?: boolean;
}

const AXIS_LABEL: Record<XAxis, string> = { step: "Step", wall: "Wall time", relative: "Relative time" };
// Slider drags fire dozens of events a second; the URL follows once the hand rests (browsers throttle replaceState).
const URL_DEBOUNCE_MS = 150;

/**
 * Runs side by side: metrics overlaid per key, hyperparameters with the differences first, samples at one step on one
 * clock, and a diff of two runs' code. Every choice is kept in the URL, replaced in place, so the link reopens this view.
 */
export function CompareView({ data, initial, readOnly = false }: Props) {
  const runIds = useMemo(() => data.runs.map((r) => r.id), [data.runs]);
  const [state, setState] = useState<CompareState>({ ...initial, runs: runIds });
  const colors = useMemo(() => data.runs.map((_, i) => runColor(i)), [data.runs]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const update = (patch: Partial<CompareState>) => {
    const next = { ...state, ...patch };
    setState(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      // A shared view's runs are fixed by its link; only the view's choices go into the URL.
      const search = writeCompareState(readOnly ? { ...next, runs: [] } : next, new URLSearchParams(window.location.search));
      window.history.replaceState(window.history.state, "", `${window.location.pathname}?${search}`);
    }, URL_DEBOUNCE_MS);
  };

  const allKeys = useMemo(() => [...new Set(data.series.map((s) => s.key))].sort(), [data.series]);
  const shownKeys = state.keys ? allKeys.filter((k) => state.keys!.includes(k)) : allKeys;
  const lines = useMemo(() => chartLines(data, colors), [data, colors]);
  const toggleKey = (key: string, on: boolean) => {
    const keys = on ? [...shownKeys, key] : shownKeys.filter((k) => k !== key);
    update({ keys: keys.length === allKeys.length ? null : allKeys.filter((k) => keys.includes(k)) });
  };
  const pair = diffPair(state, runIds);

  if (data.runs.length === 0) {
    return <p className={styles.empty}>None of the runs asked for exist{data.missing.length ? `: ${data.missing.join(", ")}` : ""}.</p>;
  }
  return (
    <div className={styles.view}>
      <ul className={styles.legend} aria-label="Runs">
        {data.runs.map((r, i) => (
          <li key={r.id} data-run-id={r.id}>
            <span className={styles.swatch} style={{ background: colors[i] }} aria-hidden="true" />
            {readOnly ? <span className={styles.runName}>{r.name}</span> : <Link href={`/runs/${r.id}`} className={styles.runName}>{r.name}</Link>}
            <StatusBadge status={r.status} />
            <span className="muted">{r.experimentTitle}</span>
          </li>
        ))}
      </ul>
      {data.missing.length > 0 ? (
        <p className={styles.notice}>Not found, left out: {data.missing.join(", ")}</p>
      ) : null}

      <section className={styles.section} aria-labelledby="compare-metrics">
        <h2 id="compare-metrics">Metrics</h2>
        {allKeys.length === 0 ? (
          <p className={styles.empty}>No metrics logged.</p>
        ) : (
          <>
            <div className={styles.controls}>
              <SmoothingSlider className={styles.control} value={state.smoothing} onChange={(smoothing) => update({ smoothing })} />
              <label className={styles.control}>
                <span>X axis</span>
                <select value={state.axis} onChange={(e) => update({ axis: e.target.value as XAxis })} aria-label="X axis">
                  {X_AXES.map((a) => (
                    <option key={a} value={a}>
                      {AXIS_LABEL[a]}
                    </option>
                  ))}
                </select>
              </label>
              <details className={styles.keyChooser}>
                <summary>
                  Keys ({shownKeys.length}/{allKeys.length})
                </summary>
                <fieldset className={styles.keyList}>
                  <legend className="muted">Show metric keys</legend>
                  {allKeys.map((k) => (
                    <label key={k}>
                      <input type="checkbox" checked={shownKeys.includes(k)} onChange={(e) => toggleKey(k, e.target.checked)} />
                      {k}
                    </label>
                  ))}
                </fieldset>
              </details>
            </div>
            <div className={styles.charts}>
              {shownKeys.map((key) => (
                <CompareChart key={key} metricKey={key} lines={lines.get(key) ?? []} smoothing={state.smoothing} axis={state.axis} />
              ))}
            </div>
          </>
        )}
      </section>

      <section className={styles.section} aria-labelledby="compare-hparams">
        <h2 id="compare-hparams">Hyperparameters</h2>
        <HparamDiffTable runs={data.runs} colors={colors} />
      </section>

      <section className={styles.section} aria-labelledby="compare-samples">
        <h2 id="compare-samples">Samples</h2>
        <SampleCompare
          runs={data.runs.map((r, i) => ({ id: r.id, name: r.name, color: colors[i] }))}
          samples={data.samples}
          step={state.step}
          onStep={(step) => update({ step })}
        />
      </section>

      <section className={styles.section} aria-labelledby="compare-code">
        <h2 id="compare-code">Code</h2>
        {pair ? <CodeDiff runs={data.runs} pair={pair} onPair={(diff) => update({ diff })} /> : null}
      </section>
    </div>
  );
}

/** Each key's lines, one per run that logged it, in the runs' order. */
function chartLines(data: CompareData, colors: string[]): Map<string, ChartLine[]> {
  const out = new Map<string, ChartLine[]>();
  data.runs.forEach((run, i) => {
    const own = data.series.filter((s) => s.runId === run.id);
    // Relative time counts from the run's first logged point, as TensorBoard's does.
    const firsts = own.filter((s) => s.times.length > 0).map((s) => s.times[0]);
    const origin = firsts.length > 0 ? Math.min(...firsts) : Date.parse(run.startedAt);
    for (const series of own) {
      out.set(series.key, [...(out.get(series.key) ?? []), { series, name: run.name, color: colors[i], origin }]);
    }
  });
  return out;
}
