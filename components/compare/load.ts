// Server side of the compare view: reads the named runs from the tracker into CompareView's plain data.
import { ApiError } from "@/lib/tracker/errors";
import { getExperiment } from "@/lib/tracker/experiments";
import { readSeries } from "@/lib/tracker/metrics";
import { getRun, type RunDetail } from "@/lib/tracker/runs";
import { listSamples } from "@/lib/tracker/samples";
import { OVERVIEW_POINTS } from "../metrics/overview";
import { flattenHparams } from "../runs/runRow";
import type { CompareData, CompareSeries } from "./types";

/** More than this many runs would make unreadable charts and too-small videos. */
export const MAX_COMPARE_RUNS = 12;

async function runOrNull(id: string): Promise<RunDetail | null> {
  try {
    return await getRun(id);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** The runs `ids` (in that order, at most MAX_COMPARE_RUNS) with their series, samples and code; unknown ids are listed as missing. */
export async function loadCompareData(ids: readonly string[]): Promise<CompareData> {
  const wanted = [...new Set(ids)].slice(0, MAX_COMPARE_RUNS);
  const found = await Promise.all(wanted.map(runOrNull));
  const runs = found.filter((r): r is RunDetail => r !== null);
  const titles = new Map<string, string>();
  for (const experimentId of new Set(runs.map((r) => r.experimentId))) {
    titles.set(experimentId, (await getExperiment(experimentId)).title);
  }
  const stored = await Promise.all(runs.map((run) => readSeries(run.id, { maxPoints: OVERVIEW_POINTS })));
  const series: CompareSeries[] = runs.flatMap((run, i) =>
    [...stored[i]].map(([key, s]) => ({
      runId: run.id,
      key,
      steps: Array.from(s.steps),
      values: Array.from(s.values, (v) => (Number.isFinite(v) ? v : null)),
      times: Array.from(s.times),
      total: s.total,
    })),
  );
  const samples = (await Promise.all(runs.map((r) => listSamples(r.id)))).flat();
  return {
    runs: runs.map((r) => ({
      id: r.id,
      name: r.name,
      status: r.status,
      experimentTitle: titles.get(r.experimentId) ?? "",
      startedAt: r.startedAt,
      hparams: flattenHparams(r.hparams),
      code: r.code,
    })),
    series,
    samples: samples.map((s) => ({
      id: s.id,
      runId: s.runId,
      name: s.name,
      step: s.step,
      mime: s.mime,
      width: s.width,
      height: s.height,
      frames: s.frames,
      fps: s.fps,
      url: s.url,
    })),
    missing: wanted.filter((_, i) => found[i] === null),
  };
}
