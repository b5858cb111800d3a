// Server kernels with real Node processes on a real SQLite file: a cell's output and a tracked run the manager ends
// by itself, the scope kept between commands, a page attaching later seeing the notebook as it stands, a stuck
// cell's process replaced without touching the test's own, and a crashed process reported.
import { tempDb } from "../../helpers/temp-db";
import { afterAll, describe, expect, it } from "vitest";
import { DbSink } from "@/lib/runner/cli/db-sink";
import { KernelManager, type KernelMessage } from "@/lib/runner/server/kernel-manager";
import type { KernelCommand, KernelEvent } from "@/lib/runner/protocol";
import { getRun } from "@/lib/tracker/runs";

const manager = new KernelManager();
afterAll(() => manager.shutdownAll());

async function experiment(title: string) {
  const id = await new DbSink(tempDb.dbFile).ensureExperiment(title, "// %%\n");
  return { id, slug: title.toLowerCase(), title };
}

/** Collects a page's messages and waits for one matching. */
function page(kernelId: string, after = 0) {
  const messages: KernelMessage[] = [];
  const waiters: { test: (m: KernelMessage) => boolean; resolve: (m: KernelMessage) => void }[] = [];
  const detach = manager.attach(kernelId, after, (m) => {
    messages.push(m);
    for (const w of [...waiters]) {
      if (!w.test(m)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(m);
    }
  });
  const events = () => messages.flatMap((m) => ("event" in m ? [m.event] : []));
  const next = (test: (m: KernelMessage) => boolean, timeoutMs = 60_000) =>
    new Promise<KernelMessage>((resolve, reject) => {
      const seen = messages.find(test);
      if (seen) return resolve(seen);
      waiters.push({ test, resolve });
      setTimeout(() => reject(new Error(`no such message in ${timeoutMs} ms; got ${JSON.stringify(events().map((e) => e.op))}`)), timeoutMs);
    });
  const event = <O extends KernelEvent["op"]>(op: O, test: (e: Extract<KernelEvent, { op: O }>) => boolean = () => true) =>
    next((m) => "event" in m && m.event.op === op && test(m.event as Extract<KernelEvent, { op: O }>)).then(
      (m) => (m as unknown as { event: Extract<KernelEvent, { op: O }> }).event,
    );
  return { messages, events, next, event, detach: detach! };
}

const send = (id: string, ...commands: KernelCommand[]) => expect(manager.command(id, commands)).toBe(true);

describe("a server kernel", () => {
  it("runs cells in its own process, keeps their scope, and ends the tracked run by itself", { timeout: 120_000 }, async () => {
    const exp = await experiment("Server kernel");
    const { kernel } = manager.open(exp, false);
    const p = page(kernel.id);
    send(kernel.id, { type: "init" }, { type: "start-run", run: { experimentId: exp.id, code: "// %%\n" }, wholeNotebook: true });
    send(kernel.id, { type: "run-cell", cellId: "a", code: "const x = 20 + 1;\nlog({ loss: 0.5 }, 1);\nprocess.pid" });
    send(kernel.id, { type: "run-cell", cellId: "b", code: "x * 2" });
    const info = await p.event("kernel-info");
    console.log(`server kernel backend: ${info.backend}${info.fallbackReason ? ` (${info.fallbackReason})` : ""}`);
    const b = await p.event("output", (e) => e.cellId === "b");
    expect(b.output.data).toBe("42");
    const pid = await p.event("output", (e) => e.cellId === "a");
    expect(Number(pid.output.data)).not.toBe(process.pid);
    const started = await p.event("run-started");
    await p.event("run-ended"); // sent by the manager once both cells were done
    const run = await getRun(started.runId);
    expect(run.status).toBe("finished");
    expect(run.backend).toBe(info.backend);
    await expect.poll(() => manager.get(kernel.id)?.status).toBe("idle");
    p.detach();

    // A page that attaches later sees the cells' latest outputs, and the kernel runs on with the same scope.
    const later = page(kernel.id);
    expect(later.events().filter((e) => e.op === "output").map((e) => e.op === "output" && e.output.data)).toEqual([pid.output.data, "42"]);
    expect(later.events().filter((e) => e.op === "status")).toHaveLength(1);
    send(kernel.id, { type: "start-run", run: { experimentId: exp.id, code: "// %%\n" }, wholeNotebook: false });
    send(kernel.id, { type: "run-cell", cellId: "b", code: "x * 3" });
    expect((await later.event("output", (e) => e.cellId === "b" && e.output.data !== "42")).output.data).toBe("63");
    // The rerun replaced cell b's events in the log; the run recorded nothing and was not "Run all": it is removed.
    const second = await later.event("run-started", (e) => e.runId !== started.runId);
    await later.event("run-ended", (e) => e.runId === second.runId);
    await expect.poll(() => getRun(second.runId).then(() => "kept", () => "removed")).toBe("removed");
    expect(page(kernel.id).events().filter((e) => e.op === "output" && e.cellId === "b")).toHaveLength(1);
    later.detach();
    manager.shutdown(kernel.id);
    expect(manager.get(kernel.id)).toBeUndefined();
  });

  it("is replaced when stuck in synchronous code, and reports a process that dies", { timeout: 120_000 }, async () => {
    const exp = await experiment("Stuck kernel");
    const { kernel } = manager.open(exp, false);
    const p = page(kernel.id);
    send(kernel.id, { type: "init" }, { type: "start-run", run: { experimentId: exp.id, code: "// %%\n" }, wholeNotebook: true });
    send(kernel.id, { type: "run-cell", cellId: "spin", code: "while (true) {}" });
    const started = await p.event("cell-started");
    send(kernel.id, { type: "ping", id: 1 });
    await new Promise((r) => setTimeout(r, 1000));
    expect(p.events().some((e) => e.op === "pong")).toBe(false); // its event loop is blocked
    expect(manager.shutdown(kernel.id)).toBe(true);
    expect(await p.next((m) => "exit" in m)).toEqual({ exit: "the server kernel was shut down" });
    const run = await getRun((await p.event("run-started")).runId);
    await expect.poll(async () => (await getRun(run.id)).status).toBe("interrupted");
    expect(started.cellId).toBe("spin");

    // A cell that ends its own process: the page hears why, and the kernel leaves the list.
    const { kernel: other } = manager.open(exp, true);
    expect(other.id).not.toBe(kernel.id);
    const q = page(other.id);
    send(other.id, { type: "init" }, { type: "run-cell", cellId: "exit", code: "process.exit(3)" });
    expect(await q.next((m) => "exit" in m)).toEqual({ exit: "the server kernel's process exited with code 3" });
    expect(manager.get(other.id)).toBeUndefined();
  });

  it("shuts down a kernel left idle with no page attached, and keeps one a page is attached to", { timeout: 60_000 }, async () => {
    const exp = await experiment("Idle");
    const idle = new KernelManager({ idleMs: 500 });
    const left = idle.open(exp, false).kernel.id;
    const watched = idle.open(exp, false).kernel.id;
    idle.command(left, [{ type: "init" }]);
    idle.command(watched, [{ type: "init" }]);
    const messages: KernelMessage[] = [];
    const detach = idle.attach(watched, 0, (m) => messages.push(m))!;
    await expect.poll(() => idle.get(left), { timeout: 20_000 }).toBeUndefined();
    expect(idle.get(watched)).toBeDefined();
    detach();
    await expect.poll(() => idle.get(watched), { timeout: 20_000 }).toBeUndefined();
    idle.shutdownAll();
  });

  it("joins the running kernel of a notebook when asked to attach", async () => {
    const exp = await experiment("Attach");
    const first = manager.open(exp, true);
    expect(first.attached).toBe(false);
    const again = manager.open(exp, true);
    expect(again).toMatchObject({ attached: true, kernel: { id: first.kernel.id } });
    expect(manager.open(exp, false).kernel.id).not.toBe(first.kernel.id);
    expect(manager.list().filter((k) => k.experiment.id === exp.id)).toHaveLength(2);
    manager.shutdownAll();
    expect(manager.list()).toEqual([]);
  });
});
