import { ApiError } from "@/lib/tracker/errors";
import { bodyChunks, json, otherMethods, parseWith, query, route } from "@/lib/tracker/http";
import { importRunBundle } from "@/lib/tracker/import";
import { maxImportBytes } from "@/lib/tracker/limits";
import { runImportQuery } from "@/lib/tracker/schemas";

/** What browsers and tools send for a .zip file. */
const ZIP_TYPES = new Set(["application/zip", "application/x-zip-compressed"]);

/**
 * ?experimentId= with a run bundle (GET /api/runs/:id/export?format=zip) as an application/zip body → 201 {id} of
 * the new run. 413 over ZOETROPE_MAX_IMPORT_MB (the body, or what it unpacks to), 415 for another type, 400 for an
 * unreadable zip, 422 for a bundle with a missing or invalid file; nothing is kept from a failed import. The zip is
 * unpacked as it arrives, never all at once.
 */
export const POST = route(async (req) => {
  const { experimentId } = parseWith(runImportQuery, query(req));
  const type = req.headers.get("content-type")?.split(";")[0].trim().toLowerCase() ?? "";
  if (!ZIP_TYPES.has(type)) throw new ApiError(415, "unsupported_media_type", "expected an application/zip body");
  return json(await importRunBundle(experimentId, bodyChunks(req, maxImportBytes())), 201);
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
