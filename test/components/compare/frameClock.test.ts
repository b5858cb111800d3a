import { describe, expect, it } from "vitest";
import { clockFrame, newClock, pause, play, seek, wrapFrame } from "@/components/compare/frameClock";

describe("shared frame clock", () => {
  it("advances one frame per frame duration while playing", () => {
    const c = newClock(80, 1000);
    expect(clockFrame(c, 1000)).toBe(0);
    expect(clockFrame(c, 1079)).toBe(0);
    expect(clockFrame(c, 1080)).toBe(1);
    expect(clockFrame(c, 1000 + 80 * 37 + 5)).toBe(37);
  });

  it("holds the frame while paused and resumes from it", () => {
    let c = newClock(100, 0);
    c = pause(c, 350);
    expect(clockFrame(c, 350)).toBe(3);
    expect(clockFrame(c, 10_000)).toBe(3);
    c = play(c, 10_000);
    expect(clockFrame(c, 10_000)).toBe(3);
    expect(clockFrame(c, 10_100)).toBe(4);
  });

  it("seeks while paused and while playing", () => {
    let c = pause(newClock(100, 0), 0);
    c = seek(c, 7, 500);
    expect(clockFrame(c, 9_999)).toBe(7);
    c = seek(play(c, 1000), 2, 2000);
    expect(clockFrame(c, 2000)).toBe(2);
    expect(clockFrame(c, 2250)).toBe(4);
  });

  it("is idempotent: pausing a paused clock or playing a playing one changes nothing", () => {
    const c = newClock(50, 0);
    expect(play(c, 999)).toBe(c);
    const p = pause(c, 120);
    expect(pause(p, 5000)).toBe(p);
  });

  it("wraps the shared index to each video's own length", () => {
    expect([0, 15, 16, 17, 33].map((k) => wrapFrame(k, 16))).toEqual([0, 15, 0, 1, 1]);
    expect(wrapFrame(5, 0)).toBe(0);
  });
});
