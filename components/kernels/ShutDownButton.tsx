"use client";
// Shuts a server kernel down (its variables are lost, its run ends as interrupted), after asking.
import { useRouter } from "next/navigation";
import { useState } from "react";

export function ShutDownButton({ kernelId, title }: { kernelId: string; title: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | undefined>();
  const shutDown = async () => {
    if (!window.confirm(`Shut down the kernel of “${title}”? Every variable in it is lost.`)) return;
    const res = await fetch(`/api/kernels/${encodeURIComponent(kernelId)}`, { method: "DELETE" });
    if (!res.ok && res.status !== 404) {
      const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
      setError(body?.error?.message ?? `HTTP ${res.status}`);
      return;
    }
    router.refresh();
  };
  return (
    <>
      <button type="button" onClick={() => void shutDown()}>
        Shut down
      </button>
      {error ? <span role="alert"> {error}</span> : null}
    </>
  );
}
