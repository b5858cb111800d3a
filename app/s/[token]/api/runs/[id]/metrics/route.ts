import { GET as runMetrics } from "@/app/api/runs/[id]/metrics/route";
import { SHARE_NOT_FOUND, sharedRoute } from "@/lib/auth/share-access";
import { otherMethods } from "@/lib/tracker/http";
import { grantsRun } from "@/lib/tracker/share";

type Params = { token: string; id: string };

/** GET /api/runs/:id/metrics (same query, same answer) for a run the link reaches; 404 otherwise. Read-only. */
export const GET = sharedRoute<Params>(async (req, grant, { id }) => {
  if (!(await grantsRun(grant, id))) throw SHARE_NOT_FOUND();
  return runMetrics(req, { params: Promise.resolve({ id }) });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
