import { describe, expect, it } from "vitest";
import { emptyColumns } from "@/lib/tracker/columns";
import type { SeriesResult } from "@/lib/tracker/metrics";
import { seriesJsonPieces, seriesJsonStream } from "@/lib/tracker/series-json";

function series(n: number): SeriesResult {
  const c = emptyColumns(n);
  for (let i = 0; i < n; i++) {
    c.steps[i] = i;
    c.values[i] = i % 1000 === 7 ? NaN : i / 7;
    c.times[i] = 1.7e12 + i;
  }
  return { ...c, total: n + 1 };
}

describe("series JSON", () => {
  it("prints what JSON.stringify would, across piece boundaries, NaN as null", () => {
    const map = new Map([
      ["a", series(150_000)],
      ['quote"key', series(3)],
      ["empty", series(0)],
    ]);
    const parsed = JSON.parse([...seriesJsonPieces(map)].join(""));
    for (const [key, s] of map) {
      expect(parsed.series[key]).toEqual({
        steps: Array.from(s.steps),
        values: Array.from(s.values, (v) => (Number.isNaN(v) ? null : v)),
        times: Array.from(s.times),
        total: s.total,
      });
    }
  });

  it("streams valid UTF-8 JSON for no series at all", async () => {
    expect(await new Response(seriesJsonStream(new Map())).json()).toEqual({ series: {} });
  });
});
