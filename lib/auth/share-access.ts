// Route handlers under /s/<token>/api/…: the read-only data a shared page fetches in the browser. Each one resolves
// the token and checks that its grant reaches the record asked for; anything else — unknown, revoked or expired
// token, a record outside the grant — is the same 404, so a link tells nothing about what it does not name.
import { ApiError, errorResponse } from "../tracker/errors";
import { resolveShare, type ShareGrant } from "../tracker/share";

export const SHARE_NOT_FOUND = () => new ApiError(404, "not_found", "not found");

type Handler<P> = (req: Request, grant: ShareGrant, params: P) => Promise<Response>;

export function sharedRoute<P extends { token: string }>(fn: Handler<P>) {
  return async (req: Request, ctx: { params: Promise<P> }): Promise<Response> => {
    try {
      const params = await ctx.params;
      const grant = await resolveShare(params.token);
      if (!grant) throw SHARE_NOT_FOUND();
      const res = await fn(req, grant, params);
      // Shared data is for this link only: no shared caches, no Referer leaking the token onwards.
      res.headers.set("Cache-Control", "private, no-store");
      res.headers.set("Referrer-Policy", "no-referrer");
      return res;
    } catch (err) {
      return errorResponse(err);
    }
  };
}

/** The URL prefix of a link's data routes; the shared pages hand it to the components that fetch. */
export const shareApiBase = (token: string) => `/s/${token}/api`;
export const sharedSampleUrl = (token: string, sampleId: string) => `${shareApiBase(token)}/samples/${sampleId}`;
