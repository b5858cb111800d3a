import { getCheckpoint } from "@/lib/tracker/checkpoints";
import { json, otherMethods, route } from "@/lib/tracker/http";

/** {id, runId, step, bytes, createdAt, modelUrl, weightsUrl}; load with tf.loadLayersModel(modelUrl). */
export const GET = route<{ id: string; cid: string }>(async (_req, { id, cid }) => json(await getCheckpoint(id, cid)));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
