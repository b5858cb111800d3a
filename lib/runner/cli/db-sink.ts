// The tracker's database as a TrackerSink, for `zoetrope run` without --url: the same functions the API routes
// call, so a run recorded here is indistinguishable from one recorded through a server. Node only.
import path from "node:path";
import type * as tf from "@tensorflow/tfjs-core";
import { fileCheckpoint } from "../../gan/checkpoint/fs";
import { modelJsonFor, weightBuffer } from "../../gan/checkpoint/model-json";
import { checkpointFile, createCheckpoint, listCheckpoints } from "../../tracker/checkpoints";
import { ApiError, toApiError } from "../../tracker/errors";
import { createExperiment, getExperiment } from "../../tracker/experiments";
import { parseBatch } from "../../tracker/metric-points";
import { ingest } from "../../tracker/metrics";
import { createRun, heartbeat, updateRun } from "../../tracker/runs";
import { createSample } from "../../tracker/samples";
import { runCreate, sampleFields } from "../../tracker/schemas";
import { slugify } from "../../tracker/slug";
import type { JsonValue, RunEndStatus } from "../protocol";
import { SinkError, type MetricColumns, type RunStart, type SampleUpload, type StoredCheckpoint, type TrackerSink } from "../tracking/sink";

export class DbSink implements TrackerSink {
  constructor(readonly where: string) {}

  ensureExperiment(title: string, notebook: string): Promise<string> {
    return guard(async () => {
      try {
        return (await getExperiment(slugify(title))).id;
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) throw e;
        return (await createExperiment({ title, notebook })).id;
      }
    });
  }

  createRun(start: RunStart): Promise<{ id: string; name: string }> {
    return guard(() => createRun(runCreate.parse(start)));
  }

  setHparams(runId: string, hparams: Record<string, JsonValue>, seed?: number): Promise<void> {
    return guard(async () => void (await updateRun(runId, { hparams, seed })));
  }

  postMetrics(runId: string, batch: number, series: MetricColumns): Promise<void> {
    return guard(async () => void (await ingest(runId, parseBatch({ batch, series }))));
  }

  postSample(runId: string, sample: SampleUpload): Promise<{ id: string; url: string }> {
    const { data, mime: _mime, ...fields } = sample;
    return guard(async () => {
      const view = await createSample(runId, sampleFields.parse(fields), data);
      return { id: view.id, url: view.url };
    });
  }

  saveCheckpoint(runId: string, artifacts: tf.io.ModelArtifacts): Promise<StoredCheckpoint> {
    const step = (artifacts.userDefinedMetadata as { zoetrope?: { step?: number } } | undefined)?.zoetrope?.step ?? 0;
    const json = JSON.stringify(modelJsonFor(artifacts, "weights.bin"));
    return guard(async () => {
      const view = await createCheckpoint(runId, step, json, new Uint8Array(weightBuffer(artifacts)));
      return { id: view.id, step: view.step };
    });
  }

  checkpointLoader(runId: string, checkpointId: string): tf.io.IOHandler {
    return {
      load: async () => {
        const modelJson = await guard(() => checkpointFile(runId, checkpointId, "model"));
        return fileCheckpoint(path.dirname(modelJson)).load!();
      },
    };
  }

  latestCheckpoint(runId: string): Promise<StoredCheckpoint | undefined> {
    return guard(async () => {
      const last = (await listCheckpoints(runId)).at(-1);
      return last && { id: last.id, step: last.step };
    });
  }

  heartbeat(runId: string): Promise<void> {
    return guard(async () => void (await heartbeat(runId)));
  }

  endRun(runId: string, status: RunEndStatus, error?: string): Promise<void> {
    return guard(async () => void (await updateRun(runId, { status, error })));
  }
}

/** The tracker's refusals (4xx) as SinkErrors that are not retried; a busy or failing database may be. */
async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const api = toApiError(e); // zod and database errors too, with the status the API would answer
    const message = api.code === "internal" && e instanceof Error ? e.message : api.message; // our own terminal: say it all
    throw new SinkError(message, api.status >= 500, api.status);
  }
}
