// A `fetch` that answers http://tracker/api/... from the tracker's route handlers in this process, with a fault
// injector in front: the next requests can fail on the network, get a 503, or reach the server and lose the answer.
// The test file must import test/helpers/temp-db first, so the handlers open the temporary database.
import * as experiment from "@/app/api/experiments/[id]/route";
import * as experiments from "@/app/api/experiments/route";
import * as checkpoint from "@/app/api/runs/[id]/checkpoints/[cid]/route";
import * as checkpointModel from "@/app/api/runs/[id]/checkpoints/[cid]/model.json/route";
import * as checkpointWeights from "@/app/api/runs/[id]/checkpoints/[cid]/weights.bin/route";
import * as checkpoints from "@/app/api/runs/[id]/checkpoints/route";
import * as heartbeat from "@/app/api/runs/[id]/heartbeat/route";
import * as metrics from "@/app/api/runs/[id]/metrics/route";
import * as run from "@/app/api/runs/[id]/route";
import * as samples from "@/app/api/runs/[id]/samples/route";
import * as runs from "@/app/api/runs/route";

export const TRACKER = "http://tracker";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
// Each route file types its own params; through `unknown`, as the table hands every handler a plain record.
type RouteModule = Partial<Record<"GET" | "POST" | "PATCH" | "DELETE", Handler>>;

const ROUTES: [RegExp, RouteModule][] = [
  [/^\/api\/experiments$/, experiments as unknown as RouteModule],
  [/^\/api\/experiments\/(?<id>[^/]+)$/, experiment as unknown as RouteModule],
  [/^\/api\/runs$/, runs as unknown as RouteModule],
  [/^\/api\/runs\/(?<id>[^/]+)$/, run as unknown as RouteModule],
  [/^\/api\/runs\/(?<id>[^/]+)\/metrics$/, metrics as unknown as RouteModule],
  [/^\/api\/runs\/(?<id>[^/]+)\/samples$/, samples as unknown as RouteModule],
  [/^\/api\/runs\/(?<id>[^/]+)\/heartbeat$/, heartbeat as unknown as RouteModule],
  [/^\/api\/runs\/(?<id>[^/]+)\/checkpoints$/, checkpoints as unknown as RouteModule],
  [/^\/api\/runs\/(?<id>[^/]+)\/checkpoints\/(?<cid>[^/]+)$/, checkpoint as unknown as RouteModule],
  [/^\/api\/runs\/(?<id>[^/]+)\/checkpoints\/(?<cid>[^/]+)\/model\.json$/, checkpointModel as unknown as RouteModule],
  [/^\/api\/runs\/(?<id>[^/]+)\/checkpoints\/(?<cid>[^/]+)\/weights\.bin$/, checkpointWeights as unknown as RouteModule],
];

/** What happens to a request: it goes through, or one of the faults. */
export type Fault = "network" | "503" | "lost";

export interface Exchange {
  method: string;
  /** The path, without the origin and the query. */
  path: string;
  /** When the request was made (performance.now()). */
  at: number;
  /** The status the caller saw; a fault that throws leaves a string. */
  outcome: number | Fault;
  /** The request's JSON body, when it had one. */
  body?: unknown;
  /** The server's JSON answer, also when it was lost on the way back. */
  answer?: unknown;
}

export interface FaultyTracker {
  fetch: typeof fetch;
  /** Every request made, in order. */
  log: Exchange[];
  /** The next `n` requests (that match `only`, when given) meet `fault`. */
  fail(fault: Fault, n: number, only?: (method: string, path: string) => boolean): void;
  /** Every request meets `fault` until `heal()`. */
  down(fault: Exclude<Fault, "lost">): void;
  heal(): void;
  /** The requests made to a path matching `pattern` with `method`. */
  requests(method: string, pattern: RegExp): Exchange[];
}

/** The handler's answer to a real Request, as Next would give it. */
export async function handle(req: Request): Promise<Response> {
  const path = new URL(req.url).pathname;
  for (const [pattern, mod] of ROUTES) {
    const m = pattern.exec(path);
    if (!m) continue;
    const handler = mod[req.method as keyof RouteModule];
    if (!handler) return new Response("method not allowed", { status: 405 });
    const params = Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
    return handler(req, { params: Promise.resolve(params) });
  }
  return new Response("not found", { status: 404 });
}

export function faultyTracker(): FaultyTracker {
  const log: Exchange[] = [];
  const planned: { fault: Fault; only?: (method: string, path: string) => boolean }[] = [];
  let outage: Exclude<Fault, "lost"> | undefined;

  const take = (method: string, path: string): Fault | undefined => {
    if (outage) return outage;
    const i = planned.findIndex((p) => !p.only || p.only(method, path));
    if (i < 0) return undefined;
    return planned.splice(i, 1)[0].fault;
  };

  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req = new Request(input, init);
    const path = new URL(req.url).pathname;
    const exchange: Exchange = { method: req.method, path, at: performance.now(), outcome: 0 };
    log.push(exchange);
    const fault = take(req.method, path); // before any await: the faults meet requests in the order they are made
    if (req.headers.get("content-type")?.startsWith("application/json")) {
      exchange.body = await req.clone().json();
    }
    if (fault === "network") {
      exchange.outcome = "network";
      throw new TypeError("fetch failed");
    }
    if (fault === "503") {
      exchange.outcome = 503;
      const error = { error: { code: "unavailable", message: "the tracker is restarting" } };
      return new Response(JSON.stringify(error), { status: 503, headers: { "content-type": "application/json" } });
    }
    const res = await handle(req);
    if (res.headers.get("content-type")?.startsWith("application/json")) {
      exchange.answer = await res.clone().json().catch(() => undefined);
    }
    if (fault === "lost") {
      exchange.outcome = "lost";
      await res.arrayBuffer(); // the server finished its work; only the answer goes missing
      throw new TypeError("fetch failed: the connection was reset");
    }
    exchange.outcome = res.status;
    return res;
  };

  return {
    fetch: fetchImpl as typeof fetch,
    log,
    fail(fault, n, only) {
      for (let i = 0; i < n; i++) planned.push({ fault, only });
    },
    down(fault) {
      outage = fault;
    },
    heal() {
      outage = undefined;
    },
    requests(method, pattern) {
      return log.filter((e) => e.method === method && pattern.test(e.path));
    },
  };
}
