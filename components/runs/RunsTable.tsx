"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import { formatDuration, formatValue } from "../format";
import { StatusBadge } from "../StatusBadge";
import ui from "../ui.module.css";
import styles from "./RunsTable.module.css";
import { cellValue, sortRows, type ColumnId, type RunRow } from "./runRow";

interface Props {
  runs: RunRow[];
  hparamKeys: string[];
  metricKeys: string[];
}

interface Column {
  id: ColumnId;
  label: string;
  numeric: boolean;
  group?: "hparam" | "metric";
}

/** The experiment's runs, one row each, sortable by any column (click a header; again to reverse). */
export function RunsTable({ runs, hparamKeys, metricKeys }: Props) {
  const [sort, setSort] = useState<{ column: ColumnId; dir: 1 | -1 }>({ column: "startedAt", dir: -1 });
  const sorted = useMemo(() => sortRows(runs, sort.column, sort.dir), [runs, sort]);

  const columns: Column[] = [
    { id: "name", label: "Run", numeric: false },
    { id: "status", label: "Status", numeric: false },
    { id: "startedAt", label: "Started", numeric: false },
    { id: "duration", label: "Duration", numeric: true },
    ...hparamKeys.map((k): Column => ({ id: `h:${k}`, label: k, numeric: true, group: "hparam" })),
    ...metricKeys.map((k): Column => ({ id: `m:${k}`, label: k, numeric: true, group: "metric" })),
  ];

  const onSort = (column: ColumnId) =>
    setSort((s) => (s.column === column ? { column, dir: s.dir === 1 ? -1 : 1 } : { column, dir: column === "startedAt" ? -1 : 1 }));

  return (
    <div className={ui.tableWrap}>
      <table className={styles.table}>
        <thead>
          {hparamKeys.length + metricKeys.length > 0 ? (
            <tr className={styles.groups}>
              <th colSpan={4} />
              {hparamKeys.length > 0 ? <th colSpan={hparamKeys.length} className={styles.groupStart}>hyperparameters</th> : null}
              {metricKeys.length > 0 ? <th colSpan={metricKeys.length} className={styles.groupStart}>last value</th> : null}
            </tr>
          ) : null}
          <tr>
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
            <tr key={run.id}>
              <td className={styles.name}>
                <Link href={`/runs/${run.id}`}>{run.name || run.id}</Link>
              </td>
              <td>
                <StatusBadge status={run.status} />
              </td>
              <td className="muted">{run.started}</td>
              <td className="num">{formatDuration(run.durationMs)}</td>
              {columns.slice(4).map((c, i) => (
                <td key={c.id} className={`num ${headerClass(c, columns[i + 3])}`}>
                  {formatValue(cellValue(run, c.id)) || <span className="muted">—</span>}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// A faint rule where the hyperparameter and metric groups begin.
function headerClass(c: Column, prev: Column | undefined): string {
  return c.group && c.group !== prev?.group ? styles.groupStart : "";
}
