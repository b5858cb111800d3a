import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { display, formatValue, markdown, MIME, summarizeTensor } from "@/lib/runner/display";
import { parseGif } from "../gan/video/gif-parse";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** Runs `fn` and checks that it left no tensor behind. */
async function noLeak<T>(fn: () => Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const out = await fn();
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

const ascii = (bytes: unknown, n: number) => String.fromCharCode(...(bytes as Uint8Array).subarray(0, n));

describe("display: text", () => {
  it("shows strings as themselves and other primitives through formatValue", async () => {
    expect(await display("a\nb")).toEqual({ mime: MIME.text, data: "a\nb" });
    const cases: [unknown, string][] = [
      [42, "42"],
      [-0, "-0"],
      [NaN, "NaN"],
      [true, "true"],
      [null, "null"],
      [undefined, "undefined"],
      [10n, "10n"],
      [Symbol("s"), "Symbol(s)"],
      [function train() {}, "[Function train]"],
    ];
    for (const [value, text] of cases) expect(await display(value)).toEqual({ mime: MIME.text, data: text });
  });

  it("passes markdown through, but not a look-alike record", async () => {
    expect(await display(markdown("# Losses"))).toEqual({ mime: MIME.markdown, data: "# Losses" });
    expect((await display({ mime: "text/markdown", data: "# x" })).mime).toBe(MIME.json);
  });
});

describe("display: video tensors", () => {
  it("renders a [T,H,W,1] float video as a looping gray GIF at 8 fps, clamping out-of-range values", async () => {
    const video = tf.fill([4, 8, 8, 1], 5); // far above 1: every pixel clamps to white
    const out = await noLeak(() => display(video));
    expect(out.mime).toBe(MIME.gif);
    expect(ascii(out.data, 6)).toBe("GIF89a");
    const gif = parseGif(out.data as Uint8Array);
    expect([gif.width, gif.height, gif.frames.length, gif.loopCount]).toEqual([8, 8, 4, 0]);
    expect(gif.frames[0].delayCs).toBe(13); // 1000 ms / 8 = 125 ms, written in centiseconds
    expect(gif.globalPalette?.[gif.frames[3].indices[0]]).toEqual([255, 255, 255]);
    expect(video.isDisposed).toBe(false); // the cell still owns it
    video.dispose();
  });

  it("tiles a [B,T,H,W,3] batch into one GIF and honours fps", async () => {
    const batch = tf.randomUniform([2, 4, 8, 8, 3], -1, 1) as tf.Tensor5D;
    const out = await noLeak(() => display(batch, { fps: 10 }));
    const bytes = out.data as Uint8Array;
    expect(out.mime).toBe(MIME.gif);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x47, 0x49, 0x46, 0x38]);
    const gif = parseGif(bytes);
    // Two videos side by side with a 1-pixel gap around each: 2·(8+1)+1 wide, 8+2 high.
    expect([gif.width, gif.height, gif.frames.length, gif.frames[0].delayCs]).toEqual([19, 10, 4, 10]);
    batch.dispose();
  });

  it("lets `as` force a summary or a video", async () => {
    const video = tf.zeros([4, 8, 8, 1]);
    const summary = await noLeak(() => display(video, { as: "tensor" }));
    expect(summary.mime).toBe(MIME.tensor);
    expect(summary.data).toMatchObject({ shape: [4, 8, 8, 1], size: 256, min: 0, max: 0, truncated: false });
    video.dispose();

    const ints = tf.zeros([2, 4, 4, 1], "int32"); // int32 is not a video unless asked
    expect((await display(ints)).mime).toBe(MIME.tensor);
    expect((await noLeak(() => display(ints, { as: "video" }))).mime).toBe(MIME.gif);
    ints.dispose();

    const matrix = tf.zeros([3, 3]);
    await expect(display(matrix, { as: "video" })).rejects.toThrow(/cannot show Tensor float32 \[3,3\] as a video/);
    matrix.dispose();
  });
});

