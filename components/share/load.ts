// Server-side loading for the shared views: the same records the app's pages show, with every URL the browser will
// fetch pointed at the link's read-only routes (/s/<token>/api/…), never at the app's own API.
import { sharedSampleUrl } from "@/lib/auth/share-access";
import { listSamples, type SampleView } from "@/lib/tracker/samples";

export async function sharedSamples(token: string, runId: string): Promise<SampleView[]> {
  return (await listSamples(runId)).map((s) => ({ ...s, url: sharedSampleUrl(token, s.id) }));
}

/** Where a shared page links one of the link's runs. */
export const sharedRunHref = (token: string, runId: string) => `/s/${token}/runs/${runId}`;
