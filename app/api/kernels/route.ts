import { kernelRoute } from "@/lib/runner/server/route";
import { kernels } from "@/lib/runner/server/kernels";
import { kernelOpen } from "@/lib/runner/server/schemas";
import { getExperiment } from "@/lib/tracker/experiments";
import { json, otherMethods, readJsonAs } from "@/lib/tracker/http";

/** The running server kernels. */
export const GET = kernelRoute(async () => json({ kernels: kernels().list() }));

/**
 * {experimentId, attach?} → 201 {kernel, attached: false} for a new kernel, or 200 {kernel, attached: true} for the
 * one already running for that notebook when `attach` is set. The page then sends `init` like any first command.
 */
export const POST = kernelRoute(async (req) => {
  const { experimentId, attach } = await readJsonAs(req, kernelOpen);
  const { id, slug, title } = await getExperiment(experimentId);
  const opened = kernels().open({ id, slug, title }, attach);
  return json(opened, opened.attached ? 200 : 201);
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
