// One clock for every video of a comparison: it says which frame index k to draw now, and each video draws its own
// frame k (modulo its length). Pure: the time is passed in, so tests need no timers.

export interface FrameClock {
  /** ms per frame */
  frameMs: number;
  playing: boolean;
  /** while playing: the time frame 0 was (or would have been) shown; while paused: unused */
  origin: number;
  /** while paused: the frame shown */
  pausedAt: number;
}

export function newClock(frameMs: number, now: number, playing = true): FrameClock {
  return { frameMs: Math.max(1, frameMs), playing, origin: now, pausedAt: 0 };
}

/** The frame index to show at `now` (not wrapped: each video wraps it to its own length). */
export function clockFrame(c: FrameClock, now: number): number {
  return c.playing ? Math.max(0, Math.floor((now - c.origin) / c.frameMs)) : c.pausedAt;
}

export function pause(c: FrameClock, now: number): FrameClock {
  return c.playing ? { ...c, playing: false, pausedAt: clockFrame(c, now) } : c;
}

/** Resumes from the frame shown, so play after pause continues where it stopped. */
export function play(c: FrameClock, now: number): FrameClock {
  return c.playing ? c : { ...c, playing: true, origin: now - c.pausedAt * c.frameMs };
}

/** Jumps to frame `frame`: paused stays paused there, playing continues from there. */
export function seek(c: FrameClock, frame: number, now: number): FrameClock {
  const f = Math.max(0, Math.floor(frame));
  return c.playing ? { ...c, origin: now - f * c.frameMs } : { ...c, pausedAt: f };
}

/** Frame k of a video with `count` frames: videos of different lengths loop on their own. */
export function wrapFrame(k: number, count: number): number {
  return count > 0 ? ((k % count) + count) % count : 0;
}
