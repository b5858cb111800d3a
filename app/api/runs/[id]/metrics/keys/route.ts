import { json, otherMethods, route } from "@/lib/tracker/http";
import { listKeys } from "@/lib/tracker/metrics";

/** {keys: [{key, count, firstStep, lastStep}]} */
export const GET = route<{ id: string }>(async (_req, { id }) => json({ keys: await listKeys(id) }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
