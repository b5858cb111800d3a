import { checkpointFile } from "@/lib/tracker/checkpoints";
import { otherMethods, route } from "@/lib/tracker/http";
import { serveFile } from "@/lib/tracker/range";

/** model.json with a manifest naming "weights.bin", which TF.js resolves to the sibling route. */
export const GET = route<{ id: string; cid: string }>(async (req, { id, cid }) =>
  serveFile(req, await checkpointFile(id, cid, "model"), { mime: "application/json", what: "checkpoint" }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
