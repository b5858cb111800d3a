import { json, otherMethods, route } from "@/lib/tracker/http";
import { heartbeat } from "@/lib/tracker/runs";

/** The worker's "still alive"; without one for 2 minutes a running run reads as interrupted. */
export const POST = route<{ id: string }>(async (_req, { id }) => json(await heartbeat(id)));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
