import styles from "./share.module.css";

/** Download links for a run's export formats (GET /api/runs/:id/export). */
export function ExportLinks({ runId }: { runId: string }) {
  const href = (format: string) => `/api/runs/${encodeURIComponent(runId)}/export?format=${format}`;
  return (
    <nav className={styles.exports} aria-label="Export">
      <span className="muted">Export</span>
      <a href={href("csv")} download>
        metrics CSV
      </a>
      <a href={href("json")} download>
        JSON
      </a>
      <a href={href("zip")} download title="Code, hyperparameters, metrics and samples">
        bundle (zip)
      </a>
    </nav>
  );
}
