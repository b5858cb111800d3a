// RunSession and its sinks against the real tracker: HttpSink through the route handlers in this process (behind a
// fault injector), and DbSink straight into the same temporary database.
import { tempDb } from "../helpers/temp-db";
import "@tensorflow/tfjs-backend-cpu";
import fs from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { checkpointArtifacts, loadCheckpoint } from "@/lib/gan/checkpoint";
import { createTrainState } from "@/lib/gan/train";
import { videoToGif } from "@/lib/gan/video";
import { DbSink } from "@/lib/runner/cli/db-sink";
import type { MetricPoint } from "@/lib/runner/protocol";
import { HttpSink } from "@/lib/runner/tracking/http-sink";
import { RunSession, type SessionOptions } from "@/lib/runner/tracking/session";
import { SinkError, type TrackerSink } from "@/lib/runner/tracking/sink";
import { getRun } from "@/lib/tracker/runs";
import { readSeries } from "@/lib/tracker/metrics";
import { listSamples } from "@/lib/tracker/samples";
import { tinyModel, useCpu } from "../gan/train-helpers";
import { faultyTracker, handle, TRACKER, type Exchange, type FaultyTracker } from "./helpers/tracker-fetch";

// Short delays: a second of the real defaults is 100 ms here.
const FAST: SessionOptions = { flushMs: 100, retryMs: 10, maxRetryMs: 40, heartbeatMs: 60_000, closeTimeoutMs: 10_000 };

let gif: Uint8Array;
beforeAll(async () => {
  await useCpu();
  const video = tf.zeros([4, 8, 8, 1]);
  gif = await videoToGif(video as tf.Tensor4D);
  video.dispose();
});

const sessions: RunSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close("finished"); // stops the timers of a test that failed early
});

let experiments = 0;

async function open(tracker: FaultyTracker, opts: SessionOptions = {}) {
  const sink = new HttpSink(TRACKER, tracker.fetch);
  const experimentId = await sink.ensureExperiment(`Session test ${++experiments}`, "// %%\nlog({ a: 1 });");
  const warnings: string[] = [];
  const session = await RunSession.start(
    sink,
    { experimentId, code: "// %%\nlog({ a: 1 });", hparams: { lr: 0.1 }, backend: "cpu" },
    { ...FAST, ...opts, onWarning: (m) => warnings.push(m) },
  );
  sessions.push(session);
  tracker.log.length = 0; // from here on: the session's own requests
  return { sink, session, warnings, experimentId };
}

function points(key: string, from: number, n: number): MetricPoint[] {
  return Array.from({ length: n }, (_, i) => ({ key, step: from + i, value: (from + i) / 2, time: 1_700_000_000_000 + from + i }));
}

/** The stored series of `key` as plain arrays. */
async function stored(runId: string, key: string): Promise<{ steps: number[]; values: number[] }> {
  const s = (await readSeries(runId)).get(key);
  return { steps: Array.from(s?.steps ?? []), values: Array.from(s?.values ?? []) };
}

