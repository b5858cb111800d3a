// Fetches one key's points in a step window from GET /api/runs/:id/metrics (or a share link's copy of it), in the binary form: a zoom into a
// dense series can return many thousands of points, which decode as typed-array views instead of parsed JSON text.
import { SERIES_MIME, decodeSeries } from "@/lib/tracker/series-wire";
import type { Series } from "./series";

/**
 * Points per zoomed window. A window holding fewer points comes back at full resolution; a wider one as the min/max
 * envelope of this many points, which on a chart ~600 px wide is already every pixel column's true extremes.
 */
export const ZOOM_MAX_POINTS = 10_000;

export async function fetchMetricRange(
  runId: string,
  key: string,
  from: number,
  to: number,
  signal: AbortSignal,
  /** where the API is: "/api", or a share link's read-only "/s/<token>/api" */
  apiBase = "/api",
): Promise<Series> {
  const q = new URLSearchParams({
    keys: key,
    from: String(from),
    to: String(to),
    maxPoints: String(ZOOM_MAX_POINTS),
    format: "binary",
  });
  const res = await fetch(`${apiBase}/runs/${encodeURIComponent(runId)}/metrics?${q}`, {
    signal,
    headers: { accept: SERIES_MIME },
  });
  if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
  const wire = decodeSeries(await res.arrayBuffer()).get(key);
  if (!wire) return { steps: [], values: [] };
  const values = Array.from(wire.values, (v) => (Number.isNaN(v) ? null : v));
  return { steps: Array.from(wire.steps), values };
}
