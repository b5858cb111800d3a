import { json, otherMethods, parseWith, query, readBody, readJson, route } from "@/lib/tracker/http";
import { METRIC_BODY_BYTES } from "@/lib/tracker/limits";
import { parseBatch, parseBinaryBatch } from "@/lib/tracker/metric-points";
import { ingest, readSeries } from "@/lib/tracker/metrics";
import { metricQuery } from "@/lib/tracker/schemas";
import { seriesJsonStream } from "@/lib/tracker/series-json";
import { SERIES_MIME, encodeSeriesParts } from "@/lib/tracker/series-wire";

type Params = { id: string };

/**
 * {batch, points: [{key, step, value, time?}]} or {batch, series: {[key]: {steps, values, times?}}}, or the binary
 * form with Content-Type SERIES_MIME → {accepted, duplicate}. At most 10,000 points; a batch number already stored
 * is a no-op (duplicate: true).
 */
export const POST = route<Params>(async (req, { id }) => {
  const t0 = performance.now();
  const binary = req.headers.get("content-type")?.split(";")[0].trim() === SERIES_MIME;
  const parsed = binary
    ? parseBinaryBatch(await readBody(req, METRIC_BODY_BYTES))
    : parseBatch(await readJson(req, METRIC_BODY_BYTES));
  const t1 = performance.now();
  const result = await ingest(id, parsed);
  const timing = `parse;dur=${(t1 - t0).toFixed(1)}, db;dur=${(performance.now() - t1).toFixed(1)}`;
  return json(result, 200, { "Server-Timing": timing });
});

/**
 * ?keys=a,b&maxPoints=N&from=&to=&format=json|binary → {series: {[key]: {steps, values, times, total}}}, sorted by
 * step, null for NaN. `total` counts the points in range before downsampling. format=binary (or, without format,
 * Accept: SERIES_MIME): see series-wire.ts.
 */
export const GET = route<Params>(async (req, { id }) => {
  const raw = query(req);
  const q = parseWith(metricQuery, raw);
  const binary = q.format === "binary" || (raw.format === undefined && !!req.headers.get("accept")?.includes(SERIES_MIME));
  const t0 = performance.now();
  const series = await readSeries(id, q);
  const t1 = performance.now();
  // Server-Timing shows in the browser's network panel: where a slow chart load spends its time.
  const db = `db;dur=${(t1 - t0).toFixed(1)}`;
  if (binary) {
    const parts = encodeSeriesParts(series);
    const length = parts.reduce((n, p) => n + p.byteLength, 0);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const p of parts) controller.enqueue(p);
        controller.close();
      },
    });
    const headers = { "Content-Type": SERIES_MIME, "Content-Length": String(length) };
    const timing = `${db}, encode;dur=${(performance.now() - t1).toFixed(1)}`;
    return new Response(body, { headers: { ...headers, "Server-Timing": timing } });
  }
  // JSON prints while it streams, so only the database share is known when the headers go out.
  return new Response(seriesJsonStream(series), { headers: { "Content-Type": "application/json", "Server-Timing": db } });
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
