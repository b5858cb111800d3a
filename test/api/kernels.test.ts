// The server kernel routes, called in-process as Next would, with real kernel processes: open, command, events as
// Server-Sent Events, shut down; and who is refused: a server that listens beyond loopback without a password, a
// page of another origin, a share link, a visitor without a session in login mode.
import { tempDb } from "../helpers/temp-db";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import * as commands from "@/app/api/kernels/[id]/commands/route";
import * as events from "@/app/api/kernels/[id]/events/route";
import * as kernel from "@/app/api/kernels/[id]/route";
import * as kernels from "@/app/api/kernels/route";
import * as sharedCatchAll from "@/app/s/[token]/api/[[...slug]]/route";
import { kernels as manager } from "@/lib/runner/server/kernels";
import type { KernelEvent } from "@/lib/runner/protocol";
import { decodeWire } from "@/lib/runner/wire";
import { proxy } from "@/proxy";
import { bodyOf, call, noParams } from "./http";
import { newExperiment } from "./setup";

void tempDb;
afterAll(() => manager().shutdownAll());
afterEach(() => {
  delete process.env.HOST;
  delete process.env.ZOETROPE_PASSWORD;
});

/** Reads Server-Sent Events from a response until `until` holds for one, and returns them all. */
async function readEvents(res: Response, until: (e: KernelEvent) => boolean): Promise<KernelEvent[]> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const seen: KernelEvent[] = [];
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the stream ended after ${seen.map((e) => e.op).join(", ")}`);
    buffer += value;
    const blocks = buffer.split("\n\n");
    buffer = blocks.pop()!;
    for (const block of blocks) {
      const data = block.split("\n").find((l) => l.startsWith("data: "));
      if (!data || block.startsWith("event: ")) continue;
      const event = decodeWire<KernelEvent>(data.slice(6));
      seen.push(event);
      if (until(event)) {
        await reader.cancel();
        return seen;
      }
    }
  }
}

describe("server kernel routes", () => {
  it("open a kernel, take its commands and stream its events, and shut it down", { timeout: 120_000 }, async () => {
    const experimentId = await newExperiment("Kernel routes");
    const opened = await call(kernels.POST, "POST", "/api/kernels", noParams, { body: { experimentId, attach: true } });
    expect(opened.status).toBe(201);
    const { kernel: k } = await bodyOf(opened);
    const params = { id: k.id };
    const sent = await call(commands.POST, "POST", `/api/kernels/${k.id}/commands`, params, {
      body: { commands: [{ type: "init" }, { type: "run-cell", cellId: "c", code: "new Uint8Array([1, 2, 3])" }] },
    });
    expect(sent.status).toBe(202);
    const stream = await call(events.GET, "GET", `/api/kernels/${k.id}/events`, params);
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    const seen = await readEvents(stream, (e) => e.op === "cell-finished");
    expect(seen.map((e) => e.op)).toContain("kernel-info");
    expect(seen.find((e) => e.op === "cell-finished")).toMatchObject({ outcome: "ok" });

    // Attaching again joins it; the list shows it; Last-Event-ID resumes after what was seen.
    expect(await bodyOf(await call(kernels.POST, "POST", "/api/kernels", noParams, { body: { experimentId, attach: true } }))).toMatchObject({
      attached: true,
      kernel: { id: k.id },
    });
    expect((await bodyOf(await call(kernels.GET, "GET", "/api/kernels", noParams))).kernels.map((x: { id: string }) => x.id)).toContain(k.id);

    // A malformed command is refused before it reaches the kernel.
    const bad = await call(commands.POST, "POST", `/api/kernels/${k.id}/commands`, params, { body: { commands: [{ type: "run-cell", code: 1 }] } });
    expect(bad.status).toBe(422);
    expect((await bodyOf(bad)).error.code).toBe("invalid_input");

    expect((await call(kernel.DELETE, "DELETE", `/api/kernels/${k.id}`, params)).status).toBe(204);
    expect((await call(kernel.GET, "GET", `/api/kernels/${k.id}`, params)).status).toBe(404);
    expect((await call(events.GET, "GET", `/api/kernels/${k.id}/events`, params)).status).toBe(404);
    expect((await call(commands.POST, "POST", `/api/kernels/${k.id}/commands`, params, { body: { commands: [{ type: "interrupt" }] } })).status).toBe(404);
  });

  it("refuses everything on a server listening beyond loopback without a password", async () => {
    process.env.HOST = "0.0.0.0";
    const experimentId = await newExperiment("Open server");
    for (const res of [
      await call(kernels.GET, "GET", "/api/kernels", noParams),
      await call(kernels.POST, "POST", "/api/kernels", noParams, { body: { experimentId } }),
      await call(events.GET, "GET", "/api/kernels/x/events", { id: "x" }),
    ]) {
      expect(res.status).toBe(403);
      expect((await bodyOf(res)).error.message).toMatch(/need login mode \(ZOETROPE_PASSWORD\) on a server listening on 0\.0\.0\.0/);
    }
    expect(manager().list()).toEqual([]);
    // With a password they are available again (the login wall then guards them).
    process.env.ZOETROPE_PASSWORD = "a-long-password";
    expect((await call(kernels.GET, "GET", "/api/kernels", noParams)).status).toBe(200);
  });

  it("refuses another origin's page, reads included", async () => {
    const res = await call(events.GET, "GET", "/api/kernels/x/events", { id: "x" }, { headers: { "sec-fetch-site": "cross-site" } });
    expect(res.status).toBe(403);
    expect((await bodyOf(res)).error.message).toBe("cross-origin request refused: Sec-Fetch-Site is cross-site");
    const post = await call(kernels.POST, "POST", "/api/kernels", noParams, { body: { experimentId: "x" }, headers: { origin: "http://evil.example" } });
    expect(post.status).toBe(403);
  });

  it("is out of a share link's reach, and behind the login wall in login mode", async () => {
    const shared = await call(sharedCatchAll.GET, "GET", "/s/token/api/kernels", { token: "token", slug: ["kernels"] });
    expect(shared.status).toBe(404);
    process.env.ZOETROPE_PASSWORD = "a-long-password";
    for (const path of ["/api/kernels", "/api/kernels/x/events"]) {
      const res = await proxy(new NextRequest(`http://127.0.0.1:3000${path}`));
      expect(res.status).toBe(401);
    }
    const post = await proxy(new NextRequest("http://127.0.0.1:3000/api/kernels", { method: "POST", body: "{}" }));
    expect(post.status).toBe(401);
  });
});
