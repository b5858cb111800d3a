// Browser side of webcodecs.test.ts: encodes a small tensor video to MP4 and WebM with lib/gan/video/webcodecs,
// decodes each file back with lib/gan/data/video-decode, and reports what came out.
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { ALL_FORMATS, BlobSource, Input } from "mediabunny";
import { decodeVideoFile } from "../../../lib/gan/data/video-decode";
import { isVideoEncodingAvailable, videoToFile, type VideoContainer } from "../../../lib/gan/video/webcodecs";

const T = 16;
const SIZE = 32;
const SQUARE = 8;

/** Top-left corner of the square in frame t: it moves diagonally, 1 pixel a frame in x and y. */
function squareAt(t: number): [number, number] {
  return [4 + t, 6 + t];
}

export interface EncodeReport {
  container: VideoContainer;
  mime: string;
  codec: string | null; // as the container declares it
  bytes: number;
  magic: number[]; // the file's first 12 bytes
  encodeMs: number;
  decodeMs: number;
  frames: number;
  width: number;
  height: number;
  /** Per decoded frame t: mean gray inside the square's place in source frame t, and mean gray everywhere else. */
  inside: number[];
  outside: number[];
  /** Per decoded frame: the source frame whose square's place is brightest in it (t, when frames are in order). */
  matches: number[];
}

export interface WebCodecsReport {
  available: boolean;
  secure: boolean;
  results: EncodeReport[];
}

/** [T, H, W, 1] in [-1, 1]: black, with a white SQUARE×SQUARE square at squareAt(t). */
function movingSquare(): tf.Tensor4D {
  const data = new Float32Array(T * SIZE * SIZE).fill(-1);
  for (let t = 0; t < T; t++) {
    const [x0, y0] = squareAt(t);
    for (let y = y0; y < y0 + SQUARE; y++) data.fill(1, (t * SIZE + y) * SIZE + x0, (t * SIZE + y) * SIZE + x0 + SQUARE);
  }
  return tf.tensor4d(data, [T, SIZE, SIZE, 1]);
}

async function codecOf(file: Blob): Promise<string | null> {
  const input = new Input({ source: new BlobSource(file), formats: ALL_FORMATS });
  try {
    return (await input.getPrimaryVideoTrack())?.codec ?? null;
  } finally {
    input.dispose();
  }
}

async function roundTrip(video: tf.Tensor4D, container: VideoContainer): Promise<EncodeReport> {
  let start = performance.now();
  const file = await videoToFile(video, { container, scale: 1, fps: 10 });
  const encodeMs = performance.now() - start;
  const magic = [...new Uint8Array(await file.slice(0, 12).arrayBuffer())];
  start = performance.now();
  const frames = await decodeVideoFile(file);
  const decodeMs = performance.now() - start;
  const inside: number[] = [];
  const outside: number[] = [];
  const matches: number[] = [];
  for (const [t, frame] of frames.entries()) {
    const gray = (x: number, y: number) => {
      const p = (y * frame.width + x) * 4;
      return (frame.data[p] + frame.data[p + 1] + frame.data[p + 2]) / 3;
    };
    // Mean gray over the square's place in each source frame: the brightest is where this frame's square is.
    const at = Array.from({ length: T }, (_, s) => {
      const [x0, y0] = squareAt(s);
      let sum = 0;
      for (let y = y0; y < y0 + SQUARE; y++) for (let x = x0; x < x0 + SQUARE; x++) sum += gray(x, y);
      return sum / (SQUARE * SQUARE);
    });
    matches.push(at.indexOf(Math.max(...at)));
    let total = 0;
    for (let y = 0; y < frame.height; y++) for (let x = 0; x < frame.width; x++) total += gray(x, y);
    const own = at[Math.min(t, T - 1)];
    inside.push(own);
    outside.push((total - own * SQUARE * SQUARE) / (frame.width * frame.height - SQUARE * SQUARE));
  }
  return {
    container,
    mime: file.type,
    codec: await codecOf(file),
    bytes: file.size,
    magic,
    encodeMs,
    decodeMs,
    frames: frames.length,
    width: frames[0]?.width ?? 0,
    height: frames[0]?.height ?? 0,
    inside,
    outside,
    matches,
  };
}

(globalThis as Record<string, unknown>).runWebCodecsCheck = async (): Promise<WebCodecsReport> => {
  await tf.setBackend("cpu");
  const report: WebCodecsReport = { available: isVideoEncodingAvailable(), secure: globalThis.isSecureContext, results: [] };
  if (!report.available) return report;
  const video = movingSquare();
  try {
    for (const container of ["mp4", "webm"] as const) report.results.push(await roundTrip(video, container));
  } finally {
    video.dispose();
  }
  return report;
};
