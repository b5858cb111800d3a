// Animated, looping GIFs of generated or real videos, for notebook outputs and run pages.
// Grayscale uses a fixed 256-level gray palette (lossless for 8-bit gray); colour quantizes one palette for the
// whole clip, so colours do not flicker from frame to frame.
import * as gifencModule from "gifenc";
import { channelsOf, isGray, videoToFrameGrid, type RgbaFrame, type VideoInput } from "./frames";
import { tileVideos, upscaleFrame, type TileOptions } from "./tile";

type Gifenc = Pick<typeof gifencModule, "GIFEncoder" | "quantize" | "applyPalette">;
// Bundlers read gifenc's ESM build (named exports); Node ESM reads its CommonJS build, whose only export is `default`.
const gifenc: Gifenc =
  "GIFEncoder" in gifencModule && typeof gifencModule.GIFEncoder === "function"
    ? gifencModule
    : (gifencModule.default as Gifenc);

const GRAY_PALETTE = Array.from({ length: 256 }, (_, i) => [i, i, i]);

export interface GifOptions {
  delayMs?: number; // per frame; default 100 (10 fps — browsers slow delays under 20 ms down to 100 anyway)
  repeat?: number; // 0 = loop forever (default), n = play n+1 times, -1 = once
  gray?: boolean; // force the gray palette; default: detected from the pixels
}

/** Encodes frames (all the same size) as one GIF. */
export function encodeGif(frames: RgbaFrame[], opts: GifOptions = {}): Uint8Array {
  if (frames.length === 0) throw new Error("a GIF needs at least one frame");
  const { width, height } = frames[0];
  const gray = opts.gray ?? isGray(frames);
  const palette = gray ? GRAY_PALETTE : quantizeClip(frames);
  const gif = gifenc.GIFEncoder();
  frames.forEach((frame, t) => {
    if (frame.width !== width || frame.height !== height) throw new Error("all GIF frames must have the same size");
    // gifenc's palette helpers ignore byteOffset: hand them a fresh copy, never a view.
    const index = gray ? grayIndex(frame) : gifenc.applyPalette(frame.data.slice(), palette);
    gif.writeFrame(index, width, height, {
      palette: t === 0 ? palette : undefined, // first frame's palette becomes the global colour table
      delay: opts.delayMs ?? 100,
      repeat: opts.repeat ?? 0, // written once, as the NETSCAPE2.0 loop extension
    });
  });
  gif.finish();
  return gif.bytes();
}

function grayIndex(frame: RgbaFrame): Uint8Array {
  const index = new Uint8Array(frame.width * frame.height);
  for (let i = 0; i < index.length; i++) index[i] = frame.data[4 * i];
  return index;
}

/** One palette for the whole clip, from every frame's pixels. */
function quantizeClip(frames: RgbaFrame[]): number[][] {
  const all = new Uint8Array(frames.reduce((n, f) => n + f.data.length, 0));
  frames.reduce((at, f) => (all.set(f.data, at), at + f.data.length), 0);
  return gifenc.quantize(all, 256);
}

export interface VideoGifOptions extends GifOptions, TileOptions {
  cols?: number; // videos per row when a batch is tiled into one GIF (default: ceil(sqrt(B)))
  scale?: number; // integer nearest-neighbour enlargement (default 1)
}

/** A [T,H,W,C] video, or a [B,T,H,W,C] batch tiled on a grid, as one GIF. Does not dispose the input. */
export async function videoToGif(video: VideoInput, opts: VideoGifOptions = {}): Promise<Uint8Array> {
  const grid = await videoToFrameGrid(video);
  const frames = tileVideos(grid, opts.cols ?? Math.ceil(Math.sqrt(grid.length)), opts);
  const scaled = frames.map((f) => upscaleFrame(f, opts.scale ?? 1));
  // One channel means gray pixels, unless a coloured grid gap was asked for; then let encodeGif look.
  const gray = opts.gray ?? (channelsOf(video) === 1 && !opts.background ? true : undefined);
  return encodeGif(scaled, { ...opts, gray });
}
