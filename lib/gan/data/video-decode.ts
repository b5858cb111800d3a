// Browser only: decodes a user's video file into RGBA frames for ClipSampler, with WebCodecs through mediabunny
// (every frame, in order — unlike seeking an HTMLVideoElement, which may skip or repeat frames).
import type { RgbaFrame } from "../video/frames";

export interface DecodeOptions {
  maxFrames?: number; // stop after this many frames (default 600: 20 s at 30 fps)
  /** Longest side of the decoded frames (default 256): ClipSampler shrinks them anyway, and 1080p × 600 frames
   *  would need 5 GB. */
  maxSide?: number;
}

export async function decodeVideoFile(file: Blob, opts: DecodeOptions = {}): Promise<RgbaFrame[]> {
  if (typeof globalThis.VideoDecoder !== "function") {
    throw new Error("decoding a video file needs WebCodecs (VideoDecoder), which only browsers provide");
  }
  const mb = await import("mediabunny");
  const input = new mb.Input({ source: new mb.BlobSource(file), formats: mb.ALL_FORMATS });
  try {
    const track = await input.getPrimaryVideoTrack();
    if (!track) throw new Error("the file has no video track");
    if (!(await track.canDecode())) throw new Error(`this browser cannot decode ${track.codec ?? "this"} video`);
    const maxSide = opts.maxSide ?? 256;
    const shrink = Math.min(1, maxSide / Math.max(track.displayWidth, track.displayHeight));
    const width = Math.max(2, Math.round(track.displayWidth * shrink));
    const height = Math.max(2, Math.round(track.displayHeight * shrink));
    const sink = new mb.CanvasSink(track, { width, height, fit: "fill", poolSize: 2 });
    const frames: RgbaFrame[] = [];
    for await (const { canvas } of sink.canvases()) {
      const ctx = canvas.getContext("2d") as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;
      frames.push(ctx.getImageData(0, 0, width, height)); // copies the pixels, so the pooled canvas can be reused
      if (frames.length >= (opts.maxFrames ?? 600)) break;
    }
    return frames;
  } finally {
    input.dispose();
  }
}
