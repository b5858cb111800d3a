"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

/** Revokes a share link (DELETE /api/share/:id), then refreshes the list. */
export function RevokeButton({ id }: { id: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function revoke() {
    setBusy(true);
    setError(null);
    const res = await fetch(`/api/share/${encodeURIComponent(id)}`, { method: "DELETE" });
    setBusy(false);
    if (!res.ok) setError(`Could not revoke (${res.status})`);
    else router.refresh();
  }
  return (
    <>
      <button type="button" className="danger" onClick={revoke} disabled={busy}>
        Revoke
      </button>
      {error ? <span className="muted"> {error}</span> : null}
    </>
  );
}
