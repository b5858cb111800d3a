"use client";

import { useMemo, useState } from "react";
import { formatValue } from "@/components/format";
import type { Table, TensorSummary } from "@/lib/runner/display";
import type { JsonValue } from "@/lib/runner/protocol";
import { renderMarkdown } from "../markdown";
import { formatValues } from "./format";
import styles from "./outputs.module.css";

/** Markdown from show.md: rendered by the notebook's one renderer, which escapes raw HTML and refuses unsafe links. */
export function MarkdownOutput({ text }: { text: string }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  return <div className={styles.markdown} data-output="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}

export function PlainOutput({ text }: { text: string }) {
  return (
    <pre className={styles.plain} data-output="text">
      {text}
    </pre>
  );
}

const stat = (v: number | string | null) => (v === null ? "—" : typeof v === "number" ? formatValue(v) : v);

/** Shape, dtype, statistics and the values (or their first ones) of a tensor or numeric array. */
export function TensorOutput({ summary }: { summary: TensorSummary }) {
  const values = useMemo(() => formatValues(summary.values), [summary.values]);
  const shown = Array.isArray(summary.values) ? summary.values.length : 1;
  return (
    <section className={styles.box} data-output="tensor" aria-label={`Tensor ${summary.dtype} [${summary.shape.join(", ")}]`}>
      <header className={styles.boxHead}>
        <span className={styles.boxTitle}>
          Tensor {summary.dtype} [{summary.shape.join(", ")}]
        </span>
        <span>{summary.size.toLocaleString("en")} values</span>
      </header>
      <dl className={styles.stats}>
        {(["min", "max", "mean", "std"] as const).map((k) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{stat(summary[k])}</dd>
          </div>
        ))}
        <div className={summary.nan > 0 ? styles.bad : undefined}>
          <dt>NaN</dt>
          <dd>{summary.nan.toLocaleString("en")}</dd>
        </div>
      </dl>
      <pre className={styles.values}>{values}</pre>
      {summary.truncated ? (
        <p className={styles.boxHead} style={{ margin: "4px 0 0" }}>
          first {shown.toLocaleString("en")} of {summary.size.toLocaleString("en")} values, flattened
        </p>
      ) : null}
    </section>
  );
}

const ROWS_SHOWN = 100;

/** Rows of records or a matrix as a real table; long tables show their first rows until asked for all. */
export function TableOutput({ table }: { table: Table }) {
  const [all, setAll] = useState(false);
  const rows = all ? table.rows : table.rows.slice(0, ROWS_SHOWN);
  return (
    <section className={styles.box} data-output="table">
      <div className={styles.tableScroll}>
        <table>
          <thead>
            <tr>
              {table.columns.map((c, i) => (
                <th key={i} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, r) => (
              <tr key={r}>
                {row.map((v, c) => (
                  <td key={c} className={typeof v === "number" ? styles.num : undefined}>
                    {cellText(v)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className={styles.boxHead} style={{ margin: "6px 0 0" }}>
        <span>
          {table.rows.length.toLocaleString("en")} rows × {table.columns.length} columns
        </span>
        {table.rows.length > ROWS_SHOWN ? (
          <button type="button" className={styles.more} onClick={() => setAll(!all)} aria-expanded={all}>
            {all ? `Show the first ${ROWS_SHOWN}` : `Show all ${table.rows.length.toLocaleString("en")} rows`}
          </button>
        ) : null}
      </div>
    </section>
  );
}

function cellText(v: JsonValue): string {
  if (v === null) return "";
  return typeof v === "object" ? JSON.stringify(v) : formatValue(v);
}

const OPEN_LINES = 20;

/** Any other value as pretty-printed JSON, folded when it is long. */
export function JsonOutput({ value }: { value: JsonValue }) {
  const text = useMemo(() => JSON.stringify(value, null, 2) ?? "null", [value]);
  const lines = useMemo(() => text.split("\n").length, [text]);
  const kind = Array.isArray(value)
    ? `Array(${value.length})`
    : value !== null && typeof value === "object"
      ? `Object, ${Object.keys(value).length} keys`
      : typeof value;
  return (
    <details className={`${styles.box} ${styles.json}`} data-output="json" open={lines <= OPEN_LINES}>
      <summary>
        JSON · {kind} · {lines} lines
      </summary>
      <pre className={styles.values}>{text}</pre>
    </details>
  );
}
