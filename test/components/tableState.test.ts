import { describe, expect, it } from "vitest";
import { DEFAULT_SORT, readTableState, toSearchParams, writeTableState } from "@/components/runs/tableState";

describe("runs table URL state", () => {
  it("reads the filter, sort and hidden columns", () => {
    const s = readTableState(new URLSearchParams("q=status%20%3D%20%22failed%22&sort=-m:loss/d&hide=h:batch&hide=duration"));
    expect(s).toEqual({ q: 'status = "failed"', sort: { column: "m:loss/d", dir: -1 }, hidden: ["h:batch", "duration"] });
  });

  it("falls back to newest first and drops unknown columns", () => {
    expect(readTableState(new URLSearchParams("sort=bogus&hide=x&hide=h:"))).toEqual({ q: "", sort: DEFAULT_SORT, hidden: [] });
  });

  it("round-trips and leaves defaults and other parameters alone", () => {
    const base = new URLSearchParams("tab=runs&q=old");
    expect(writeTableState(base, { q: "", sort: DEFAULT_SORT, hidden: [] }).toString()).toBe("tab=runs");
    const state = { q: 'params.model ~ "gan"', sort: { column: "h:optim.lr" as const, dir: 1 as const }, hidden: ["status" as const] };
    expect(readTableState(writeTableState(base, state))).toEqual(state);
  });

  it("turns a page's searchParams record into URLSearchParams", () => {
    expect(toSearchParams({ q: "a", hide: ["x", "y"], none: undefined }).toString()).toBe("q=a&hide=x&hide=y");
  });
});
