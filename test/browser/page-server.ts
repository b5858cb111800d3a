// Bundles a TypeScript entry for the browser with esbuild and serves it as a one-script page from
// http://127.0.0.1 (a secure context, which WebGPU and WebCodecs require), cross-origin isolated by the
// COOP/COEP headers (which SharedArrayBuffer, and so the threaded wasm backend, requires). No playwright here:
// the caller drives the page with whatever browser it launched.
import { build } from "esbuild";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

const ISOLATION_HEADERS = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };
const CONTENT_TYPES: Record<string, string> = {
  ".wasm": "application/wasm",
  ".js": "text/javascript",
  ".json": "application/json",
  ".css": "text/css",
};

/**
 * One IIFE script from a TypeScript entry. Imports of `webgpu` and `node:*` stay out (Node-only paths of lib/gan).
 * CSS the entry imports (CSS modules included) is added to the page by the script itself.
 */
export async function bundlePage(entry: string): Promise<string> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    outdir: "page", // names the outputs; nothing is written
    format: "iife",
    platform: "browser",
    target: "es2022",
    logLevel: "error",
    external: ["webgpu", "node:*"],
  });
  const js = out.outputFiles.find((f) => f.path.endsWith(".js"))!.text;
  const css = out.outputFiles.find((f) => f.path.endsWith(".css"))?.text;
  if (!css) return js;
  return `document.head.append(Object.assign(document.createElement("style"), { textContent: ${JSON.stringify(css)} }));\n${js}`;
}

/** The file under `dir` for a URL path below a prefix, or undefined when a segment is empty, hidden or odd. */
function fileIn(dir: string, rest: string, nested: boolean): string | undefined {
  const segments = rest.split("/");
  if (!nested && segments.length > 1) return undefined;
  if (!segments.every((s) => /^[\w.@-]+$/.test(s) && !s.startsWith("."))) return undefined;
  return path.join(dir, ...segments);
}

export interface PageServerOptions {
  title?: string;
  /** URL prefix → folder: `{ "/wasm/": dir }` serves dir/x.wasm at /wasm/x.wasm (plain file names only). */
  dirs?: Record<string, string>;
  /** URL prefix → folder, subfolders included: `{ "/monaco/": dir }` serves dir/vs/loader.js at /monaco/vs/loader.js. */
  trees?: Record<string, string>;
}

export interface PageServer {
  url: string; // ends with "/"
  close(): Promise<void>;
}

/** Serves `js` at /page.js, files from `dirs`, and an HTML page that loads the script at every other path. */
export function servePage(js: string, opts: PageServerOptions = {}): Promise<PageServer> {
  const html = `<!doctype html><meta charset="utf-8"><title>${opts.title ?? "page"}</title><script src="/page.js"></script>`;
  const server = createServer((req, res) => {
    const url = (req.url ?? "/").split("?")[0];
    if (url === "/page.js") return res.writeHead(200, { ...ISOLATION_HEADERS, "Content-Type": "text/javascript" }).end(js);
    const folders = [
      ...Object.entries(opts.dirs ?? {}).map(([prefix, dir]) => ({ prefix, dir, nested: false })),
      ...Object.entries(opts.trees ?? {}).map(([prefix, dir]) => ({ prefix, dir, nested: true })),
    ];
    for (const { prefix, dir, nested } of folders) {
      const file = url.startsWith(prefix) ? fileIn(dir, url.slice(prefix.length), nested) : undefined;
      if (!file) continue;
      if (!existsSync(file) || !statSync(file).isFile()) return res.writeHead(404, ISOLATION_HEADERS).end();
      const type = CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream";
      return res.writeHead(200, { ...ISOLATION_HEADERS, "Content-Type": type }).end(readFileSync(file));
    }
    res.writeHead(200, { ...ISOLATION_HEADERS, "Content-Type": "text/html" }).end(html);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/`,
        close: () => new Promise<void>((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}

/** bundlePage + servePage. */
export async function serveBundle(entry: string, opts: PageServerOptions = {}): Promise<PageServer> {
  return servePage(await bundlePage(entry), opts);
}
