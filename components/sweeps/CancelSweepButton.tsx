"use client";
// Cancels one job of a sweep, or all of them, after asking: queued jobs never start, running ones stop at their
// next training step.
import { useRouter } from "next/navigation";
import { useState } from "react";

export function CancelSweepButton({ sweepId, job, label }: { sweepId: string; job?: number; label: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | undefined>();
  const cancel = async () => {
    const what = job === undefined ? "every job of this sweep that has not finished" : `job ${job + 1}`;
    if (!window.confirm(`Cancel ${what}? A running job stops at its next training step.`)) return;
    const res = await fetch(`/api/sweeps/${encodeURIComponent(sweepId)}/cancel`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(job === undefined ? {} : { jobs: [job] }),
    });
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
      setError(body?.error?.message ?? `HTTP ${res.status}`);
      return;
    }
    router.refresh();
  };
  return (
    <>
      <button type="button" onClick={() => void cancel()}>
        {label}
      </button>
      {error ? <span role="alert"> {error}</span> : null}
    </>
  );
}
