"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import { formatDuration, formatValue } from "../format";
import { StatusBadge } from "../StatusBadge";
import ui from "../ui.module.css";
import styles from "./RunsTable.module.css";
import { cellValue, sortRows, type ColumnId, type RunRow } from "./runRow";
import { DEFAULT_SORT, type TableSort } from "./tableState";

interface Props {
  runs: RunRow[];
  hparamKeys: string[];
  metricKeys: string[];
  /** Controlled sorting (the URL holds it); without it the table sorts on its own. */
  sort?: TableSort;
  onSortChange?: (sort: TableSort) => void;
  /** Columns switched off in the column chooser. */
  hidden?: ReadonlySet<ColumnId>;
  /** Row selection for comparing: a checkbox column appears when `onSelect` is given. */
  selected?: ReadonlySet<string>;
  onSelect?: (ids: string[], on: boolean) => void;
}

export interface Column {
  id: ColumnId;
  label: string;
  numeric: boolean;
  group?: "hparam" | "metric";
}

/** Every column the table can show, name first; the experiment column only when rows carry their experiment. */
export function tableColumns(runs: RunRow[], hparamKeys: string[], metricKeys: string[]): Column[] {
  return [
    { id: "name", label: "Run", numeric: false },
    ...(runs.some((r) => r.experiment) ? [{ id: "experiment", label: "Experiment", numeric: false } as Column] : []),
    { id: "status", label: "Status", numeric: false },
    { id: "startedAt", label: "Started", numeric: false },
    { id: "duration", label: "Duration", numeric: true },
    ...hparamKeys.map((k): Column => ({ id: `h:${k}`, label: k, numeric: true, group: "hparam" })),
    ...metricKeys.map((k): Column => ({ id: `m:${k}`, label: k, numeric: true, group: "metric" })),
  ];
}

/** Runs, one row each, sortable by any column (click a header; again to reverse). */
export function RunsTable({ runs, hparamKeys, metricKeys, sort: sortProp, onSortChange, hidden, selected, onSelect }: Props) {
  const [ownSort, setOwnSort] = useState<TableSort>(DEFAULT_SORT);
  const sort = sortProp ?? ownSort;
  const sorted = useMemo(() => sortRows(runs, sort.column, sort.dir), [runs, sort]);

  const columns = tableColumns(runs, hparamKeys, metricKeys).filter((c) => c.id === "name" || !hidden?.has(c.id));
  const fixed = columns.filter((c) => !c.group).length;
  const hparamCount = columns.filter((c) => c.group === "hparam").length;
  const metricCount = columns.filter((c) => c.group === "metric").length;
  const selectable = onSelect !== undefined;
  const allSelected = selectable && runs.length > 0 && runs.every((r) => selected?.has(r.id));

  const onSort = (column: ColumnId) => {
    const next: TableSort =
      sort.column === column ? { column, dir: sort.dir === 1 ? -1 : 1 } : { column, dir: column === "startedAt" ? -1 : 1 };
    if (onSortChange) onSortChange(next);
    else setOwnSort(next);
  };

  return (
    <div className={ui.tableWrap}>
      <table className={styles.table}>
        <thead>
          {hparamCount + metricCount > 0 ? (
            <tr className={styles.groups}>
              <th colSpan={fixed + (selectable ? 1 : 0)} />
              {hparamCount > 0 ? <th colSpan={hparamCount} className={styles.groupStart}>hyperparameters</th> : null}
              {metricCount > 0 ? <th colSpan={metricCount} className={styles.groupStart}>last value</th> : null}
            </tr>
          ) : null}
          <tr>
            {selectable ? (
              <th className={styles.check}>
                <input
                  type="checkbox"
                  aria-label="Select all runs"
                  checked={allSelected}
                  onChange={(e) => onSelect(runs.map((r) => r.id), e.target.checked)}
                />
              </th>
            ) : null}
            {columns.map((c, i) => (
              <th
                key={c.id}
                className={`${c.numeric ? "num" : ""} ${c.group ? styles.keyHeader : ""} ${headerClass(c, columns[i - 1])}`}
                aria-sort={sort.column === c.id ? (sort.dir === 1 ? "ascending" : "descending") : "none"}
              >
                <button type="button" className={styles.sortButton} onClick={() => onSort(c.id)} title={`Sort by ${c.label}`}>
                  {c.label}
                  <span className={styles.arrow} aria-hidden="true">
                    {sort.column === c.id ? (sort.dir === 1 ? "▲" : "▼") : ""}
                  </span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((run) => (
            <tr key={run.id} data-run-id={run.id}>
              {selectable ? (
                <td className={styles.check}>
                  <input
                    type="checkbox"
                    aria-label={`Select ${run.name || run.id}`}
                    checked={selected?.has(run.id) ?? false}
                    onChange={(e) => onSelect([run.id], e.target.checked)}
                  />
                </td>
              ) : null}
              {columns.map((c, i) => (
                <Cell key={c.id} run={run} column={c} className={headerClass(c, columns[i - 1])} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Cell({ run, column, className }: { run: RunRow; column: Column; className: string }) {
  switch (column.id) {
    case "name":
      return (
        <td className={styles.name}>
          <Link href={`/runs/${run.id}`}>{run.name || run.id}</Link>
        </td>
      );
    case "experiment":
      return (
        <td className={styles.name}>
          {run.experiment ? <Link href={`/experiments/${run.experiment.slug}`}>{run.experiment.title}</Link> : null}
        </td>
      );
    case "status":
      return (
        <td>
          <StatusBadge status={run.status} />
        </td>
      );
    case "startedAt":
      return <td className="muted">{run.started}</td>;
    case "duration":
      return <td className="num">{formatDuration(run.durationMs)}</td>;
    default:
      return (
        <td className={`num ${className}`}>{formatValue(cellValue(run, column.id)) || <span className="muted">—</span>}</td>
      );
  }
}

// A faint rule where the hyperparameter and metric groups begin.
function headerClass(c: Column, prev: Column | undefined): string {
  return c.group && c.group !== prev?.group ? styles.groupStart : "";
}