/** The series as the API serves it. */
async function served(runId: string): Promise<Record<string, { steps: number[]; values: (number | null)[]; total: number }>> {
  const res = await handle(new Request(`${TRACKER}/api/runs/${runId}/metrics`));
  expect(res.status).toBe(200);
  return ((await res.json()) as { series: Record<string, { steps: number[]; values: (number | null)[]; total: number }> }).series;
}

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
const metricPosts = (tracker: FaultyTracker) => tracker.requests("POST", /\/metrics$/);
const batchOf = (e: Exchange) => (e.body as { batch: number }).batch;
const sizeOf = (e: Exchange) =>
  Object.values((e.body as { series: Record<string, { steps: number[] }> }).series).reduce((n, c) => n + c.steps.length, 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("RunSession over HttpSink: batching", () => {
  it("sends 12,000 points logged at once as batches of at most 5,000, without waiting for the timer", async () => {
    const tracker = faultyTracker();
    const { session } = await open(tracker, { flushMs: 60_000 });
    session.log(points("x", 0, 12_000));
    expect(metricPosts(tracker)).toHaveLength(1); // the first full batch went out at once
    await session.flush();
    const posts = metricPosts(tracker);
    expect(posts.map(sizeOf)).toEqual([5000, 5000, 2000]);
    expect(posts.map(batchOf)).toEqual([0, 1, 2]);
    expect(posts.map((p) => p.outcome)).toEqual([200, 200, 200]);
    expect(posts.map((p) => p.answer)).toEqual([
      { accepted: 5000, duplicate: false },
      { accepted: 5000, duplicate: false },
      { accepted: 2000, duplicate: false },
    ]);
    const { steps, values } = await stored(session.runId, "x");
    expect(steps).toEqual(range(0, 12_000));
    expect(values[11_999]).toBe(11_999 / 2);
    expect(session.pendingPoints).toBe(0);
  });

  it("holds small logs for up to flushMs: at most one request per flushMs", async () => {
    const tracker = faultyTracker();
    const flushMs = 150;
    const { session } = await open(tracker, { flushMs });
    session.log(points("loss", 0, 1));
    expect(metricPosts(tracker)).toHaveLength(0);
    expect(session.pendingPoints).toBe(1);
    // One point every 10 ms for about a second.
    for (let i = 1; i < 90; i++) {
      await sleep(10);
      session.log(points("loss", i, 1));
    }
    const during = metricPosts(tracker);
    const elapsed = during.length > 0 ? performance.now() - during[0].at : 0;
    expect(during.length).toBeGreaterThanOrEqual(3);
    expect(during.length).toBeLessThanOrEqual(Math.ceil(elapsed / flushMs) + 1);
    for (let i = 1; i < during.length; i++) expect(during[i].at - during[i - 1].at).toBeGreaterThan(flushMs * 0.7);
    expect(during.every((p) => sizeOf(p) > 1)).toBe(true); // each carried many points
    await session.flush();
    expect((await stored(session.runId, "loss")).steps).toEqual(range(0, 90));
    expect(metricPosts(tracker).map(batchOf)).toEqual(range(0, metricPosts(tracker).length));
  });
});

describe("RunSession over HttpSink: failures", () => {
  it("loses nothing through an outage of many failed requests, and retries each batch under its number", async () => {
    const tracker = faultyTracker();
    const { session, warnings } = await open(tracker, { flushMs: 50 });
    session.log(points("loss", 0, 10));
    await session.flush();

    tracker.down("network");
    let step = 10;
    const logFor = async (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until) {
        session.log([...points("loss", step, 3), ...points("acc", step, 3)]);
        step += 3;
        await sleep(15);
      }
    };
    await logFor(700);
    session.setHparams({ lr: 0.3 });
    tracker.down("503");
    await logFor(400);
    tracker.heal();
    tracker.fail("lost", 2, (method, p) => method === "POST" && p.endsWith("/metrics")); // stored, answer lost
    tracker.fail("network", 1);
    await logFor(200);
    await session.flush();

    const posts = metricPosts(tracker);
    const failures = posts.filter((p) => p.outcome !== 200);
    expect(failures.filter((p) => p.outcome === "network").length).toBeGreaterThanOrEqual(10);
    expect(failures.filter((p) => p.outcome === 503).length).toBeGreaterThanOrEqual(3);
    expect(failures.filter((p) => p.outcome === "lost")).toHaveLength(2);

    // Each batch number went with the same points every time, and was stored exactly once.
    const byBatch = new Map<number, Exchange[]>();
    for (const p of posts) byBatch.set(batchOf(p), [...(byBatch.get(batchOf(p)) ?? []), p]);
    expect([...byBatch.keys()]).toEqual(range(0, byBatch.size)); // in order, none skipped
    expect(byBatch.get(0)!.map((t) => t.outcome)).toEqual([200]); // before the outage
    for (const tries of byBatch.values()) {
      for (const t of tries) expect(t.body).toEqual(tries[0].body);
      const stores = tries.filter((t) => (t.outcome === 200 || t.outcome === "lost") && !(t.answer as { duplicate: boolean }).duplicate);
      expect(stores).toHaveLength(1);
    }
    // A batch whose answer was lost had been stored; sending it again is answered "duplicate" and adds nothing.
    const lostFirst = [...byBatch.values()].filter((tries) => tries.find((t) => t.outcome === 200 || t.outcome === "lost")!.outcome === "lost");
    expect(lostFirst).toHaveLength(1); // the two lost answers hit one batch: its send and its first retry
    const [lostTries] = lostFirst;
    expect(lostTries.filter((t) => t.outcome === "lost").map((t) => t.answer)).toEqual([
      { accepted: sizeOf(lostTries[0]), duplicate: false },
      { accepted: sizeOf(lostTries[0]), duplicate: true },
    ]);
    expect(lostTries.at(-1)).toMatchObject({ outcome: 200, answer: { accepted: sizeOf(lostTries[0]), duplicate: true } });

    const series = await served(session.runId);
    expect(series.loss.steps).toEqual(range(0, step));
    expect(series.loss.total).toBe(step);
    expect(series.acc.steps).toEqual(range(10, step - 10));
    expect(series.loss.values.slice(0, 3)).toEqual([0, 0.5, 1]);
    expect((await getRun(session.runId)).hparams).toEqual({ lr: 0.3 });

    expect(warnings[0]).toMatch(/^tracker: .*unreachable: fetch failed; retrying \(nothing is lost while this kernel runs\)$/);
    expect(warnings).toContain("tracker: reachable again; sending what was queued");
    expect(warnings.some((w) => w.includes("gave up"))).toBe(false);
    expect(session.pendingPoints).toBe(0);
  }, 20_000);

  it("stores a sample in order with the metrics logged before it", async () => {
    const tracker = faultyTracker();
    const { session } = await open(tracker, { flushMs: 60_000 });
    session.log(points("loss", 0, 5));
    tracker.fail("503", 2);
    const upload = session.sample({ name: "video", step: 4, mime: "image/gif", data: gif, fps: 8, frames: 4 });
    session.log(points("loss", 5, 5));
    await upload;
    await session.flush();
    const order = tracker.log
      .filter((e) => e.outcome === 200 || e.outcome === 201)
      .map((e) => (e.path.endsWith("/samples") ? "sample" : `steps ${(e.body as { series: { loss: { steps: number[] } } }).series.loss.steps.join(",")}`));
    expect(order).toEqual(["steps 0,1,2,3,4", "sample", "steps 5,6,7,8,9"]);
    expect((await stored(session.runId, "loss")).steps).toEqual(range(0, 10));
  });

  it("does not retry a request the tracker refused (422), and says so through onWarning", async () => {
    const tracker = faultyTracker();
    const { session, warnings } = await open(tracker, { flushMs: 60_000 });
    session.log(points("bad,key", 0, 2));
    await session.flush();
    session.log(points("good", 0, 2));
    await session.flush();
    const posts = metricPosts(tracker);
    expect(posts.map((p) => [batchOf(p), p.outcome])).toEqual([
      [0, 422],
      [1, 200],
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      new RegExp(`^tracker: gave up on 2 metric points \\(batch 0\\): POST /api/runs/${session.runId}/metrics: 422 `),
    );
    expect((await stored(session.runId, "good")).steps).toEqual([0, 1]);
    expect((await readSeries(session.runId)).has("bad,key")).toBe(false);
  });

  it("rejects a sample the tracker refuses, without retrying it", async () => {
    const tracker = faultyTracker();
    const { session, warnings } = await open(tracker);
    const notMedia = new TextEncoder().encode("not a video at all");
    const error = await session.sample({ name: "junk", step: 0, mime: "image/gif", data: notMedia }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkError);
    expect(error).toMatchObject({ retryable: false, status: 415 });
    expect(tracker.requests("POST", /\/samples$/)).toHaveLength(1);
    expect(warnings).toEqual([expect.stringMatching(/^tracker: gave up on sample "junk" at step 0: /)]);
  });

  it("retries creating the run while the tracker is unavailable", async () => {
    const tracker = faultyTracker();
    const sink = new HttpSink(TRACKER, tracker.fetch);
    const experimentId = await sink.ensureExperiment("Start through a blip", "");
    tracker.fail("503", 2);
    tracker.fail("network", 1);
    const session = await RunSession.start(sink, { experimentId, code: "", hparams: {} }, FAST);
    sessions.push(session);
    expect(tracker.requests("POST", /^\/api\/runs$/).map((e) => e.outcome)).toEqual([503, 503, "network", 201]);
    expect((await getRun(session.runId)).status).toBe("running");
  });

  it("gives up creating the run on a refusal at once", async () => {
    const tracker = faultyTracker();
    const sink = new HttpSink(TRACKER, tracker.fetch);
    const error = await RunSession.start(sink, { experimentId: "no-such-experiment", code: "", hparams: {} }, FAST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkError);
    expect(error).toMatchObject({ retryable: false, status: 404 });
    expect(tracker.requests("POST", /^\/api\/runs$/)).toHaveLength(1);
  });
});

describe("RunSession over HttpSink: the run's record", () => {
  it("replaces the run's hparams with setHparams", async () => {
    const tracker = faultyTracker();
    const { session } = await open(tracker);
    expect((await getRun(session.runId)).hparams).toEqual({ lr: 0.1 });
    session.setHparams({ lr: 0.5, model: { kind: "vgan", width: 8 } });
    tracker.fail("503", 1);
    session.setHparams({ lr: 0.5, model: { kind: "vgan", width: 16 }, batch: 4 });
    await session.flush();
    expect((await getRun(session.runId)).hparams).toEqual({ lr: 0.5, model: { kind: "vgan", width: 16 }, batch: 4 });
    expect(tracker.requests("PATCH", /^\/api\/runs\/[^/]+$/).map((e) => e.outcome)).toEqual([200, 503, 200]);
  });

  it("stores a sample upload with its fields and file", async () => {
    const tracker = faultyTracker();
    const { session } = await open(tracker);
    tracker.fail("network", 1);
    const { id, url } = await session.sample({ name: "samples", step: 12, mime: "image/gif", data: gif, fps: 8, frames: 4, width: 8, height: 8 });
    expect(url).toBe(`/api/samples/${id}`);
    const list = await listSamples(session.runId);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id, name: "samples", step: 12, mime: "image/gif", frames: 4, width: 8, height: 8, fps: 8, bytes: gif.byteLength });
    const files = fs.readdirSync(path.join(tempDb.dataDir, "samples", session.runId));
    expect(files).toEqual([`${id}.gif`]);
    expect(new Uint8Array(fs.readFileSync(path.join(tempDb.dataDir, "samples", session.runId, files[0])))).toEqual(gif);
  });

  it("close() delivers what is buffered, then ends the run with the status and error", async () => {
    const tracker = faultyTracker();
    const { session, warnings } = await open(tracker, { flushMs: 60_000 });
    session.log(points("loss", 0, 25));
    tracker.fail("503", 2);
    await session.close("failed", "cell 2/3, line 9: Error: kaput");
    const run = await getRun(session.runId);
    expect(run).toMatchObject({ status: "failed", error: "cell 2/3, line 9: Error: kaput" });
    expect((await stored(session.runId, "loss")).steps).toEqual(range(0, 25));
    const sent = tracker.log.filter((e) => e.outcome === 200).map((e) => `${e.method} ${e.path.replace(session.runId, ":id")}`);
    expect(sent).toEqual(["POST /api/runs/:id/metrics", "PATCH /api/runs/:id"]);
    expect(tracker.requests("PATCH", /./)[0].body).toEqual({ status: "failed", error: "cell 2/3, line 9: Error: kaput" });
    expect(warnings).toEqual([
      expect.stringMatching(/^tracker: .*503 the tracker is restarting; retrying/),
      "tracker: reachable again; sending what was queued",
    ]);
    // Closing again does nothing; a log after the end is dropped.
    await session.close("finished");
    expect((await getRun(session.runId)).status).toBe("failed");
    expect(tracker.requests("PATCH", /./)).toHaveLength(1); // the 503s met the metrics; the end went once
    session.log(points("loss", 25, 1));
    expect(session.pendingPoints).toBe(0);
  });

  it("refuses uploads and hparams after close()", async () => {
    const tracker = faultyTracker();
    const { session } = await open(tracker);
    await session.close("finished");
    tracker.log.length = 0;
    await expect(session.sample({ name: "late", step: 0, mime: "image/gif", data: gif })).rejects.toThrow("the run has ended");
    session.setHparams({ late: true });
    await session.flush();
    expect(tracker.log).toEqual([]);
    expect(await listSamples(session.runId)).toEqual([]);
  });

  it("close() ends the run once even when the answer to the end is lost", async () => {
    const tracker = faultyTracker();
    const { session, warnings } = await open(tracker);
    tracker.fail("lost", 1, (method) => method === "PATCH");
    await session.close("finished");
    expect((await getRun(session.runId)).status).toBe("finished");
    // The retry meets "already finished" (409): the run did end, so nothing was given up on.
    expect(tracker.requests("PATCH", /./).map((e) => e.outcome)).toEqual(["lost", 409]);
    expect(warnings.filter((w) => w.includes("gave up"))).toEqual([]);
  });

  it("sends a heartbeat every heartbeatMs", async () => {
    const tracker = faultyTracker();
    const { session } = await open(tracker, { heartbeatMs: 40 });
    await sleep(230);
    const beats = tracker.requests("POST", /\/heartbeat$/);
    expect(beats.length).toBeGreaterThanOrEqual(3);
    expect(beats.every((b) => b.outcome === 200)).toBe(true);
    await session.close("finished");
    const after = tracker.requests("POST", /\/heartbeat$/).length;
    await sleep(100);
    expect(tracker.requests("POST", /\/heartbeat$/)).toHaveLength(after);
  });
});

