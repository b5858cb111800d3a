import { describe, expect, it } from "vitest";
import {
  formatBytes,
  formatEta,
  formatRate,
  formatValues,
  imageSize,
  groupOutputs,
  progressPercent,
  progressText,
  tailLines,
} from "@/components/notebook/outputs/format";
import { groupSamples } from "@/components/notebook/outputs/samples";
import type { CellOutput } from "@/lib/runner/protocol";

describe("rate and time left", () => {
  it("prints steps per second with three significant digits at most", () => {
    expect([formatRate(12.345), formatRate(850.4), formatRate(1234.5), formatRate(0.5), formatRate(3)]).toEqual([
      "12.3 it/s",
      "850 it/s",
      "1235 it/s",
      "0.5 it/s",
      "3 it/s",
    ]);
  });

  it("turns slow rates into seconds per step", () => {
    expect(formatRate(0.25)).toBe("4 s/it");
    expect(formatRate(1 / 12.5)).toBe("12.5 s/it");
  });

  it("prints nothing for an unknown, zero or non-finite rate", () => {
    expect([formatRate(undefined), formatRate(0), formatRate(NaN), formatRate(Infinity), formatRate(-1)]).toEqual(["", "", "", "", ""]);
  });

  it("prints the time left as a clock", () => {
    expect([formatEta(0), formatEta(42), formatEta(41.6), formatEta(725), formatEta(3723), formatEta(36000)]).toEqual([
      "0:00",
      "0:42",
      "0:42",
      "12:05",
      "1:02:03",
      "10:00:00",
    ]);
    expect([formatEta(undefined), formatEta(NaN), formatEta(Infinity), formatEta(-1)]).toEqual(["", "", "", ""]);
  });
});

describe("progress", () => {
  it("reads done/total, percentage, rate and time left", () => {
    expect(progressText({ id: "a", done: 340, total: 1000, rate: 12.34, eta: 42 })).toBe("340 / 1,000 · 34% · 12.3 it/s, 0:42 left");
  });

  it("has no percentage or time left without a total", () => {
    expect(progressText({ id: "a", done: 340, rate: 12.34 })).toBe("340 · 12.3 it/s");
    expect(progressPercent({ id: "a", done: 340 })).toBeNull();
  });

  it("drops the time left once done and clamps the percentage", () => {
    expect(progressText({ id: "a", done: 10, total: 10, rate: 5, eta: 0 })).toBe("10 / 10 · 100% · 5 it/s");
    expect(progressPercent({ id: "a", done: 12, total: 10 })).toBe(100);
  });

  it("shows tenths of a percent at the start of a long run and never rounds up to done", () => {
    expect(progressPercent({ id: "a", done: 37, total: 10_000 })).toBe(0.3);
    expect(progressPercent({ id: "a", done: 9999, total: 10_000 })).toBe(99);
  });
});

describe("bytes", () => {
  it("prints sizes in B, KB and MB", () => {
    expect([formatBytes(812), formatBytes(9728), formatBytes(14_540), formatBytes(3_250_000), formatBytes(200 * 1024)]).toEqual([
      "812 B",
      "9.5 KB",
      "14 KB",
      "3.1 MB",
      "200 KB",
    ]);
  });
});

const out = (channel: CellOutput["channel"], data: CellOutput["data"], mime = "text/plain"): CellOutput => ({ channel, mime, data, time: 0 });

describe("grouping outputs", () => {
  it("merges consecutive chunks of one stream and keeps the first chunk's index as the key", () => {
    const items = groupOutputs([
      out("stdout", "a\n"),
      out("stdout", "b\n"),
      out("stderr", "warn\n"),
      out("stdout", "c\n"),
      out("display", "shown"),
      out("display", "again"),
    ]);
    expect(items).toEqual([
      { kind: "stream", key: 0, channel: "stdout", text: "a\nb\n" },
      { kind: "stream", key: 2, channel: "stderr", text: "warn\n" },
      { kind: "stream", key: 3, channel: "stdout", text: "c\n" },
      { kind: "output", key: 4, output: out("display", "shown") },
      { kind: "output", key: 5, output: out("display", "again") },
    ]);
  });

  it("does not merge an error into the stderr text before it", () => {
    const error = { ...out("stderr", { name: "Error", message: "x" }), mime: "application/vnd.zoetrope.error+json" };
    expect(groupOutputs([out("stderr", "w\n"), error]).map((i) => i.kind)).toEqual(["stream", "output"]);
  });
});

describe("long text", () => {
  it("keeps the last lines and counts the ones before", () => {
    const text = Array.from({ length: 10 }, (_, i) => `line ${i}\n`).join("");
    expect(tailLines(text, 3)).toEqual({ shown: "line 7\nline 8\nline 9\n", hidden: 7 });
    expect(tailLines(text.slice(0, -1), 3)).toEqual({ shown: "line 7\nline 8\nline 9", hidden: 7 });
  });

  it("keeps short text whole", () => {
    expect(tailLines("a\nb\n", 2)).toEqual({ shown: "a\nb\n", hidden: 0 });
    expect(tailLines("a\nb", 2)).toEqual({ shown: "a\nb", hidden: 0 });
    expect(tailLines("", 2)).toEqual({ shown: "", hidden: 0 });
  });
});

describe("tensor values", () => {
  it("prints a vector on one line, a matrix a row a line, and deeper levels apart", () => {
    expect(formatValues([1, 2.5, 0.123456])).toBe("[1, 2.5, 0.1235]");
    expect(formatValues([[1, 2], [3, 4]])).toBe("[[1, 2],\n [3, 4]]");
    expect(formatValues([[[1], [2]], [[3], [4]]])).toBe("[[[1],\n  [2]],\n\n [[3],\n  [4]]]");
  });

  it("keeps JSON's stand-ins for non-finite numbers, booleans and scalars", () => {
    expect(formatValues([1, "NaN", "-Infinity"])).toBe("[1, NaN, -Infinity]");
    expect(formatValues([true, false])).toBe("[true, false]");
    expect(formatValues(3.14159)).toBe("3.142");
  });
});

describe("image size", () => {
  it("reads a GIF's logical screen and a PNG's IHDR", () => {
    const gif = Uint8Array.of(0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 64, 0, 0x20, 0x01);
    expect(imageSize(gif)).toEqual({ width: 64, height: 288 });
    const png = new Uint8Array(24);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    png.set([0, 0, 1, 0, 0, 0, 0, 48], 16);
    expect(imageSize(png)).toEqual({ width: 256, height: 48 });
    expect(imageSize(Uint8Array.of(1, 2, 3))).toBeNull();
  });
});

describe("samples", () => {
  it("groups samples by key in first-seen order, each sorted by step", () => {
    const s = (key: string, step: number, time: number) => ({ key, step, mime: "image/gif", data: new Uint8Array(), time });
    const groups = groupSamples([s("a", 20, 1), s("b", 5, 2), s("a", 10, 3), s("a", 20, 4)]);
    expect(groups.map(([k, items]) => [k, items.map((x) => [x.step, x.time])])).toEqual([
      ["a", [[10, 3], [20, 1], [20, 4]]],
      ["b", [[5, 2]]],
    ]);
  });
});
