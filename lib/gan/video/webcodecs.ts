// MP4 / WebM files of videos in the browser: WebCodecs' VideoEncoder (driven by mediabunny's VideoSampleSource)
// encodes, mediabunny muxes. Node has no VideoEncoder, so this throws there; use GIFs or filmstrips on the server.
import { videoToFrameGrid, type RgbaFrame, type VideoInput } from "./frames";
import { tileVideos, upscaleFrame } from "./tile";

export type VideoContainer = "mp4" | "webm";

export interface EncodeVideoOptions {
  container?: VideoContainer; // default "mp4" (plays everywhere); "webm" for VP8/VP9
  fps?: number; // default 10
  scale?: number; // integer nearest-neighbour enlargement; default 4, since 4:2:0 chroma at 64×64 smears colour
  cols?: number; // videos per row when a batch is tiled (default ceil(sqrt(B)))
}

export function isVideoEncodingAvailable(): boolean {
  return typeof globalThis.VideoEncoder === "function" && typeof globalThis.VideoFrame === "function";
}

function requireVideoEncoding(): void {
  if (!isVideoEncodingAvailable()) {
    throw new Error("MP4/WebM encoding needs WebCodecs (VideoEncoder), which only browsers provide; use a GIF here");
  }
}

/** Encoders want even sides (4:2:0 chroma): pad right/bottom with black. */
function evenSize(frame: RgbaFrame): RgbaFrame {
  const width = frame.width + (frame.width % 2);
  const height = frame.height + (frame.height % 2);
  if (width === frame.width && height === frame.height) return frame;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < frame.height; y++) {
    data.set(frame.data.subarray(y * frame.width * 4, (y + 1) * frame.width * 4), y * width * 4);
  }
  return { width, height, data };
}

/** Encodes frames (all the same size) to an MP4 or WebM file. Browser only. */
export async function encodeVideoFile(frames: RgbaFrame[], opts: EncodeVideoOptions = {}): Promise<Blob> {
  requireVideoEncoding();
  if (frames.length === 0) throw new Error("a video needs at least one frame");
  const mb = await import("mediabunny"); // loaded on first use: it is large and only this needs it
  const container = opts.container ?? "mp4";
  const fps = opts.fps ?? 10;
  const scaled = frames.map((f) => evenSize(upscaleFrame(f, opts.scale ?? 4)));
  const { width, height } = scaled[0];
  const format = container === "mp4" ? new mb.Mp4OutputFormat() : new mb.WebMOutputFormat();
  const codec = await mb.getFirstEncodableVideoCodec(format.getSupportedVideoCodecs(), { width, height });
  if (!codec) throw new Error(`this browser cannot encode any ${container} video codec at ${width}×${height}`);

  const target = new mb.BufferTarget();
  const output = new mb.Output({ format, target });
  const source = new mb.VideoSampleSource({ codec, quality: mb.QUALITY_HIGH });
  output.addVideoTrack(source, { frameRate: fps });
  await output.start();
  try {
    for (let t = 0; t < scaled.length; t++) {
      const sample = new mb.VideoSample(scaled[t].data, {
        format: "RGBA",
        codedWidth: width,
        codedHeight: height,
        timestamp: t / fps,
        duration: 1 / fps,
      });
      try {
        await source.add(sample); // awaited: respects the encoder's backpressure
      } finally {
        sample.close();
      }
    }
    await output.finalize();
  } catch (err) {
    await output.cancel(); // releases the encoder
    throw err;
  }
  return new Blob([target.buffer!], { type: format.mimeType });
}

/** A [T,H,W,C] video, or a [B,T,H,W,C] batch tiled on a grid, as an MP4/WebM file. Does not dispose the input. */
export async function videoToFile(video: VideoInput, opts: EncodeVideoOptions = {}): Promise<Blob> {
  requireVideoEncoding(); // before reading the tensor back, which may be slow
  const grid = await videoToFrameGrid(video);
  return encodeVideoFile(tileVideos(grid, opts.cols ?? Math.ceil(Math.sqrt(grid.length))), opts);
}
