// Runs the gradient check inside headless Chromium (Debian's `chromium` package) for the backends a browser
// has: WebGPU (SwiftShader adapter, needs --enable-unsafe-webgpu), WebGL2 (ANGLE/SwiftShader), and wasm
// (the multi-threaded SIMD build, which needs the COOP/COEP headers served here).
// The page is bundled with esbuild and served from http://127.0.0.1 (a secure context, as WebGPU requires).
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serveBundle } from "../../test/browser/page-server";
import type { BrowserBackendResult } from "./page";

const here = path.dirname(fileURLToPath(import.meta.url));
const wasmDist = path.join(path.dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist");
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Runs the cases on each requested backend in one Chromium page. Throws if Chromium cannot start. */
export async function runInChromium(backends: Array<"webgpu" | "webgl" | "wasm">, caseFilter: string | null): Promise<BrowserBackendResult[]> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (apt-get install -y chromium)`);
  const { chromium } = await import("playwright-core");
  const server = await serveBundle(path.join(here, "page.ts"), { title: "gradcheck", dirs: { "/wasm/": wasmDist } });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--enable-unsafe-webgpu", "--use-webgpu-adapter=swiftshader", "--ignore-gpu-blocklist"],
  });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.waitForFunction(() => "runGradcheck" in globalThis);
    const results = await page.evaluate(
      ([b, f]) => (globalThis as unknown as { runGradcheck: (b: string[], f: string | null) => Promise<BrowserBackendResult[]> })
        .runGradcheck(b, f),
      [backends, caseFilter] as const,
    );
    if (errors.length > 0) console.warn(`page errors: ${errors.join(" | ")}`);
    return results;
  } finally {
    await browser.close();
    await server.close();
  }
}
