import Link from "next/link";
import type { RunView } from "@/lib/tracker/runs";
import { formatDateTime, formatDuration } from "../format";
import { StatusBadge } from "../StatusBadge";
import ui from "../ui.module.css";

/** Status, times, seed and where the run trained, as a definition list. */
export function RunFacts({ run }: { run: RunView }) {
  return (
    <dl className={ui.facts}>
      <dt>Status</dt>
      <dd>
        <StatusBadge status={run.status} />
      </dd>
      <dt>Started</dt>
      <dd>{formatDateTime(run.startedAt)}</dd>
      <dt>{run.endedAt ? "Ended" : "Last heartbeat"}</dt>
      <dd>{formatDateTime(run.endedAt ?? run.heartbeatAt)}</dd>
      <dt>Duration</dt>
      <dd>{formatDuration(run.durationMs)}</dd>
      <dt>Seed</dt>
      <dd>{run.seed ?? <span className="muted">not set</span>}</dd>
      <dt>Backend</dt>
      <dd>{run.backend ?? <span className="muted">unknown</span>}</dd>
      <dt>Device</dt>
      <dd>{run.device ? <DeviceSummary device={run.device} /> : <span className="muted">unknown</span>}</dd>
      {run.sweep ? (
        <>
          <dt>Sweep</dt>
          <dd>
            job {run.sweep.job + 1}
            {run.sweep.attempt > 1 ? `, attempt ${run.sweep.attempt}` : ""} of <Link href={`/sweeps/${run.sweep.id}`}>{run.sweep.id}</Link>
          </dd>
        </>
      ) : null}
      <dt>Run id</dt>
      <dd>
        <code>{run.id}</code>
      </dd>
    </dl>
  );
}

// The adapter fields a person recognises first; the rest (user agent, limits…) stays one click away.
const PRIMARY = ["description", "vendor", "architecture", "device"];

function DeviceSummary({ device }: { device: Record<string, unknown> }) {
  const main = PRIMARY.map((k) => device[k]).filter((v): v is string => typeof v === "string" && v !== "");
  const rest = Object.entries(device).filter(([k]) => !PRIMARY.includes(k) || typeof device[k] !== "string");
  return (
    <>
      {main.length > 0 ? main.join(" · ") : <span className="muted">no adapter info</span>}
      {rest.length > 0 ? (
        <details>
          <summary className="muted">details</summary>
          <dl className={ui.facts}>
            {rest.map(([k, v]) => (
              <div key={k} className={ui.factRow}>
                <dt>{k}</dt>
                <dd>{typeof v === "string" ? v : JSON.stringify(v)}</dd>
              </div>
            ))}
          </dl>
        </details>
      ) : null}
    </>
  );
}
