// Turns videos in [-1, 1] (tensors or Float32 arrays) into 8-bit RGBA frames, the common currency of the GIF,
// PNG and WebCodecs writers and of browser canvases (an RgbaFrame is ImageData-shaped).
import type * as tf from "@tensorflow/tfjs-core";

export interface RgbaFrame {
  width: number;
  height: number;
  data: Uint8ClampedArray | Uint8Array; // [height, width, 4]
}

/** Video pixels without a tensor: [T, H, W, C] or [B, T, H, W, C], C = 1 or 3, values in [-1, 1]. */
export interface FloatVideo {
  data: Float32Array | ArrayLike<number>;
  shape: [number, number, number, number] | [number, number, number, number, number];
}

export type VideoInput = tf.Tensor4D | tf.Tensor5D | FloatVideo;

/** [-1, 1] → 0..255 with rounding; out-of-range values clamp (Uint8ClampedArray) and NaN becomes 0. */
function toByte(v: number): number {
  return (v + 1) * 127.5;
}

/**
 * Pure conversion of [B, T, H, W, C] floats to frames[b][t]. C = 1 is copied to R, G and B; alpha is opaque.
 */
export function floatToRgbaFrames(data: ArrayLike<number>, shape: number[]): RgbaFrame[][] {
  const [B, T, H, W, C] = shape.length === 4 ? [1, ...shape] : shape;
  if (shape.length < 4 || shape.length > 5 || (C !== 1 && C !== 3)) {
    throw new Error(`expected [T,H,W,C] or [B,T,H,W,C] with C = 1 or 3, got [${shape.join(",")}]`);
  }
  if (data.length !== B * T * H * W * C) throw new Error(`${data.length} values do not fill [${shape.join(",")}]`);
  const videos: RgbaFrame[][] = [];
  let i = 0;
  for (let b = 0; b < B; b++) {
    const frames: RgbaFrame[] = [];
    for (let t = 0; t < T; t++) {
      const px = new Uint8ClampedArray(H * W * 4);
      for (let p = 0; p < H * W * 4; p += 4, i += C) {
        px[p] = toByte(data[i]);
        px[p + 1] = toByte(data[i + (C === 3 ? 1 : 0)]);
        px[p + 2] = toByte(data[i + (C === 3 ? 2 : 0)]);
        px[p + 3] = 255;
      }
      frames.push({ width: W, height: H, data: px });
    }
    videos.push(frames);
  }
  return videos;
}

function isFloatVideo(video: VideoInput): video is FloatVideo {
  return !("dataSync" in video);
}

/** Channels of a video input (1 = grayscale), so writers can pick a gray encoding without scanning pixels. */
export function channelsOf(video: VideoInput): number {
  return video.shape[video.shape.length - 1];
}

/**
 * Reads a video to RGBA frames as [B][T] (a [T,H,W,C] input gives B = 1). Awaits `data()` so a GPU backend is not
 * blocked; the caller keeps ownership of the tensor.
 */
export async function videoToFrameGrid(video: VideoInput): Promise<RgbaFrame[][]> {
  const data = isFloatVideo(video) ? video.data : await video.data();
  return floatToRgbaFrames(data, [...video.shape]);
}

/** Frames of one video ([T,H,W,C]), or of each video of a batch ([B,T,H,W,C]). */
export async function videoToFrames(video: tf.Tensor4D | FloatVideo & { shape: [number, number, number, number] }): Promise<RgbaFrame[]>;
export async function videoToFrames(video: tf.Tensor5D): Promise<RgbaFrame[][]>;
export async function videoToFrames(video: VideoInput): Promise<RgbaFrame[] | RgbaFrame[][]>;
export async function videoToFrames(video: VideoInput): Promise<RgbaFrame[] | RgbaFrame[][]> {
  const grid = await videoToFrameGrid(video);
  return video.shape.length === 4 ? grid[0] : grid;
}

/** True when every pixel has R = G = B, so an 8-bit gray encoding is lossless. */
export function isGray(frames: RgbaFrame[]): boolean {
  for (const { data } of frames) {
    for (let p = 0; p < data.length; p += 4) if (data[p] !== data[p + 1] || data[p] !== data[p + 2]) return false;
  }
  return true;
}