describe("display: tensor summaries", () => {
  it("gives shape, statistics over non-NaN values, the NaN count and nested values", async () => {
    const t = tf.tensor2d([
      [1, 2, NaN],
      [4, 5, 6],
    ]);
    const out = await noLeak(() => display(t));
    expect(out.mime).toBe(MIME.tensor);
    const s = out.data as Record<string, unknown>;
    expect(s).toMatchObject({ shape: [2, 3], dtype: "float32", size: 6, min: 1, max: 6, nan: 1, truncated: false });
    expect(s.mean).toBeCloseTo(3.6, 6);
    expect(s.std).toBeCloseTo(Math.sqrt(17.2 / 5), 6); // population std of 1, 2, 4, 5, 6
    expect(s.values).toEqual([
      [1, 2, "NaN"],
      [4, 5, 6],
    ]);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s); // survives JSON
    t.dispose();
  });

  it("previews the first 100 values of a big tensor", async () => {
    const t = tf.tensor2d(Float32Array.from({ length: 2000 }, (_, i) => i), [2, 1000]);
    const s = await noLeak(() => summarizeTensor(t));
    expect(s).toMatchObject({ shape: [2, 1000], size: 2000, min: 0, max: 1999, mean: 999.5, nan: 0, truncated: true });
    expect(s.std).toBeCloseTo(Math.sqrt((2000 ** 2 - 1) / 12), 6);
    expect(s.values).toEqual(Array.from({ length: 100 }, (_, i) => i));
    t.dispose();
  });

  it("handles scalars, bools, infinities and all-NaN tensors", async () => {
    const scalar = tf.scalar(7, "int32");
    expect(await summarizeTensor(scalar)).toMatchObject({ shape: [], dtype: "int32", size: 1, values: 7, std: 0 });
    const bools = tf.tensor1d([true, false, true], "bool");
    expect(await summarizeTensor(bools)).toMatchObject({ values: [true, false, true], min: 0, max: 1 });
    const inf = tf.tensor1d([-Infinity, 1]);
    expect(await summarizeTensor(inf)).toMatchObject({ min: "-Infinity", max: 1, mean: "-Infinity", values: ["-Infinity", 1] });
    const nans = tf.tensor1d([NaN, NaN]);
    expect(await summarizeTensor(nans)).toMatchObject({ min: null, max: null, mean: null, std: null, nan: 2 });
    tf.dispose([scalar, bools, inf, nans]);
  });

  it("says a disposed tensor is disposed instead of throwing", async () => {
    const t = tf.zeros([2, 3]);
    t.dispose();
    expect(await display(t)).toEqual({ mime: MIME.text, data: "Tensor float32 [2,3] (disposed)" });
  });

  it("summarizes typed arrays and number arrays on the host", async () => {
    const f = await display(new Float32Array([1, 3]));
    expect(f).toEqual({
      mime: MIME.tensor,
      data: { shape: [2], dtype: "float32", size: 2, min: 1, max: 3, mean: 2, std: 1, nan: 0, values: [1, 3], truncated: false },
    });
    expect((await display([0.5, NaN, 1.5])).data).toMatchObject({ shape: [3], dtype: "float64", mean: 1, nan: 1 });
    expect((await display(new Uint8Array([1, 2, 3]))).data).toMatchObject({ dtype: "uint8", max: 3 });
  });
});

describe("display: images", () => {
  it("recognizes GIF and PNG bytes by their magic and copies them", async () => {
    const gif = new Uint8Array([...new TextEncoder().encode("GIF89a"), 0, 0]);
    const out = await display(gif);
    expect(out).toEqual({ mime: MIME.gif, data: gif });
    expect(out.data).not.toBe(gif);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]);
    expect((await display(png)).mime).toBe(MIME.png);
  });
});

describe("display: Plotly figures", () => {
  it("detects {data: traces, layout} and makes it JSON-safe without dropping points", async () => {
    const y = Array.from({ length: 500 }, (_, i) => i);
    y[1] = NaN;
    const fig = { data: [{ type: "scatter", x: new Float32Array([1, 2]), y }], layout: { title: { text: "loss" } } };
    const out = await display(fig);
    expect(out.mime).toBe(MIME.plotly);
    const trace = (out.data as { data: { x: unknown; y: unknown[] }[] }).data[0];
    expect(trace.x).toEqual([1, 2]);
    expect(trace.y).toHaveLength(500); // no 200-item cut
    expect(trace.y[1]).toBeNull(); // a gap, as Plotly draws null
    expect((out.data as Record<string, unknown>).layout).toEqual({ title: { text: "loss" } });
  });

  it("leaves objects that merely have a `data` key as JSON", async () => {
    expect(await display({ data: "abc", n: 1 })).toEqual({ mime: MIME.json, data: { data: "abc", n: 1 } });
    expect((await display({ data: [{ id: 1 }], total: 1 })).mime).toBe(MIME.json);
    expect((await display({ data: [{ id: 1 }] })).mime).toBe(MIME.json); // traces plot something
  });
});

