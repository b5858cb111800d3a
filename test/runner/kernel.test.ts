// The kernel in Node on the cpu backend, without a tracker: every result goes out through `emit`.
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Kernel, type KernelOptions } from "@/lib/runner/kernel/kernel";
import { ERROR_MIME, type CellOutput, type KernelEvent, type MetricPoint, type Progress } from "@/lib/runner/protocol";

beforeAll(async () => {
  await tf.setBackend("cpu");
  await tf.ready();
});

const kernels: Kernel[] = [];
afterEach(async () => {
  for (const k of kernels.splice(0)) await k.dispose();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function start(opts: Partial<KernelOptions> = {}) {
  const events: KernelEvent[] = [];
  const kernel = new Kernel({ emit: (e) => events.push(e), globals: { tf }, ...opts });
  kernels.push(kernel);
  const of = (cellId: string) => events.filter((e) => "cellId" in e && e.cellId === cellId);
  const outputs = (cellId: string): CellOutput[] =>
    of(cellId).flatMap((e) => (e.op === "output" ? [e.output] : []));
  const metrics = (): MetricPoint[] => events.flatMap((e) => (e.op === "metric" ? e.points : []));
  const progress = (cellId: string): Progress[] => of(cellId).flatMap((e) => (e.op === "progress" ? [e.progress] : []));
  return { kernel, events, of, outputs, metrics, progress };
}

/** The GIF header's logical screen size. */
const gifSize = (data: Uint8Array) => [data[6] | (data[7] << 8), data[8] | (data[9] << 8)];
const gifMagic = (data: Uint8Array) => new TextDecoder().decode(data.subarray(0, 6));

describe("a cell's events", () => {
  it("go out in order: busy, started with its exec number, output, finished ok, idle", async () => {
    const { kernel, events } = start();
    const result = await kernel.runCell("a", "const x = 20;\nx + 1");
    expect(result).toEqual({ outcome: "ok", error: undefined });
    await sleep(0); // the idle status follows the cell's result
    expect(events.map((e) => e.op)).toEqual(["status", "cell-started", "output", "cell-finished", "status"]);
    const [busy, started, output, finished, idle] = events;
    expect(busy).toEqual({ op: "status", status: "busy" });
    expect(started).toEqual({ op: "cell-started", cellId: "a", exec: 1, runId: undefined, time: expect.any(Number) });
    expect(output).toEqual({
      op: "output",
      cellId: "a",
      exec: 1,
      output: { channel: "display", mime: "text/plain", data: "21", time: expect.any(Number) },
    });
    expect(finished).toEqual({ op: "cell-finished", cellId: "a", exec: 1, outcome: "ok", elapsedMs: expect.any(Number) });
    expect(idle).toEqual({ op: "status", status: "idle" });
  });

  it("offers TF.js's chained tensor methods", async () => {
    const { kernel, outputs } = start();
    expect((await kernel.runCell("a", "tf.tensor([1, 2, 3]).mul(2).sum().arraySync()")).outcome).toBe("ok");
    expect(outputs("a").map((o) => o.data)).toEqual(["12"]);
  });

  it("shares names across cells and rebinds them when a cell runs again", async () => {
    const { kernel, outputs, events } = start();
    await kernel.runCell("a", "let x = 1;");
    await kernel.runCell("b", "x * 10");
    await kernel.runCell("a", "let x = 2;");
    await kernel.runCell("b", "x * 10");
    expect(outputs("b").map((o) => o.data)).toEqual(["10", "20"]);
    expect(outputs("a")).toEqual([]); // a declaration shows nothing
    const execs = events.flatMap((e) => (e.op === "cell-started" ? [[e.cellId, e.exec]] : []));
    expect(execs).toEqual([["a", 1], ["b", 2], ["a", 3], ["b", 4]]);
    // A rerun that no longer declares x drops it.
    await kernel.runCell("a", "const y = 3;");
    const r = await kernel.runCell("b", "x * 10");
    expect(r.outcome).toBe("error");
    expect(r.error).toMatchObject({ name: "ReferenceError", message: "x is not defined" });
  });

  it("shows the last expression only, and nothing for undefined", async () => {
    const { kernel, outputs } = start();
    await kernel.runCell("a", '"first";\n["x", "y"].join("+")');
    await kernel.runCell("b", "undefined");
    await kernel.runCell("c", "let z = 5; z;");
    expect(outputs("a")).toEqual([{ channel: "display", mime: "text/plain", data: "x+y", time: expect.any(Number) }]);
    expect(outputs("b")).toEqual([]);
    expect(outputs("c").map((o) => o.data)).toEqual(["5"]);
  });

  it("sends console.log to stdout and console.warn to stderr as text", async () => {
    const { kernel, outputs } = start();
    await kernel.runCell("a", 'console.log("loss", 0.5, { k: 1 });\nconsole.warn("careful");\nconsole.info("i");');
    expect(outputs("a").map((o) => [o.channel, o.mime, o.data])).toEqual([
      ["stdout", "text/plain", 'loss 0.5 {"k":1}\n'],
      ["stderr", "text/plain", "careful\n"],
      ["stdout", "text/plain", "i\n"],
    ]);
  });

  it("can be driven through handle() with protocol commands", async () => {
    const { kernel, outputs, events } = start();
    kernel.handle({ type: "set-config", overrides: { n: 4 } });
    kernel.handle({ type: "run-cell", cellId: "a", code: "const { n } = config({ n: 1 });\nn * n" });
    await kernel.dispose();
    expect(outputs("a").map((o) => o.data)).toEqual(["16"]);
    kernel.handle({ type: "init" });
    expect(events.at(-1)).toEqual({ op: "warning", message: expect.stringMatching(/already initialised/) });
  });
});

describe("a failing cell", () => {
  it("reports the error at its line and skips the cells queued after it", async () => {
    const { kernel, events, outputs, of } = start();
    const first = kernel.runCell("ok", "const a = 1;");
    const bad = kernel.runCell("bad", "const b = 2;\nconst c = b + 1;\nthrow new Error(`boom ${c}`);\nconst d = 4;");
    const next = kernel.runCell("next", 'console.log("must not run")');
    const last = kernel.runCell("last", "a");
    expect((await first).outcome).toBe("ok");
    const r = await bad;
    expect(r.outcome).toBe("error");
    expect(r.error).toMatchObject({ name: "Error", message: "boom 3", line: 3 });
    expect(await next).toEqual({ outcome: "skipped" });
    expect(await last).toEqual({ outcome: "skipped" });

    const [error] = outputs("bad");
    expect(error.channel).toBe("stderr");
    expect(error.mime).toBe(ERROR_MIME);
    expect(error.data).toMatchObject({ name: "Error", message: "boom 3", line: 3 });
    expect(of("bad").at(-1)).toMatchObject({ op: "cell-finished", outcome: "error" });
    expect(of("next")).toEqual([{ op: "cell-skipped", cellId: "next", reason: "error" }]);
    expect(of("last")).toEqual([{ op: "cell-skipped", cellId: "last", reason: "error" }]);
    expect(events.filter((e) => e.op === "cell-started").map((e) => (e as { cellId: string }).cellId)).toEqual(["ok", "bad"]);
  });

  it("skips only up to the next run boundary in the queue", async () => {
    const { kernel } = start();
    const bad = kernel.runCell("bad", "null.x");
    const skipped = kernel.runCell("skipped", "1");
    const ended = kernel.endRun("finished"); // no run: nothing to end
    const after = kernel.runCell("after", "2");
    expect((await bad).outcome).toBe("error");
    expect((await skipped).outcome).toBe("skipped");
    await ended;
    expect((await after).outcome).toBe("ok");
  });

  it("keeps the kernel usable", async () => {
    const { kernel, outputs } = start();
    await kernel.runCell("a", "const kept = 7;\nthrow 'plain string'");
    const r = await kernel.runCell("b", "kept");
    expect(r.outcome).toBe("ok");
    expect(outputs("a")[0].data).toMatchObject({ name: "Uncaught", message: "plain string" });
    expect(outputs("b")[0].data).toBe("7");
  });
});

describe("interrupt", () => {
  const LOOP = [
    "let spins = 0;",
    "while (!signal.aborted) {",
    "  spins++;",
    "  await new Promise((r) => setTimeout(r, 5));",
    "}",
    "signal.throwIfAborted();",
  ].join("\n");

  it("stops an awaiting loop within a second and drops the queued cells", async () => {
    const { kernel, of, events } = start();
    const loop = kernel.runCell("loop", LOOP);
    const queued = kernel.runCell("queued", 'console.log("no")');
    await sleep(60);
    const t0 = performance.now();
    kernel.handle({ type: "interrupt" });
    const r = await loop;
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(r.outcome).toBe("interrupted");
    expect(r.error).toMatchObject({ name: "AbortError", message: "The cell was interrupted." });
    expect(await queued).toEqual({ outcome: "skipped" });
    expect(of("queued")).toEqual([{ op: "cell-skipped", cellId: "queued", reason: "interrupted" }]);
    expect(of("loop").at(-1)).toMatchObject({ op: "cell-finished", outcome: "interrupted" });
    // The queued cell is dropped at the interrupt, not when the running cell gets round to stopping.
    const skippedAt = events.findIndex((e) => e.op === "cell-skipped");
    const finishedAt = events.findIndex((e) => e.op === "cell-finished" && e.cellId === "loop");
    expect(skippedAt).toBeGreaterThan(0);
    expect(skippedAt).toBeLessThan(finishedAt);
    // The loop ran, and its names survive for the next cell.
    const after = await kernel.runCell("after", "spins > 3");
    expect(after.outcome).toBe("ok");
    expect(of("after").find((e) => e.op === "output")).toMatchObject({ output: { data: "true" } });
  });

  it("with nothing running, still drops what is queued", async () => {
    const { kernel } = start();
    kernel.interrupt(); // nothing to do
    const r = await kernel.runCell("a", "1");
    expect(r.outcome).toBe("ok");
  });
});

describe("config", () => {
  it("applies the overrides, emits the merged hparams and lists the unused overrides", async () => {
    const { kernel, events, outputs } = start();
    kernel.setOverrides({ lr: "0.5", "model.width": 16, typo: 1 });
    await kernel.runCell("a", 'const c = config({ lr: 0.1, model: { width: 8, kind: "vgan" } });\n`${c.lr} ${c.model.width} ${c.model.kind}`');
    expect(outputs("a")[0].data).toBe("0.5 16 vgan");
    expect(kernel.unusedOverrides()).toEqual(["typo"]);
    await kernel.runCell("b", "const d = config({ batch: 4, lr: 0.3 });");
    const configs = events.flatMap((e) => (e.op === "config" ? [e.hparams] : []));
    expect(configs).toEqual([
      { lr: 0.5, model: { width: 16, kind: "vgan" } },
      { lr: 0.5, model: { width: 16, kind: "vgan" }, batch: 4 },
    ]);
    kernel.setOverrides({ batch: 8 });
    expect(kernel.unusedOverrides()).toEqual(["batch"]);
  });

  it("turns a mistyped override into the cell's error, naming the key", async () => {
    const { kernel } = start();
    kernel.setOverrides({ lr: "fast" });
    const r = await kernel.runCell("a", "const c = config({ lr: 0.1 });");
    expect(r.outcome).toBe("error");
    expect(r.error).toMatchObject({ name: "ConfigError", message: 'lr: expected a number like the default 0.1, got "fast"' });
  });

  it("refuses defaults that are not an object", async () => {
    const { kernel } = start();
    const r = await kernel.runCell("a", "config([1, 2])");
    expect(r.error).toMatchObject({ name: "ConfigError", message: expect.stringMatching(/expected an object of defaults/) });
  });
});

describe("log", () => {
  it("refuses a value that is not a number, naming the metric", async () => {
    const { kernel, metrics } = start();
    const r = await kernel.runCell("a", 'log({ ok: 1, loss: "high" }, 0);');
    expect(r.outcome).toBe("error");
    expect(r.error).toMatchObject({ name: "TypeError", message: "log: loss must be a number, got \"high\"" });
    await kernel.dispose();
    expect(metrics()).toEqual([]); // nothing of a refused call is recorded
  });

  it("refuses a key with a comma", async () => {
    const { kernel } = start();
    const r = await kernel.runCell("a", 'log({ "loss,d": 1 });');
    expect(r.error).toMatchObject({ name: "TypeError", message: expect.stringContaining('log: "loss,d" is not a usable metric name') });
  });

  it("refuses a negative or fractional step", async () => {
    const { kernel } = start();
    expect((await kernel.runCell("a", "log({ a: 1 }, -1);")).error?.message).toBe("log: step must be an integer ≥ 0, got -1");
    expect((await kernel.runCell("b", "log({ a: 1 }, 1.5);")).error?.message).toBe("log: step must be an integer ≥ 0, got 1.5");
  });

  it("records at one past the last step when no step is given, across cells", async () => {
    const { kernel, metrics } = start();
    await kernel.runCell("a", "log({ a: 1 });\nlog({ a: 2 });\nlog({ a: 3 }, 10);\nlog({ b: 4 });");
    await kernel.runCell("b", "log({ c: 5 });");
    expect(metrics().map((p) => [p.key, p.step, p.value])).toEqual([
      ["a", 0, 1],
      ["a", 1, 2],
      ["a", 10, 3],
      ["b", 11, 4],
      ["c", 12, 5],
    ]);
  });

  it("takes booleans, NaN and one-element tensors, and skips undefined", async () => {
    const { kernel, metrics } = start();
    const before = tf.memory().numTensors;
    const r = await kernel.runCell("a", "const t = tf.scalar(0.25);\nlog({ up: true, gone: undefined, nan: NaN, t }, 3);\nt.dispose();");
    expect(r.outcome).toBe("ok");
    expect(metrics().map((p) => [p.key, p.step, p.value])).toEqual([
      ["up", 3, 1],
      ["nan", 3, NaN],
      ["t", 3, 0.25],
    ]);
    expect(tf.memory().numTensors).toBe(before);
    const bad = await kernel.runCell("b", "const v = tf.ones([2]);\ntry { log({ v }); } finally { v.dispose(); }");
    expect(bad.error?.message).toBe("log: v must be a number or a one-element tensor, got shape [2]");
  });

  it("sends the cell's points to the page as metric events before the cell finishes", async () => {
    const { kernel, of } = start({ metricEventMs: 20 });
    await kernel.runCell("a", "log({ loss: 1 }, 0);\nawait new Promise((r) => setTimeout(r, 200));\nlog({ loss: 0.5 }, 1);");
    const events = of("a");
    const ops = events.map((e) => e.op);
    expect(ops).toEqual(["cell-started", "metric", "metric", "cell-finished"]);
    const [first, second] = events.filter((e) => e.op === "metric") as Extract<KernelEvent, { op: "metric" }>[];
    // The first arrives by the timer while the cell still waits; the second when the cell ends.
    expect(first).toMatchObject({ cellId: "a", exec: 1, points: [{ key: "loss", step: 0, value: 1 }] });
    expect(second).toMatchObject({ cellId: "a", exec: 1, points: [{ key: "loss", step: 1, value: 0.5 }] });
    expect(first.points[0].time).toBeLessThanOrEqual(second.points[0].time);
  });

  it("batches many points into few events", async () => {
    const { kernel, events } = start({ metricEventMs: 60_000 });
    await kernel.runCell("a", "for (let i = 0; i < 1000; i++) log({ x: i }, i);");
    const metricEvents = events.filter((e) => e.op === "metric") as Extract<KernelEvent, { op: "metric" }>[];
    expect(metricEvents).toHaveLength(1);
    expect(metricEvents[0].points).toHaveLength(1000);
    expect(metricEvents[0].points.at(-1)).toMatchObject({ key: "x", step: 999, value: 999 });
  });

  it("flushes points logged after the cell ended when disposed", async () => {
    const { kernel, metrics } = start({ metricEventMs: 60_000 });
    await kernel.runCell("a", "setTimeout(() => log({ late: 7 }, 3), 10);");
    await sleep(50);
    expect(metrics()).toEqual([]); // held: the next send is a minute away
    await kernel.dispose();
    expect(metrics()).toEqual([{ key: "late", step: 3, value: 7, time: expect.any(Number) }]);
  });
});

describe("progress", () => {
  it("sends a bar's start, its end and a flush when the cell ends", async () => {
    const { kernel, progress, of } = start();
    await kernel.runCell("a", 'const bar = progress(4, "steps");\nfor (let i = 0; i < 4; i++) bar.tick();\nfor (const x of progress([1, 2, 3])) {}');
    const bars = progress("a");
    const first = bars.filter((p) => p.id === "1.1");
    const second = bars.filter((p) => p.id === "1.2");
    expect(first[0]).toEqual({ id: "1.1", done: 0, total: 4, label: "steps" });
    expect(first.at(-1)).toMatchObject({ id: "1.1", done: 4, total: 4, label: "steps" });
    expect(second[0]).toEqual({ id: "1.2", done: 0, total: 3 });
    expect(second.at(-1)).toMatchObject({ id: "1.2", done: 3, total: 3 });
    const dones = first.map((p) => p.done);
    expect([...dones].sort((x, y) => x - y)).toEqual(dones);
    expect(of("a").at(-1)!.op).toBe("cell-finished");
    expect(of("a").findIndex((e) => e.op === "progress")).toBeGreaterThan(0);
  });

  it("sends the last count of a bar left unfinished when the cell ends", async () => {
    const { kernel, progress } = start();
    await kernel.runCell("a", "const bar = progress(100);\nfor (let i = 0; i < 37; i++) bar.tick();");
    expect(progress("a").at(-1)).toMatchObject({ id: "1.1", done: 37, total: 100 });
  });

  it("refuses a bad total as the cell's error", async () => {
    const { kernel } = start();
    const r = await kernel.runCell("a", "progress(-3)");
    expect(r.error).toMatchObject({ name: "RangeError", message: "progress: total must be a number ≥ 0, got -3" });
  });
});

describe("show and sample", () => {
  it("shows a video tensor as a GIF the size of its frames", async () => {
    const { kernel, outputs } = start();
    const r = await kernel.runCell("a", "const v = tf.zeros([4, 8, 12, 1]);\nawait show(v);\nv.dispose();");
    expect(r.outcome).toBe("ok");
    const [out] = outputs("a");
    expect(out.channel).toBe("display");
    expect(out.mime).toBe("image/gif");
    const data = out.data as Uint8Array;
    expect(data).toBeInstanceOf(Uint8Array);
    expect(gifMagic(data)).toBe("GIF89a");
    expect(gifSize(data)).toEqual([12, 8]);
  });

  it("waits for a show the cell did not await", async () => {
    const { kernel, of } = start();
    await kernel.runCell("a", 'show.md("# hi");\nconst v = tf.zeros([2, 4, 4, 1]);\nshow(v);\nconst shown = true;');
    const ops = of("a").map((e) => (e.op === "output" ? e.output.mime : e.op));
    expect(ops).toEqual(["cell-started", "text/markdown", "image/gif", "cell-finished"]);
    await kernel.runCell("b", "v.dispose();");
  });

  it("emits a sample event without a tracked run", async () => {
    const { kernel, of } = start();
    const r = await kernel.runCell("a", 'const v = tf.zeros([4, 8, 8, 1]);\nawait sample("s", v, 3);\nv.dispose();');
    expect(r.outcome).toBe("ok");
    const samples = of("a").filter((e) => e.op === "sample") as Extract<KernelEvent, { op: "sample" }>[];
    expect(samples).toHaveLength(1);
    expect(samples[0]).toMatchObject({ cellId: "a", exec: 1, key: "s", step: 3, mime: "image/gif" });
    expect(gifMagic(samples[0].data)).toBe("GIF89a");
    expect(gifSize(samples[0].data)).toEqual([8, 8]);
  });

  it("refuses a sample that is not a video tensor", async () => {
    const { kernel } = start();
    const r = await kernel.runCell("a", 'const m = tf.zeros([8, 8]);\ntry { await sample("s", m, 0); } finally { m.dispose(); }');
    expect(r.error).toMatchObject({ name: "TypeError", message: expect.stringMatching(/^sample: expected a video tensor/) });
  });

  it("says clearly that checkpoint() and restore() need a tracked run", async () => {
    const { kernel } = start();
    const c = await kernel.runCell("a", "await checkpoint(null, null);");
    expect(c.outcome).toBe("error");
    expect(c.error?.message).toBe('checkpoint: this kernel is not recording a run (start one with "Run all", or use the CLI)');
    const r = await kernel.runCell("b", "await restore(null);");
    expect(r.error?.message).toMatch(/^restore: this kernel is not recording a run/);
  });

  it("cannot start a tracked run without a tracker, and says why", async () => {
    const { kernel, events } = start();
    await expect(kernel.startRun({ experimentId: "e", code: "" })).rejects.toThrow("this kernel has no tracker to record into");
    expect(events).toContainEqual({ op: "warning", message: "could not start a tracked run: this kernel has no tracker to record into" });
    expect(kernel.runId).toBeUndefined();
  });
});

describe("tensor memory", () => {
  it("leaves no tensor behind beyond the ones a cell keeps", async () => {
    const { kernel, outputs } = start();
    await kernel.runCell("warm", "const w = tf.zeros([2, 2, 2, 1]);\nawait show(w);\nw.dispose();"); // backend warm-up
    const before = tf.memory().numTensors;

    const a = await kernel.runCell("a", "const x = tf.ones([3, 3]);\nconst total = tf.tidy(() => tf.sum(tf.matMul(x, x)).dataSync()[0]);\nx.dispose();\ntotal");
    expect(a.error).toBeUndefined();
    expect(outputs("a")[0].data).toBe("27");
    expect(tf.memory().numTensors).toBe(before);

    // A cell that keeps one tensor, shows it, samples it, logs a scalar and shows a summary of another.
    const b = await kernel.runCell(
      "b",
      [
        "const v = tf.randomUniform([4, 8, 8, 1], -1, 1);",
        "await show(v);",
        'await sample("v", v, 0);',
        "const s = tf.scalar(2);",
        "log({ s }, 0);",
        "s.dispose();",
        "v",
      ].join("\n"),
    );
    expect(b.outcome).toBe("ok");
    expect(outputs("b").map((o) => o.mime)).toEqual(["image/gif", "image/gif"]);
    expect(tf.memory().numTensors).toBe(before + 1); // v itself

    const c = await kernel.runCell("c", "const m = tf.ones([2, 3]);\nm");
    expect(c.outcome).toBe("ok");
    expect(outputs("c")[0].mime).toBe("application/vnd.zoetrope.tensor+json");
    expect(tf.memory().numTensors).toBe(before + 2);

    await kernel.runCell("d", "v.dispose();\nm.dispose();");
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("restart", () => {
  it("drops every binding and the hparams, and keeps the overrides", async () => {
    const { kernel, events } = start();
    kernel.setOverrides({ lr: 2 });
    await kernel.runCell("a", "const x = 1;\nconst c = config({ lr: 1, other: 3 });");
    await kernel.restart();
    expect(events.at(-1)).toEqual({ op: "status", status: "idle" });
    const r = await kernel.runCell("b", "x");
    expect(r.outcome).toBe("error");
    expect(r.error).toMatchObject({ name: "ReferenceError", message: "x is not defined" });
    await kernel.runCell("c", "const c2 = config({ lr: 1 });");
    const configs = events.flatMap((e) => (e.op === "config" ? [e.hparams] : []));
    expect(configs).toEqual([{ lr: 2, other: 3 }, { lr: 2 }]);
    expect(kernel.unusedOverrides()).toEqual([]);
  });

  it("interrupts a running cell first", async () => {
    const { kernel } = start();
    const loop = kernel.runCell("loop", "while (!signal.aborted) await new Promise((r) => setTimeout(r, 5));\nsignal.throwIfAborted();");
    await sleep(30);
    await kernel.restart();
    expect((await loop).outcome).toBe("interrupted");
  });

  it("resets the auto-incremented step", async () => {
    const { kernel, metrics } = start();
    await kernel.runCell("a", "log({ a: 1 }, 41);");
    await kernel.restart();
    await kernel.runCell("b", "log({ a: 2 });");
    expect(metrics().map((p) => p.step)).toEqual([41, 0]);
  });
});
