// Every /api path no route answers: a JSON 404 in the API's shape, whatever the method (Next's own is its HTML
// page). Routes with a path of their own are more specific, so they never reach this.
import { ApiError, errorResponse } from "@/lib/tracker/errors";

async function noRoute(req: Request): Promise<Response> {
  return errorResponse(new ApiError(404, "not_found", `no API route at ${new URL(req.url).pathname}`));
}

export { noRoute as GET, noRoute as POST, noRoute as PUT, noRoute as PATCH, noRoute as DELETE, noRoute as OPTIONS };
