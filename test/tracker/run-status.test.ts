import { describe, expect, it } from "vitest";
import { HEARTBEAT_TIMEOUT_MS, durationMs, effectiveStatus } from "@/lib/tracker/run-status";

const t0 = Date.parse("2026-11-25T10:00:00Z");
const run = (status: string, beatAgo: number, endedAt: Date | null = null) => ({
  status,
  startedAt: new Date(t0),
  heartbeatAt: new Date(t0 + 600_000 - beatAgo),
  endedAt,
});
const now = t0 + 600_000;

describe("effectiveStatus", () => {
  it("reads a running run as interrupted only after 2 minutes of silence", () => {
    expect(effectiveStatus(run("running", HEARTBEAT_TIMEOUT_MS), now)).toBe("running");
    expect(effectiveStatus(run("running", HEARTBEAT_TIMEOUT_MS + 1), now)).toBe("interrupted");
  });

  it("never changes an ended run", () => {
    for (const s of ["finished", "failed", "interrupted"]) expect(effectiveStatus(run(s, 3_600_000), now)).toBe(s);
  });
});

describe("durationMs", () => {
  it("runs to now while alive, to the last heartbeat when silent, to endedAt when ended", () => {
    expect(durationMs(run("running", 1000), now)).toBe(600_000);
    expect(durationMs(run("running", 300_000), now)).toBe(300_000);
    expect(durationMs(run("finished", 0, new Date(t0 + 42_000)), now)).toBe(42_000);
  });
});
