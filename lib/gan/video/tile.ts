// Lays equally sized frames out on a grid with a gap between cells: the filmstrip (rows = videos, columns = time)
// and the batch-as-one-video view (each frame of a GIF shows every video of the batch).
import type { RgbaFrame } from "./frames";

export interface TileOptions {
  pad?: number; // gap between cells and around the edge, in pixels (default 1)
  background?: [number, number, number]; // gap colour (default mid gray, visible against both black and white)
}

/** cells[row][col] → one frame. Rows may be ragged; missing cells show the background. */
export function tileFrames(cells: RgbaFrame[][], opts: TileOptions = {}): RgbaFrame {
  const pad = opts.pad ?? 1;
  const [br, bg, bb] = opts.background ?? [128, 128, 128];
  const first = cells.find((row) => row.length > 0)?.[0];
  if (!first) throw new Error("nothing to tile");
  const { width: w, height: h } = first;
  const cols = Math.max(...cells.map((row) => row.length));
  const width = cols * (w + pad) + pad;
  const height = cells.length * (h + pad) + pad;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < data.length; p += 4) [data[p], data[p + 1], data[p + 2], data[p + 3]] = [br, bg, bb, 255];
  cells.forEach((row, r) =>
    row.forEach((cell, c) => {
      if (cell.width !== w || cell.height !== h) throw new Error("all tiled frames must have the same size");
      const x0 = pad + c * (w + pad);
      const y0 = pad + r * (h + pad);
      for (let y = 0; y < h; y++) {
        data.set(cell.data.subarray(y * w * 4, (y + 1) * w * 4), ((y0 + y) * width + x0) * 4);
      }
    }),
  );
  return { width, height, data };
}

/** videos[b][t] → one video whose frame t shows every video on a grid `cols` wide. */
export function tileVideos(videos: RgbaFrame[][], cols: number, opts: TileOptions = {}): RgbaFrame[] {
  if (videos.length === 1) return videos[0]; // one video needs no grid
  const frames = Math.max(...videos.map((v) => v.length));
  const out: RgbaFrame[] = [];
  for (let t = 0; t < frames; t++) {
    const rows: RgbaFrame[][] = [];
    for (let b = 0; b < videos.length; b += cols) {
      rows.push(videos.slice(b, b + cols).map((v) => v[Math.min(t, v.length - 1)]));
    }
    out.push(tileFrames(rows, opts));
  }
  return out;
}

/** Nearest-neighbour enlargement by an integer factor, so tiny videos stay crisp when shown or encoded. */
export function upscaleFrame(frame: RgbaFrame, factor: number): RgbaFrame {
  if (factor === 1) return frame;
  const width = frame.width * factor;
  const height = frame.height * factor;
  // Move whole RGBA pixels as 32-bit words; a view needs 4-byte alignment, so copy unaligned input first.
  const bytes = frame.data.byteOffset % 4 === 0 ? frame.data : frame.data.slice();
  const src = new Uint32Array(bytes.buffer, bytes.byteOffset, frame.width * frame.height);
  const dst = new Uint32Array(width * height);
  for (let y = 0; y < height; y++) {
    const s = Math.floor(y / factor) * frame.width;
    for (let x = 0; x < width; x++) dst[y * width + x] = src[s + Math.floor(x / factor)];
  }
  return { width, height, data: new Uint8ClampedArray(dst.buffer) };
}
