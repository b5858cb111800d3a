// Browser side of cell-outputs.test.ts: mounts CellOutputs with one output of every kind, then streams metric
// points into a live chart while a longtask observer records the main thread's worst task.
import { encode as encodePng } from "fast-png";
import { createRoot, type Root } from "react-dom/client";
import { appendPoints, createCellMetrics, type CellMetrics } from "../../../components/notebook/outputs/cell-metrics";
import { CellOutputs, type CellOutputsProps, type CellSample } from "../../../components/notebook/outputs/CellOutputs";
import { encodeGif } from "../../../lib/gan/video/gif";
import type { TensorSummary } from "../../../lib/runner/display";
import { ERROR_MIME, type CellOutput, type MetricPoint } from "../../../lib/runner/protocol";

function frame(size: number, t: number) {
  const data = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    const on = (i % size) === t % size;
    data.set(on ? [255, 200, 0, 255] : [20, 30, 60, 255], i * 4);
  }
  return { width: size, height: size, data };
}

const gif = (size: number, frames: number) => encodeGif(Array.from({ length: frames }, (_, t) => frame(size, t)), { delayMs: 100 });
const png = () => encodePng({ width: 24, height: 12, data: new Uint8Array(24 * 12 * 4).fill(200), channels: 4 });

const out = (channel: CellOutput["channel"], mime: string, data: CellOutput["data"]): CellOutput => ({ channel, mime, data, time: Date.now() });

const tensor: TensorSummary = {
  shape: [2, 3],
  dtype: "float32",
  size: 6,
  min: -1,
  max: 2.5,
  mean: 0.25,
  std: 1.1,
  nan: 1,
  values: [[-1, 0, 2.5], [1, "NaN", 0.125]],
  truncated: false,
};

export const OUTPUTS: CellOutput[] = [
  out("stdout", "text/plain", "epoch 1\n"),
  out("stdout", "text/plain", "epoch 2\n"),
  out("stderr", "text/plain", "warning: slow backend\n"),
  out("display", "text/plain", "plain text value"),
  out("display", "text/markdown", "## Results\n\n<img src=x onerror=\"window.__xss=1\"> [bad](javascript:window.__xss=2) [good](https://example.com)"),
  out("display", "application/vnd.zoetrope.tensor+json", tensor),
  out("display", "application/vnd.zoetrope.table+json", { columns: ["step", "loss"], rows: Array.from({ length: 150 }, (_, i) => [i, 1 / (i + 1)]) }),
  out("display", "application/json", { a: 1, nested: { b: [1, 2, 3] } }),
  out("display", "image/png", png()),
  out("display", "image/gif", gif(16, 4)),
  out("display", "application/vnd.plotly.v1+json", { data: [{ type: "bar", x: ["a", "b"], y: [1, 2] }], layout: { title: { text: "bars" } } }),
  out("stderr", ERROR_MIME, { name: "TypeError", message: "x is not a function", line: 3, column: 7, stack: "TypeError: x is not a function\n    at cell:3:7" }),
];

let root: Root | null = null;
let props: CellOutputsProps;
const clicked: number[] = [];

function render() {
  root!.render(<CellOutputs {...props} />);
}

function mount(extra: Partial<CellOutputsProps> = {}) {
  let host = document.getElementById("host");
  if (!host) {
    host = document.createElement("div");
    host.id = "host";
    host.style.width = "900px";
    document.body.append(host);
  }
  root ??= createRoot(host);
  props = {
    outputs: OUTPUTS,
    progress: [
      { id: "train", done: 340, total: 1000, rate: 12.34, eta: 42, label: "train" },
      { id: "load", done: 17, label: "loading" },
    ],
    metrics: undefined,
    samples: [],
    onErrorLineClick: (line) => clicked.push(line),
    ...extra,
  };
  render();
}

const samples: CellSample[] = [];
function addSample(step: number) {
  samples.push({ key: "samples", step, mime: "image/gif", data: gif(8, 3), time: Date.now() });
  props = { ...props, samples: [...samples] };
  render();
}

let metrics: CellMetrics | null = null;

/** Streams `perKey` points for each of three keys in batches every `everyMs`, and reports the worst main-thread task. */
/** Streams `perKey` steps of `keyCount` keys (three of a GAN's, then more of other scales) in batches of `batch` steps. */
async function streamMetrics(perKey: number, batch: number, everyMs: number, keyCount = 3) {
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
  observer.observe({ type: "longtask", buffered: false });
  metrics = createCellMetrics();
  let section: HTMLElement;
  props = { ...props, metrics };
  render();
  const keys = ["d_loss", "g_loss", "grad_norm_g", ...Array.from({ length: Math.max(0, keyCount - 3) }, (_, k) => `extra_${k}`)];
  appendPoints(metrics, []);
  await new Promise((r) => setTimeout(r, 0));
  const started = performance.now();
  let appendMs = 0;
  for (let step = 0; step < perKey; step += batch) {
    const points: MetricPoint[] = [];
    for (let s = step; s < Math.min(perKey, step + batch); s++) {
      const t = Date.now();
      points.push(
        { key: "d_loss", step: s, value: s === 5000 ? NaN : 0.7 + 0.1 * Math.sin(s / 300), time: t },
        { key: "g_loss", step: s, value: 2 + Math.cos(s / 500) + 0.2 * Math.random(), time: t },
        { key: "grad_norm_g", step: s, value: 50 + 30 * Math.random(), time: t },
        ...keys.slice(3).map((key, k) => ({ key, step: s, value: 10 ** (k % 4 - 2) * (1 + Math.random()), time: t })),
      );
    }
    const a = performance.now();
    appendPoints(metrics, points);
    appendMs += performance.now() - a;
    // The chart draws only while on screen: bring it there once it exists.
    if (step === 0) {
      const selector = '#host [data-output="live-metrics"]';
      while (!document.querySelector(selector)) await new Promise((r) => setTimeout(r, 5));
      section = document.querySelector<HTMLElement>(selector)!;
      section.scrollIntoView();
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  const streamMs = performance.now() - started;
  // The last redraw: at most 250 ms after the last batch.
  const deadline = performance.now() + 5000;
  while (section!.dataset.version !== String(metrics.version) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 100));
  observer.disconnect();
  const drawn = { ...section!.dataset };
  return {
    keys: keys.length,
    points: metrics.total,
    batches: metrics.version,
    drawnVersion: Number(drawn.version),
    drawnPoints: Number(drawn.drawnPoints),
    streamMs,
    appendMs,
    longTasks: longTasks.length,
    worstTaskMs: longTasks.length ? Math.max(...longTasks) : 0,
  };
}

function unmount() {
  root?.unmount();
  root = null;
}

Object.assign(globalThis, { cellOutputs: { mount, addSample, streamMetrics, unmount, clicked } });
