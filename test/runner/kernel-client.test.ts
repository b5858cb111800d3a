// KernelClient's own state machine, with a fake Worker that records what it is sent: when an interrupt ends in
// termination, what restart and a crash emit, which tracked run gets ended, and that a replaced worker is ignored.
// The real worker and kernel are driven in test/browser/kernel-worker.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { afterGrace, KernelClient, STUCK_REASON, type InterruptSnapshot } from "../../lib/runner/kernel-client";
import type { KernelCommand, KernelEvent } from "../../lib/runner/protocol";

class FakeWorker {
  sent: KernelCommand[] = [];
  terminated = false;
  private listeners = new Map<string, ((e: unknown) => void)[]>();

  postMessage(message: KernelCommand): void {
    this.sent.push(message);
  }

  terminate(): void {
    this.terminated = true;
  }

  addEventListener(type: string, listener: (e: unknown) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  /** The worker posts an event to the page. */
  emit(event: KernelEvent): void {
    for (const l of this.listeners.get("message") ?? []) l({ data: event });
  }

  /** The worker dies with an uncaught error. */
  crash(message: string): void {
    for (const l of this.listeners.get("error") ?? []) l({ message, preventDefault: () => {} });
  }
}

let workers: FakeWorker[];
let events: KernelEvent[];
let fetchMock: ReturnType<typeof vi.fn>;

function client(opts: { interruptGraceMs?: number; trackerUrl?: string } = {}): KernelClient {
  return new KernelClient({
    createWorker: () => {
      const w = new FakeWorker();
      workers.push(w);
      return w as unknown as Worker;
    },
    backend: "wasm",
    onEvent: (e) => events.push(e),
    ...opts,
  });
}

/** The last worker, started and idle. */
function ready(): FakeWorker {
  const w = workers.at(-1)!;
  w.emit({ op: "kernel-info", backend: "wasm" });
  w.emit({ op: "status", status: "idle" });
  return w;
}

const replaced = () => events.filter((e) => e.op === "kernel-replaced");

beforeEach(() => {
  vi.useFakeTimers();
  workers = [];
  events = [];
  fetchMock = vi.fn(() => Promise.resolve(new Response("{}")));
  vi.stubGlobal("fetch", fetchMock);
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("afterGrace", () => {
  const at: InterruptSnapshot = { worker: 1, status: "busy", idles: 3, pongs: 2 };
  it("is stuck only for the same worker, busy at the interrupt, neither idle nor answering since", () => {
    expect(afterGrace(at, { ...at })).toBe("stuck");
    expect(afterGrace(at, { ...at, pongs: 3 })).toBe("wait"); // busy but its event loop answers: a long step
    expect(afterGrace(at, { ...at, idles: 4, status: "busy" })).toBe("done"); // stopped, then the next cell
    expect(afterGrace(at, { ...at, worker: 2 })).toBe("done"); // already replaced
    expect(afterGrace({ ...at, status: "idle" }, { ...at, status: "idle" })).toBe("done");
  });
});

describe("KernelClient", () => {
  it("starts a worker with init and forwards commands", () => {
    const c = client({ trackerUrl: "http://tracker" });
    expect(workers).toHaveLength(1);
    expect(workers[0].sent[0]).toEqual({ type: "init", backend: "wasm", trackerUrl: "http://tracker" });
    expect(c.status).toBe("starting");
    c.send({ type: "run-cell", cellId: "a", code: "1" });
    expect(workers[0].sent[1]).toEqual({ type: "run-cell", cellId: "a", code: "1" });
    ready();
    expect(c.status).toBe("idle");
    expect(events.map((e) => e.op)).toEqual(["status", "kernel-info", "status"]);
  });

  it("tracks busy/idle and the current run", () => {
    const c = client();
    const w = ready();
    w.emit({ op: "status", status: "busy" });
    expect(c.busy).toBe(true);
    w.emit({ op: "run-started", runId: "r1", name: "brave-otter" });
    expect(c.runId).toBe("r1");
    w.emit({ op: "run-ended", runId: "r1", status: "finished" });
    expect(c.runId).toBeUndefined();
    w.emit({ op: "status", status: "idle" });
    expect(c.busy).toBe(false);
  });

  it("keeps the worker when the interrupted cell stops within the grace period", () => {
    const c = client({ interruptGraceMs: 1000 });
    const w = ready();
    w.emit({ op: "status", status: "busy" });
    c.interrupt();
    expect(w.sent.slice(-2)).toEqual([{ type: "interrupt" }, { type: "ping", id: 1 }]);
    vi.advanceTimersByTime(400);
    w.emit({ op: "status", status: "idle" });
    w.emit({ op: "status", status: "busy" }); // the next cell: a new run, not the stuck one
    vi.advanceTimersByTime(5000);
    expect(w.terminated).toBe(false);
    expect(workers).toHaveLength(1);
    expect(replaced()).toEqual([]);
  });

  it("sends the interrupt but sets no deadline when the kernel is idle", () => {
    const c = client({ interruptGraceMs: 1000 });
    const w = ready();
    c.interrupt();
    expect(w.sent.at(-1)).toEqual({ type: "interrupt" });
    vi.advanceTimersByTime(5000);
    expect(w.terminated).toBe(false);
  });

  it("waits on a busy kernel that still answers pings (a long step that awaits), then replaces it once it stops answering", () => {
    const c = client({ interruptGraceMs: 1000 });
    const w = ready();
    w.emit({ op: "status", status: "busy" });
    c.interrupt();
    w.emit({ op: "pong", id: 1 });
    vi.advanceTimersByTime(1000);
    expect(w.terminated).toBe(false);
    expect(w.sent.at(-1)).toEqual({ type: "ping", id: 2 }); // asked again
    expect(events.some((e) => e.op === "pong")).toBe(false); // the client's own question stays with it
    vi.advanceTimersByTime(1000); // no answer to the second ping: blocked now
    expect(w.terminated).toBe(true);
    expect(replaced()).toEqual([{ op: "kernel-replaced", reason: STUCK_REASON }]);
    expect(c.status).toBe("starting");
  });

  it("terminates a kernel still busy after the grace period, ends its run as interrupted, and starts a fresh one", () => {
    const c = client({ interruptGraceMs: 1000, trackerUrl: "http://tracker/" });
    const w = ready();
    w.emit({ op: "run-started", runId: "r1", name: "n" });
    w.emit({ op: "status", status: "busy" });
    c.interrupt();
    vi.advanceTimersByTime(600);
    c.interrupt(); // a second click does not push the deadline back
    vi.advanceTimersByTime(399);
    expect(w.terminated).toBe(false);
    events = [];
    vi.advanceTimersByTime(1);
    expect(w.terminated).toBe(true);
    expect(events.slice(0, 2)).toEqual([
      { op: "status", status: "dead" },
      { op: "kernel-replaced", reason: STUCK_REASON },
    ]);
    expect(STUCK_REASON).toMatch(/stuck in synchronous code; the kernel was restarted and every variable was lost$/);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe("http://tracker/api/runs/r1");
    expect(init.method).toBe("PATCH");
    expect(JSON.parse(init.body as string)).toEqual({ status: "interrupted", error: STUCK_REASON });
    expect(c.runId).toBeUndefined();
    // The fresh worker gets init and nothing else.
    expect(workers).toHaveLength(2);
    expect(workers[1].sent).toEqual([{ type: "init", backend: "wasm", trackerUrl: "http://tracker/" }]);
    expect(c.status).toBe("starting");
  });

  it("ignores whatever a replaced worker still sends", () => {
    const c = client({ interruptGraceMs: 10 });
    const old = ready();
    old.emit({ op: "status", status: "busy" });
    c.interrupt();
    vi.advanceTimersByTime(10);
    events = [];
    old.emit({ op: "status", status: "idle" });
    old.crash("late");
    expect(events).toEqual([]);
    expect(workers).toHaveLength(2);
  });

  it("restart terminates at once and ends the run as finished", () => {
    const c = client();
    const w = ready();
    w.emit({ op: "run-started", runId: "r2", name: "n" });
    w.emit({ op: "status", status: "busy" });
    events = [];
    c.restart();
    expect(w.terminated).toBe(true);
    expect(events.slice(0, 2)).toEqual([
      { op: "status", status: "dead" },
      { op: "kernel-replaced", reason: "restarted" },
    ]);
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe("/api/runs/r2"); // no trackerUrl: the page's own origin
    expect(JSON.parse(init.body as string)).toEqual({ status: "finished" });
    expect(workers).toHaveLength(2);
  });

  it("does not call the tracker when no run is being recorded", () => {
    const c = client();
    ready();
    c.restart();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("ignores a tracker that cannot be reached", async () => {
    fetchMock.mockImplementation(() => Promise.reject(new TypeError("fetch failed")));
    const c = client();
    ready().emit({ op: "run-started", runId: "r3", name: "n" });
    c.restart();
    await vi.runAllTimersAsync(); // an unhandled rejection would fail the test run
    expect(workers).toHaveLength(2);
  });

  it("replaces a worker that crashes after starting, ending its run as failed", () => {
    client();
    const w = ready();
    w.emit({ op: "run-started", runId: "r4", name: "n" });
    events = [];
    w.crash("out of memory");
    expect(w.terminated).toBe(true);
    expect(events[0]).toEqual({ op: "status", status: "dead" });
    expect(events[1]).toMatchObject({ op: "kernel-replaced", reason: expect.stringContaining("out of memory") });
    expect(JSON.parse((fetchMock.mock.calls[0] as [string, RequestInit])[1].body as string)).toEqual({
      status: "failed",
      error: "out of memory",
    });
    expect(workers).toHaveLength(2);
  });

  it("does not restart a worker that fails before its kernel started (it would fail again, forever)", () => {
    const c = client();
    workers[0].crash("");
    expect(workers).toHaveLength(1);
    expect(c.status).toBe("dead");
    expect(events.slice(-2)).toEqual([
      { op: "warning", message: "the kernel could not start: the kernel worker failed" },
      { op: "status", status: "dead" },
    ]);
    c.restart(); // the user can still ask for another try
    expect(workers).toHaveLength(2);
  });

  it("dispose terminates the worker and stops everything", () => {
    const c = client({ interruptGraceMs: 10 });
    const w = ready();
    w.emit({ op: "status", status: "busy" });
    c.interrupt();
    c.dispose();
    vi.advanceTimersByTime(100);
    expect(w.terminated).toBe(true);
    expect(workers).toHaveLength(1);
    events = [];
    w.emit({ op: "status", status: "idle" });
    c.send({ type: "interrupt" });
    expect(events).toEqual([]);
    expect(w.sent.at(-1)).toEqual({ type: "ping", id: 1 }); // from interrupt(), not the later send
    expect(w.sent.filter((m) => m.type === "interrupt")).toHaveLength(1);
  });
});
