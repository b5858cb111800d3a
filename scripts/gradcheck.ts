// `npm run gradcheck`: every op our video GANs train through, on every backend we can reach, checked
// against central finite differences and against the cpu backend. Prints an op × backend table and exits
// non-zero on any failure. A backend that cannot start is reported as n.a. with the reason, never passed.
//
//   GRADCHECK_BACKENDS=cpu,native,wasm,webgpu,chromium-webgpu,chromium-webgl,chromium-wasm   (default: all)
//   GRADCHECK_CASES=conv3d          only cases whose name contains this
//   GRADCHECK_REQUIRE=all           also fail when a backend is unavailable
import * as tf from "@tensorflow/tfjs-core";
import { initBackend, type BackendName } from "../lib/gan/backend";
import { defaultVulkanDriver, SWIFTSHADER_ICD } from "../lib/gan/backend_node";
import "../lib/gan/ops";
import { allCases } from "../lib/gan/ops/check/all_cases";
import type { CaseRun } from "../lib/gan/ops/check/case";
import { judge, TOLERANCE } from "../lib/gan/ops/check/compare";
import { runCases } from "../lib/gan/ops/check/run_case";
import { runInChromium } from "./gradcheck-browser/run";

interface Column {
  id: string;
  label: string;
  device?: string;
  unavailable?: string;
  runs?: CaseRun[];
}

const ALL = ["cpu", "native", "wasm", "webgpu", "chromium-webgpu", "chromium-webgl", "chromium-wasm"];
const wanted = (process.env.GRADCHECK_BACKENDS ?? ALL.join(",")).split(",").map((s) => s.trim()).filter(Boolean);
const caseFilter = process.env.GRADCHECK_CASES ?? null;
const selected = (name: string) => caseFilter == null || name.includes(caseFilter);

const DAWN_HINT = "Dawn needs libvulkan1 and a Vulkan driver: mesa-vulkan-drivers from bookworm-backports " +
  `(Debian 12's own lavapipe is refused), or VK_ICD_FILENAMES=${SWIFTSHADER_ICD}`;

async function nodeColumn(name: BackendName): Promise<Column> {
  const label = name === "webgpu" ? "webgpu (Dawn)" : name;
  if (name === "webgpu") defaultVulkanDriver();
  const info = await initBackend(name);
  if (info.backend !== name) {
    const reason = info.fallbackReason?.split("; ")[0] ?? `started ${info.backend}`;
    return { id: name, label, unavailable: name === "webgpu" ? `${reason} (${DAWN_HINT})` : reason };
  }
  const device = info.adapter ? info.adapter.description : undefined;
  return { id: name, label, device, runs: await runCases(allCases, (c) => selected(c.name)) };
}

async function chromiumColumns(ids: string[]): Promise<Column[]> {
  const backends = ids.map((id) => id.replace("chromium-", "") as "webgpu" | "webgl" | "wasm");
  const label = (b: string) => `${b} (Chromium)`;
  try {
    const results = await runInChromium(backends, caseFilter);
    return results.map((r) => ({ id: `chromium-${r.backend}`, label: label(r.backend), device: r.device, unavailable: r.unavailable, runs: r.runs }));
  } catch (err) {
    const reason = err instanceof Error ? err.message.split("\n")[0] : String(err);
    return backends.map((b) => ({ id: `chromium-${b}`, label: label(b), unavailable: reason }));
  }
}

function cell(run: CaseRun | undefined, ref: CaseRun | undefined, col: Column): { text: string; ok: boolean } {
  if (col.unavailable) return { text: "n.a.", ok: true };
  const v = judge(run, ref);
  const err = Number.isFinite(v.maxErr) ? v.maxErr.toExponential(1) : "—";
  return { text: `${v.ok ? "PASS" : "FAIL"} ${err}`, ok: v.ok };
}

function printTable(cols: Column[]): boolean {
  const ref = cols.find((c) => c.id === "cpu")?.runs;
  const names = allCases.filter((c) => selected(c.name)).map((c) => c.name);
  const first = Math.max(...names.map((n) => n.length), 2) + 2;
  const width = Math.max(14, ...cols.map((c) => c.label.length + 2));
  const pad = (s: string, n: number) => s + " ".repeat(Math.max(0, n - s.length));
  console.log(pad("op", first) + cols.map((c) => pad(c.label, width)).join(""));
  let ok = true;
  const failures: string[] = [];
  for (const name of names) {
    const refRun = ref?.find((r) => r.name === name);
    const cells = cols.map((c) => {
      const run = c.runs?.find((r) => r.name === name);
      const result = cell(run, refRun, c);
      if (!result.ok) failures.push(`${c.label} / ${name}: ${judge(run, refRun).note}`);
      ok &&= result.ok;
      return pad(result.text, width);
    });
    console.log(pad(name, first) + cells.join(""));
  }
  console.log(`\nPASS = forward and gradients within ${TOLERANCE} (relative) of the cpu backend, and gradient`);
  console.log("projections within that of a central finite difference; the number is the largest error seen.");
  for (const c of cols) {
    const ms = c.runs ? ` in ${(c.runs.reduce((s, r) => s + r.ms, 0) / 1000).toFixed(1)} s` : "";
    console.log(`${c.label}: ${c.unavailable ? `n.a. — ${c.unavailable}` : `${c.device ?? "ok"}${ms}`}`);
  }
  if (failures.length > 0) console.log(`\nFailures:\n  ${failures.join("\n  ")}`);
  return ok;
}

async function main(): Promise<number> {
  const cols: Column[] = [];
  // cpu first: it is the reference the other backends are compared with.
  for (const id of ["cpu", "native", "wasm", "webgpu"] as const) if (wanted.includes(id)) cols.push(await nodeColumn(id));
  const chromium = wanted.filter((id) => id.startsWith("chromium-"));
  if (chromium.length > 0) cols.push(...(await chromiumColumns(chromium)));
  const unknown = wanted.filter((id) => !ALL.includes(id));
  if (unknown.length > 0) console.warn(`unknown backends ignored: ${unknown.join(", ")} (known: ${ALL.join(", ")})`);
  const ok = printTable(cols) && stray.length === 0;
  if (stray.length > 0) console.log(`\nUnhandled rejections (counted as failures):\n  ${stray.join("\n  ")}`);
  const missing = cols.filter((c) => c.unavailable);
  if (process.env.GRADCHECK_REQUIRE === "all" && missing.length > 0) return 1;
  return ok ? 0 : 1;
}

// Some webgpu kernel errors surface only as unhandled rejections (the op then returns garbage or throws
// something unrelated): count them as failures rather than letting them pass silently.
const stray: string[] = [];
process.on("unhandledRejection", (reason) => stray.push(reason instanceof Error ? reason.message : String(reason)));

tf.enableProdMode();
// Dawn keeps the event loop alive, so leave explicitly.
main().then((code) => process.exit(code), (err) => {
  console.error(err);
  process.exit(1);
});
