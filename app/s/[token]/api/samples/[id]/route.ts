import { GET as sampleBytes } from "@/app/api/samples/[id]/route";
import { SHARE_NOT_FOUND, sharedRoute } from "@/lib/auth/share-access";
import { otherMethods } from "@/lib/tracker/http";
import { grantsSample } from "@/lib/tracker/share";

type Params = { token: string; id: string };

/** A sample's bytes (with Range) when its run is reachable through the link; 404 otherwise. Read-only. */
export const GET = sharedRoute<Params>(async (req, grant, { id }) => {
  if (!(await grantsSample(grant, id))) throw SHARE_NOT_FOUND();
  return sampleBytes(req, { params: Promise.resolve({ id }) });
});

export const HEAD = GET;

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