describe("HttpSink", () => {
  it("ensureExperiment finds an experiment by the slug of its title, or creates it", async () => {
    const tracker = faultyTracker();
    const sink = new HttpSink(`${TRACKER}/`, tracker.fetch);
    const id = await sink.ensureExperiment("Moving MNIST: Study #1", "// %%\n1");
    expect(tracker.log.map((e) => [e.method, e.path, e.outcome])).toEqual([
      ["GET", "/api/experiments/moving-mnist-study-1", 404],
      ["POST", "/api/experiments", 201],
    ]);
    tracker.log.length = 0;
    expect(await sink.ensureExperiment("moving mnist — study 1", "other text")).toBe(id);
    expect(tracker.log.map((e) => [e.method, e.path, e.outcome])).toEqual([["GET", "/api/experiments/moving-mnist-study-1", 200]]);
    expect(await sink.ensureExperiment("Another one", "")).not.toBe(id);
  });

  it("reports an unreachable tracker as a retryable SinkError naming it", async () => {
    const tracker = faultyTracker();
    const sink = new HttpSink(TRACKER, tracker.fetch);
    tracker.fail("network", 1);
    const error = await sink.heartbeat("x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkError);
    expect(error).toMatchObject({ retryable: true, message: "http://tracker unreachable: fetch failed" });
  });

  it("saves a checkpoint, finds it as the latest and loads it back", async () => {
    const tracker = faultyTracker();
    const { sink, session } = await open(tracker);
    await checkpointRoundTrip(sink, session.runId);
  });
});

/** Saves two checkpoints of a tiny model, then loads the latest into a fresh model. */
async function checkpointRoundTrip(sink: TrackerSink, runId: string) {
  const model = tinyModel("vgan", 1);
  const early = createTrainState(model, { step: 3 });
  const late = createTrainState(model, { step: 8 });
  const first = await sink.saveCheckpoint(runId, await checkpointArtifacts(model, early, { note: "early" }));
  const second = await sink.saveCheckpoint(runId, await checkpointArtifacts(model, late, { note: "late" }));
  expect(first.step).toBe(3);
  expect(second).toEqual({ id: expect.any(String), step: 8 });
  expect(second.id).not.toBe(first.id);
  expect(await sink.latestCheckpoint(runId)).toEqual(second);

  const fresh = tinyModel("vgan", 99);
  const { state, meta } = await loadCheckpoint(sink.checkpointLoader(runId, second.id), fresh);
  expect(meta).toMatchObject({ step: 8, kind: "vgan", extra: { note: "late" } });
  expect(state.step).toBe(8);
  const [a, b] = [model.stateVars(), fresh.stateVars()];
  for (const [name, v] of a) expect(tf.tidy(() => tf.max(tf.abs(tf.sub(v, b.get(name)!))).dataSync()[0])).toBe(0);
  for (const s of [early, late, state]) s.dispose();
  for (const m of [model, fresh]) m.dispose();
}

describe("DbSink", () => {
  const sink = new DbSink(tempDb.dbFile);
  let runId: string;

  beforeAll(async () => {
    const experimentId = await sink.ensureExperiment("Db sink study", "// %%\n");
    expect(await sink.ensureExperiment("DB Sink Study", "")).toBe(experimentId);
    const run = await sink.createRun({ experimentId, code: "// %%\n", hparams: { lr: 0.1 }, seed: 5, backend: "cpu" });
    runId = run.id;
    expect(run.name).toBe("run-1");
  });

  afterAll(async () => {
    await sink.endRun(runId, "finished").catch(() => {}); // already ended by the last test
  });

  it("stores a metric batch once, however often it is sent", async () => {
    const series = { loss: { steps: [0, 1, 2], values: [1, 0.5, null], times: [10, 11, 12] } };
    await sink.postMetrics(runId, 0, series);
    await sink.postMetrics(runId, 0, { loss: { steps: [3], values: [9], times: [13] } });
    await sink.postMetrics(runId, 1, { loss: { steps: [3], values: [0.25], times: [13] } });
    const { steps, values } = await stored(runId, "loss");
    expect(steps).toEqual([0, 1, 2, 3]);
    expect(values.slice(0, 2)).toEqual([1, 0.5]);
    expect(Number.isNaN(values[2])).toBe(true);
    expect(values[3]).toBe(0.25);
  });

  it("replaces the hparams", async () => {
    await sink.setHparams(runId, { lr: 0.2, batch: 8 });
    expect((await getRun(runId)).hparams).toEqual({ lr: 0.2, batch: 8 });
  });

  it("stores a sample beside the database", async () => {
    const { id, url } = await sink.postSample(runId, { name: "video", step: 4, mime: "image/gif", data: gif, fps: 8, frames: 4 });
    expect(url).toBe(`/api/samples/${id}`);
    expect(await listSamples(runId)).toEqual([expect.objectContaining({ id, name: "video", step: 4, frames: 4, width: 8, height: 8 })]);
    expect(fs.existsSync(path.join(tempDb.dataDir, "samples", runId, `${id}.gif`))).toBe(true);
  });

  it("saves and loads checkpoints", async () => {
    await checkpointRoundTrip(sink, runId);
  });

  it("runs a whole RunSession", async () => {
    const experimentId = await sink.ensureExperiment("Db sink study", "");
    const session = await RunSession.start(sink, { experimentId, code: "", hparams: {} }, FAST);
    sessions.push(session);
    session.log(points("acc", 0, 7000));
    session.setHparams({ depth: 2 });
    await session.close("interrupted");
    expect((await stored(session.runId, "acc")).steps).toEqual(range(0, 7000));
    expect(await getRun(session.runId)).toMatchObject({ status: "interrupted", hparams: { depth: 2 }, name: "run-2" });
  });

  it("turns refusals into SinkErrors that are not retried", async () => {
    const unknown = await sink.postMetrics("no-such-run", 0, { a: { steps: [0], values: [1], times: [0] } }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(SinkError);
    expect(unknown).toMatchObject({ retryable: false, status: 404 });
    const badKey = await sink.postMetrics(runId, 5, { "a,b": { steps: [0], values: [1], times: [0] } }).catch((e: unknown) => e);
    expect(badKey).toMatchObject({ retryable: false, status: 422 });
  });

  it("ends the run, once", async () => {
    await sink.endRun(runId, "failed", "it broke");
    expect(await getRun(runId)).toMatchObject({ status: "failed", error: "it broke" });
    const again = await sink.endRun(runId, "finished").catch((e: unknown) => e);
    expect(again).toMatchObject({ retryable: false, status: 409 });
    const row = tempDb.sql().prepare("SELECT status, error, endedAt FROM Run WHERE id = ?").get(runId) as Record<string, unknown>;
    expect(row).toMatchObject({ status: "failed", error: "it broke" });
    expect(row.endedAt).not.toBeNull();
  });
});
