// Bundles a TypeScript entry for the browser with esbuild and serves it as a one-script page from
// http://127.0.0.1 (a secure context, which WebGPU and WebCodecs require), cross-origin isolated by the
// COOP/COEP headers (which SharedArrayBuffer, and so the threaded wasm backend, requires). No playwright here:
// the caller drives the page with whatever browser it launched.
import { build } from "esbuild";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

const ISOLATION_HEADERS = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };
const CONTENT_TYPES: Record<string, string> = { ".wasm": "application/wasm", ".js": "text/javascript", ".json": "application/json" };

/** One IIFE script from a TypeScript entry. Imports of `webgpu` and `node:*` stay out (Node-only paths of lib/gan). */
export async function bundlePage(entry: string): Promise<string> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "es2022",
    logLevel: "error",
    external: ["webgpu", "node:*"],
  });
  return out.outputFiles[0].text;
}

export interface PageServerOptions {
  title?: string;
  /** URL prefix → folder: `{ "/wasm/": dir }` serves dir/x.wasm at /wasm/x.wasm (plain file names only). */
  dirs?: Record<string, string>;
}

export interface PageServer {
  url: string; // ends with "/"
  close(): Promise<void>;
}

/** Serves `js` at /page.js, files from `dirs`, and an HTML page that loads the script at every other path. */
export function servePage(js: string, opts: PageServerOptions = {}): Promise<PageServer> {
  const html = `<!doctype html><meta charset="utf-8"><title>${opts.title ?? "page"}</title><script src="/page.js"></script>`;
  const server = createServer((req, res) => {
    const url = req.url ?? "/";
    if (url === "/page.js") return res.writeHead(200, { ...ISOLATION_HEADERS, "Content-Type": "text/javascript" }).end(js);
    for (const [prefix, dir] of Object.entries(opts.dirs ?? {})) {
      const name = url.startsWith(prefix) ? url.slice(prefix.length) : "";
      if (!/^[\w.-]+$/.test(name) || name.startsWith(".")) continue;
      const file = path.join(dir, name);
      if (!existsSync(file)) return res.writeHead(404, ISOLATION_HEADERS).end();
      const type = CONTENT_TYPES[path.extname(name)] ?? "application/octet-stream";
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
