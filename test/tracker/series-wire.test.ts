import { describe, expect, it } from "vitest";
import { decodePayload, decodeSeries, encodeSeries, type WireSeries } from "@/lib/tracker/series-wire";

const s = (n: number, total = n): WireSeries => ({
  steps: Float64Array.from({ length: n }, (_, i) => i),
  values: Float64Array.from({ length: n }, (_, i) => (i % 7 === 3 ? NaN : i / 3)),
  times: Float64Array.from({ length: n }, (_, i) => 1.7e12 + i),
  total,
});

describe("series wire format", () => {
  it("round-trips several series, NaN included, with 8-byte aligned arrays", () => {
    const input = new Map([
      ["loss/d", s(10)],
      ["é-key with a longer name", s(3, 99)],
      ["empty", s(0)],
    ]);
    const bytes = encodeSeries(input);
    expect(bytes.byteLength % 8).toBe(0);
    const out = decodeSeries(bytes.buffer as ArrayBuffer);
    expect([...out.keys()]).toEqual([...input.keys()]);
    for (const [key, want] of input) {
      const got = out.get(key)!;
      expect(Array.from(got.steps)).toEqual(Array.from(want.steps));
      expect(Array.from(got.values)).toEqual(Array.from(want.values));
      expect(Array.from(got.times)).toEqual(Array.from(want.times));
      expect(got.total).toBe(want.total);
    }
  });

  it("carries extra header fields, such as an ingest batch number", () => {
    const bytes = encodeSeries([["a", s(2)]], { batch: 12 });
    expect(decodePayload(bytes.buffer as ArrayBuffer).header.batch).toBe(12);
  });

  it("refuses a payload whose length disagrees with its header", () => {
    const bytes = encodeSeries([["a", s(4)]]);
    expect(() => decodeSeries(bytes.slice(0, bytes.length - 8).buffer)).toThrow(/header describes/);
    const longer = new Uint8Array(bytes.length + 8);
    longer.set(bytes);
    expect(() => decodeSeries(longer.buffer)).toThrow(/header describes/);
  });

  it("refuses bytes that are not this format", () => {
    expect(() => decodeSeries(new TextEncoder().encode('{"series":{}}').buffer as ArrayBuffer)).toThrow(/not a zoetrope/);
  });
});
