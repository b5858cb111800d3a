import { exportFileName, metricsCsv, runBundleZip, runJson } from "@/lib/tracker/export";
import { otherMethods, parseWith, query, route } from "@/lib/tracker/http";
import { getRun } from "@/lib/tracker/runs";
import { runExportQuery } from "@/lib/tracker/schemas";

type Params = { id: string };

/** exportFileName is slug and id only, so the name needs no quoting beyond the quotes. */
const attachment = (fileName: string) => `attachment; filename="${fileName}"`;

/**
 * ?format=zip (default) → the run bundle: run.json, code.ts, metrics.csv, samples/… (no checkpoints);
 * format=csv → metrics as `step,key,value,time`, one row per point (NaN for a diverged value, time in ms);
 * format=json → {run, hparams, metrics: {[key]: {steps, values, times}}} (null for a diverged value).
 * Each answers as an attachment named after the run.
 */
export const GET = route<Params>(async (req, { id }) => {
  const { format } = parseWith(runExportQuery, query(req));
  if (format === "zip") {
    const { run, zip } = await runBundleZip(id);
    return new Response(zip, {
      headers: {
        "Content-Type": "application/zip",
        "Content-Length": String(zip.byteLength),
        "Content-Disposition": attachment(exportFileName(run, "zip")),
      },
    });
  }
  if (format === "csv") {
    const run = await getRun(id);
    return new Response(await metricsCsv(id), {
      headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": attachment(exportFileName(run, "csv")) },
    });
  }
  const data = await runJson(id);
  return Response.json(data, { headers: { "Content-Disposition": attachment(exportFileName(data.run, "json")) } });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
