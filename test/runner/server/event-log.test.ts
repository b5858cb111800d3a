// What a server kernel keeps for pages that attach later: each cell's latest run, the latest status and run.
import { describe, expect, it } from "vitest";
import type { KernelEvent } from "@/lib/runner/protocol";
import { EventLog } from "@/lib/runner/server/event-log";

const output = (cellId: string, exec: number, data: string): KernelEvent => ({
  op: "output",
  cellId,
  exec,
  output: { channel: "display", mime: "text/plain", data, time: 0 },
});

describe("EventLog", () => {
  it("keeps each cell's latest run and the latest of each kernel-wide event", () => {
    const log = new EventLog();
    log.append({ op: "status", status: "busy" });
    log.append({ op: "cell-started", cellId: "a", exec: 1, time: 0 });
    log.append(output("a", 1, "first"));
    log.append({ op: "cell-started", cellId: "b", exec: 2, time: 0 });
    log.append(output("b", 2, "b"));
    log.append({ op: "pong", id: 1 });
    log.append({ op: "cell-started", cellId: "a", exec: 3, time: 0 });
    const last = log.append(output("a", 3, "second"));
    log.append({ op: "status", status: "idle" });
    const kept = log.since(0).map((e) => e.event);
    expect(kept.filter((e) => e.op === "output").map((e) => e.op === "output" && e.output.data)).toEqual(["b", "second"]);
    expect(kept.filter((e) => e.op === "status")).toEqual([{ op: "status", status: "idle" }]);
    expect(kept.some((e) => e.op === "pong")).toBe(false);
    expect(log.since(last.seq).map((e) => e.event)).toEqual([{ op: "status", status: "idle" }]);
    log.forgetCell("b");
    expect(log.since(0).some((e) => "cellId" in e.event && e.event.cellId === "b")).toBe(false);
  });

  it("keeps the last 20 warnings", () => {
    const log = new EventLog();
    for (let i = 0; i < 30; i++) log.append({ op: "warning", message: `w${i}` });
    expect(log.since(0).map((e) => e.event.op === "warning" && e.event.message)).toEqual(Array.from({ length: 20 }, (_, i) => `w${i + 10}`));
  });
});
