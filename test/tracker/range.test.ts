import { describe, expect, it } from "vitest";
import { parseRange } from "@/lib/tracker/range";

describe("parseRange", () => {
  it("parses the three single-range forms, clamping the end", () => {
    expect(parseRange("bytes=0-99", 1000)).toEqual({ start: 0, end: 99 });
    expect(parseRange("bytes=900-", 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange("bytes=-100", 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange("bytes=-5000", 1000)).toEqual({ start: 0, end: 999 });
    expect(parseRange("bytes=990-5000", 1000)).toEqual({ start: 990, end: 999 });
  });

  it("marks ranges that select nothing or run backwards as unsatisfiable", () => {
    for (const h of ["bytes=1000-", "bytes=2000-3000", "bytes=10-5", "bytes=-0"]) {
      expect(parseRange(h, 1000)).toBe("unsatisfiable");
    }
    expect(parseRange("bytes=0-", 0)).toBe("unsatisfiable");
  });

  it("ignores what it cannot use: no header, other units, several ranges, garbage", () => {
    for (const h of [null, "", "items=0-1", "bytes=0-1,4-5", "bytes=-", "bytes=a-b", "bytes 0-1"]) {
      expect(parseRange(h, 1000)).toBeNull();
    }
  });
});
