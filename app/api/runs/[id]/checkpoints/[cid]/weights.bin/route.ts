import { checkpointFile } from "@/lib/tracker/checkpoints";
import { otherMethods, route } from "@/lib/tracker/http";
import { serveFile } from "@/lib/tracker/range";

/** The weights binary, tensors back to back in the order of model.json's manifest. */
export const GET = route<{ id: string; cid: string }>(async (req, { id, cid }) =>
  serveFile(req, await checkpointFile(id, cid, "weights"), { mime: "application/octet-stream", what: "checkpoint" }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
