// Browser side of `npm run gradcheck`: bundled by run.ts, loaded in headless Chromium, driven by page.evaluate.
import "../../lib/gan/ops";
import { initBackend, type BackendName } from "../../lib/gan/backend";
import { allCases } from "../../lib/gan/ops/check/all_cases";
import type { CaseRun } from "../../lib/gan/ops/check/case";
import { runCases } from "../../lib/gan/ops/check/run_case";

export interface BrowserBackendResult {
  backend: string;
  device?: string;
  unavailable?: string;
  runs?: CaseRun[];
}

async function check(backend: BackendName, caseFilter: string | null): Promise<BrowserBackendResult> {
  try {
    const info = await initBackend(backend, { wasmPaths: "/wasm/" });
    if (info.backend !== backend) return { backend, unavailable: info.fallbackReason ?? `got ${info.backend}` };
    const threads = backend === "wasm" ? `${(globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated ? "threaded" : "single-threaded"} SIMD` : undefined;
    const adapter = info.adapter ? [info.adapter.vendor, info.adapter.architecture, info.adapter.description].filter(Boolean).join(" ") : undefined;
    const device = threads ?? adapter;
    const runs = await runCases(allCases, caseFilter ? (c) => c.name.includes(caseFilter) : undefined);
    return { backend, device, runs };
  } catch (err) {
    return { backend, unavailable: err instanceof Error ? err.message : String(err) };
  }
}

(globalThis as Record<string, unknown>).runGradcheck = async (backends: BackendName[], caseFilter: string | null) => {
  const out: BrowserBackendResult[] = [];
  for (const b of backends) out.push(await check(b, caseFilter));
  return out;
};
