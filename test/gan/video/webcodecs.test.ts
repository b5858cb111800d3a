import { describe, expect, it } from "vitest";
import { encodeVideoFile, isVideoEncodingAvailable, videoToFile } from "@/lib/gan/video/webcodecs";

describe("WebCodecs video files", () => {
  it("says clearly that Node cannot encode MP4/WebM", async () => {
    expect(isVideoEncodingAvailable()).toBe(false);
    const frame = { width: 2, height: 2, data: new Uint8ClampedArray(16) };
    await expect(encodeVideoFile([frame])).rejects.toThrow(/only browsers provide/);
    await expect(videoToFile({ data: new Float32Array(4), shape: [1, 2, 2, 1] })).rejects.toThrow(/only browsers/);
  });
});
