// What a page ships of a run's metrics on first paint: at most OVERVIEW_POINTS points per key (min/max per bucket,
// NaNs kept), enough for a chart 1000 px wide; zooming a chart fetches finer points for the visible range. 1M
// logged points still render in one quick request. Server-side (it reads the tracker).
import { toJson } from "@/lib/tracker/columns";
import { readSeries } from "@/lib/tracker/metrics";
import type { MetricSeries } from "./series";

export const OVERVIEW_POINTS = 2000;

export async function overviewSeries(runId: string, maxPoints = OVERVIEW_POINTS): Promise<MetricSeries[]> {
  return [...(await readSeries(runId, { maxPoints }))].map(([key, s]) => {
    const { steps, values } = toJson(s);
    return { key, steps, values, total: s.total };
  });
}
