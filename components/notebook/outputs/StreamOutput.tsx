"use client";

import { useMemo, useState } from "react";
import { tailLines } from "./format";
import styles from "./outputs.module.css";

// A long training log keeps its last lines in the page; the whole text is one click away.
const MAX_LINES = 200;

/** Console text of a cell (consecutive chunks merged), stderr tinted. */
export function StreamOutput({ channel, text }: { channel: "stdout" | "stderr"; text: string }) {
  const [all, setAll] = useState(false);
  const { shown, hidden } = useMemo(() => tailLines(text, MAX_LINES), [text]);
  return (
    <>
      {hidden > 0 ? (
        <button type="button" className={styles.more} onClick={() => setAll(!all)} aria-expanded={all}>
          {all ? "Show only the last lines" : `Show all (${hidden.toLocaleString("en")} earlier lines)`}
        </button>
      ) : null}
      <pre
        className={channel === "stderr" ? `${styles.stream} ${styles.stderr}` : styles.stream}
        data-output={channel}
        role="log"
        aria-label={channel === "stderr" ? "Error output" : "Output"}
      >
        {all ? text : shown}
      </pre>
    </>
  );
}
