"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import { QueryError, compileQuery, type QueryableRun } from "@/lib/query";
import styles from "./RunsExplorer.module.css";
import type { ColumnId, RunRow } from "./runRow";
import { RunsTable, tableColumns } from "./RunsTable";
import { writeTableState, type TableState } from "./tableState";

interface Props {
  runs: RunRow[];
  hparamKeys: string[];
  metricKeys: string[];
  /** The view the URL asked for (read on the server, so the first paint is already filtered). */
  initial: TableState;
}

type Filter = { keep: (run: QueryableRun) => boolean; error: null } | { keep: null; error: QueryError };

function compile(q: string): Filter {
  try {
    return { keep: compileQuery(q), error: null };
  } catch (err) {
    if (err instanceof QueryError) return { keep: null, error: err };
    throw err;
  }
}

/**
 * The runs table with what one needs to find runs: a filter box in the run query language, a column chooser, and a
 * row selection that opens the comparison. The filter, sort and hidden columns live in the URL (replaced in place,
 * no reload), so a view is a link.
 */
export function RunsExplorer({ runs, hparamKeys, metricKeys, initial }: Props) {
  const [state, setState] = useState<TableState>(initial);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  // While a query does not parse, the table keeps showing what the last good one matched.
  const [lastGood, setLastGood] = useState(() => (compile(initial.q).error ? "" : initial.q));
  const filter = useMemo(() => compile(state.q), [state.q]);
  const keep = useMemo(() => filter.keep ?? compile(lastGood).keep ?? (() => true), [filter, lastGood]);
  const shown = useMemo(() => runs.filter((r) => !r.query || keep(r.query)), [runs, keep]);
  const hidden = useMemo(() => new Set(state.hidden), [state.hidden]);
  const chosen = shown.filter((r) => selected.has(r.id)).map((r) => r.id);

  const update = (next: TableState) => {
    setState(next);
    if (!compile(next.q).error) setLastGood(next.q);
    const params = writeTableState(new URLSearchParams(window.location.search), next);
    const search = params.toString();
    window.history.replaceState(window.history.state, "", `${window.location.pathname}${search ? `?${search}` : ""}`);
  };

  const onSelect = (ids: string[], on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });

  const toggleColumn = (id: ColumnId, visible: boolean) =>
    update({ ...state, hidden: visible ? state.hidden.filter((c) => c !== id) : [...state.hidden, id] });

  const choosable = tableColumns(runs, hparamKeys, metricKeys).filter((c) => c.id !== "name");

  return (
    <div className={styles.explorer}>
      <div className={styles.bar}>
        <label className={styles.filter}>
          <span className={styles.label}>Filter</span>
          <input
            type="text"
            className={styles.query}
            value={state.q}
            onChange={(e) => update({ ...state, q: e.target.value })}
            placeholder='params.model = "mocogan" and metrics.loss_d < 0.7 and status = "finished"'
            aria-label="Filter runs"
            aria-invalid={filter.error ? true : undefined}
            aria-describedby={filter.error ? "runs-filter-error" : undefined}
            spellCheck={false}
          />
        </label>
        <details className={styles.chooser}>
          <summary>Columns</summary>
          <fieldset className={styles.columnList}>
            <legend className="muted">Show columns</legend>
            {choosable.map((c) => (
              <label key={c.id} className={c.group ? styles.keyLabel : undefined}>
                <input type="checkbox" checked={!hidden.has(c.id)} onChange={(e) => toggleColumn(c.id, e.target.checked)} />
                {c.group === "metric" ? `${c.label} (last)` : c.label}
              </label>
            ))}
          </fieldset>
        </details>
        {chosen.length >= 2 ? (
          <Link className={styles.compare} href={`/compare?runs=${chosen.map(encodeURIComponent).join(",")}`}>
            Compare {chosen.length} runs
          </Link>
        ) : (
          <button type="button" disabled title="Select two runs or more">
            Compare
          </button>
        )}
      </div>
      {filter.error ? <QueryErrorBox id="runs-filter-error" query={state.q} error={filter.error} /> : null}
      <p className={styles.count} aria-live="polite">
        {shown.length === runs.length ? `${runs.length} runs` : `${shown.length} of ${runs.length} runs match`}
      </p>
      <RunsTable
        runs={shown}
        hparamKeys={hparamKeys}
        metricKeys={metricKeys}
        sort={state.sort}
        onSortChange={(sort) => update({ ...state, sort })}
        hidden={hidden}
        selected={selected}
        onSelect={onSelect}
      />
    </div>
  );
}

/** The query again with a caret under the characters the error is about, then the message. */
function QueryErrorBox({ id, query, error }: { id: string; query: string; error: QueryError }) {
  const caret = " ".repeat(error.position) + "^".repeat(Math.max(1, error.length));
  return (
    <div id={id} role="alert" className={styles.error} data-error-position={error.position}>
      <pre className={styles.caret}>
        {query}
        {"\n"}
        {caret}
      </pre>
      <p>{error.message}</p>
    </div>
  );
}
