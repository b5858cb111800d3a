import { describe, expect, it } from "vitest";
import { iterateWithProgress, lengthOf, ProgressState } from "@/lib/runner/kernel/progress";
import type { Progress } from "@/lib/runner/protocol";

/** A bar on a hand-moved clock, and every record it sends. */
function bar(total: number | undefined, label?: string, minIntervalMs = 100) {
  const clock = { t: 1000 };
  const sent: Progress[] = [];
  const state = new ProgressState("7.1", total, label, (p) => sent.push(p), () => clock.t, minIntervalMs);
  return { state, sent, clock };
}

describe("ProgressState", () => {
  it("sends its first record when created", () => {
    const { sent } = bar(100, "train");
    expect(sent).toEqual([{ id: "7.1", done: 0, total: 100, label: "train" }]);
  });

  it("leaves total and label out when there are none", () => {
    const { sent } = bar(undefined);
    expect(sent).toEqual([{ id: "7.1", done: 0 }]);
  });

  it("counts the rate from the first update, not from creation", () => {
    const { state, sent, clock } = bar(100);
    clock.t = 61_000; // a minute of warm-up before the first step lands
    state.update(10);
    expect(sent.at(-1)).toEqual({ id: "7.1", done: 10, total: 100 }); // no rate from a single sample
    clock.t = 63_000;
    state.update(30); // 20 steps in 2 s
    expect(sent.at(-1)).toEqual({ id: "7.1", done: 30, total: 100, rate: 10, eta: 7 });
  });

  it("estimates the time left from the rate", () => {
    const { state, clock } = bar(1000);
    state.update(0);
    clock.t += 4000;
    state.update(200); // 50/s, 800 left
    expect(state.snapshot()).toMatchObject({ rate: 50, eta: 16 });
    clock.t += 1000;
    state.update(200); // no progress for a second: the average falls
    expect(state.snapshot()).toMatchObject({ rate: 40, eta: 20 });
  });

  it("has no ETA without a total, but a rate", () => {
    const { state, clock } = bar(undefined);
    state.update(0);
    clock.t += 500;
    state.tick(5);
    expect(state.snapshot()).toEqual({ id: "7.1", done: 5, rate: 10 });
  });

  it("sends at most one record per minIntervalMs while running", () => {
    const { state, sent, clock } = bar(1000, undefined, 100);
    clock.t += 200;
    state.update(1); // 200 ms after the creation record: sent
    expect(sent).toHaveLength(2);
    for (let i = 2; i <= 10; i++) {
      clock.t += 10;
      state.update(i); // 10..90 ms after the last send: held
    }
    expect(sent).toHaveLength(2);
    expect(state.snapshot().done).toBe(10);
    clock.t += 10; // 100 ms after the last send
    state.update(11);
    expect(sent).toHaveLength(3);
    expect(sent.at(-1)!.done).toBe(11);
    clock.t += 99;
    state.tick();
    expect(sent).toHaveLength(3);
  });

  it("always sends the start, the completing update, finish() and flush()", () => {
    const { state, sent, clock } = bar(3, undefined, 1_000_000);
    state.update(1);
    state.update(2);
    expect(sent.map((p) => p.done)).toEqual([0]);
    clock.t += 1;
    state.update(3); // done === total: sent although the interval has not passed
    expect(sent.map((p) => p.done)).toEqual([0, 3]);
    state.finish();
    state.flush();
    expect(sent.map((p) => p.done)).toEqual([0, 3, 3, 3]);
    expect(sent.at(-1)).toMatchObject({ done: 3, total: 3, eta: 0 });
  });

  it("flush() sends the held value so the last state shows", () => {
    const { state, sent } = bar(100, undefined, 1_000_000);
    state.update(40);
    state.update(41);
    expect(sent.at(-1)!.done).toBe(0);
    state.flush();
    expect(sent.at(-1)!.done).toBe(41);
  });

  it("finish() completes a bar with a total and keeps the count of one without", () => {
    const withTotal = bar(50);
    withTotal.state.update(20);
    withTotal.state.finish();
    expect(withTotal.sent.at(-1)!.done).toBe(50);

    const open = bar(undefined);
    open.state.update(20);
    open.state.finish();
    expect(open.sent.at(-1)).toEqual(expect.objectContaining({ done: 20 }));
    expect(open.sent.at(-1)!.total).toBeUndefined();
  });

  it("tick() adds to the count", () => {
    const { state } = bar(10);
    state.tick();
    state.tick(4);
    expect(state.snapshot().done).toBe(5);
  });

  it.each([-1, NaN, Infinity, -Infinity])("refuses a total of %s", (total) => {
    expect(() => new ProgressState("x", total, undefined, () => {})).toThrow(RangeError);
    expect(() => new ProgressState("x", total, undefined, () => {})).toThrow(/total must be a number ≥ 0/);
  });

  it("accepts a total of 0", () => {
    const { sent } = bar(0);
    expect(sent).toEqual([{ id: "7.1", done: 0, total: 0 }]);
  });

  it.each([NaN, Infinity])("refuses an update to %s", (done) => {
    const { state } = bar(10);
    expect(() => state.update(done)).toThrow(/done must be a finite number/);
    expect(state.snapshot().done).toBe(0);
  });
});

describe("iterateWithProgress", () => {
  it("yields an array's items and moves the bar to its length", () => {
    const items = ["a", "b", "c"];
    const { state, sent } = bar(lengthOf(items), undefined, 0);
    const seen: [string, number][] = [];
    for (const item of iterateWithProgress(items, state)) seen.push([item, state.snapshot().done]);
    // Each item is counted once the loop body that used it is done.
    expect(seen).toEqual([["a", 0], ["b", 1], ["c", 2]]);
    expect(sent.map((p) => [p.done, p.total])).toEqual([[0, 3], [1, 3], [2, 3], [3, 3], [3, 3]]);
  });

  it("counts a generator's items with no total", () => {
    function* gen() {
      yield 10;
      yield 20;
      yield 30;
      yield 40;
    }
    const items = gen();
    expect(lengthOf(items)).toBeUndefined();
    const { state, sent } = bar(lengthOf(items), "gen", 0);
    expect([...iterateWithProgress(items, state)]).toEqual([10, 20, 30, 40]);
    expect(sent.at(-1)).toEqual({ id: "7.1", done: 4, label: "gen" });
    expect(sent.every((p) => p.total === undefined)).toBe(true);
  });

  it("does not finish a bar the loop left early", () => {
    const { state, sent } = bar(5, undefined, 0);
    for (const n of iterateWithProgress([1, 2, 3, 4, 5], state)) if (n === 2) break;
    expect(state.snapshot().done).toBe(1);
    expect(sent.at(-1)!.done).toBe(1);
  });
});

describe("lengthOf", () => {
  it("knows arrays, typed arrays, sets and maps, and not iterators", () => {
    expect(lengthOf([1, 2, 3])).toBe(3);
    expect(lengthOf(new Float32Array(7))).toBe(7);
    expect(lengthOf(new Set([1, 2]))).toBe(2);
    expect(lengthOf(new Map([[1, 2]]))).toBe(1);
    expect(lengthOf([1, 2].values())).toBeUndefined();
  });
});
