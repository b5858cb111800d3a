// Server-side loading for the shared views: the same records the app's pages show, with every URL the browser will
// fetch pointed at the link's read-only routes (/s/<token>/api/…), never at the app's own API.
import { sharedSampleUrl } from "@/lib/auth/share-access";
import { toJson } from "@/lib/tracker/columns";
import { readSeries } from "@/lib/tracker/metrics";
import { listSamples, type SampleView } from "@/lib/tracker/samples";
import type { MetricSeries } from "../metrics/series";

// As on the run page: first paint ships at most this many points per key; zooming fetches finer points.
export const OVERVIEW_POINTS = 2000;

export function overviewSeries(runId: string, maxPoints = OVERVIEW_POINTS): MetricSeries[] {
  return [...readSeries(runId, { maxPoints })].map(([key, s]) => {
    const { steps, values } = toJson(s);
    return { key, steps, values, total: s.total };
  });
}

export async function sharedSamples(token: string, runId: string): Promise<SampleView[]> {
  return (await listSamples(runId)).map((s) => ({ ...s, url: sharedSampleUrl(token, s.id) }));
}

/** Where a shared page links one of the link's runs. */
export const sharedRunHref = (token: string, runId: string) => `/s/${token}/runs/${runId}`;
