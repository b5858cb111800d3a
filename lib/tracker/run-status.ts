// A run's status as readers see it. Browser-safe (no database imports), so the UI can apply the same rule.
import type { RunStatus } from "./schemas";

/** A running run whose worker has been silent this long is shown as interrupted (tab closed, crash, sleep). */
export const HEARTBEAT_TIMEOUT_MS = 2 * 60 * 1000;

export interface StatusFields {
  status: string;
  heartbeatAt: Date;
  startedAt: Date;
  endedAt: Date | null;
}

/** The stored status, except that a silent `running` run reads as `interrupted`. Nothing is written. */
export function effectiveStatus(run: StatusFields, now: number): RunStatus {
  if (run.status === "running" && now - run.heartbeatAt.getTime() > HEARTBEAT_TIMEOUT_MS) return "interrupted";
  return run.status as RunStatus;
}

/** Wall time of the run: to its end, to its last heartbeat if it went silent, else to now. */
export function durationMs(run: StatusFields, now: number): number {
  const end =
    run.endedAt?.getTime() ?? (effectiveStatus(run, now) === "interrupted" ? run.heartbeatAt.getTime() : now);
  return Math.max(0, end - run.startedAt.getTime());
}
