// Page-side access checks of a shared link: anything the grant does not reach is Next's not-found page (404),
// the same for an unknown, revoked or expired token.
import { notFound } from "next/navigation";
import { cache } from "react";
import { ApiError } from "@/lib/tracker/errors";
import { grantsRun, resolveShare, type ShareGrant } from "@/lib/tracker/share";
import { getRun, type RunDetail } from "@/lib/tracker/runs";

/** One lookup per request, shared by generateMetadata and the page. */
export const grantOr404 = cache(async (token: string): Promise<ShareGrant> => (await resolveShare(token)) ?? notFound());

/** A run through the link: 404 unless the grant reaches it and it still exists. */
export const sharedRunOr404 = cache(async (token: string, runId: string): Promise<RunDetail> => {
  const grant = await grantOr404(token);
  if (!(await grantsRun(grant, runId))) notFound();
  try {
    return await getRun(runId);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) notFound();
    throw err;
  }
});
