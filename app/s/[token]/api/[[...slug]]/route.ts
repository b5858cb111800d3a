// A shared link's data paths that no route answers: the same JSON 404 as an unknown or revoked link, so a path
// tells nothing about which links exist.
import { SHARE_NOT_FOUND } from "@/lib/auth/share-access";
import { errorResponse } from "@/lib/tracker/errors";

async function noRoute(): Promise<Response> {
  return errorResponse(SHARE_NOT_FOUND());
}

export { noRoute as GET, noRoute as POST, noRoute as PUT, noRoute as PATCH, noRoute as DELETE, noRoute as OPTIONS };
