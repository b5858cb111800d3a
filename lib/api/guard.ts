// Requests that would fail inside Next itself, before any route of ours runs, with a 500: proxy.ts refuses them
// first with a 4xx in the API's JSON shape. The checks are cheap; only a form posted to a page costs a parse.
import { ApiError } from "../tracker/errors";
import { readForm } from "../tracker/http";
import { PAGE_FORM_BYTES } from "../tracker/limits";

/**
 * Paths whose answers are the API's JSON: /api/… and a share link's data under /s/<token>/api/… The server's method
 * guard (scripts/method-guard.js, plain JavaScript) keeps a copy; test/scripts/method-guard.test.ts checks they agree.
 */
export function isApiPath(pathname: string): boolean {
  return pathname === "/api" || pathname.startsWith("/api/") || /^\/s\/[^/]+\/api(\/|$)/.test(pathname);
}

/**
 * A path Next cannot decode: a lone `%`, `%zz`, or escapes that are not UTF-8 (`%ff`). Next decodes a dynamic
 * segment ([id], [token]) before the route runs and answers a failure with a plain-text 500.
 */
export function pathEncodingError(pathname: string): ApiError | null {
  try {
    decodeURIComponent(pathname);
    return null;
  } catch {
    return new ApiError(400, "malformed_path", "the path has a percent-escape that is not UTF-8");
  }
}

/**
 * A multipart body posted to a page, which Next takes for a server action from a form (the home page's forms post
 * this way without JavaScript): it parses the body itself and answers a malformed one with a 500. Parsed here
 * first, within the server actions' size limit (next.config.js): 400 when it does not parse, 413 when too large.
 */
export async function pageFormError(req: Request, pathname: string): Promise<ApiError | null> {
  if (req.method !== "POST" || isApiPath(pathname)) return null;
  if (!/^multipart\/form-data/i.test(req.headers.get("content-type") ?? "")) return null;
  try {
    await readForm(req, PAGE_FORM_BYTES);
    return null;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
}
