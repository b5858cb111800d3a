import { CodeView } from "@/components/CodeView";
import { formatDateTime, formatDuration } from "@/components/format";
import { StatusBadge } from "@/components/StatusBadge";
import ui from "@/components/ui.module.css";
import type { ExperimentDetail } from "@/lib/tracker/experiments";
import type { RunView } from "@/lib/tracker/runs";
import { sharedRunHref } from "./load";
import { ReadOnlyNote } from "./ReadOnlyNote";

/**
 * An experiment, read-only: its notebook as highlighted text (rendered on the server; no editor, no kernel — the
 * code is never run in the viewer's browser) and its runs, each opening inside the link.
 */
export function SharedExperiment({ token, experiment, runs }: { token: string; experiment: ExperimentDetail; runs: RunView[] }) {
  return (
    <>
      <div className={ui.header}>
        <h1>{experiment.title}</h1>
        <ReadOnlyNote />
        <span className="muted">updated {formatDateTime(experiment.updatedAt)}</span>
      </div>

      <section className={ui.section} aria-labelledby="runs">
        <h2 id="runs">Runs ({runs.length})</h2>
        {runs.length === 0 ? (
          <p className={ui.empty}>No runs yet.</p>
        ) : (
          <div className={ui.tableWrap}>
            <table>
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Status</th>
                  <th>Started</th>
                  <th className="num">Duration</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <tr key={r.id} data-run-id={r.id}>
                    <td>
                      <a href={sharedRunHref(token, r.id)}>{r.name}</a>
                    </td>
                    <td>
                      <StatusBadge status={r.status} />
                    </td>
                    <td>{formatDateTime(r.startedAt)}</td>
                    <td className="num">{formatDuration(r.durationMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className={ui.section} aria-labelledby="notebook">
        <h2 id="notebook">Notebook</h2>
        <CodeView code={experiment.notebook} label="Notebook source (read-only)" />
      </section>
    </>
  );
}
