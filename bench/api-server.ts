// The REST API's route handlers behind a plain node:http server: the same handlers `next start` would run, without
// needing a Next build. Used by the ingest benchmark; run directly it serves DATA_DIR on PORT (default 0 = any).
import http from "node:http";
import * as experiments from "@/app/api/experiments/route";
import * as experiment from "@/app/api/experiments/[id]/route";
import * as runs from "@/app/api/runs/route";
import * as runImport from "@/app/api/runs/import/route";
import * as run from "@/app/api/runs/[id]/route";
import * as heartbeat from "@/app/api/runs/[id]/heartbeat/route";
import * as metrics from "@/app/api/runs/[id]/metrics/route";
import * as metricKeys from "@/app/api/runs/[id]/metrics/keys/route";
import * as samples from "@/app/api/runs/[id]/samples/route";
import * as sample from "@/app/api/samples/[id]/route";
import * as checkpoints from "@/app/api/runs/[id]/checkpoints/route";
import * as checkpoint from "@/app/api/runs/[id]/checkpoints/[cid]/route";
import * as modelJson from "@/app/api/runs/[id]/checkpoints/[cid]/model.json/route";
import * as weightsBin from "@/app/api/runs/[id]/checkpoints/[cid]/weights.bin/route";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Module = Partial<Record<string, unknown>>;

// Path patterns in the App Router's folder syntax; [name] captures one segment.
const table: [string, Module][] = [
  ["/api/experiments", experiments],
  ["/api/experiments/[id]", experiment],
  ["/api/runs", runs],
  ["/api/runs/import", runImport],
  ["/api/runs/[id]", run],
  ["/api/runs/[id]/heartbeat", heartbeat],
  ["/api/runs/[id]/metrics", metrics],
  ["/api/runs/[id]/metrics/keys", metricKeys],
  ["/api/runs/[id]/samples", samples],
  ["/api/samples/[id]", sample],
  ["/api/runs/[id]/checkpoints", checkpoints],
  ["/api/runs/[id]/checkpoints/[cid]", checkpoint],
  ["/api/runs/[id]/checkpoints/[cid]/model.json", modelJson],
  ["/api/runs/[id]/checkpoints/[cid]/weights.bin", weightsBin],
];

const routes = table.map(([pattern, mod]) => {
  const names: string[] = [];
  const source = pattern
    .split("/")
    .map((part) => {
      const m = /^\[(\w+)\]$/.exec(part);
      if (!m) return part.replace(/\./g, "\\.");
      names.push(m[1]);
      return "([^/]+)";
    })
    .join("/");
  return { re: new RegExp(`^${source}$`), names, mod };
});

function match(pathname: string, method: string): { handler: Handler; params: Record<string, string> } | null {
  for (const r of routes) {
    const m = r.re.exec(pathname);
    if (!m) continue;
    const handler = r.mod[method] as Handler | undefined;
    if (!handler) return null;
    const params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
    return { handler, params };
  }
  return null;
}

/**
 * The request body as a web stream, with backpressure. Readable.toWeb would do, but once a handler cancels the
 * stream (refusing a body part-way) it throws on the next chunk that arrives, which ends the process.
 */
function webBody(req: http.IncomingMessage): ReadableStream<Uint8Array> {
  let closed = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on("data", (chunk: Buffer) => {
        if (closed) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.on("end", () => {
        if (!closed) controller.close();
        closed = true;
      });
      req.on("error", (err) => {
        if (!closed) controller.error(err);
        closed = true;
      });
    },
    pull() {
      req.resume();
    },
    cancel() {
      closed = true;
      req.resume(); // read and drop the rest, so the answer can be sent
    },
  });
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
  const found = match(url.pathname, req.method ?? "GET");
  if (!found) {
    res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"code":"not_found","message":"no route"}}');
    return;
  }
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  // The handler reads the body as a stream, so it can refuse an oversized one before it has all arrived.
  const body = hasBody ? webBody(req) : undefined;
  const request = new Request(url, { method: req.method, headers, body, duplex: "half" } as RequestInit);
  const response = await found.handler(request, { params: Promise.resolve(found.params) });
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body || req.method === "HEAD") {
    res.end();
    return;
  }
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    if (!res.write(chunk)) await new Promise((r) => res.once("drain", r));
  }
  res.end();
}

export function startServer(port = 0, host = "127.0.0.1"): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      console.error(err);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}

/** A benchmark's entry: started as a child with --serve, it serves the API and prints its port; otherwise runs main. */
export async function serveOrRun(main: () => Promise<void>): Promise<void> {
  if (!process.argv.includes("--serve")) return main();
  const server = await startServer(0);
  const addr = server.address();
  process.stdout.write(`listening ${typeof addr === "object" && addr ? addr.port : 0}\n`);
}
