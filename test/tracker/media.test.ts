import { describe, expect, it } from "vitest";
import { sniff } from "@/lib/tracker/media";
import { gif, mp4, png, webm } from "../api/fixtures";

describe("sniff", () => {
  it("recognises MP4 by ftyp at offset 4", () => {
    expect(sniff(mp4())).toEqual({ mime: "video/mp4", ext: "mp4" });
  });

  it("recognises WebM by its EBML magic and doctype, refusing other Matroska", () => {
    expect(sniff(webm())).toEqual({ mime: "video/webm", ext: "webm" });
    const mkv = Uint8Array.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x88, ...Buffer.from("matroska")]);
    expect(sniff(mkv)).toBeNull();
  });

  it("reads a GIF's size and counts its frames", () => {
    expect(sniff(gif(300, 200, 5))).toEqual({ mime: "image/gif", ext: "gif", width: 300, height: 200, frames: 5 });
  });

  it("reads a PNG's size, and an APNG's frame count from acTL", () => {
    expect(sniff(png(1024, 70000))).toMatchObject({ mime: "image/png", width: 1024, height: 70000, frames: 1 });
    expect(sniff(png(64, 64, 16))).toMatchObject({ frames: 16 });
  });

  it("refuses still-image ISO files, other formats and truncated headers", () => {
    const heic = Uint8Array.from([0, 0, 0, 0x18, ...Buffer.from("ftypheic"), 0, 0, 0, 0]);
    expect(sniff(heic)).toBeNull();
    expect(sniff(Buffer.from("GIF89a"))).toBeNull();
    expect(sniff(png(4, 4).subarray(0, 20))).toBeNull();
    expect(sniff(Buffer.from("%PDF-1.7 ......"))).toBeNull();
    expect(sniff(new Uint8Array(0))).toBeNull();
  });

  it("survives a GIF whose blocks are cut off", () => {
    const cut = gif(8, 8, 3).subarray(0, 40);
    expect(sniff(cut)).toMatchObject({ mime: "image/gif", width: 8, height: 8 });
  });
});
