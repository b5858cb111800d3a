import { otherMethods, route } from "@/lib/tracker/http";
import { revokeShare } from "@/lib/tracker/share";

type Params = { id: string };

/** Revokes the link (204): opening it answers 404 from now on. 404 for an unknown id. */
export const DELETE = route<Params>(async (_req, { id }) => {
  await revokeShare(id);
  return new Response(null, { status: 204 });
});

export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods("DELETE");
