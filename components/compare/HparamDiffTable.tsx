import { formatValue } from "../format";
import ui from "../ui.module.css";
import styles from "./Compare.module.css";
import { hparamRows } from "./hparamDiff";
import type { CompareRun } from "./types";

/** Hyperparameters side by side: rows whose values differ first and highlighted, then the ones all runs share. */
export function HparamDiffTable({ runs, colors }: { runs: CompareRun[]; colors: string[] }) {
  const rows = hparamRows(runs);
  if (rows.length === 0) return <p className={styles.empty}>No hyperparameters recorded.</p>;
  const differing = rows.filter((r) => r.differs).length;
  return (
    <>
      <p className="muted">
        {differing === 0 ? "All hyperparameters are the same." : `${differing} of ${rows.length} differ (shown first).`}
      </p>
      <div className={ui.tableWrap}>
        <table className={styles.hparams}>
          <thead>
            <tr>
              <th scope="col">Hyperparameter</th>
              {runs.map((r, i) => (
                <th key={r.id} scope="col" className={styles.runHeader}>
                  <span className={styles.swatch} style={{ background: colors[i] }} aria-hidden="true" />
                  {r.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} className={row.differs ? styles.differs : undefined} data-differs={row.differs}>
                <th scope="row" className={ui.keyCell}>
                  {row.key}
                </th>
                {row.values.map((v, i) => (
                  <td key={runs[i].id} className={ui.wrap}>
                    {v === undefined ? <span className="muted">—</span> : formatValue(v)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