describe("display: tables", () => {
  it("makes a table of records with the union of keys in first-seen order", async () => {
    const rows = [
      { a: 1, b: "x" },
      { b: "y", c: true, d: { e: NaN } },
    ];
    expect(await display(rows)).toEqual({
      mime: MIME.table,
      data: {
        columns: ["a", "b", "c", "d"],
        rows: [
          [1, "x", null, null],
          [null, "y", true, { e: "NaN" }],
        ],
      },
    });
  });

  it("makes tables of matrices and Maps", async () => {
    expect((await display([[1, 2], [3]])).data).toEqual({ columns: ["0", "1"], rows: [[1, 2], [3, null]] });
    const m = new Map<unknown, unknown>([
      ["lr", 0.001],
      [2, [1, 2]],
    ]);
    expect(await display(m)).toEqual({ mime: MIME.table, data: { columns: ["key", "value"], rows: [["lr", 0.001], [2, [1, 2]]] } });
  });

  it("falls back to bounded JSON past 10,000 rows", async () => {
    const out = await display(Array.from({ length: 10_001 }, (_, i) => ({ i })));
    expect(out.mime).toBe(MIME.json);
    const items = out.data as unknown[];
    expect(items).toHaveLength(201);
    expect(items[200]).toBe("…9801 more");
  });
});

describe("display: JSON", () => {
  it("marks cycles but not shared objects", async () => {
    const shared = { k: 1 };
    const a: Record<string, unknown> = { shared, again: shared };
    a.self = a;
    expect((await display(a)).data).toEqual({ shared: { k: 1 }, again: { k: 1 }, self: "[Circular]" });
  });

  it("stops at depth 6", async () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 9; i++) deep = { a: deep };
    let node = (await display(deep)).data as Record<string, unknown>;
    for (let i = 0; i < 5; i++) node = node.a as Record<string, unknown>; // levels 0..5 are expanded
    expect(node.a).toBe("[Object]");
    const nested = (await display({ x: [[[[[[[1]]]]]]] })).data;
    expect(JSON.stringify(nested)).toBe('{"x":[[[[["[Array(1)]"]]]]]}');
  });

  it("caps keys and items at 200 with a marker", async () => {
    const wide = Object.fromEntries(Array.from({ length: 205 }, (_, i) => [`k${i}`, i]));
    const out = (await display(wide)).data as Record<string, unknown>;
    expect(Object.keys(out)).toHaveLength(201);
    expect(out.k199).toBe(199);
    expect(out.k200).toBeUndefined();
    expect(out["…"]).toBe("…5 more");
    const long = (await display({ list: Array.from({ length: 250 }, () => "x") })).data as { list: unknown[] };
    expect(long.list.at(-1)).toBe("…50 more");
  });

  it("describes tensors, functions, errors, dates, non-finite numbers and bigints", async () => {
    const t = tf.zeros([2, 3]);
    const value = {
      t,
      f: function step() {},
      e: new RangeError("bad lr"),
      d: new Date(Date.UTC(2024, 0, 2)),
      n: [NaN, Infinity, -Infinity, -0],
      b: 5n,
      u: undefined,
      s: new Set([1]),
    };
    expect((await noLeak(() => display(value))).data).toEqual({
      t: "Tensor float32 [2,3]",
      f: "[Function step]",
      e: { name: "RangeError", message: "bad lr" },
      d: "2024-01-02T00:00:00.000Z",
      n: ["NaN", "Infinity", "-Infinity", 0],
      b: "5n",
      s: [1],
    });
    t.dispose();
  });
});

describe("formatValue", () => {
  it("prints values the way a console would, compactly", () => {
    const t = tf.ones([2, 3]);
    expect(formatValue("plain")).toBe("plain");
    expect(formatValue(-0)).toBe("-0");
    expect(formatValue(1.5)).toBe("1.5");
    expect(formatValue(t)).toBe("Tensor float32 [2,3]");
    expect(formatValue(new TypeError("nope"))).toBe("TypeError: nope");
    expect(formatValue({ a: [1, "x", null], b: NaN })).toBe('{"a":[1,"x",null],"b":"NaN"}');
    expect(formatValue([1, 2])).toBe("[1,2]");
    expect(formatValue(() => 1)).toBe("[Function (anonymous)]");
    t.dispose();
  });

  it("cuts long output at 2000 characters", () => {
    const text = formatValue(Array.from({ length: 150 }, () => "y".repeat(50)));
    expect(text).toHaveLength(2001);
    expect(text.endsWith("…")).toBe(true);
    expect(text.startsWith('["yyy')).toBe(true);
  });
});
