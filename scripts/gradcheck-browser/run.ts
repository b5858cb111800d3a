// Runs the gradient check inside headless Chromium (Debian's `chromium` package) for the backends a browser
// has: WebGPU (SwiftShader adapter, needs --enable-unsafe-webgpu), WebGL2 (ANGLE/SwiftShader), and wasm
// (the multi-threaded SIMD build, which needs the COOP/COEP headers served here).
// The page is bundled with esbuild and served from http://127.0.0.1 (a secure context, as WebGPU requires).
import { build } from "esbuild";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BrowserBackendResult } from "./page";

const here = path.dirname(fileURLToPath(import.meta.url));
const wasmDist = path.join(path.dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist");
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

async function bundle(): Promise<string> {
  const out = await build({
    entryPoints: [path.join(here, "page.ts")],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "es2022",
    logLevel: "error",
    // Only the Node path of backend.ts imports these; keep them out of the browser bundle.
    external: ["webgpu", "node:*"],
  });
  return out.outputFiles[0].text;
}

function serve(js: string): Promise<{ server: Server; url: string }> {
  const html = `<!doctype html><meta charset="utf-8"><title>gradcheck</title><script src="/page.js"></script>`;
  const server = createServer((req, res) => {
    const headers = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };
    const wasmFile = /^\/wasm\/([\w.-]+\.wasm)$/.exec(req.url ?? "")?.[1];
    if (req.url === "/page.js") res.writeHead(200, { ...headers, "Content-Type": "text/javascript" }).end(js);
    else if (wasmFile && existsSync(path.join(wasmDist, wasmFile))) {
      res.writeHead(200, { ...headers, "Content-Type": "application/wasm" }).end(readFileSync(path.join(wasmDist, wasmFile)));
    } else res.writeHead(200, { ...headers, "Content-Type": "text/html" }).end(html);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as { port: number };
    resolve({ server, url: `http://127.0.0.1:${port}/` });
  }));
}

/** Runs the cases on each requested backend in one Chromium page. Throws if Chromium cannot start. */
export async function runInChromium(backends: Array<"webgpu" | "webgl" | "wasm">, caseFilter: string | null): Promise<BrowserBackendResult[]> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (apt-get install -y chromium)`);
  const { chromium } = await import("playwright-core");
  const { server, url } = await serve(await bundle());
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--enable-unsafe-webgpu", "--use-webgpu-adapter=swiftshader", "--ignore-gpu-blocklist"],
  });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(url);
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
    server.close();
  }
}
