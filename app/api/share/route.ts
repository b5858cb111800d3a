import { json, otherMethods, readJsonAs, route } from "@/lib/tracker/http";
import { shareCreate } from "@/lib/tracker/schemas";
import { createShare, listShares } from "@/lib/tracker/share";

/** → {shares: [{id, type, ids, expiresAt, createdAt, revokedAt, state}]}, newest first; tokens are never listed. */
export const GET = route(async () => json({ shares: await listShares() }));

/**
 * {type: experiment|run|compare, ids, expiresAt?: ISO datetime in the future} → 201 {id, url: "/s/<token>", type, ids,
 * expiresAt, createdAt, …}. The url is shown this once. 404 if an id does not exist; 422 for a bad body.
 */
export const POST = route(async (req) => json(await createShare(await readJsonAs(req, shareCreate)), 201));

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
