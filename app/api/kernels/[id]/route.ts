import { kernelRoute } from "@/lib/runner/server/route";
import { kernels } from "@/lib/runner/server/kernels";
import { kernelShutdown } from "@/lib/runner/server/schemas";
import { notFound } from "@/lib/tracker/errors";
import { json, otherMethods, parseWith, query } from "@/lib/tracker/http";

type Params = { id: string };

export const GET = kernelRoute<Params>(async (_req, { id }) => {
  const kernel = kernels().get(id);
  if (!kernel) throw notFound("kernel", id);
  return json(kernel);
});

/**
 * Shuts the kernel down: its process is killed and its tracked run ends as interrupted. `?reason=replaced` (a page
 * replacing a stuck kernel, or restarting it) leaves the run to the page, which ends it with its own status.
 */
export const DELETE = kernelRoute<Params>(async (req, { id }) => {
  const { reason } = parseWith(kernelShutdown, query(req));
  if (!kernels().shutdown(id, reason)) throw notFound("kernel", id);
  return new Response(null, { status: 204 });
});

export const { POST, PUT, PATCH, OPTIONS } = otherMethods("GET", "DELETE");
