// The tracker's REST API as a TrackerSink: the browser kernel's, and the CLI's with --url.
import * as tf from "@tensorflow/tfjs-core";
import { latestCheckpoint, trackerCheckpoint } from "../../gan/checkpoint/http";
import { slugify } from "../../tracker/slug";
import type { JsonValue, RunEndStatus } from "../protocol";
import { SinkError, type MetricColumns, type RunStart, type SampleUpload, type StoredCheckpoint, type TrackerSink } from "./sink";

export class HttpSink implements TrackerSink {
  readonly where: string;
  private readonly base: string;
  private readonly fetchFn: typeof fetch;

  /** `baseUrl` "" means the page's (or worker's) own origin. */
  constructor(baseUrl: string, fetchFn: typeof fetch = (input, init) => fetch(input, init)) {
    this.base = baseUrl.replace(/\/$/, "");
    this.where = this.base || "this server";
    this.fetchFn = fetchFn;
  }

  async ensureExperiment(title: string, notebook: string): Promise<string> {
    const found = await this.request(`/api/experiments/${encodeURIComponent(slugify(title))}`, {}, [404]);
    if (found) return ((await found.json()) as { id: string }).id;
    const created = await this.json<{ id: string }>("/api/experiments", "POST", { title, notebook });
    return created.id;
  }

  createRun(start: RunStart): Promise<{ id: string; name: string }> {
    return this.json("/api/runs", "POST", start);
  }

  async setHparams(runId: string, hparams: Record<string, JsonValue>, seed?: number): Promise<void> {
    await this.json(`/api/runs/${runId}`, "PATCH", { hparams, seed });
  }

  async postMetrics(runId: string, batch: number, series: MetricColumns): Promise<void> {
    await this.json(`/api/runs/${runId}/metrics`, "POST", { batch, series });
  }

  async postSample(runId: string, sample: SampleUpload): Promise<{ id: string; url: string }> {
    const form = new FormData();
    const ext = sample.mime.split("/")[1] ?? "bin";
    form.append("file", new Blob([sample.data as Uint8Array<ArrayBuffer>], { type: sample.mime }), `${sample.name}.${ext}`);
    for (const key of ["name", "step", "fps", "frames", "width", "height"] as const) {
      if (sample[key] !== undefined) form.append(key, String(sample[key]));
    }
    const res = await this.request(`/api/runs/${runId}/samples`, { method: "POST", body: form });
    return (await res!.json()) as { id: string; url: string };
  }

  async saveCheckpoint(runId: string, artifacts: tf.io.ModelArtifacts): Promise<StoredCheckpoint> {
    const handler = trackerCheckpoint(runId, { baseUrl: this.base, fetch: this.fetchFn });
    try {
      await handler.save!(artifacts);
    } catch (e) {
      throw new SinkError(e instanceof Error ? e.message : String(e), true);
    }
    return { id: handler.saved!.id, step: handler.saved!.step };
  }

  checkpointLoader(runId: string, checkpointId: string): tf.io.IOHandler {
    return trackerCheckpoint(runId, { baseUrl: this.base, checkpointId, fetch: this.fetchFn });
  }

  async latestCheckpoint(runId: string): Promise<StoredCheckpoint | undefined> {
    const info = await latestCheckpoint(runId, { baseUrl: this.base, fetch: this.fetchFn });
    return info && { id: info.id, step: info.step };
  }

  async heartbeat(runId: string): Promise<void> {
    await this.request(`/api/runs/${runId}/heartbeat`, { method: "POST" });
  }

  async endRun(runId: string, status: RunEndStatus, error?: string): Promise<void> {
    try {
      await this.json(`/api/runs/${runId}`, "PATCH", { status, error });
    } catch (e) {
      // A retry whose first try ended the run (the answer was lost) meets 409: done, if it ended as asked.
      if (!(e instanceof SinkError && e.status === 409)) throw e;
      const run = await this.request(`/api/runs/${runId}`, {});
      if (((await run!.json()) as { status: string }).status !== status) throw e;
    }
  }

  private async json<T>(path: string, method: string, body: unknown): Promise<T> {
    const init = { method, body: JSON.stringify(body), headers: { "content-type": "application/json" } };
    const res = await this.request(path, init);
    return (await res!.json()) as T;
  }

  /** The response, or null for a status in `allowed`; anything else not ok throws a SinkError. */
  private async request(path: string, init: RequestInit, allowed: number[] = []): Promise<Response | null> {
    let res: Response;
    try {
      res = await this.fetchFn(this.base + path, init);
    } catch (e) {
      throw new SinkError(`${this.where} unreachable: ${e instanceof Error ? e.message : String(e)}`, true);
    }
    if (res.ok) return res;
    if (allowed.includes(res.status)) return null;
    const text = await res.text().catch(() => "");
    let message = text.slice(0, 500);
    try {
      message = (JSON.parse(text) as { error: { message: string } }).error.message;
    } catch {
      // not the API's error shape: keep the text
    }
    // 408/429 and 5xx: the server may answer differently in a moment. Other 4xx: it never will.
    const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
    throw new SinkError(`${init.method ?? "GET"} ${path}: ${res.status} ${message}`, retryable, res.status);
  }
}
