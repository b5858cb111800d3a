// The server kernel's wire format: what JSON alone would lose (bytes, NaN and ±Infinity) comes back as it was.
import { describe, expect, it } from "vitest";
import type { KernelEvent } from "@/lib/runner/protocol";
import { decodeWire, encodeWire } from "@/lib/runner/wire";

describe("wire", () => {
  it("carries bytes, non-finite numbers and plain JSON unchanged", () => {
    const gif = new Uint8Array(100_000).map((_, i) => (i * 7) % 256);
    const events: KernelEvent[] = [
      { op: "sample", cellId: "c", exec: 1, key: "samples", step: 3, mime: "image/gif", data: gif, time: 5 },
      { op: "metric", cellId: "c", exec: 1, points: [{ key: "loss", step: 1, value: NaN, time: 1 }, { key: "g", step: 1, value: -Infinity, time: 1 }] },
      { op: "config", hparams: { lr: 2e-4, nested: { $bytes: 1, list: [1, "two", null] } } },
    ];
    for (const event of events) expect(decodeWire(encodeWire(event))).toEqual(event);
    expect(decodeWire<{ data: Uint8Array }>(encodeWire(events[0])).data).toBeInstanceOf(Uint8Array);
  });
});
