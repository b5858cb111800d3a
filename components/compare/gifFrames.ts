// Decodes an animated GIF into its frames in the browser with WebCodecs' ImageDecoder, so that several videos can be
// drawn frame by frame from one clock (an <img> plays on its own timer, which cannot be paused or scrubbed).

export interface DecodedVideo {
  /** frame i, ready for drawImage */
  frames: ImageBitmap[];
  /** the first frame's duration in ms (GIF delays are per frame; ours are uniform), null when the file has none */
  frameMs: number | null;
  width: number;
  height: number;
}

/** Whether this browser can decode `mime` frame by frame. */
export function canDecode(mime: string): boolean {
  return mime === "image/gif" && typeof globalThis.ImageDecoder === "function";
}

async function decode(url: string, mime: string): Promise<DecodedVideo> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  const decoder = new ImageDecoder({ data: await res.arrayBuffer(), type: mime });
  try {
    // All bytes are given up front: once both settle the frame count is final (`completed` alone can settle before
    // the track list is filled in).
    await Promise.all([decoder.completed, decoder.tracks.ready]);
    const count = decoder.tracks.selectedTrack?.frameCount ?? 1;
    const frames: ImageBitmap[] = [];
    let frameMs: number | null = null;
    for (let i = 0; i < count; i++) {
      const { image } = await decoder.decode({ frameIndex: i });
      if (i === 0 && image.duration) frameMs = image.duration / 1000; // µs → ms
      frames.push(await createImageBitmap(image));
      image.close();
    }
    return { frames, frameMs, width: frames[0]?.width ?? 0, height: frames[0]?.height ?? 0 };
  } finally {
    decoder.close();
  }
}

// Decoded once per page: moving the step slider back and forth redraws from memory (our samples are a few KB).
const cache = new Map<string, Promise<DecodedVideo>>();

export function decodeVideo(url: string, mime: string): Promise<DecodedVideo> {
  let pending = cache.get(url);
  if (!pending) {
    pending = decode(url, mime);
    cache.set(url, pending);
    pending.catch(() => cache.delete(url)); // a failed fetch may succeed later
  }
  return pending;
}
