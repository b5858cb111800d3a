// A still PNG of a batch: one row per video, one column per frame — the view that shows motion on a printed page
// and in run comparisons. Gray videos are written as 1-channel PNGs, colour as RGB.
import { encode as encodePng } from "fast-png";
import { channelsOf, isGray, videoToFrameGrid, type RgbaFrame, type VideoInput } from "./frames";
import { tileFrames, upscaleFrame, type TileOptions } from "./tile";

export interface FilmstripOptions extends TileOptions {
  maxFrames?: number; // show only the first n frames of each video
  scale?: number; // integer nearest-neighbour enlargement of each frame (default 1)
  gray?: boolean; // force a 1-channel PNG; default: detected from the pixels
}

/** videos[b][t] → PNG bytes. */
export function encodeFilmstrip(videos: RgbaFrame[][], opts: FilmstripOptions = {}): Uint8Array {
  const rows = videos.map((v) => v.slice(0, opts.maxFrames ?? v.length).map((f) => upscaleFrame(f, opts.scale ?? 1)));
  const sheet = tileFrames(rows, opts);
  const gray = opts.gray ?? isGray([sheet]);
  const channels = gray ? 1 : 3;
  const data = new Uint8Array(sheet.width * sheet.height * channels);
  for (let i = 0, p = 0; i < data.length; i += channels, p += 4) {
    data[i] = sheet.data[p];
    if (!gray) [data[i + 1], data[i + 2]] = [sheet.data[p + 1], sheet.data[p + 2]];
  }
  return encodePng({ width: sheet.width, height: sheet.height, data, channels, depth: 8 });
}

/** A [T,H,W,C] video (one row) or a [B,T,H,W,C] batch as a filmstrip PNG. Does not dispose the input. */
export async function videoToFilmstrip(video: VideoInput, opts: FilmstripOptions = {}): Promise<Uint8Array> {
  const gray = opts.gray ?? (channelsOf(video) === 1 && !opts.background ? true : undefined);
  return encodeFilmstrip(await videoToFrameGrid(video), { ...opts, gray });
}
