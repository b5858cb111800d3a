"use client";
// "Import run…": a run bundle (the zip another Zoetrope exports from a run page) becomes a run of this experiment,
// with its code, hyperparameters, metrics and samples (POST /api/runs/import).
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";

export function ImportRunButton({ experimentId }: { experimentId: string }) {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<{ busy: boolean; message?: string; error?: boolean }>({ busy: false });

  async function upload(file: File) {
    setState({ busy: true, message: `Importing ${file.name}…` });
    try {
      const res = await fetch(`/api/runs/import?experimentId=${encodeURIComponent(experimentId)}`, {
        method: "POST",
        headers: { "content-type": "application/zip" },
        body: file,
      });
      const body = (await res.json().catch(() => ({}))) as { id?: string; error?: { message?: string } };
      if (!res.ok) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
      setState({ busy: false, message: `Imported as a new run.` });
      router.refresh();
    } catch (e) {
      setState({ busy: false, error: true, message: `Could not import ${file.name}: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  return (
    <span>
      <button type="button" disabled={state.busy} onClick={() => input.current?.click()} title="Add a run exported as a zip bundle">
        Import run…
      </button>
      <input
        ref={input}
        type="file"
        accept=".zip,application/zip"
        hidden
        aria-label="Run bundle to import"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = "";
          if (file) void upload(file);
        }}
      />
      {state.message ? (
        <span role={state.error ? "alert" : "status"} className={state.error ? undefined : "muted"}>
          {" "}
          {state.message}
        </span>
      ) : null}
    </span>
  );
}
